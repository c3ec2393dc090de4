"""Helpers for interview tests: a client per person, interviews made through the operations."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.interviews.models import Interview, NoteSet
from review_app.periods.models import ReviewPeriod
from review_app.sites.queries import site_by_slug

SITE = "/demo/cqi"


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def period_of(kind: str = "cqi") -> ReviewPeriod:
    site = site_by_slug("demo", kind)
    return db.session.scalar(select(ReviewPeriod).where(ReviewPeriod.site_id == site.id))


def make_interview(
    app,
    *,
    supporting: tuple[str, ...] = ("reviewer2",),
    notes: dict[str, dict[str, str]] | None = None,
    complete: bool = False,
    kind: str = "cqi",
    title: str = "Focus group with foster parents",
) -> int:
    """Record an interview of "reviewer" (interviewer and official note-taker).

    ``notes`` maps a username to its texts per item; with ``complete`` every
    note-taker is marked done, the notes are merged and the interview completed.
    """
    from review_app.interviews import operations
    from review_app.interviews.facts import InterviewFacts
    from review_app.interviews.note_operations import merge, save_notes

    with app.app_context():
        period = period_of(kind)
        official = user("reviewer")
        interview = operations.create_interview(
            official,
            period,
            InterviewFacts(
                held_on=period.pur_end,
                local_site=period.local_sites[0],
                title=title,
                stakeholder_types=["foster_adoptive_parents", "caseworkers"],
                interviewer=official,
                official_note_taker=official,
                supporting=[user(name) for name in supporting],
            ),
        )
        db.session.flush()
        for username, texts in (notes or {}).items():
            author = user(username)
            note_set = interview.notes_of(author.id)
            save_notes(author, interview, note_set, texts, note_set.lock_version, is_done=complete)
        if complete:
            for username in supporting:
                note_set = interview.notes_of(user(username).id)
                if not note_set.is_done:
                    save_notes(user(username), interview, note_set, {}, note_set.lock_version, True)
            final = merge(official, interview)
            if not final.texts:
                save_notes(
                    official, interview, final, {"20": "Plans were written."}, final.lock_version
                )
            operations.complete(official, interview)
        db.session.commit()
        return interview.id


def interview_of(app, interview_id: int) -> Interview:
    """Return the interview with its note sets loaded (detached, for assertions)."""
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        _ = [(s.texts, s.is_done) for s in interview.note_sets]
        db.session.expunge_all()
        return interview


def texts_of(app, interview_id: int, username: str | None) -> dict[str, str]:
    """Return a note-taker's texts (None: the final notes)."""
    with app.app_context():
        author = NoteSet.author_id == user(username).id if username else NoteSet.author_id.is_(None)
        return (
            db.session.scalar(
                select(NoteSet.texts).where(NoteSet.interview_id == interview_id, author)
            )
            or {}
        )


def note_version(app, interview_id: int, username: str | None) -> int:
    """Return the lock version of a note-taker's notes (None: the final notes)."""
    with app.app_context():
        author = NoteSet.author_id == user(username).id if username else NoteSet.author_id.is_(None)
        return db.session.scalar(
            select(NoteSet.lock_version).where(NoteSet.interview_id == interview_id, author)
        )


def status_version(app, interview_id: int) -> int:
    with app.app_context():
        return db.session.get(Interview, interview_id).status_version


def act(client, app, interview_id: int, action: str, **extra) -> str:
    """Post an action with the interview's current version; return the page shown after."""
    data = {"action": action, "status_version": str(status_version(app, interview_id)), **extra}
    response = client.post(f"{SITE}/interviews/{interview_id}/actions", data=data)
    assert response.status_code == 302, response.status_code
    return client.get(response.location).get_data(as_text=True)
