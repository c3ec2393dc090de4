"""Every change to accounts: creation, sign-in bookkeeping, passwords, activation."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from review_app.accounts import throttle
from review_app.accounts.models import (
    DeactivatedBy,
    PasswordLink,
    User,
    UserSession,
    key_digest,
)
from review_app.accounts.passwords import check_new_password, hash_password, verify_password
from review_app.accounts.signals import credentials_withdrawn
from review_app.audit.operations import ANONYMOUS, record
from review_app.core.errors import OperationError
from review_app.core.models import utcnow
from review_app.extensions import db

if TYPE_CHECKING:  # accounts sit below sites
    from review_app.sites.models import Site

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
BAD_CREDENTIALS = "The username or password is not correct."


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str, field: str = "username") -> str:
    """Return the normalised username, or raise when it is malformed or taken."""
    username = normalise_username(username)
    if not USERNAME_PATTERN.match(username):
        raise OperationError(
            "Use 2 to 80 lowercase letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit.",
            field,
        )
    taken = db.session.scalar(select(func.count()).where(User.username == username))
    if taken:
        raise OperationError(taken_message(username), field)
    return username


def taken_message(username: str) -> str:
    """Say a username is taken, in the same words wherever the account is (nothing leaks)."""
    return (
        f"The username {username!r} is already taken. Choose another; if this person "
        "already works in this state, give them access instead."
    )


def check_email(email: str, field: str = "email") -> str:
    """Return a normalised email address ('' stays ''); raise on a malformed one."""
    email = email.strip()
    if not email:
        return ""
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise OperationError(f"The email address is not valid: {error}", field) from None


def user_snapshot(user: User) -> dict:
    """Return the audited fields of a user (never the password hash)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "is_active": user.is_active,
        "is_system_admin": user.is_system_admin,
    }


def create_user(
    actor: User | None,
    username: str,
    display_name: str,
    password: str | None,
    *,
    email: str = "",
    is_system_admin: bool = False,
    must_change_password: bool = False,
    site: Site | None = None,
) -> User:
    """Create an account; raise OperationError on a bad or taken username or a weak password.

    With no password the account is invited: nobody can sign in to it until its
    owner sets a password from an emailed link (link_operations.py).
    """
    username = check_username(username)
    email = check_email(email)
    display_name = display_name.strip() or username
    if password is not None:
        check_new_password(password, username, display_name, email)
    user = User(
        username=username,
        display_name=display_name[:120],
        email=email.strip()[:254],
        password_hash="" if password is None else hash_password(password),
        is_system_admin=is_system_admin,
        must_change_password=must_change_password,
    )
    db.session.add(user)
    record(
        actor, "user.create", user, f"Created user {username}", site=site, after=user_snapshot(user)
    )
    return user


def update_profile(
    actor: User | None, user: User, display_name: str, email: str, site: Site | None = None
) -> None:
    """Change a user's name and email."""
    before = user_snapshot(user)
    user.display_name = display_name.strip()[:120] or user.username
    user.email = check_email(email)[:254]
    if user.email != before.get("email"):
        end_password_links(user)  # a link mailed to the old (perhaps mistyped) address
    if before != user_snapshot(user):
        record(
            actor,
            "user.update",
            user,
            f"Edited user {user.username}",
            site=site,
            before=before,
            after=user_snapshot(user),
        )


def acts_as_system(actor: User | None) -> bool:
    """Tell whether ``actor`` acts at system level (a system administrator or the command line)."""
    return actor is None or actor.is_system_admin


def check_may_reactivate(actor: User | None, user: User) -> None:
    """Refuse to undo a system administrator's deactivation below system level."""
    if user.deactivated_by == DeactivatedBy.SYSTEM and not acts_as_system(actor):
        raise OperationError(
            f"A system administrator deactivated {user.username}'s account; only a system "
            "administrator can reactivate it.",
            "username",
        )


def set_account_active(
    actor: User | None, user: User, active: bool, site: Site | None = None
) -> None:
    """Activate or deactivate an account; either ends its sessions and revokes its tokens.

    The level that deactivated an account is kept: an account a system
    administrator deactivated is reactivated only by a system administrator.
    """
    if user.is_active == active:
        return
    if active:
        check_may_reactivate(actor, user)
    before = user_snapshot(user)
    user.is_active = active
    if not active:
        user.deactivated_by = DeactivatedBy.SYSTEM if acts_as_system(actor) else DeactivatedBy.STATE
        end_all_sessions(user)
        end_password_links(user)  # a reactivated account needs a new link
    else:
        user.deactivated_by = None
        user.failed_logins = 0
    verb = "Reactivated" if active else "Deactivated"
    # Tokens made before a deactivation must not come back with the account.
    credentials_withdrawn.send(user, actor=actor, reason=verb.lower())
    record(
        actor,
        "user.activate" if active else "user.deactivate",
        user,
        f"{verb} user {user.username}",
        site=site,
        before=before,
        after=user_snapshot(user),
    )


