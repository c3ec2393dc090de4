"""Reads of plans: the figures of every window, and the cases behind each.

Every figure comes from ``performance.windows.monthly_counts`` over the site's
finalized reviews, grouped by the month they were finalized: one statement for
the items and one for the outcomes, however many windows a plan has. Like every
figure, they count the cases of the local sites the current person reaches
(core/scope.py): a person limited to a region follows the plan in their region.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from review_app.cases.models import Case
from review_app.core.scope import current_scope
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.model import Instrument
from review_app.performance.privacy import fewer_than, is_hidden
from review_app.performance.queries import Figure, counted_ratings, rating_columns
from review_app.performance.windows import Window, monthly_counts, window_conditions
from review_app.plans.models import Goal, Measure, Plan
from review_app.plans.states import FigureKind, GoalKind
from review_app.sites.models import Site

Key = tuple[FigureKind, str]


def plans(site: Site) -> list[Plan]:
    """Return the site's plans, newest first, with their measures."""
    return list(
        db.session.scalars(
            select(Plan)
            .where(Plan.site_id == site.id)
            .options(selectinload(Plan.measures))
            .order_by(Plan.created_at.desc(), Plan.id.desc())
        )
    )


def load_plan(plan_id: int) -> Plan | None:
    """Return a plan with its measures and every goal they had."""
    return db.session.scalar(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(selectinload(Plan.measures).selectinload(Measure.goals).joinedload(Goal.set_by))
    )


def name_taken(site: Site, name: str, plan_id: int | None) -> bool:
    statement = select(func.count()).where(
        Plan.site_id == site.id, func.lower(Plan.name) == name.lower()
    )
    if plan_id is not None:
        statement = statement.where(Plan.id != plan_id)
    return bool(db.session.scalar(statement))


def figures(
    site_id: int, instrument: Instrument, windows: list[Window], keys: list[Key]
) -> list[dict[Key, Figure]]:
    """Return, for each window, the figure of each item or outcome of ``keys``.

    The windows are whole months: one statement per kind counts the months they
    span, and each window's figure is the sum of its months.
    """
    if not windows or not keys:
        return [{key: Figure() for key in keys} for _ in windows]
    span = Window(min(w.start for w in windows), max(w.end for w in windows))
    counts = {
        kind: monthly_counts(site_id, kind, instrument, window=span, ids=refs)
        for kind, refs in _by_kind(keys).items()
    }
    return [
        {(kind, ref): counts[kind].figure(ref, window) for kind, ref in keys} for window in windows
    ]


def _by_kind(keys: list[Key]) -> dict[FigureKind, list[str]]:
    """Return the ids of ``keys`` by kind, items first, leaving out a kind with none."""
    found = {kind: [ref for k, ref in keys if k == kind] for kind in FigureKind}
    return {kind: refs for kind, refs in found.items() if refs}


@dataclass
class Measurement:
    """One window's figure of a measure, and whether it reaches the goal in force.

    A figure over fewer cases than the site's minimum (``minimum``) is hidden, and
    so is its judgement: "met" of a 3-case window could point at one child's rating.
    """

    window: Window
    figure: Figure
    target: float | None
    minimum: int = 0  # the site's small-cell minimum; 0 hides nothing

    @property
    def hidden(self) -> bool:
        return is_hidden(self.figure.applicable, self.minimum)

    @property
    def met(self) -> bool | None:
        """Return whether the goal is reached; None when it cannot be judged (or is hidden)."""
        if self.target is None or not self.figure.applicable or self.hidden:
            return None
        percent = self.figure.percent
        # Compared unrounded: a share written 94.9% never meets a 95% goal by rounding.
        return percent is not None and percent + 1e-9 >= self.target

    @property
    def words(self) -> str:
        """Return the judgement as the page, the PDF and the workbook write it."""
        if self.hidden:
            return f"Cannot be judged: {fewer_than(self.minimum)} cases"
        return {True: "Goal met", False: "Goal not met", None: "Cannot be judged"}[self.met]


