"""Reads for the QA reports: open comments, cases waiting, QA changes, agreement tables.

Each is one grouped statement, whatever the number of cases.
"""

from collections import defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from review_app.cases.models import Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.core.models import count_if
from review_app.extensions import db
from review_app.instruments.model import Instrument
from review_app.performance.queries import item_applies
from review_app.qa.models import Thread
from review_app.ratings.models import ItemReview, SubmittedRating

OPEN_LIMIT = 500


def open_threads(site_id: int, period_id: int) -> list[tuple[Thread, Case]]:
    """Return the period's open comment threads, oldest first, with their case."""
    return [
        (thread, case_)
        for thread, case_ in db.session.execute(
            select(Thread, Case)
            .join(Case, Case.id == Thread.case_id)
            .where(Case.site_id == site_id, Case.period_id == period_id, Thread.is_open)
            .options(joinedload(Thread.created_by))
            .order_by(Thread.created_at, Thread.id)
            .limit(OPEN_LIMIT)
        )
    ]


def waiting(site_id: int, period_id: int) -> dict[str, tuple[int, object]]:
    """Return {status: (cases, when the longest-waiting one got there)}."""
    rows = db.session.execute(
        select(Case.status, func.count(), func.min(Case.status_changed_at))
        .where(Case.site_id == site_id, Case.period_id == period_id, ~Case.is_key)
        .group_by(Case.status)
    )
    return {status: (count, oldest) for status, count, oldest in rows}


def _finalized(site_id: int, period_id: int):
    return and_(
        Case.site_id == site_id,
        Case.period_id == period_id,
        Case.status == CaseStatus.FINALIZED,
        ~Case.is_key,  # answer keys are locked as finalized but were never reviewed
    )


def _over_finalized(
    site_id: int, period_id: int, instrument: Instrument, by_reviewer: bool, *columns, outer=False
):
    """Select the group (item id or reviewer id) and ``columns`` over finalized cases' items.

    Only items that apply to the case's type count (item 4 is for foster care
    cases alone). Each item is joined to its submitted rating (``outer``: also
    items without one). Return the statement, to be grouped, and the group column.
    """
    group = Assignment.user_id if by_reviewer else ItemReview.item_id
    statement = (
        select(group, *columns)
        .join(Case, Case.id == ItemReview.case_id)
        .join(
            SubmittedRating,
            and_(
                SubmittedRating.case_id == ItemReview.case_id,
                SubmittedRating.item_id == ItemReview.item_id,
            ),
            isouter=outer,
        )
        .where(_finalized(site_id, period_id), item_applies(instrument))
    )
    if by_reviewer:
        statement = statement.join(Assignment, Assignment.case_id == Case.id)
    return statement, group


def qa_changes(site_id: int, period_id: int, instrument: Instrument, by_reviewer: bool) -> dict:
    """Return {item id or reviewer id: (rated items, overridden, changed since submission)}.

    Counted over finalized cases; "changed" compares the first submission with
    the final rating, so it includes fixes the reviewers made after QA comments.
    """
    statement, group = _over_finalized(
        site_id,
        period_id,
        instrument,
        by_reviewer,
        func.count(),
        count_if(ItemReview.override_rating.is_not(None)),
        count_if(SubmittedRating.rating != ItemReview.effective_rating),
        outer=True,
    )
    rows = db.session.execute(statement.where(ItemReview.item_id != "face").group_by(group))
    return {key: (n, int(over or 0), int(changed or 0)) for key, n, over, changed in rows}


def agreement_tables(
    site_id: int, period_id: int, instrument: Instrument, by_reviewer: bool
) -> dict:
    """Return {item id or reviewer id: {(submitted, final): cases}} over finalized cases."""
    final = ItemReview.effective_rating
    statement, group = _over_finalized(
        site_id, period_id, instrument, by_reviewer, SubmittedRating.rating, final, func.count()
    )
    tables: dict = defaultdict(dict)
    for key, submitted, final_rating, count in db.session.execute(
        statement.group_by(group, SubmittedRating.rating, final)
    ):
        tables[key][(submitted, final_rating)] = count
    return tables
