"""Application settings: defaults in code, overridden by the environment.

This is the only module that reads ``os.environ``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, or one kept in the instance folder."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Make a plain ``postgresql://`` URL use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def build_config(instance_path: Path) -> dict:
    """Return the settings for an app whose instance folder is ``instance_path``."""
    instance_path.mkdir(parents=True, exist_ok=True)
    default_db = f"sqlite:///{instance_path / 'review_app.db'}"
    secure_cookies = _flag("COOKIE_SECURE", False)
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL", default_db)
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_HOURS", "8"))),
        "WTF_CSRF_TIME_LIMIT": None,
        # Seconds a rendered case or report page is kept per worker; 0 turns this off
        # (review_app/core/pagecache.py says what a kept page depends on).
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "300")),
        # Paths to the data folders; tests point these at temporary copies.
        "SITES_DIR": Path(os.environ.get("SITES_DIR", PROJECT_ROOT / "sites")),
        "INSTRUMENTS_DIR": Path(os.environ.get("INSTRUMENTS_DIR", PROJECT_ROOT / "instruments")),
        # Sign-in throttling: after SLOWDOWN_AFTER failures each attempt must wait
        # longer; after LOCK_AFTER failures the account is locked for LOCK_MINUTES.
        "LOGIN_SLOWDOWN_AFTER": 3,
        "LOGIN_LOCK_AFTER": 6,
        "LOGIN_LOCK_MINUTES": 15,
        # Tests use a cheaper hash; production keeps Werkzeug's scrypt default.
        "PASSWORD_HASH_METHOD": "scrypt",
    }
