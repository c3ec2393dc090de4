"""Finding tokens: a user's own on a site, and the one a request sends."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from review_app.extensions import db
from review_app.tokens.models import ApiToken
from review_app.tokens.operations import PREFIX, digest


def tokens_of(user_id: int, site_id: int) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.site_id == site_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def from_header(header: str | None) -> ApiToken | None:
    """Return the token an ``Authorization: Bearer ...`` header names, usable or not."""
    scheme, _, secret = (header or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    return db.session.scalar(
        select(ApiToken)
        .where(ApiToken.digest == digest(secret))
        .options(joinedload(ApiToken.user), joinedload(ApiToken.site))
    )
