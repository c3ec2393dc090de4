"""Finalized cases of the demo CQI site spread over two years, and figures counted by hand."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.instruments.engine import ANI, STRENGTH
from review_app.performance.windows import site_instrument
from review_app.plans.operations import GoalInput, PlanInput, create_plan
from review_app.plans.states import FigureKind, GoalKind
from review_app.ratings.models import ItemReview
from review_app.sites.queries import site_by_slug
from tests.performance.conftest import add_finalized, count_by_hand
from tests.transactions import replayed

SITE = "/demo/cqi"
# Finalized days the cases take in turn: three in the 2025 baseline, three after it.
DAYS = [
    datetime(2025, 2, 10),
    datetime(2025, 7, 15),
    datetime(2025, 12, 31, 23, 59),
    datetime(2026, 2, 1),
    datetime(2026, 5, 20),
    datetime(2026, 8, 31, 12),
]
TODAY = date(2026, 12, 1)  # three measurement windows are over: to Mar, Jun and Sep 2026
ITEM = "12"  # applies to every case: never Not Applicable


def spread_cases(app) -> None:
    add_finalized(app, 12, start=40)
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        ids = db.session.scalars(
            select(Case.id)
            .where(Case.site_id == site.id, Case.status == CaseStatus.FINALIZED)
            .order_by(Case.id)
        ).all()
        for index, case_id in enumerate(ids):
            day = DAYS[index % len(DAYS)]
            db.session.execute(update(Case).where(Case.id == case_id).values(finalized_at=day))
            # Item 12: Strength in 2026 (and on the very first case), else ANI.
            rating = STRENGTH if day.year == 2026 or index == 0 else ANI
            db.session.execute(
                update(ItemReview)
                .where(ItemReview.case_id == case_id, ItemReview.item_id == ITEM)
                .values(rating=rating, override_rating=None)
            )
        db.session.commit()


@pytest.fixture
def spread(demo):
    replayed(demo, "plan cases", lambda: spread_cases(demo))
    return demo


def hand_count(app, start: date, end: date) -> tuple[dict, dict]:
    """Count {item: (applicable, strengths)} and {outcome: (applicable, achieved)} one by one."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        ids = {
            case.id
            for case in db.session.scalars(
                select(Case).where(Case.site_id == site.id, Case.status == CaseStatus.FINALIZED)
            )
            if datetime.combine(start, datetime.min.time())
            <= case.finalized_at
            < datetime.combine(end, datetime.min.time())
        }
        return count_by_hand(ids)


def plan_input(**changes) -> PlanInput:
    """A 2025 baseline of item 12 (goal 50%) and outcome WB1, measured to December 2026."""
    values = {
        "name": "Test plan",
        "baseline_start": date(2025, 1, 1),
        "baseline_months": 12,
        "measure_months": 12,
        "every_months": 3,
        "last_month": date(2026, 12, 1),
        "figures": {
            (FigureKind.ITEM, ITEM): GoalInput(GoalKind.TARGET, Decimal(50)),
            (FigureKind.OUTCOME, "WB1"): GoalInput(GoalKind.POINTS, Decimal(1)),
        },
    }
    return PlanInput(**{**values, **changes})


def make_plan(app, **changes) -> int:
    """Record a plan as the demo's state administrator; return its id."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        plan = create_plan(admin, site, site_instrument(site.id).version, plan_input(**changes))
        db.session.commit()
        return plan.id
