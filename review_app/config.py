"""Application settings: defaults in code, overridden by the environment.

This is the only module that reads ``os.environ``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "Case Review"  # in every page's title and header


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _optional_flag(name: str) -> bool | None:
    """Return a yes/no setting, or None when it is not set."""
    return None if os.environ.get(name) is None else _flag(name, False)


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
    session_hours = int(os.environ.get("SESSION_HOURS", "8"))
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL", default_db)
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # None: cookies travel over HTTPS only unless the app runs in debug or testing
        # (review_app/core/security.py); COOKIE_SECURE=0 opts out, as `make run` does.
        "COOKIE_SECURE": _optional_flag("COOKIE_SECURE"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=session_hours),
        # A form's CSRF token lasts no longer than a sign-in; signing in or out renews it.
        "WTF_CSRF_TIME_LIMIT": session_hours * 3600,
        # Sent on requests that came over HTTPS only.
        "HSTS_SECONDS": int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600))),
        # Request size: the largest documented import is 5 MB; nothing else is near it.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_MB", "16")) * 1024 * 1024,
        # Form fields held in memory. The largest form is an interview's final notes:
        # 18 items of up to 20,000 characters per note-taker; three note-takers' text,
        # percent-encoded, is 3 to 4 MB, and accented text needs more.
        "MAX_FORM_MEMORY_SIZE": int(os.environ.get("MAX_FORM_MEMORY_MB", "8")) * 1024 * 1024,
        "MAX_FORM_PARTS": int(os.environ.get("MAX_FORM_PARTS", "2000")),
        # Per-address limits (Flask-Limiter). memory:// counts per worker; with several
        # workers use a shared store, e.g. redis://localhost:6379/0.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # When Redis cannot be reached, count in the worker until it is back.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "LOGIN_ADDRESS_LIMIT": os.environ.get("LOGIN_ADDRESS_LIMIT", "20 per 10 minutes"),
        # "Forgot your password?" requests per address; each may send an email.
        "RESET_ADDRESS_LIMIT": os.environ.get("RESET_ADDRESS_LIMIT", "5 per 15 minutes"),
        # How long an emailed invitation and a password reset link stay usable.
        "INVITE_DAYS": int(os.environ.get("INVITE_DAYS", "7")),
        "RESET_HOURS": int(os.environ.get("RESET_HOURS", "2")),
        "API_ADDRESS_LIMIT": os.environ.get("API_ADDRESS_LIMIT", "300 per minute"),
        # How many reverse proxies in front set X-Forwarded-For; 0 trusts none of it.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        # Seconds a rendered case or report page is kept per worker; 0 turns this off
        # (review_app/core/pagecache.py says what a kept page depends on).
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "300")),
        # Paths to the data folders; tests point these at temporary copies.
        "SITES_DIR": Path(os.environ.get("SITES_DIR", PROJECT_ROOT / "sites")),
        "INSTRUMENTS_DIR": Path(os.environ.get("INSTRUMENTS_DIR", PROJECT_ROOT / "instruments")),
        # Sign-in throttling per (username, address) pair (review_app/accounts/throttle.py):
        # past LOGIN_SLOWDOWN failures the pair waits, past LOGIN_LOCK it is locked out.
        "LOGIN_SLOWDOWN": os.environ.get("LOGIN_SLOWDOWN", "3 per minute"),
        "LOGIN_LOCK": os.environ.get("LOGIN_LOCK", "6 per 15 minutes"),
        # How long reading one uploaded table may take before it is refused
        # (review_app/core/tables.py): a worker is never held longer by one upload.
        "IMPORT_READ_SECONDS": float(os.environ.get("IMPORT_READ_SECONDS", "5")),
        # The job queue (review_app/core/queue.py): an SQLite file beside the database by
        # default; redis://host:port/db when workers run on several machines.
        "JOBS_URL": os.environ.get("JOBS_URL", f"sqlite:///{instance_path / 'jobs.db'}"),
        # Email (Flask-Mailman over SMTP). The defaults reach the local server `make run`
        # starts, which keeps every message in instance/mail (read them: `flask mailbox`).
        # Real SMTP in tests as well (Flask-Mailman would keep test mail in memory).
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "8025")),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_TIMEOUT": int(os.environ.get("MAIL_TIMEOUT", "10")),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Case Review <noreply@localhost>"
        ),
        # The address people reach the app at: links in email sent by the worker start here.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        # A period's source data downloads at once (streamed) up to this many cases; a
        # larger one is prepared as a background job, so no request runs for minutes.
        "EXPORT_STREAM_MAX_CASES": int(os.environ.get("EXPORT_STREAM_MAX_CASES", "1000")),
        # Where finished jobs keep their files (a period's PDF), and for how many days.
        "JOBS_DIR": Path(os.environ.get("JOBS_DIR", instance_path / "job-results")),
        "JOBS_KEEP_DAYS": int(os.environ.get("JOBS_KEEP_DAYS", "7")),
        # Tests use a cheaper hash; production keeps Werkzeug's scrypt default.
        "PASSWORD_HASH_METHOD": "scrypt",
    }
