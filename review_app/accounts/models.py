"""User accounts and their sign-in sessions."""

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from review_app.core.models import state_type, utcnow
from review_app.extensions import Model


class DeactivatedBy(StrEnum):
    """Who deactivated an account; only the same level may reactivate it."""

    SYSTEM = "system"  # a system administrator (or the command line)
    STATE = "state"  # a state administrator removed the account's last membership


class User(UserMixin, Model):
    """A person who signs in; what they may do is given per site by memberships."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    deactivated_by: Mapped[DeactivatedBy | None] = mapped_column(
        state_type(DeactivatedBy, "deactivated_by", length=10)
    )
    is_system_admin: Mapped[bool] = mapped_column(default=False)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    last_failed_login_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # The key of the sign-in session this request runs in (set by the loader; not a column).
    # Declared for mypy only: SQLAlchemy reads any annotation in the class body as a column.
    if TYPE_CHECKING:
        session_key: str | None
    session_key = None

    @property
    def is_invited(self) -> bool:
        """Tell whether the person was invited and has not yet set a password."""
        return not self.password_hash

    def get_id(self) -> str | None:
        """Return the id flask-login keeps in the cookie: the sign-in session's key."""
        return self.session_key

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"


class UserSession(Model):
    """One sign-in: the session cookie carries a random key, the table its SHA-256 digest.

    A request is signed in only while its record is neither ended (sign-out,
    password change, deactivation) nor past ``expires_at``.
    """

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # digest of the key
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<UserSession of user {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}>"


class LinkPurpose(StrEnum):
    """What an emailed password link is for."""

    INVITE = "invite"  # a new person sets their first password
    RESET = "reset"  # someone who forgot theirs sets a new one


class PasswordLink(Model):
    """An emailed link to set a password: single use, expiring; only its digest is stored.

    Using it is one guarded UPDATE (unused and unexpired), so two clicks cannot both
    succeed; a new link for the same person and purpose ends the older ones.
    """

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[LinkPurpose] = mapped_column(
        state_type(LinkPurpose, "password_link_purpose", length=10)
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<PasswordLink {self.purpose} of user {self.user_id}>"


def key_digest(key: str) -> str:
    """Return what is stored of a secret key: a session's id, an emailed link's digest."""
    return hashlib.sha256(key.encode()).hexdigest()
