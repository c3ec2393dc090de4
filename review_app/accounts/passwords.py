"""Password hashing and rules."""

import secrets
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from review_app.core.errors import OperationError

MIN_LENGTH = 10
MAX_LENGTH = 200


def _method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


@cache
def _dummy_hash(method: str) -> str:
    """A hash to check against when there is no account, so both paths take as long."""
    return generate_password_hash("not-a-real-password", method=method)


def hash_password(password: str) -> str:
    """Return a salted hash (scrypt unless configured otherwise)."""
    return generate_password_hash(password, method=_method())


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, spend the same time and say no."""
    if password_hash is None:
        check_password_hash(_dummy_hash(_method()), password)
        return False
    return check_password_hash(password_hash, password)


def check_new_password(password: str, username: str = "", field: str = "password") -> None:
    """Refuse a password that is too short, too long or the username."""
    if len(password) < MIN_LENGTH:
        raise OperationError(f"Use at least {MIN_LENGTH} characters for the password.", field)
    if len(password) > MAX_LENGTH:
        raise OperationError(f"Use at most {MAX_LENGTH} characters for the password.", field)
    if username and password.lower() == username.lower():
        raise OperationError("The password must not be the username.", field)


def generate_password() -> str:
    """Return a random temporary password that is easy to type."""
    return "-".join(secrets.token_hex(3) for _ in range(3))
