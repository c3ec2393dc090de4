"""Password hashing and rules.

The rules follow NIST SP 800-63B: a minimum length, no composition rules, and
a refusal of passwords that are common or easy to guess. zxcvbn estimates how
many guesses a password takes against its lists of common passwords, names and
words, keyboard patterns, repeats, sequences and dates, and against the
person's own username, name and email address.
"""

import re
import secrets
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from review_app.core.errors import OperationError

MIN_LENGTH = 10
MAX_LENGTH = 200
# zxcvbn's scale: 3 is "safely unguessable" (about 10^8 guesses or more).
MIN_SCORE = 3
RULES = (
    f"At least {MIN_LENGTH} characters, not a common or easily guessed password, and "
    "not containing your username or name. A phrase of several words is easy to remember."
)


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


def _personal_parts(*texts: str) -> list[str]:
    """Return the username, name and email words a password must not contain (3+ letters)."""
    parts = set()
    for text in texts:
        text = text.lower().strip()
        if len(text) >= 3:
            parts.add(text)
        parts.update(word for word in re.split(r"[^a-z0-9]+", text) if len(word) >= 3)
    return sorted(parts, key=len, reverse=True)


# Words of this service that a guesser tries first (NIST SP 800-63B: context-specific words).
SERVICE_WORDS = ("case", "review", "casereview", "cfsr", "cqi", "welfare", "childwelfare")


def check_new_password(
    password: str,
    username: str = "",
    display_name: str = "",
    email: str = "",
    field: str = "password",
) -> None:
    """Refuse a password that is too short or too long, contains the person's own
    username or name, or is common or easy to guess; the message says which."""
    if len(password) < MIN_LENGTH:
        raise OperationError(f"Use at least {MIN_LENGTH} characters for the password.", field)
    if len(password) > MAX_LENGTH:
        raise OperationError(f"Use at most {MAX_LENGTH} characters for the password.", field)
    lowered = password.lower()
    username = username.lower()
    if username and (username in lowered if len(username) >= 3 else username == lowered):
        raise OperationError("The password must not contain the username.", field)
    personal = _personal_parts(display_name, email.partition("@")[0])
    if any(part in lowered for part in personal):
        raise OperationError(
            "The password must not contain your name or email address: choose something "
            "others cannot guess from them.",
            field,
        )
    # zxcvbn's cost grows with length; the first 100 characters tell enough.
    estimate = zxcvbn(password[:100], user_inputs=[username, *personal, email, *SERVICE_WORDS])
    if estimate["score"] < MIN_SCORE:
        warning = estimate["feedback"]["warning"] or "It would be guessed quickly."
        raise OperationError(
            f"That password is too easy to guess: {warning.rstrip('.')}. "
            "Try a phrase of several unrelated words.",
            field,
        )


def generate_password() -> str:
    """Return a random temporary password that is easy to type."""
    return "-".join(secrets.token_hex(3) for _ in range(3))
