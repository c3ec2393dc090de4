"""Keep and restore form drafts.

Drafts hold only what the user typed, for themselves, for a day; they are
not audited (nothing in the application changes until the form is sent again).
"""

from datetime import timedelta

from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from review_app.core.models import utcnow
from review_app.drafts.models import FormDraft
from review_app.extensions import db

LIFETIME = timedelta(days=1)
MAX_FIELDS = 2_000
MAX_CHARACTERS = 2_000_000
# Drafts kept per person: one form at a time is the need; the oldest go first.
MAX_DRAFTS_PER_USER = 5
# A form with a secret in it (a password form) is never kept; nor is any form's token.
_SECRET_WORDS = ("password", "passphrase", "secret")


def keepable(fields: MultiDict) -> list[list[str]]:
    """Return the posted fields worth keeping as [name, value] pairs (none if secret or large)."""
    pairs = [[name, value] for name, value in fields.items(multi=True) if name != "csrf_token"]
    if any(word in name.lower() for name, _ in pairs for word in _SECRET_WORDS):
        return []
    if len(pairs) > MAX_FIELDS or sum(len(n) + len(v) for n, v in pairs) > MAX_CHARACTERS:
        return []
    return pairs


def keep_draft(
    user_id: int, page: str, action: str, pairs: list[list[str]], notice: str = ""
) -> FormDraft:
    """Keep a draft for ``user_id``, replacing theirs for the same page and action."""
    now = utcnow()
    db.session.execute(delete(FormDraft).where(FormDraft.expires_at <= now))
    db.session.execute(
        delete(FormDraft).where(
            FormDraft.user_id == user_id, FormDraft.page == page, FormDraft.action == action
        )
    )
    draft = FormDraft(
        user_id=user_id,
        page=page[:500],
        action=action[:500],
        fields=pairs,
        notice=notice[:300],
        created_at=now,
        expires_at=now + LIFETIME,
    )
    db.session.add(draft)
    db.session.flush()
    older = (
        select(FormDraft.id)
        .where(FormDraft.user_id == user_id)
        .order_by(FormDraft.id.desc())
        .offset(MAX_DRAFTS_PER_USER)
    )
    db.session.execute(delete(FormDraft).where(FormDraft.id.in_(older.scalar_subquery())))
    return draft


def take_drafts(user_id: int, page: str) -> tuple[dict[str, MultiDict], list[str]]:
    """Return and delete the user's unexpired drafts for ``page``, by the action they posted to.

    Also return the notices to show with them (empty when a draft has none).
    """
    drafts = db.session.scalars(
        select(FormDraft)
        .where(
            FormDraft.user_id == user_id,
            FormDraft.page == page,
            FormDraft.expires_at > utcnow(),
        )
        .order_by(FormDraft.id)
    ).all()
    if drafts:
        db.session.execute(delete(FormDraft).where(FormDraft.id.in_([d.id for d in drafts])))
    fields = {
        draft.action: MultiDict([(name, value) for name, value in draft.fields]) for draft in drafts
    }
    return fields, list(dict.fromkeys(draft.notice for draft in drafts))


def has_drafts(user_id: int) -> bool:
    """Tell whether the user has an unexpired draft left."""
    return (
        db.session.scalar(
            select(FormDraft.id)
            .where(FormDraft.user_id == user_id, FormDraft.expires_at > utcnow())
            .limit(1)
        )
        is not None
    )
