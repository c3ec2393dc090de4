"""Reads for the QA reports: open comments, cases waiting, QA changes, agreement tables.

Each is one grouped statement, whatever the number of cases, over the cases of the
local sites the current person reaches (core/scope.py).
"""

from collections import defaultdict

from sqlalchemy import Select, and_, false, func, or_, select, true
from sqlalchemy.orm import joinedload

from review_app.cases.models import Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.core.models import count_if
from review_app.core.scope import in_scope
from review_app.extensions import db
from review_app.instruments.model import Instrument
from review_app.performance.queries import item_applies
from review_app.performance.windows import month_key, month_of
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
            .where(in_scope(Case, site_id), Case.period_id == period_id, Thread.is_open)
            .options(joinedload(Thread.created_by))
            .order_by(Thread.created_at, Thread.id)
            .limit(OPEN_LIMIT)
        )
    ]


def waiting(site_id: int, period_id: int) -> dict[str, tuple[int, object]]:
    """Return {status: (cases, when the longest-waiting one got there)}."""
    rows = db.session.execute(
        select(Case.status, func.count(), func.min(Case.status_changed_at))
        .where(in_scope(Case, site_id), Case.period_id == period_id, ~Case.is_key)
        .group_by(Case.status)
    )
    return {status: (count, oldest) for status, count, oldest in rows}


def _finalized(site_id: int, period_ids: list[int]):
    return and_(
        in_scope(Case, site_id),
        Case.period_id.in_(period_ids),
        Case.status == CaseStatus.FINALIZED,
        ~Case.is_key,  # answer keys are locked as finalized but were never reviewed
    )


def _with_submitted(statement: Select, outer: bool = False) -> Select:
    """Join a statement over item reviews to their case and first submitted rating.

    ``outer``: keep the items that have no submitted rating too.
    """
    return statement.join(Case, Case.id == ItemReview.case_id).join(
        SubmittedRating,
        and_(
            SubmittedRating.case_id == ItemReview.case_id,
            SubmittedRating.item_id == ItemReview.item_id,
        ),
        isouter=outer,
    )


def _over_finalized(
    site_id: int, period_id: int, instrument: Instrument, by_reviewer: bool, *columns, outer=False
):
    """Select the group (item id or reviewer id) and ``columns`` over finalized cases' items.

    Only items that apply to the case's type count (item 4 is for foster care
    cases alone). Each item is joined to its submitted rating (``outer``: also
    items without one). Return the statement, to be grouped, and the group column.
    """
    credited, credit_join = _credited()
    group = credited if by_reviewer else ItemReview.item_id
    statement = _with_submitted(select(group, *columns), outer).where(
        _finalized(site_id, [period_id]), item_applies(instrument)
    )
    if by_reviewer:  # the person who submitted the case (see _credited)
        statement = statement.outerjoin(Assignment, credit_join)
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


def _credited():
    """Return the column naming whom a first submission is credited to, and its join.

    The person who submitted it, whoever holds the case since a caseload move;
    for ratings kept before that was recorded (and named by no audit entry),
    the case's reviewers, as before.
    """
    credited = func.coalesce(SubmittedRating.submitted_by_id, Assignment.user_id)
    join = and_(Assignment.case_id == Case.id, SubmittedRating.submitted_by_id.is_(None))
    return credited, join


def _applies(instruments: dict[int, Instrument], forced_na: bool):
    """Return the condition that an item counts: it applies to the case's type.

    ``instruments`` maps the periods read to their instruments. With ``forced_na``
    the Not Applicable ratings a case's type forces (items 4 to 11 on in-home
    cases) count too.
    """
    if forced_na:
        return true()
    by_version: dict[str, list[int]] = defaultdict(list)
    found: dict[str, Instrument] = {}
    for period_id, instrument in instruments.items():
        by_version[instrument.version].append(period_id)
        found[instrument.version] = instrument
    return or_(
        false(),
        *(
            and_(Case.period_id.in_(ids), item_applies(found[version]))
            for version, ids in by_version.items()
        ),
    )


def _agreement_rows(
    site_id: int, instruments: dict[int, Instrument], forced_na: bool, *groups, by_reviewer=False
):
    """Select ``groups``, submitted rating, final rating and count over finalized cases.

    ``by_reviewer``: join the case's reviewers for ratings that name no submitter
    (a case with two then counts for each; per item it must count once).
    """
    final = ItemReview.effective_rating
    statement = (
        _with_submitted(
            select(*groups, SubmittedRating.rating, final, func.count()).select_from(ItemReview)
        )
        .where(_finalized(site_id, list(instruments)), _applies(instruments, forced_na))
        .group_by(*groups, SubmittedRating.rating, final)
    )
    return statement.outerjoin(Assignment, _credited()[1]) if by_reviewer else statement


def agreement_tables(
    site_id: int, period_id: int, instrument: Instrument, by_reviewer: bool, forced_na=False
) -> dict:
    """Return {item id or reviewer id: {(submitted, final): cases}} over finalized cases.

    A reviewer is the person who submitted the case (see ``_credited``).
    """
    group = _credited()[0] if by_reviewer else ItemReview.item_id
    statement = _agreement_rows(
        site_id, {period_id: instrument}, forced_na, group, by_reviewer=by_reviewer
    )
    tables: dict = defaultdict(dict)
    for key, submitted, final_rating, count in db.session.execute(statement):
        tables[key][(submitted, final_rating)] = count
    return tables


def agreement_by_month(site_id: int, instruments: dict[int, Instrument], forced_na=False) -> dict:
    """Return {(reviewer id, year, month): {(submitted, final): cases}} over finalized cases.

    Months are those of the first submission, across the periods in ``instruments``.
    One grouped statement; the caller folds months into quarters.
    """
    if not instruments:
        return {}
    groups = (_credited()[0], month_of(SubmittedRating.submitted_at))
    tables: dict = defaultdict(dict)
    rows = db.session.execute(
        _agreement_rows(site_id, instruments, forced_na, *groups, by_reviewer=True)
    )
    for user_id, month, submitted, final_rating, count in rows:
        key = (user_id, *month_key(month))
        table = tables[key]
        table[(submitted, final_rating)] = table.get((submitted, final_rating), 0) + count
    return tables
