"""The demo's improvement plan: three items of the CQI site measured from its reviews."""

from decimal import Decimal

from review_app.accounts.models import User
from review_app.core.models import utcnow
from review_app.performance.queries import Figure
from review_app.performance.windows import Window, finalized_span, months_after, site_instrument
from review_app.plans.models import Plan
from review_app.plans.operations import GoalInput, PlanInput, create_plan
from review_app.plans.queries import figures
from review_app.plans.states import FigureKind, GoalKind
from review_app.sites.models import Site

NAME = "Round 4 improvement plan"
ITEMS = 3
POINTS = Decimal(5)  # the goal: this many points over the baseline


def _goal(figure: Figure) -> GoalInput | None:
    """Return five points over the baseline, or 100% when that passes it; None at 100%."""
    percent = figure.percent
    if percent is None or percent + float(POINTS) <= 100:
        return GoalInput(GoalKind.POINTS, POINTS)
    return GoalInput(GoalKind.TARGET, Decimal(100)) if percent < 99.9 else None


def seed_plan(site: Site, admin: User) -> Plan | None:
    """Record a plan for the three items with the lowest baselines the site's data gives.

    The baseline is the first twelve months of finalized reviews; a rolling twelve
    months is measured each quarter after it, for two years.
    """
    instrument = site_instrument(site.id)
    if instrument is None:
        return None
    span = finalized_span(site.id)
    first = (span[0] if span else utcnow().date()).replace(day=1)
    keys = [(FigureKind.ITEM, item_id) for item_id in instrument.items]
    found = figures(site.id, instrument, [Window(first, months_after(first, 12))], keys)[0]
    goals = {key: goal for key in keys if (goal := _goal(found[key])) is not None}
    # Measured items lowest first, then items the baseline has no case of.
    ranked = sorted(goals, key=lambda key: (found[key].percent is None, found[key].percent or 0))
    chosen = [key for key in keys if key in ranked[:ITEMS]]
    return create_plan(
        admin,
        site,
        instrument.version,
        PlanInput(
            name=NAME,
            baseline_start=first,
            baseline_months=12,
            measure_months=12,
            every_months=3,
            last_month=months_after(first, 12 + 24 - 1),
            figures={key: goals[key] for key in chosen},
            reason="Negotiated with the Children's Bureau.",
        ),
    )
