"""Bad input to a plan: a clear message, the form as typed, nothing saved, never a 500."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.core.errors import FieldErrors
from review_app.extensions import db
from review_app.plans.models import Plan
from review_app.plans.operations import GoalInput, create_plan
from review_app.plans.states import FigureKind, GoalKind
from review_app.sites.queries import site_by_slug
from tests.plans.conftest import ITEM, SITE, make_plan, plan_input

GOOD = {
    "name": "Placement plan",
    "baseline_month": "1",
    "baseline_year": "2025",
    "baseline_months": "12",
    "measure_months": "12",
    "every_months": "3",
    "end_month": "12",
    "end_year": "2026",
    f"include_item_{ITEM}": "y",
    f"goal_kind_item_{ITEM}": "target",
    f"goal_value_item_{ITEM}": "50",
}


def _plans(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Plan))


def _post(clients, **changes):
    data = {key: value for key, value in {**GOOD, **changes}.items() if value is not None}
    return clients("admin").post(f"{SITE}/plans/new", data=data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({f"include_item_{ITEM}": None}, "Choose at least one item or outcome to measure."),
        ({f"goal_value_item_{ITEM}": "10"}, "must be above its baseline of"),
        ({f"goal_value_item_{ITEM}": "16.6"}, "must be above its baseline of 16.6%"),
        ({f"goal_value_item_{ITEM}": "100.5"}, "no figure can pass 100%"),
        (
            {f"goal_kind_item_{ITEM}": "points", f"goal_value_item_{ITEM}": "90"},
            "comes to 106.6%: no figure can pass 100%",
        ),
        ({f"goal_value_item_{ITEM}": ""}, "Give the goal for item 12."),
        ({f"goal_value_item_{ITEM}": "NaN"}, "Give the goal for item 12 as a number."),
        ({f"goal_value_item_{ITEM}": "-5"}, "Give a goal above 0 for item 12."),
        ({f"goal_value_item_{ITEM}": "1e400"}, "is over 100: no figure can pass 100%"),
        ({f"goal_value_item_{ITEM}": "lots"}, "Not a valid decimal value"),
        ({"end_year": "2025", "end_month": "6"}, "The plan must end after its baseline window"),
        ({"end_year": "2020"}, "The plan must end after its baseline window"),
        ({"baseline_year": "20255"}, "Give a year between 1990 and 2100."),
        ({"baseline_months": "0"}, "Give from 1 to 36 months."),
        ({"every_months": "x"}, "Not a valid integer value"),
        ({"baseline_month": "13"}, "Not a valid choice"),
        ({"name": ""}, "Name the plan."),
    ],
)
def test_bad_input_is_named_and_kept(spread, clients, changes, message):
    before = _plans(spread)
    response = _post(clients, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page.replace("&#39;", "'")
    assert "There is a problem" in page
    # What was typed is shown again.
    for key, value in changes.items():
        if value and key.startswith(("goal_value", "baseline_year", "end_year")):
            assert f'value="{value}"' in page
    assert _plans(spread) == before


def test_a_good_plan_is_saved_and_shown(spread, clients):
    before = _plans(spread)
    response = _post(clients)
    assert response.status_code == 302
    assert _plans(spread) == before + 1
    page = clients("admin").get(response.location).get_data(as_text=True)
    assert "Placement plan" in page and "16.6% (1 of 6 cases)" in page


def test_a_name_in_use_is_refused(spread, clients):
    make_plan(spread, name="Placement plan")
    response = _post(clients)
    assert response.status_code == 422
    assert "already has a plan named" in response.get_data(as_text=True).replace("&#39;", "'")


def test_a_baseline_window_without_cases_is_saved_and_cannot_be_judged(spread, clients):
    response = _post(clients, baseline_year="2010", end_year="2012")
    assert response.status_code == 302
    page = clients("qa").get(response.location).get_data(as_text=True)
    assert "No cases: no finalized review of Jan 2010 to Dec 2010" in page
    assert "The goal cannot be judged: the baseline window has no cases." in page


def test_an_item_not_in_the_instrument_is_refused(spread):
    with spread.app_context():
        site = site_by_slug("demo", "cqi")
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        figures = {(FigureKind.ITEM, "99"): GoalInput(GoalKind.TARGET, Decimal(50))}
        with pytest.raises(FieldErrors) as refused:
            create_plan(admin, site, "cfsr-round4", plan_input(figures=figures))
        assert "Item 99 is not in the instrument this plan uses" in refused.value.errors["figures"]


def test_an_edit_keeps_what_was_typed_when_refused(spread, clients):
    plan_id = make_plan(spread)
    data = {**GOOD, "name": "Test plan", f"goal_value_item_{ITEM}": "55"}
    data |= {"include_outcome_WB1": "y", "goal_kind_outcome_WB1": "points"}
    data |= {"goal_value_outcome_WB1": "1"}
    response = clients("admin").post(f"{SITE}/plans/{plan_id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Say why the goals change" in page
    assert 'value="55"' in page or 'value="55.0"' in page


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?figure=item:99&window=0",
        f"?figure=item:{ITEM}&window=99",
        "?figure=x&window=-1",
        f"?figure=item:{ITEM}&window=١",
    ],
)
def test_a_case_list_for_no_figure_of_the_plan_says_so(spread, clients, query):
    plan_id = make_plan(spread)
    response = clients("qa").get(f"{SITE}/plans/{plan_id}/cases{query}")
    assert response.status_code == 302
    page = clients("qa").get(response.location).get_data(as_text=True)
    assert "That figure is not in this plan" in page


def test_plans_belong_to_their_site(spread, clients):
    plan_id = make_plan(spread)
    for path in ("", "/edit", "/cases?figure=item:12&window=0", "/progress.pdf"):
        assert clients("admin").get(f"/demo/cfsr/plans/{plan_id}{path}").status_code == 404
        assert clients("admin").get(f"/demo/training/plans/{plan_id}{path}").status_code == 404
    page = clients("admin").get("/demo/training/plans").get_data(as_text=True)
    assert "record them on the CQI or CFSR site" in page and "Record a plan" not in page


def test_readers_see_plans_and_cannot_change_them(spread, clients):
    plan_id = make_plan(spread)
    for who in ("qa", "observer"):
        page = clients(who).get(f"{SITE}/plans/{plan_id}").get_data(as_text=True)
        assert "Test plan" in page and "Change the plan" not in page
        assert clients(who).post(f"{SITE}/plans/{plan_id}/edit", data=GOOD).status_code == 403
    assert clients("reviewer").get(f"{SITE}/plans/{plan_id}").status_code == 403
