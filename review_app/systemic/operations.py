"""Every change to systemic factor ratings."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import Conflict, OperationError
from review_app.core.locking import update_if_unchanged
from review_app.core.models import utcnow
from review_app.core.roles import roles_of
from review_app.core.scope import Scope, scope_of
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.interviews.models import Interview
from review_app.interviews.states import InterviewStatus
from review_app.periods.models import ReviewPeriod
from review_app.periods.operations import hold_open
from review_app.systemic import queries
from review_app.systemic.models import RATING_LABELS, SystemicRating

MAX_RATIONALE = 8000


def _cited(period: ReviewPeriod, interview_ids: list[int], scope: Scope) -> list[Interview]:
    """Return the interviews to cite; each a complete interview of the period in ``scope``.

    An interview outside the rater's scope is refused as if it did not exist.
    """
    ids = list(dict.fromkeys(interview_ids))
    if not ids:
        return []
    found = {
        interview.id: interview
        for interview in db.session.scalars(
            select(Interview).where(Interview.id.in_([i for i in ids if 0 < i < 2**31]))
        )
    }
    cited = []
    for interview_id in ids:
        interview = found.get(interview_id)
        if (
            interview is None
            or interview.period_id != period.id
            or not scope.covers(interview.local_site_id)
        ):
            raise OperationError("Cite only interviews of this review period.", "interview_ids")
        if interview.status != InterviewStatus.COMPLETE:
            raise OperationError(
                f"The interview of {interview.held_on.isoformat()} is still a draft: only "
                "complete interviews can be cited.",
                "interview_ids",
            )
        cited.append(interview)
    return cited


def rate(
    actor: User,
    period: ReviewPeriod,
    item_id: str,
    rating: str,
    rationale: str,
    interview_ids: list[int],
    lock_version: int,
) -> SystemicRating:
    """Rate a systemic factor item Strength or ANI for the period, citing interviews."""
    roles = roles_of(actor, period.site)
    if not (roles.is_state_admin or roles.qa_rank):
        raise OperationError("Only state administrators and QA staff rate systemic factors.")
    hold_open(period, "The review period is closed; its ratings can no longer change.")
    instrument = get_instrument(period.instrument_version)
    if item_id not in instrument.systemic_items:
        raise OperationError("Unknown systemic factor item.")
    if rating not in RATING_LABELS:
        raise OperationError("Choose Strength or Area Needing Improvement.", "rating")
    rationale = rationale.replace("\r\n", "\n").strip()
    if not rationale:
        raise OperationError("Give the rationale for the rating.", "rationale")
    if len(rationale) > MAX_RATIONALE:
        raise OperationError(
            f"Use at most {MAX_RATIONALE} characters (this has {len(rationale)}).", "rationale"
        )
    scope = scope_of(actor, period.site_id)
    cited = _cited(period, interview_ids, scope)
    row = queries.rating(period, item_id)
    if row is not None:
        # A rater limited to some local sites neither sees nor drops the citations of others.
        cited += [i for i in row.interviews if not scope.covers(i.local_site_id)]
    before = _snapshot(row)
    if row is None:
        if lock_version != 0:
            raise OperationError("The rating was removed meanwhile: look at the item again.")
        # The first save is edit 1: a form opened before it (version 0) is then stale.
        row = SystemicRating(site_id=period.site_id, period=period, item_id=item_id, lock_version=1)
        db.session.add(row)
    elif not _claim(row, lock_version, actor, (rating, rationale, {i.id for i in cited})):
        return row  # a repeat of this person's own save (a double click): nothing to change
    row.rating, row.rationale, row.interviews = rating, rationale, cited
    row.rated_by_id, row.rated_at = actor.id, utcnow()
    db.session.flush()
    item = instrument.systemic_items[item_id]
    record(
        actor,
        "systemic.rate",
        row,
        f"Item {item.number} ({item.title}) of {period.name} rated {RATING_LABELS[rating]}",
        site=period.site,
        before=before,
        after=_snapshot(row),
    )
    return row


def _claim(row: SystemicRating, expected: int, actor: User, sent: tuple) -> bool:
    """Take the next edit number; False when this person already saved exactly ``sent``.

    Raise Conflict when someone (or this person, differently) saved in between.
    """
    try:
        update_if_unchanged(
            row, SystemicRating.lock_version == expected, values={"lock_version": expected + 1}
        )
    except Conflict:
        is_self = row.rated_by_id == actor.id
        if is_self and (row.rating, row.rationale, {i.id for i in row.interviews}) == sent:
            return False
        by = row.rated_by.display_name if row.rated_by else "Someone"
        raise Conflict(
            "You already saved a rating for this item (another tab, or a second click); the "
            "page shows what was saved and yours is still in the form: compare, then save "
            "again to keep yours."
            if is_self
            else f"{by} saved a rating for this item after you opened it. Nothing of yours was "
            "saved and your rating is still in the form: compare, then save again to keep yours.",
            theirs=row,
            by=by,
            is_self=is_self,
        ) from None
    return True


def _snapshot(row: SystemicRating | None) -> dict | None:
    if row is None:
        return None
    return {
        "rating": row.rating,
        "rationale": row.rationale,
        "interviews": [interview.id for interview in row.interviews],
    }
