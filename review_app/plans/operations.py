"""Every change to improvement plans: record a plan, change it, renegotiate a goal."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import FieldErrors, OperationError
from review_app.core.locking import lock_row
from review_app.core.models import utcnow
from review_app.core.numbers import percent_text
from review_app.core.scope import WHOLE_SITE, acting_in, scope_of
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.model import Instrument
from review_app.performance.privacy import fewer_than, is_hidden
from review_app.performance.queries import Figure
from review_app.performance.windows import Window, months_after
from review_app.plans import queries
from review_app.plans.models import Goal, Measure, Plan
from review_app.plans.states import FigureKind, GoalKind, figure_field
from review_app.sites.models import Site

EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
TENTH = Decimal("0.1")
LONGEST = 36  # months a baseline or measurement window may span
WHOLE_SITE_ONLY = (
    "Improvement plans measure the whole site; your access reaches only some of its "
    "local sites, so a state administrator of the whole site records and changes them."
)


@dataclass(frozen=True)
class GoalInput:
    kind: GoalKind
    value: Decimal | None


@dataclass
class PlanInput:
    """What a state administrator records; ``figures`` in the order the plan shows them."""

    name: str
    baseline_start: date
    baseline_months: int
    measure_months: int
    every_months: int
    last_month: date
    figures: dict[tuple[FigureKind, str], GoalInput] = field(default_factory=dict)
    reason: str = ""


def _check_plan(site: Site, data: PlanInput, instrument: Instrument, plan_id: int | None) -> dict:
    errors = {}
    if not data.name:
        errors["name"] = "Give the plan a name."
    elif len(data.name) > 120:
        errors["name"] = "Use at most 120 characters."
    elif queries.name_taken(site, data.name, plan_id):
        errors["name"] = f"This site already has a plan named {data.name!r}."
    for name, day in (("baseline_year", data.baseline_start), ("end_year", data.last_month)):
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            errors[name] = f"Give a year between {EARLIEST_YEAR} and {LATEST_YEAR}."
    for name, months, most in (
        ("baseline_months", data.baseline_months, LONGEST),
        ("measure_months", data.measure_months, LONGEST),
        ("every_months", data.every_months, 12),
    ):
        if not 1 <= months <= most:
            errors[name] = f"Give a number of months from 1 to {most}."
    if "baseline_year" not in errors and "baseline_months" not in errors:
        last_baseline = months_after(data.baseline_start, data.baseline_months - 1)
        if data.last_month <= last_baseline and "end_year" not in errors:
            errors["end_year"] = (
                f"The plan must end after its baseline window, which ends with "
                f"{last_baseline:%B %Y}."
            )
    if not data.figures:
        errors["figures"] = "Choose at least one item or outcome to measure."
    for kind, ref in data.figures:
        known: Collection[str] = {
            FigureKind.ITEM: set(instrument.items),
            FigureKind.SUBITEM: set(queries.subitems(instrument)),
        }.get(kind, set(instrument.outcomes))
        if ref not in known:
            errors["figures"] = (
                f"{kind.words.capitalize()} {ref} is not in the instrument this plan uses "
                f"({instrument.title})."
            )
    return errors


def _check_goal(goal: GoalInput, baseline: Figure, what: str, minimum: int) -> str | None:
    """Return what is wrong with a goal, against the figure it must improve on, or None.

    A baseline over fewer than ``minimum`` cases (the site's small-cell minimum) is not
    written in the message.
    """
    value = goal.value
    if value is None:
        return f"Give the goal for {what}."
    if not value.is_finite():
        return f"Give the goal for {what} as a number."
    if value <= 0:
        return f"Give a goal above 0 for {what}."
    if value > 100:
        return f"The goal for {what} is over 100: no figure can pass 100%."
    percent = baseline.percent
    target = float(value) if goal.kind == GoalKind.TARGET else None
    if target is None and percent is not None:
        target = percent + float(value)
    if target is not None and target > 100:
        if goal.kind == GoalKind.POINTS and is_hidden(baseline.applicable, minimum):
            return f"The goal for {what} comes to over 100%: no figure can pass 100%."
        return f"The goal for {what} comes to {percent_text(target)}: no figure can pass 100%."
    if target is not None and percent is not None and target <= percent + 1e-9:
        if is_hidden(baseline.applicable, minimum):
            return (
                f"The goal for {what} ({percent_text(target)}) must be above its baseline, "
                f"a figure over {fewer_than(minimum)} cases."
            )
        return (
            f"The goal for {what} ({percent_text(target)}) must be above its baseline of "
            f"{percent_text(percent)} ({baseline.hits} of {baseline.applicable} cases)."
        )
    return None


def _check_actor(actor: User | None, site: Site) -> None:
    """Refuse a person limited to some local sites: a plan and its baselines are the site's."""
    if actor is not None and not scope_of(actor, site).is_whole_site:
        raise OperationError(WHOLE_SITE_ONLY)


def _baselines(site: Site, instrument: Instrument, data: PlanInput) -> dict:
    """Compute the baselines the plan keeps: the whole site's, whoever asks."""
    window = Window(data.baseline_start, months_after(data.baseline_start, data.baseline_months))
    with acting_in(WHOLE_SITE):
        return queries.figures(site.id, instrument, [window], list(data.figures))[0]


def _check_goals(
    data: PlanInput, instrument: Instrument, baselines: dict, changed, minimum: int
) -> dict:
    errors = {}
    for (kind, ref), goal in data.figures.items():
        if (kind, ref) not in changed:
            continue
        short = queries.figure_label(instrument, kind, ref).split(":")[0]
        label = short[:1].lower() + short[1:]  # "item 12A", not "item 12a"
        problem = _check_goal(goal, baselines[(kind, ref)], label, minimum)
        if problem:
            errors[figure_field("goal_value", kind, ref)] = problem
    return errors


def _snapshot(plan: Plan) -> dict:
    return {
        "name": plan.name,
        "baseline": plan.baseline.label,
        "measure_months": plan.measure_months,
        "every_months": plan.every_months,
        "last_month": f"{plan.last_month:%B %Y}",
        "figures": {
            measure.key: {
                "baseline": f"{measure.baseline_hits} of {measure.baseline_applicable}",
                "goal": measure.goal.words if measure.goal else "",
            }
            for measure in plan.measures
        },
    }


def _fill(plan: Plan, data: PlanInput) -> None:
    plan.name = data.name
    plan.baseline_start, plan.baseline_months = data.baseline_start, data.baseline_months
    plan.measure_months, plan.every_months = data.measure_months, data.every_months
    plan.last_month = data.last_month
    plan.updated_at = utcnow()


def _set_baseline(measure: Measure, figure: Figure) -> None:
    measure.baseline_applicable, measure.baseline_hits = figure.applicable, figure.hits
    measure.baseline_at = utcnow()


def _clean(data: PlanInput) -> PlanInput:
    data.name = data.name.strip()
    data.reason = data.reason.strip()
    data.baseline_start = data.baseline_start.replace(day=1)
    data.last_month = data.last_month.replace(day=1)
    data.figures = {key: _tenth(goal) for key, goal in data.figures.items()}
    return data


def _tenth(goal: GoalInput) -> GoalInput:
    """Round a goal to the tenth the plan keeps (a wild value is left for the checks)."""
    value = goal.value
    if value is None or not value.is_finite() or abs(value) >= 1000:
        return goal
    return GoalInput(goal.kind, value.quantize(TENTH, ROUND_HALF_UP))


def create_plan(actor: User | None, site: Site, version: str, data: PlanInput) -> Plan:
    """Record a plan; compute and store each figure's baseline; record each goal."""
    _check_actor(actor, site)
    data = _clean(data)
    instrument = get_instrument(version)
    errors = _check_plan(site, data, instrument, None)
    if errors:
        raise FieldErrors(errors, f"{len(errors)} answer(s) need fixing; nothing was saved.")
    baselines = _baselines(site, instrument, data)
    errors = _check_goals(data, instrument, baselines, set(data.figures), site.small_cell_minimum)
    if errors:
        raise FieldErrors(errors, f"{len(errors)} goal(s) need fixing; nothing was saved.")
    plan = Plan(site=site, instrument_version=version, created_by_id=actor.id if actor else None)
    _fill(plan, data)
    for position, (key, goal) in enumerate(data.figures.items()):
        measure = Measure(kind=key[0], ref=key[1], position=position)
        _set_baseline(measure, baselines[key])
        measure.goals.append(_goal(actor, goal, data.reason or "Agreed with the plan."))
        plan.measures.append(measure)
    db.session.add(plan)
    summary = f"Recorded plan {plan.name}"
    record(actor, "pip.create", plan, summary, site=site, after=_snapshot(plan))
    return plan


def _goal(actor: User | None, goal: GoalInput, reason: str) -> Goal:
    assert goal.value is not None  # checked first
    return Goal(
        kind=goal.kind,
        tenths=int(goal.value * 10),
        set_by_id=actor.id if actor else None,
        reason=reason[:500],
        valid_from=utcnow(),
    )


def _goal_changed(measure: Measure, goal: GoalInput) -> bool:
    current = measure.goal
    return current is None or (current.kind, current.value) != (goal.kind, goal.value)


def update_plan(actor: User | None, plan: Plan, data: PlanInput) -> list[str]:
    """Change a plan; return what changed in words.

    A new baseline window recomputes every stored baseline; an item added gets its
    baseline computed. A changed goal is added to the measure's goals, the earlier
    ones kept, and needs a reason.
    """
    _check_actor(actor, plan.site)
    lock_row(plan)
    data = _clean(data)
    instrument = get_instrument(plan.instrument_version)
    errors = _check_plan(plan.site, data, instrument, plan.id)
    if errors:
        raise FieldErrors(errors, f"{len(errors)} answer(s) need fixing; nothing was saved.")
    window_moved = (data.baseline_start, data.baseline_months) != (
        plan.baseline_start,
        plan.baseline_months,
    )
    by_key = {(m.kind, m.ref): m for m in plan.measures}
    changed = {
        key
        for key, goal in data.figures.items()
        if window_moved or key not in by_key or _goal_changed(by_key[key], goal)
    }
    baselines = _baselines(plan.site, instrument, data)
    stored = {
        key: Figure(m.baseline_applicable, m.baseline_hits)
        for key, m in by_key.items()
        if not window_moved
    }
    minimum = plan.site.small_cell_minimum
    errors = _check_goals(data, instrument, {**baselines, **stored}, changed, minimum)
    renegotiated = [
        key
        for key, goal in data.figures.items()
        if key in by_key and _goal_changed(by_key[key], goal)
    ]
    if renegotiated and not data.reason:
        errors["reason"] = "Say why the goals change: the earlier goals stay on record."
    if errors:
        raise FieldErrors(errors, f"{len(errors)} answer(s) need fixing; nothing was saved.")
    before = _snapshot(plan)
    _fill(plan, data)
    kept = []
    for position, (key, goal) in enumerate(data.figures.items()):
        measure = by_key.get(key) or Measure(kind=key[0], ref=key[1])
        measure.position = position
        if key not in by_key or window_moved:
            _set_baseline(measure, baselines[key])
        if key not in by_key:
            measure.goals.append(_goal(actor, goal, data.reason or "Added to the plan."))
        elif key in renegotiated:
            measure.goals.insert(0, _goal(actor, goal, data.reason))
        kept.append(measure)
    plan.measures = kept
    db.session.flush()
    after = _snapshot(plan)
    if before == after:
        return []
    words = [f"Changed plan {plan.name}"]
    if window_moved:
        words.append("baselines recomputed over the new window")
    if renegotiated:
        words.append(f"{len(renegotiated)} goal(s) renegotiated")
    only_goals = _without_goals(before) == _without_goals(after)
    record(
        actor,
        "pip.goal" if only_goals else "pip.update",
        plan,
        "; ".join(words),
        site=plan.site,
        before=before,
        after=after,
    )
    return words


def _without_goals(snapshot: dict) -> dict:
    """Return a snapshot with its goals left out: what else a change touched."""
    figures = {key: values["baseline"] for key, values in snapshot["figures"].items()}
    return {**snapshot, "figures": figures}
