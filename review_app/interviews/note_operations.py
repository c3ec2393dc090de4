"""Every change to interview notes: saving without overwriting someone else, and the merge."""

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import Conflict, OperationError, refuse_long_texts
from review_app.core.locking import lock_row, update_if_unchanged
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.model import Instrument
from review_app.interviews import permissions as can
from review_app.interviews.models import Interview, NoteSet
from review_app.interviews.operations import change_status, check_finisher, label, names
from review_app.interviews.signals import merge_ready

# Per item and note-taker; the final set may hold every note-taker's text, with their names.
MAX_NOTE = 20_000
LABEL_ROOM = 200


def limit(note_set: NoteSet, note_takers: int) -> int:
    """Return the most characters one item's text may have in this set."""
    return (MAX_NOTE + LABEL_ROOM) * max(note_takers, 1) if note_set.is_final else MAX_NOTE


def clean(text: str) -> str:
    """Keep the text as typed, with one kind of line break and no blank edges."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def claim(note_set: NoteSet, expected: int, actor: User, must_be_done: bool = False) -> bool:
    """Take the next edit number; False when someone saved in between (or is writing again)."""
    try:
        update_if_unchanged(
            note_set,
            NoteSet.lock_version == expected,
            *([NoteSet.is_done.is_(True)] if must_be_done else []),
            values={
                "lock_version": expected + 1,
                "updated_by_id": actor.id,
                "updated_at": utcnow(),
            },
        )
    except Conflict:
        return False
    return True


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
    refuse_long_texts(new, most, "note(s) are")
    if not claim(note_set, lock_version, actor):
        is_self = note_set.updated_by_id == actor.id
        if is_self and {k: v for k, v in new.items() if v} == (note_set.texts or {}):
            return {}, {}  # a repeat of this person's own save (a double click)
        by = db.session.get(User, note_set.updated_by_id) if note_set.updated_by_id else None
        name = by.display_name if by else "Someone"
        raise Conflict(
            (
                "You already saved these notes (another tab, or a second click)."
                if is_self
                else f"{name} saved these notes after you opened them (perhaps in another window)."
            )
            + " Nothing of yours was saved and your text is still in the form: compare it "
            "with the saved version, then save again to keep yours.",
            theirs=dict(note_set.texts),
            by=name,
            is_self=is_self,
        )
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


def save_notes(
    actor: User,
    interview: Interview,
    note_set: NoteSet,
    texts: dict[str, str],
    lock_version: int,
    is_done: bool | None = None,
) -> NoteSet:
    """Save a note-taker's own notes (and whether they are done), or the final notes."""
    lock_row(interview)  # a merge or completion meanwhile is seen by the checks below
    lock_row(interview.period, shared=True)  # and so is the period being closed
    if note_set.is_final and not can.may_finish(interview, actor):
        raise OperationError("Only the official note-taker edits the final notes.")
    if not note_set.is_final:
        if note_set.author_id != actor.id or not can.may_write_own_notes(interview, actor):
            raise OperationError("Only the note-taker who wrote these notes can change them.")
        if interview.is_merged:
            raise OperationError(
                f"The notes were merged at {interview.merged_at:%Y-%m-%d %H:%M} UTC, so yours "
                "can no longer change. Nothing was saved: pass what you still want in the "
                f"final notes to {interview.official_note_taker.display_name}, the official "
                "note-taker."
            )
    if locked := can.why_locked(interview):
        raise OperationError(locked)
    instrument = get_instrument(interview.period.instrument_version)
    before, after = save_texts(
        actor, instrument, note_set, texts, lock_version, len(interview.note_takers)
    )
    if is_done is not None and not note_set.is_final and is_done != note_set.is_done:
        before["done writing"], after["done writing"] = note_set.is_done, is_done
        note_set.is_done, note_set.done_at = is_done, utcnow() if is_done else None
        if is_done and not interview.is_merged and not interview.still_writing:
            merge_ready.send(interview, actor=actor)  # the official note-taker may merge
    whose = "Final notes" if note_set.is_final else f"{actor.display_name}'s notes"
    record(
        actor,
        "interview.notes",
        interview,
        f"{whose} on {label(interview)} saved"
        + (
            f" (items {', '.join(k for k in after if k in instrument.systemic_items)})"
            if after
            else ""
        ),
        site=interview.period.site,
        before=before,
        after=after,
    )
    return note_set


def merge(actor: User, interview: Interview, expected_version: int | None = None) -> NoteSet:
    """Build the final notes from every note-taker's notes, once all are done writing."""
    check_finisher(actor, interview, "merge the notes")
    if interview.is_merged:
        raise OperationError("The notes are merged already: edit the final notes.")
    own = {s.author_id: s for s in interview.note_sets if s.author_id is not None}  # not final
    # The official note-taker's merge says they are done; the others must say so themselves.
    writing = interview.still_writing
    if writing:
        raise OperationError(
            f"{names(writing)} {'is' if len(writing) == 1 else 'are'} still writing: merge "
            "once every note-taker has marked their notes done. Nothing was changed."
        )
    for note_set in own.values():
        # A note-taker saving at this very moment makes the merge stop, not lose their text.
        if not claim(
            note_set, note_set.lock_version, actor, must_be_done=note_set.author_id != actor.id
        ):
            assert note_set.author is not None  # a note-taker's own set
            raise OperationError(
                f"{note_set.author.display_name} changed their notes a moment ago; nothing was "
                "merged. Look at the interview again, then merge."
            )
        note_set.is_done = True
        note_set.done_at = note_set.done_at or utcnow()
    change_status(interview, expected_version, merged_at=utcnow())
    instrument = get_instrument(interview.period.instrument_version)
    final = NoteSet(
        author_id=None,
        texts=merged_texts(instrument, interview.note_takers, own),
        is_done=True,
        lock_version=0,
        updated_by_id=actor.id,
    )
    interview.note_sets.append(final)
    db.session.flush()
    record(
        actor,
        "interview.merge",
        interview,
        f"Merged the notes of {len(own)} note-taker(s) on {label(interview)}",
        site=interview.period.site,
        after={"note_takers": [user.username for user in interview.note_takers]},
    )
    return final
