"""Read a period's cases with all their answers and ratings, a batch at a time.

Only the cases of the local sites the current person (or job) reaches are read
(core/scope.py). Memory stays flat however many cases the period has: each batch
of cases is read with its answers, item reviews, sub-item and outcome ratings and
the child's races in six statements, turned into rows, and dropped before the
next batch is read.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Row, func, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.cases.models import Assignment, Case
from review_app.core.scope import in_scope
from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.ratings.models import Answer, ItemReview, OutcomeRating, SubitemRating

BATCH = 500


@dataclass
class CaseData:
    """One case with its answers, item reviews and outcome ratings as plain rows."""

    case: Case
    answers: dict[str, Row]  # value, narrative
    reviews: dict[str, Row]  # rating, override_rating, override_reason, rationale
    outcomes: dict[str, str]
    subitems: dict[str, str] = field(default_factory=dict)  # sub-item id -> rating


def _by_case(statement) -> dict[int, dict]:
    """Group plain rows (case id, key, fields...) by case and key; no ORM objects kept."""
    grouped: dict[int, dict] = defaultdict(dict)
    for row in db.session.execute(statement):
        grouped[row[0]][row[1]] = row
    return grouped


def period_cases(period: ReviewPeriod, batch: int = BATCH) -> Iterator[CaseData]:
    """Yield every case of the period, in case number order, with its answers and ratings."""
    last = ("", 0)
    while True:
        cases = list(
            db.session.scalars(
                select(Case)
                .where(
                    in_scope(Case, period.site_id),
                    Case.period_id == period.id,
                    (Case.case_number > last[0])
                    | ((Case.case_number == last[0]) & (Case.id > last[1])),
                )
                .options(
                    joinedload(Case.local_site),
                    selectinload(Case.assignments).joinedload(Assignment.user),
                    selectinload(Case.races),
                )
                .order_by(Case.case_number, Case.id)
                .limit(batch)
            ).unique()
        )
        if not cases:
            return
        ids = [case.id for case in cases]
        answers = _by_case(
            select(Answer.case_id, Answer.question_id, Answer.value, Answer.narrative).where(
                Answer.case_id.in_(ids)
            )
        )
        reviews = _by_case(
            select(
                ItemReview.case_id,
                ItemReview.item_id,
                ItemReview.rating,
                ItemReview.override_rating,
                ItemReview.override_reason,
                ItemReview.rationale,
            ).where(ItemReview.case_id.in_(ids))
        )
        outcomes = _by_case(
            select(OutcomeRating.case_id, OutcomeRating.outcome_id, OutcomeRating.rating).where(
                OutcomeRating.case_id.in_(ids)
            )
        )
        subitems = _by_case(
            select(SubitemRating.case_id, SubitemRating.subitem_id, SubitemRating.rating).where(
                SubitemRating.case_id.in_(ids)
            )
        )
        for case in cases:
            yield CaseData(
                case,
                answers.get(case.id, {}),
                reviews.get(case.id, {}),
                {key: row.rating for key, row in outcomes.get(case.id, {}).items()},
                {key: row.rating for key, row in subitems.get(case.id, {}).items()},
            )
        last = (cases[-1].case_number, cases[-1].id)
        for case in cases:  # let the batch go: nothing here is changed
            for assignment in case.assignments:
                db.session.expunge(assignment)
            db.session.expunge(case)
        if len(cases) < batch:
            return


def case_counts(periods: list[ReviewPeriod]) -> dict[int, int]:
    """How many cases each period has (what its source data has rows for), in one query.

    The periods are of one site; only the cases the current person reaches count.
    """
    ids = [period.id for period in periods]
    if not ids:
        return {}
    found = db.session.execute(
        select(Case.period_id, func.count(Case.id))
        .where(Case.period_id.in_(ids), in_scope(Case, periods[0].site_id))
        .group_by(Case.period_id)
    )
    return {period_id: 0 for period_id in ids} | {period_id: count for period_id, count in found}
