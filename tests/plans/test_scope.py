"""A person limited to a region follows an improvement plan in their region: its figures,
the cases behind them and the progress report count only their region's cases."""

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.core.errors import OperationError
from review_app.core.scope import acting_in, scope_of
from review_app.extensions import db
from review_app.performance.windows import site_instrument
from review_app.plans.models import Measure
from review_app.plans.operations import GoalInput, create_plan
from review_app.plans.states import FigureKind, GoalKind
from review_app.sites.queries import site_by_slug
from tests.plans.conftest import ITEM, make_plan, plan_input
from tests.scoped import (
    NORTH,
    SCOPE_NOTE,
    SITE,
    SOUTH,
    case_numbers,
    numbers_found,
    pdf_text,
    show_every_figure,
    user,
    xlsx_numbers,
)


@pytest.fixture
def plan_id(demo, both_regions) -> int:
    """A plan of item 12 whose 2025 baseline holds the eight finalized cases."""
    show_every_figure(demo)
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        db.session.execute(
            update(Case)
            .where(Case.site_id == site.id, Case.status == CaseStatus.FINALIZED)
            .values(finalized_at=datetime(2025, 6, 15))
        )
        db.session.commit()
    figures = {(FigureKind.ITEM, ITEM): GoalInput(GoalKind.TARGET, Decimal(99))}
    return make_plan(demo, figures=figures)


def test_a_limited_person_reads_the_plans_figures_of_their_region(demo, plan_id, clients):
    whole = clients("qa").get(f"{SITE}/plans/{plan_id}").get_data(as_text=True)
    mine = clients("qa_north").get(f"{SITE}/plans/{plan_id}").get_data(as_text=True)
    assert "Baseline, as agreed" in whole and "of 8 cases" in whole
    assert "Baseline in Northern region" in mine and "of 4 cases" in mine
    assert "of 8 cases" not in mine and "Baseline, as agreed" not in mine
    assert SCOPE_NOTE in mine and SCOPE_NOTE not in whole


def test_the_cases_behind_a_plans_figure_are_the_regions(demo, plan_id, clients):
    north, south = case_numbers(demo, NORTH), case_numbers(demo, SOUTH)
    url = f"{SITE}/plans/{plan_id}/cases?figure=item:{ITEM}&window=0"
    assert numbers_found(clients("qa_north").get(url).get_data(as_text=True)) == north
    assert numbers_found(clients("qa").get(url).get_data(as_text=True)) == north | south


def test_the_progress_report_of_a_limited_person_is_their_regions(demo, plan_id, clients):
    north, south = case_numbers(demo, NORTH), case_numbers(demo, SOUTH)
    qa, qa_north = clients("qa"), clients("qa_north")
    assert xlsx_numbers(qa_north.get(f"{SITE}/plans/{plan_id}/progress.xlsx").data) == north
    assert xlsx_numbers(qa.get(f"{SITE}/plans/{plan_id}/progress.xlsx").data) == north | south
    mine = pdf_text(qa_north.get(f"{SITE}/plans/{plan_id}/progress.pdf").data)
    assert "Baseline in Northern region" in mine and numbers_found(mine) == north
    whole = pdf_text(qa.get(f"{SITE}/plans/{plan_id}/progress.pdf").data)
    assert numbers_found(whole) == north | south


def test_the_plans_baselines_stay_the_whole_sites(demo, plan_id):
    """A plan is the site's: a person limited to a region neither records nor changes one,
    and its baselines are the whole site's whoever's work records them."""
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        version = site_instrument(site.id).version
        with pytest.raises(OperationError, match="Improvement plans measure the whole site"):
            create_plan(user("qa_north"), site, version, plan_input(name="Northern plan"))
        with acting_in(scope_of(user("qa_north"), site)):
            plan = create_plan(None, site, version, plan_input(name="Recorded in a job"))
        kept = {measure.ref: measure.baseline_applicable for measure in plan.measures}
        agreed = db.session.scalar(
            select(Measure.baseline_applicable).where(Measure.plan_id == plan_id)
        )
        db.session.rollback()
    assert agreed == kept[ITEM] == 8
