"""A form that creates something creates it once, however often it is sent.

Each render of a create form carries a random key (``form_key()`` in
templates, a hidden field). The view claims the key in the same transaction
as the change; a second post of the same page (a double click, a retry after
a timeout) finds the key taken and is sent to what the first post made. Two
posts at the same instant meet at the key's unique constraint: the second
waits for the first to commit, then is sent on the same way.
"""

import re
import secrets
from datetime import datetime, timedelta

from flask import flash, g, redirect, request
from flask_login import current_user
from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import Conflict
from werkzeug.wrappers import Response

from review_app.core.models import utcnow
from review_app.extensions import Model, db

FIELD = "form_key"
KEPT_FOR = timedelta(days=2)  # long enough for any retry; older keys are removed
_VALID = re.compile(r"[A-Za-z0-9_-]{16,64}")


class FormKey(Model):
    """A create form's key, once used: who sent it and where its result is."""

    __tablename__ = "form_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    location: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<FormKey user={self.user_id} -> {self.location!r}>"


def new_form_key() -> str:
    """Return a fresh key for one render of a create form."""
    return secrets.token_urlsafe(24)


def sent_before(message: str = "") -> Response | None:
    """Claim the posted form's key; when it was used already, return where its result is.

    Call it once the form is valid, before the change. A post without a key
    (an old page, a script) is let through as before. ``message`` replaces the
    usual note shown with the first post's result.
    """
    key = request.form.get(FIELD, "")
    if not _VALID.fullmatch(key):
        return None
    user_id = current_user.id
    db.session.execute(
        delete(FormKey).where(FormKey.user_id == user_id, FormKey.created_at < utcnow() - KEPT_FOR)
    )
    claim = FormKey(key=key, user_id=user_id)
    db.session.add(claim)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        first = db.session.scalar(select(FormKey).where(FormKey.key == key))
        if first is None or first.user_id != user_id or not first.location:
            raise Conflict() from None
        flash(message or "This form was sent twice; it was saved once. Here it is.", "info")
        return redirect(first.location)
    g.form_key = claim
    return None


def remember(location: str) -> str:
    """Note where the result of this post is shown (call before the commit); return it."""
    claim = g.get("form_key")
    if claim is not None:
        claim.location = location[:500]
    return location
