"""Finalized cases on the demo CQI site, and the figures worked out the long way."""

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.demographics import AGE_GROUPS
from review_app.cases.models import Case
from review_app.cases.operations import create_case
from review_app.demo.cases import advance, case_facts
from review_app.extensions import db
from review_app.periods.queries import periods
from review_app.ratings.models import ItemReview, OutcomeRating
from review_app.sites.queries import site_by_slug
from tests.transactions import replayed

SITE = "/demo/cqi"


def add_finalized(app, count: int, start: int = 20, stage: str = "finalized") -> None:
    """Add ``count`` cases to the demo CQI period, taken to ``stage`` (see demo.cases).

    Finalized cases have a QA override on one item each. Made through the operations
    once per database and arguments, and written back in later tests (``replayed``).
    """
    replayed(app, f"add_finalized {count} {start} {stage}", lambda: _add(app, count, start, stage))


def _add(app, count: int, start: int, stage: str) -> None:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        period = periods(site)[-1]
        people = {
            user.username: user
            for user in db.session.scalars(
                select(User).where(User.username.in_(["admin", "reviewer", "reviewer2", "qa"]))
            )
        }
        pairs = [[people["reviewer"]], [people["reviewer"], people["reviewer2"]]]
        for index in range(start, start + count):
            case = create_case(None, period, case_facts(period, index, pairs[index % 2]))
            advance(case, stage, people, seed=index * 7)
        db.session.commit()


def set_minimum(app, kind: str, minimum: int) -> None:
    """Set a demo site's small-cell minimum (1 shows every figure, however few cases)."""
    with app.app_context():
        site_by_slug("demo", kind).small_cell_minimum = minimum
        db.session.commit()


@pytest.fixture
def finalized(demo):
    add_finalized(demo, 6)
    return demo


def age_at_start(case: Case) -> int | None:
    """Return the child's age in whole years on the first day of the period under review."""
    birth, start = case.child_birth_date, case.pur_start or case.period.pur_start
    if birth is None:
        return None
    if start is None:
        start = case.period.pur_end.replace(year=case.period.pur_end.year - 1)
    return max(start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day)), 0)


def _matches(case: Case, where: dict) -> bool:
    reviewer_id = where.get("reviewer_id")
    age_group = AGE_GROUPS.get(where.get("age_group", ""))
    age = age_at_start(case)
    return (
        where.get("case_type", case.case_type) == case.case_type
        and where.get("local_site_id", case.local_site_id) == case.local_site_id
        and (reviewer_id is None or reviewer_id in [user.id for user in case.reviewers])
        and where.get("sex", case.child_sex) == case.child_sex
        and where.get("hispanic", case.child_hispanic) == case.child_hispanic
        and ("race" not in where or where["race"] in case.child_races)
        and (age_group is None or (age is not None and age_group[0] <= age <= age_group[1]))
    )


def expected(app, **where) -> tuple[dict, dict]:
    """Work out {item: (applicable, strengths)} and {outcome: (applicable, achieved)} in Python."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        cases = [
            case
            for case in db.session.scalars(
                select(Case).where(Case.site_id == site.id, Case.status == "finalized")
            )
            if _matches(case, where)
        ]
        return count_by_hand({case.id for case in cases})


def count_by_hand(ids: set[int]) -> tuple[dict, dict]:
    """Count the ratings of the cases ``ids`` one by one, in an app context:
    {item: (applicable, strengths)} and {outcome: (applicable, achieved)}."""
    items: dict = {}
    for review in db.session.scalars(select(ItemReview)):
        if review.case_id in ids and review.effective_rating in ("strength", "ani"):
            applicable, hits = items.get(review.item_id, (0, 0))
            items[review.item_id] = (
                applicable + 1,
                hits + (review.effective_rating == "strength"),
            )
    outcomes: dict = {}
    for rating in db.session.scalars(select(OutcomeRating)):
        if rating.case_id in ids and rating.rating not in ("not_applicable", "incomplete"):
            applicable, hits = outcomes.get(rating.outcome_id, (0, 0))
            outcomes[rating.outcome_id] = (
                applicable + 1,
                hits + (rating.rating == "substantially_achieved"),
            )
    return items, outcomes
