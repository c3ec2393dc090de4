"""Emailed links to set a password: invitations and resets.

A link carries a random key, signed with the app's secret (a changed or cut link is
refused before the database is asked) and stored as its SHA-256 digest only. It is
used once: one guarded UPDATE marks it used while it is unused, unexpired and its
account active, so two clicks cannot both set a password.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import func, select, update

from review_app.accounts.models import LinkPurpose, PasswordLink, User, key_digest
from review_app.accounts.operations import end_all_sessions, end_password_links
from review_app.accounts.passwords import check_new_password, hash_password
from review_app.audit.operations import ANONYMOUS, record
from review_app.config import APP_NAME
from review_app.core.bulk import insert_rows
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.mail.links import external_url
from review_app.mail.operations import send_mail

if TYPE_CHECKING:  # accounts sit below sites
    from review_app.sites.models import Site

SALT = "password-link"


class LinkProblem(StrEnum):
    """Why a link cannot be used; each has its own words on the page."""

    MALFORMED = "malformed"
    USED = "used"
    EXPIRED = "expired"
    DEACTIVATED = "deactivated"


class LinkRefused(Exception):
    """A link cannot be used; nothing was changed."""

    def __init__(self, problem: LinkProblem):
        super().__init__(problem.value)
        self.problem = problem


@dataclass
class CheckedLink:
    link: PasswordLink
    user: User


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def lifetime(purpose: LinkPurpose) -> timedelta:
    if purpose == LinkPurpose.INVITE:
        return timedelta(days=current_app.config["INVITE_DAYS"])
    return timedelta(hours=current_app.config["RESET_HOURS"])


def issue_link(user: User, purpose: LinkPurpose, now: datetime | None = None) -> str:
    """Store a new link of ``purpose`` for ``user`` and return its token (for the email only).

    The user's older unused links of the same purpose stop working.
    """
    now = now or utcnow()
    if user.id is None:
        db.session.flush()  # an account made in this request
    db.session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.user_id == user.id,
            PasswordLink.purpose == purpose,
            PasswordLink.used_at.is_(None),
            PasswordLink.expires_at > now,
        )
        .values(expires_at=now)
    )
    token, row = _new_token(user, purpose, now)
    db.session.add(PasswordLink(**row))
    return token


def link_address(token: str) -> str:
    """Return the full address of a link (from PUBLIC_URL, never the request's host)."""
    return external_url("accounts.set_password", token=token)


def _key_of(token: str) -> str | None:
    try:
        value = _serializer().loads(token)
    except BadData:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        return None
    return value[1]


def check_link(token: str, now: datetime | None = None) -> CheckedLink:
    """Return the link of ``token`` and its account, or raise LinkRefused saying why not."""
    now = now or utcnow()
    key = _key_of(token[:500])
    found = None
    if key is not None:
        found = db.session.execute(
            select(PasswordLink, User)
            .join(User, User.id == PasswordLink.user_id)
            .where(PasswordLink.token_hash == key_digest(key))
        ).first()
    if found is None:
        raise LinkRefused(LinkProblem.MALFORMED)
    link, user = found
    if link.used_at is not None:
        raise LinkRefused(LinkProblem.USED)
    if not user.is_active:  # said first: a new link would not help
        raise LinkRefused(LinkProblem.DEACTIVATED)
    if link.expires_at <= now:
        raise LinkRefused(LinkProblem.EXPIRED)
    return CheckedLink(link, user)


def use_link(token: str, password: str, now: datetime | None = None) -> User:
    """Set the password of the link's account; end its sessions and its other links.

    Raise LinkRefused when the link cannot be used (also when another click used it
    a moment ago) and OperationError (field ``password``) for a weak password.
    """
    now = now or utcnow()
    checked = check_link(token, now)
    user = checked.user
    check_new_password(password, user.username, user.display_name, user.email, field="new_password")
    used = db.session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.id == checked.link.id,
            PasswordLink.used_at.is_(None),
            PasswordLink.expires_at > now,
            PasswordLink.user_id.in_(select(User.id).where(User.is_active)),
        )
        .values(used_at=now)
        .returning(PasswordLink.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if used is None:
        raise LinkRefused(LinkProblem.USED)
    end_password_links(user, now)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    user.failed_logins = 0
    end_all_sessions(user)
    how = "an invitation" if checked.link.purpose == LinkPurpose.INVITE else "a reset link"
    record(
        user,
        "user.password_link",
        user,
        f"{user.username} set their password from {how}",
        after={"purpose": checked.link.purpose.value},
    )
    return user


def _new_token(user: User, purpose: LinkPurpose, now: datetime) -> tuple[str, dict]:
    """Return a token for ``user`` and the row that stores its digest."""
    key = secrets.token_urlsafe(32)
    row = {
        "token_hash": key_digest(key),
        "purpose": purpose,
        "user_id": user.id,
        "created_at": now,
        "expires_at": now + lifetime(purpose),
    }
    return _serializer().dumps([purpose.value, key]), row


def send_invitation(actor: User | None, user: User, site: Site, *, again: bool = False) -> bool:
    """Email ``user`` a link to set their first password; return False when they have no email.

    Sending again makes a new link; the earlier ones stop working.
    """
    if not user.email:
        return False
    _invite(actor, user, site, issue_link(user, LinkPurpose.INVITE), again=again)
    return True


def send_invitations(actor: User | None, users: list[User], site: Site) -> set[int]:
    """Invite many new accounts (an import) in one insert; return the ids of those emailed."""
    now = utcnow()
    made = [_new_token(user, LinkPurpose.INVITE, now) for user in users if user.email]
    insert_rows(PasswordLink, [row for _, row in made])
    by_id = {user.id: user for user in users}
    for token, row in made:
        _invite(actor, by_id[row["user_id"]], site, token)
    return {row["user_id"] for _, row in made}


def _invite(actor: User | None, user: User, site: Site, token: str, again: bool = False) -> None:
    send_mail(
        [user.email],
        f"You are invited to {APP_NAME}",
        "invitation",
        site_name=site.label,
        user=user,
        link=link_address(token),
        days=current_app.config["INVITE_DAYS"],
    )
    record(
        actor,
        "user.invitation_resent" if again else "user.invitation_sent",
        user,
        f"{'Sent again' if again else 'Sent'} the invitation of {user.username} to {user.email}",
        site=site,
    )


def send_reset(user: User, site_name: str | None = None) -> None:
    """Email ``user`` a link to set a new password.

    Asked for by the person, it names no site (an account serves all); sent by a
    site's administrator, it names that site.
    """
    token = issue_link(user, LinkPurpose.RESET)
    send_mail(
        [user.email],
        "Set a new password",
        "password_reset",
        site_name=site_name,
        user=user,
        link=link_address(token),
        hours=current_app.config["RESET_HOURS"],
    )


# After a reset link is sent, further requests for the account send nothing for this long.
RESET_COOLDOWN = timedelta(minutes=5)


def _reset_sent_lately(user: User) -> bool:
    since = utcnow() - RESET_COOLDOWN
    return bool(
        db.session.scalar(
            select(PasswordLink.id).where(
                PasswordLink.user_id == user.id,
                PasswordLink.purpose == LinkPurpose.RESET,
                PasswordLink.created_at > since,
            )
        )
    )


def request_reset(typed: str, address: str = "") -> None:
    """Send a reset link when ``typed`` names an active account with an email; audit either way.

    The caller answers in the same words whatever happened here.
    """
    typed = typed.strip()
    lowered = typed.lower()
    matches = list(
        db.session.scalars(
            select(User)
            .where((User.username == lowered) | (func.lower(User.email) == lowered))
            .limit(3)
        )
    )
    # A username names one account; an email address shared by several names none.
    by_name = [user for user in matches if user.username == lowered]
    user = by_name[0] if by_name else matches[0] if len(matches) == 1 else None
    sent = user is not None and user.is_active and bool(user.email)
    if user is not None and sent and _reset_sent_lately(user):
        sent = False  # one link a few minutes: no mailbox flooding, no link cancelled by strangers
    if user is not None and sent:
        send_reset(user)
    record(
        None,
        "user.reset_requested",
        user,
        f"Password reset asked for {user.username}" if user else "Password reset asked",
        actor_name=ANONYMOUS,
        after={
            "typed": "".join(ch for ch in typed[:80] if ch.isprintable()),
            "address": address,
            "sent": sent,
        },
    )
