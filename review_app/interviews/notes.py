"""Note texts: size limits, saving without overwriting someone else, and the merge."""

from sqlalchemy import update

from review_app.accounts.models import User
from review_app.core.errors import OperationError
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.instruments.model import Instrument
from review_app.interviews.models import NoteSet

# Per item and note-taker; the final set may hold every note-taker's text, with their names.
MAX_NOTE = 20_000
LABEL_ROOM = 200


class NoteErrors(OperationError):
    """Some notes are too long; nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(f"{len(errors)} note(s) are too long; nothing was saved.")
        self.errors = errors


class NotesConflict(OperationError):
    """The notes were saved elsewhere since the form was opened; nothing was saved."""

    def __init__(self, theirs: dict[str, str], by: str):
        super().__init__(
            f"{by} saved these notes after you opened them (perhaps in another window). "
            "Nothing of yours was saved and your text is still in the form: compare it "
            "with the saved version, then save again to keep yours."
        )
        self.theirs, self.by = theirs, by


def limit(note_set: NoteSet, note_takers: int) -> int:
    """Return the most characters one item's text may have in this set."""
    return (MAX_NOTE + LABEL_ROOM) * max(note_takers, 1) if note_set.is_final else MAX_NOTE


def clean(text: str) -> str:
    """Keep the text as typed, with one kind of line break and no blank edges."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def claim(note_set: NoteSet, expected: int, actor: User, must_be_done: bool = False) -> bool:
    """Take the next edit number; False when someone saved in between (or is writing again)."""
    statement = update(NoteSet).where(NoteSet.id == note_set.id, NoteSet.lock_version == expected)
    if must_be_done:
        statement = statement.where(NoteSet.is_done)
    claimed = db.session.execute(
        statement.values(
            lock_version=expected + 1, updated_by_id=actor.id, updated_at=utcnow()
        ).execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(note_set)
    return claimed == 1


def save_texts(
    actor: User,
    instrument: Instrument,
    note_set: NoteSet,
    texts: dict[str, str],
    lock_version: int,
    note_takers: int,
) -> tuple[dict, dict]:
    """Check and store one text per systemic item; return the changed items before and after."""
    most = limit(note_set, note_takers)
    new = {item_id: clean(texts.get(item_id, "")) for item_id in instrument.systemic_items}
    errors = {
        item_id: f"Use at most {most} characters (this has {len(text)}). Nothing was saved."
        for item_id, text in new.items()
        if len(text) > most
    }
    if errors:
        raise NoteErrors(errors)
    if not claim(note_set, lock_version, actor):
        by = db.session.get(User, note_set.updated_by_id) if note_set.updated_by_id else None
        raise NotesConflict(dict(note_set.texts), by.display_name if by else "Someone")
    old = note_set.texts or {}
    changed = [item_id for item_id in new if old.get(item_id, "") != new[item_id]]
    note_set.texts = {item_id: text for item_id, text in new.items() if text}
    return {k: old.get(k, "") for k in changed}, {k: new[k] for k in changed}


def merged_texts(
    instrument: Instrument, note_takers: list[User], own: dict[int, NoteSet]
) -> dict[str, str]:
    """Put every note-taker's text of each item together, each under its writer's name."""
    merged = {}
    for item_id in instrument.systemic_items:
        parts = [
            f"[{user.display_name}]\n{own[user.id].texts[item_id]}"
            for user in note_takers
            if user.id in own and own[user.id].texts.get(item_id, "").strip()
        ]
        if parts:
            merged[item_id] = "\n\n".join(parts)
    return merged
