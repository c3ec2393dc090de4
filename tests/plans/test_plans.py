"""Improvement plans: baselines and measurements equal a hand count, goals and their history."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.cases.models import Case
from review_app.core.errors import FieldErrors
from review_app.extensions import db
from review_app.performance.queries import Figure
from review_app.performance.windows import Window
from review_app.plans import queries
from review_app.plans.models import Plan
from review_app.plans.operations import GoalInput, update_plan
from review_app.plans.queries import Measurement
from review_app.plans.states import FigureKind, GoalKind
from tests.core.test_query_counts import counted
from tests.plans.conftest import ITEM, SITE, TODAY, hand_count, make_plan, plan_input

WINDOWS = [
    Window(date(2025, 4, 1), date(2026, 4, 1)),
    Window(date(2025, 7, 1), date(2026, 7, 1)),
    Window(date(2025, 10, 1), date(2026, 10, 1)),
]


def _plan(app, plan_id: int) -> Plan:
    return queries.load_plan(plan_id)


def test_baseline_and_measurements_equal_a_hand_count(spread):
    plan_id = make_plan(spread)
    baseline_items, baseline_outcomes = hand_count(spread, date(2025, 1, 1), date(2026, 1, 1))
    counted = [hand_count(spread, w.start, w.end) for w in WINDOWS]
    with spread.app_context():
        plan = _plan(spread, plan_id)
        item, outcome = plan.measures
        assert (item.baseline_applicable, item.baseline_hits) == baseline_items[ITEM]
        assert (outcome.baseline_applicable, outcome.baseline_hits) == baseline_outcomes["WB1"]
        assert item.baseline_applicable >= 3  # the 2025 cases
        progress, windows = queries.progress(plan, TODAY, 5)
        assert windows == WINDOWS  # the window to December 2026 is not over yet
        item_progress, outcome_progress = progress
        for measurement, (items, _) in zip(item_progress.measurements, counted, strict=True):
            figure = measurement.figure
            assert (figure.applicable, figure.hits) == items[ITEM]
            assert measurement.met == (100 * figure.hits / figure.applicable >= 50)
        for measurement, (_, outcomes) in zip(outcome_progress.measurements, counted, strict=True):
            assert (measurement.figure.applicable, measurement.figure.hits) == outcomes["WB1"]
        # Item 12 is ANI through 2025 and Strength in 2026: not met first, met later.
        met = [m.met for m in item_progress.measurements]
        assert met[0] is False and met[-1] is True
        assert item_progress.first_met.window == WINDOWS[met.index(True)]


def test_the_goal_is_judged_in_words():
    window = WINDOWS[0]
    assert Measurement(window, Figure(10, 8), 75.0).met is True
    assert Measurement(window, Figure(4, 3), 75.0).met is True  # exactly the goal
    assert Measurement(window, Figure(10, 7), 75.0).met is False
    assert Measurement(window, Figure(0, 0), 75.0).met is None  # no cases
    assert Measurement(window, Figure(10, 9), None).met is None  # no baseline


def test_the_page_shows_baseline_goal_and_each_measurement(spread, clients):
    plan_id = make_plan(spread)
    page = clients("qa").get(f"{SITE}/plans/{plan_id}").get_data(as_text=True)
    assert "Item 12" in page and "Outcome WB1" in page
    assert "Baseline, as agreed" in page and "50.0%" in page
    for window in WINDOWS:
        assert window.label in page
    assert "Goal not met" in page and "Goal met" in page
    assert "Goal met, first in the window" in page
    # Each figure links to its cases; the list holds exactly the cases counted.
    link = f"/plans/{plan_id}/cases?figure=item:{ITEM}&amp;window=3"
    assert link in page
    listing = clients("qa").get(f"{SITE}/plans/{plan_id}/cases?figure=item:{ITEM}&window=3")
    items, _ = hand_count(spread, WINDOWS[2].start, WINDOWS[2].end)
    assert listing.get_data(as_text=True).count('scope="row"') == items[ITEM][0]


def test_the_stored_baseline_stays_when_cases_change(spread, clients):
    plan_id = make_plan(spread)
    with spread.app_context():
        first = db.session.scalar(
            select(Case).where(Case.finalized_at.is_not(None)).order_by(Case.finalized_at).limit(1)
        )
        db.session.execute(
            update(Case).where(Case.id == first.id).values(finalized_at=datetime(2030, 1, 1))
        )
        db.session.commit()
        plan = _plan(spread, plan_id)
        stored = plan.measures[0].baseline_applicable
        progress, _ = queries.progress(plan, TODAY, 5)
        assert progress[0].baseline_moved
        assert progress[0].current_baseline.applicable == stored - 1
    page = clients("admin").get(f"{SITE}/plans/{plan_id}").get_data(as_text=True)
    assert "Recomputed now" in page


def test_a_changed_goal_keeps_the_earlier_one(spread, clients):
    plan_id = make_plan(spread)
    with spread.app_context():
        plan = _plan(spread, plan_id)
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        figures = dict(plan_input().figures)
        figures[(FigureKind.ITEM, ITEM)] = GoalInput(GoalKind.TARGET, Decimal("60.0"))
        with pytest.raises(FieldErrors) as refused:
            update_plan(admin, plan, plan_input(figures=figures))
        assert "Say why the goals change" in refused.value.errors["reason"]
        db.session.rollback()
        plan = _plan(spread, plan_id)
        update_plan(admin, plan, plan_input(figures=figures, reason="Renegotiated in May."))
        db.session.commit()
        plan = _plan(spread, plan_id)
        goals = plan.measures[0].goals
        assert [goal.value for goal in goals] == [Decimal("60.0"), Decimal("50.0")]
        assert goals[0].reason == "Renegotiated in May." and goals[0].set_by.username == "admin"
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert entry.action == "pip.goal"
    page = clients("observer").get(f"{SITE}/plans/{plan_id}").get_data(as_text=True)
    assert "Earlier goals" in page and "Reach 50.0%" in page and "Renegotiated in May." in page


def test_a_new_baseline_window_recomputes_the_baselines(spread):
    plan_id = make_plan(spread)
    with spread.app_context():
        plan = _plan(spread, plan_id)
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        figures = {(FigureKind.ITEM, ITEM): GoalInput(GoalKind.TARGET, Decimal(99))}
        update_plan(
            admin,
            plan,
            plan_input(baseline_start=date(2025, 7, 1), figures=figures, reason="New window."),
        )
        db.session.commit()
        plan = _plan(spread, plan_id)
        assert [m.key for m in plan.measures] == [f"item:{ITEM}"]  # the outcome left the plan
        stored = plan.measures[0].baseline_applicable, plan.measures[0].baseline_hits
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert entry.action == "pip.update"
    items, _ = hand_count(spread, date(2025, 7, 1), date(2026, 7, 1))
    assert stored == items[ITEM]


def test_the_page_costs_the_same_statements_however_many_windows(spread, clients):
    short = make_plan(spread)
    # From 2022: fifteen windows are over by now, against three.
    long = make_plan(spread, name="Long plan", baseline_start=date(2022, 1, 1))
    client = clients("qa")
    counts = []
    for plan_id in (short, long):
        client.get(f"{SITE}/plans/{plan_id}")  # the session and site are read once first
        with counted(spread) as statements:
            assert client.get(f"{SITE}/plans/{plan_id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