def set_system_admin(actor: User | None, user: User, is_admin: bool) -> None:
    """Grant or revoke the system administrator flag."""
    if user.is_system_admin == is_admin:
        return
    before = user_snapshot(user)
    user.is_system_admin = is_admin
    record(
        actor,
        "user.system_admin",
        user,
        f"System administrator for {user.username}: {is_admin}",
        before=before,
        after=user_snapshot(user),
    )


def set_password(
    actor: User | None, user: User, password: str, *, temporary: bool, site: Site | None = None
) -> None:
    """Give the user a new password and end all their sessions.

    A temporary password must be changed at next sign-in. When someone else sets
    it (a reset, as after a suspected compromise) the user's API tokens are
    revoked too.
    """
    check_new_password(password, user.username, user.display_name, user.email)
    user.password_hash = hash_password(password)
    user.must_change_password = temporary
    end_all_sessions(user)
    end_password_links(user)  # a link mailed earlier cannot undo this password
    if actor is None or actor.id != user.id:
        credentials_withdrawn.send(user, actor=actor, reason="password reset")
    record(
        actor,
        "user.password",
        user,
        f"Password of {user.username} changed" + (" (temporary)" if temporary else ""),
        site=site,
    )


def change_own_password(user: User, current: str, new: str) -> None:
    """Change one's own password after checking the current one."""
    if not verify_password(user.password_hash, current):
        raise OperationError("The current password is not correct.", "current_password")
    if current == new:
        raise OperationError("Choose a password different from the current one.", "new_password")
    check_new_password(new, user.username, user.display_name, user.email, field="new_password")
    set_password(user, user, new, temporary=False)


def start_session(user: User) -> str:
    """Record a new sign-in session of ``user``; return its key (for the cookie only).

    The user's ended and expired records are removed here, so the table holds
    about one row per open session.
    """
    now = utcnow()
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(UserSession.ended_at.is_not(None), UserSession.expires_at <= now),
        )
    )
    key = secrets.token_urlsafe(32)
    lifetime = current_app.permanent_session_lifetime
    db.session.add(
        UserSession(id=key_digest(key), user_id=user.id, created_at=now, expires_at=now + lifetime)
    )
    user.session_key = key
    return key


def end_session(user: User, key: str) -> None:
    """Sign ``user`` out of the session with ``key``: its cookie no longer works anywhere."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == key_digest(key), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    record(user, "user.logout", user, f"{user.username} signed out")


def end_all_sessions(user: User) -> None:
    """End every open session of ``user`` (password change, reset, deactivation)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_password_links(user: User, now: datetime | None = None) -> None:
    """Make every unused emailed password link of ``user`` stop working."""
    now = now or utcnow()
    db.session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.user_id == user.id,
            PasswordLink.used_at.is_(None),
            PasswordLink.expires_at > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


@dataclass
class SignInResult:
    user: User | None
    message: str = ""


def _wait_message(seconds: int) -> str:
    if seconds < 90:
        return "Too many failed attempts: wait a minute before trying again."
    return (
        f"Too many failed attempts: wait about {round(seconds / 60)} minutes before trying again."
    )


def attempted_name(text: str) -> str:
    """Return typed sign-in text fit to store as data: escaped and at most 80 characters."""
    escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text[:80])
    return escaped[:80]


def sign_in(
    username: str, password: str, address: str = "", now: datetime | None = None
) -> SignInResult:
    """Check credentials from ``address``; throttle the (username, address) pair; audit.

    Unknown, deactivated and throttled accounts get answers that do not tell them
    apart from a wrong password (review_app/accounts/throttle.py explains the limits).
    """
    now = now or utcnow()
    username = normalise_username(username)
    wait = throttle.wait_seconds(username, address)
    if wait:
        return SignInResult(None, _wait_message(wait))
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active or user.is_invited:
        verify_password(None, password)  # the same time as a real check
        reason = "unknown" if user is None else "deactivated" if not user.is_active else "invited"
        _failure(user, username, address, reason)
        return SignInResult(None, BAD_CREDENTIALS)
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        user.last_failed_login_at = now
        _failure(user, username, address, "wrong password")
        return SignInResult(None, BAD_CREDENTIALS)
    throttle.forget_failures(username, address)
    user.failed_logins, user.last_login_at = 0, now
    record(
        user,
        "login.succeeded",
        user,
        f"{user.username} signed in",
        after={"address": address, "at": now.isoformat()},
    )
    return SignInResult(user)


def _failure(user: User | None, username: str, address: str, reason: str) -> None:
    """Count the pair's failure and audit it; the typed name is kept as data, never as text."""
    locked = throttle.count_failure(username, address)
    details = {"username": attempted_name(username), "address": address, "reason": reason}
    if user is None:
        record(
            None,
            "login.failed",
            None,
            "Failed sign-in for an unknown username",
            actor_name=ANONYMOUS,
            after=details,
        )
    else:
        record(
            None,
            "login.failed",
            user,
            f"Failed sign-in for {user.username} ({reason})",
            # Whoever typed it is unknown: the account is the object, never the actor.
            actor_name=ANONYMOUS,
            after=details,
        )
    if locked:
        record(
            None,
            "login.locked",
            user,
            "Sign-in attempts from one address paused after repeated failures",
            actor_name=ANONYMOUS,
            after={"username": attempted_name(username), "address": address},
        )