@dataclass
class Progress:
    """A measure's baseline (stored and recomputed), goal, and every measurement so far."""

    measure: Measure
    label: str
    current_baseline: Figure
    target: float | None
    measurements: list[Measurement] = field(default_factory=list)
    minimum: int = 0  # the site's small-cell minimum; 0 hides nothing
    # The regions or local sites of a limited reader ("" for the whole site): their
    # baseline is their scope's, recomputed, not the whole site's agreed figure.
    scope_label: str = ""

    @property
    def stored_baseline(self) -> Figure:
        return Figure(self.measure.baseline_applicable, self.measure.baseline_hits)

    @property
    def shown_baseline(self) -> Figure:
        """The baseline the reader sees: as agreed, or their scope's as it is now."""
        return self.current_baseline if self.scope_label else self.stored_baseline

    @property
    def baseline_words(self) -> str:
        return f"Baseline in {self.scope_label}" if self.scope_label else "Baseline, as agreed"

    @property
    def baseline_hidden(self) -> bool:
        """Tell whether the agreed baseline is over too few cases to show (nor its goal in points,
        which would give the baseline back)."""
        return is_hidden(self.measure.baseline_applicable, self.minimum)

    @property
    def target_hidden(self) -> bool:
        """Tell whether the goal's percentage must not be shown: points over a hidden baseline."""
        goal = self.measure.goal
        return self.baseline_hidden and goal is not None and goal.kind == GoalKind.POINTS

    @property
    def current_hidden(self) -> bool:
        return is_hidden(self.current_baseline.applicable, self.minimum)

    @property
    def baseline_moved(self) -> bool:
        return not self.scope_label and self.stored_baseline != self.current_baseline

    @property
    def first_met(self) -> Measurement | None:
        return next((m for m in self.measurements if m.met), None)

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None


def subitems(instrument: Instrument) -> dict[str, str]:
    """Return {sub-item id: its title} of every item's sub-items (12A, 12B, 12C), in order."""
    return {sub.id: sub.title for item in instrument.items.values() for sub in item.subitems}


def figure_label(instrument: Instrument, kind: FigureKind, ref: str) -> str:
    """Name an item or outcome as the pages do: "Item 4: Stability of foster care placement"."""
    if kind == FigureKind.ITEM:
        item = instrument.items.get(ref)
        return f"Item {item.number}: {item.title}" if item else f"Item {ref}"
    if kind == FigureKind.SUBITEM:
        title = subitems(instrument).get(ref)
        return f"Item {ref}: {title}" if title else f"Item {ref}"
    outcome = instrument.outcomes.get(ref)
    return f"Outcome {ref}: {outcome.label}" if outcome else f"Outcome {ref}"


def due_windows(plan: Plan, today: date) -> list[Window]:
    """Return the plan's measurement windows that are over by ``today``."""
    return [window for window in plan.measurements() if window.end <= today]


def progress(plan: Plan, today: date, minimum: int) -> tuple[list[Progress], list[Window]]:
    """Return every measure's progress, and the plan's windows measured so far (two statements).

    Each measurement is judged against the goal in force now; a figure over fewer
    than ``minimum`` cases (the site's small-cell minimum) is hidden and not judged.
    """
    instrument = get_instrument(plan.instrument_version)
    windows = due_windows(plan, today)
    keys = [(measure.kind, measure.ref) for measure in plan.measures]
    found = figures(plan.site_id, instrument, [plan.baseline, *windows], keys)
    scope = current_scope(plan.site_id)
    result = []
    for measure in plan.measures:
        key = (measure.kind, measure.ref)
        goal = measure.goal
        target = goal.target(measure.baseline_percent) if goal else None
        if not measure.baseline_applicable:
            target = None  # no baseline: the goal cannot be judged
        result.append(
            Progress(
                measure=measure,
                label=figure_label(instrument, measure.kind, measure.ref),
                current_baseline=found[0][key],
                target=target,
                measurements=[
                    Measurement(window, found[index][key], target, minimum)
                    for index, window in enumerate(windows, 1)
                ],
                minimum=minimum,
                scope_label="" if scope.is_whole_site else scope.label,
            )
        )
    return result, windows


def cases_behind(
    site_id: int, instrument: Instrument, window: Window, keys: list[Key], limit: int | None = None
) -> list[tuple]:
    """Return (case, kind, id, rating, overridden) of every case counted in the figures of
    ``keys`` over ``window`` (one statement per kind), by figure, then case number."""
    found: list[tuple] = []
    for kind, refs in _by_kind(keys).items():
        key, rating, override = rating_columns(kind)
        statement = (
            counted_ratings(
                select(Case, key, rating, override).where(*window_conditions(site_id, window)),
                kind,
                refs,
                instrument,
            )
            .options(joinedload(Case.local_site))
            .order_by(key, Case.case_number, Case.id)
            .limit(limit)
        )
        found += [
            (case, kind, ref, rating, overridden is not None)
            for case, ref, rating, overridden in db.session.execute(statement)
        ]
    return found
