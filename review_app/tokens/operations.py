"""Making and revoking personal access tokens."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.accounts.signals import credentials_withdrawn
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.members.operations import membership_of
from review_app.members.signals import access_removed
from review_app.sites.models import Site
from review_app.tokens.models import ApiToken

PREFIX = "rvw_"
MAX_DAYS = 366


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    actor: User | None, user: User, site: Site, name: str, days: int | None = 90
) -> tuple[ApiToken, str]:
    """Make a token for ``user`` on ``site``; return it with its secret (shown only now)."""
    membership = membership_of(user, site)
    if membership is None or not membership.is_active or not user.is_active:
        raise OperationError(f"{user.username} has no active role on {site.label}.")
    name = name.strip()
    if not name:
        raise OperationError("Name the token after the script or tool that will use it.", "name")
    if len(name) > 80:
        raise OperationError("Use at most 80 characters.", "name")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise OperationError(f"Choose between 1 and {MAX_DAYS} days.", "days")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        site=site,
        name=name,
        digest=digest(secret),
        prefix=secret[:12],
        expires_at=utcnow() + timedelta(days=days) if days else None,
    )
    db.session.add(token)
    db.session.flush()
    record(
        actor,
        "token.create",
        token,
        f"API token “{name}” made for {user.username}",
        site=site,
        after={"name": name, "prefix": token.prefix, "expires_at": str(token.expires_at)},
    )
    return token, secret


def revoke_token(actor: User | None, token: ApiToken) -> None:
    """Stop a token working at once."""
    if token.revoked_at is not None:
        raise OperationError("That token is already revoked.")
    token.revoked_at = utcnow()
    record(
        actor,
        "token.revoke",
        token,
        f"API token “{token.name}” of {token.user.username} revoked",
        site=token.site,
        before={"revoked": False},
        after={"revoked": True},
    )


@credentials_withdrawn.connect
def revoke_all(user: User, actor: User | None = None, reason: str = "") -> None:
    """Revoke every token of ``user`` that still works (their credentials are withdrawn)."""
    _revoke(actor, user, reason, ApiToken.user_id == user.id)


@access_removed.connect
def revoke_on_site(membership: Membership, actor: User | None = None) -> None:
    """Revoke a former member's tokens for the site, so restored access does not revive them."""
    _revoke(
        actor,
        membership.user,
        "access to the site removed",
        ApiToken.user_id == membership.user_id,
        ApiToken.site_id == membership.site_id,
    )


def _revoke(actor: User | None, user: User, reason: str, *conditions) -> None:
    tokens = db.session.scalars(select(ApiToken).where(*conditions, ApiToken.revoked_at.is_(None)))
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
        record(
            actor,
            "token.revoke",
            token,
            f"API token “{token.name}” of {user.username} revoked ({reason})",
            site=token.site,
            before={"revoked": False},
            after={"revoked": True},
        )


def touch(token: ApiToken) -> None:
    """Note when a token was last used (at most every few minutes, to spare writes)."""
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
