"""A plan may measure a sub-item (12A): its figures are the sub-item's, counted by hand."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.core.errors import FieldErrors
from review_app.extensions import db
from review_app.plans import queries
from review_app.plans.models import Plan
from review_app.plans.operations import GoalInput
from review_app.plans.states import FigureKind, GoalKind
from review_app.ratings.models import SubitemRating
from review_app.sites.queries import site_by_slug
from tests.plans.conftest import SITE, TODAY, make_plan
from tests.plans.test_inputs import GOOD
from tests.plans.test_plans import WINDOWS

SUB = "12A"


def _hand_count(app, start: date, end: date) -> tuple[int, int, list[str]]:
    """Return (applicable, strengths, case numbers) of sub-item 12A over a window, one by one."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        ratings = {
            rating.case_id: rating.rating
            for rating in db.session.scalars(
                select(SubitemRating).where(SubitemRating.subitem_id == SUB)
            )
        }
        applicable, hits, numbers = 0, 0, []
        for case in db.session.scalars(
            select(Case).where(Case.site_id == site.id, Case.status == CaseStatus.FINALIZED)
        ):
            day = case.finalized_at
            if not datetime(start.year, start.month, 1) <= day < datetime(end.year, end.month, 1):
                continue
            rating = ratings.get(case.id)
            if rating in ("strength", "ani"):
                applicable += 1
                hits += rating == "strength"
                numbers.append(case.case_number)
        return applicable, hits, numbers


def test_a_subitem_measure_equals_a_hand_count(spread, clients):
    figures = {(FigureKind.SUBITEM, SUB): GoalInput(GoalKind.TARGET, Decimal(100))}
    plan_id = make_plan(spread, figures=figures)
    baseline = _hand_count(spread, date(2025, 1, 1), date(2026, 1, 1))
    counted = [_hand_count(spread, w.start, w.end) for w in WINDOWS]
    assert any(applicable for applicable, _, _ in counted)  # the demo rates 12A somewhere
    with spread.app_context():
        plan = db.session.get(Plan, plan_id)
        (measure,) = plan.measures
        assert (measure.baseline_applicable, measure.baseline_hits) == baseline[:2]
        progress, _ = queries.progress(plan, TODAY, 0)
        (entry,) = progress
        assert entry.label.startswith("Item 12A: ")
        for measurement, (applicable, hits, _) in zip(entry.measurements, counted, strict=True):
            assert (measurement.figure.applicable, measurement.figure.hits) == (applicable, hits)
    page = clients("qa").get(f"{SITE}/plans/{plan_id}").get_data(as_text=True)
    assert "Item 12A: " in page
    window = next(i for i, (applicable, _, _) in enumerate(counted, 1) if applicable)
    listing = clients("qa").get(
        f"{SITE}/plans/{plan_id}/cases?figure=subitem:{SUB}&window={window}"
    )
    html = listing.get_data(as_text=True)
    assert html.count('scope="row"') == len(counted[window - 1][2])
    for number in counted[window - 1][2]:
        assert f">{number}<" in html
    assert "to which the sub-item applies" in html


def test_the_form_offers_sub_items_and_saves_one(spread, clients):
    client = clients("admin")
    page = client.get(f"{SITE}/plans/new").get_data(as_text=True)
    assert "Sub-items" in page and f'name="include_subitem_{SUB}"' in page
    data = {
        **GOOD,
        f"include_subitem_{SUB}": "y",
        f"goal_kind_subitem_{SUB}": "target",
        f"goal_value_subitem_{SUB}": "",
    }
    response = client.post(f"{SITE}/plans/new", data=data)
    assert response.status_code == 422
    assert "Give the goal for item 12A." in response.get_data(as_text=True)
    data[f"goal_value_subitem_{SUB}"] = "99"
    response = client.post(f"{SITE}/plans/new", data=data)
    assert response.status_code == 302
    with spread.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.name == GOOD["name"]))
        assert {(m.kind, m.ref) for m in plan.measures} == {
            (FigureKind.ITEM, "12"),
            (FigureKind.SUBITEM, SUB),
        }


def test_a_sub_item_the_instrument_lacks_is_refused(spread):
    figures = {(FigureKind.SUBITEM, "99Z"): GoalInput(GoalKind.TARGET, Decimal(50))}
    with pytest.raises(FieldErrors) as refused:
        make_plan(spread, figures=figures)
    assert "Sub-item 99Z is not in the instrument" in refused.value.errors["figures"]
