"""The quarterly progress report: every figure of a plan, and the cases behind each."""

from dataclasses import dataclass
from datetime import date, datetime, time

from flask import Response

from review_app.core.spreadsheets import safe_filename, xlsx_response
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.performance.privacy import fewer_than, is_hidden
from review_app.performance.queries import Figure
from review_app.performance.windows import Window
from review_app.plans import queries
from review_app.plans.models import Plan
from review_app.sites.models import Site

RATINGS = {**ITEM_LABELS, **OUTCOME_LABELS}


@dataclass
class CaseRow:
    """A case counted in one of a plan's figures, and the windows it counts in."""

    case_number: str
    case_type: str
    local_site: str
    finalized_on: date
    rating: str
    overridden: bool
    counted_in: list[str]


@dataclass
class Report:
    progress: list[queries.Progress]
    windows: list[Window]
    cases: dict[int, list[CaseRow]]  # by measure id

    @property
    def case_count(self) -> int:
        return sum(len(rows) for rows in self.cases.values())


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min)


def report(plan: Plan, today: date, minimum: int) -> Report:
    """Return the figures of the plan so far and the cases behind them (four statements).

    Figures over fewer than ``minimum`` cases are hidden in the report; their cases are listed.
    """
    progress, windows = queries.progress(plan, today, minimum)
    every = [("Baseline", plan.baseline), *((w.label, w) for w in windows)]
    span = Window(min(w.start for _, w in every), max(w.end for _, w in every))
    instrument = get_instrument(plan.instrument_version)
    keys = [(measure.kind, measure.ref) for measure in plan.measures]
    by_key = {(m.kind, m.ref): m.id for m in plan.measures}
    cases: dict[int, list[CaseRow]] = {measure.id: [] for measure in plan.measures}
    for case, kind, ref, rating, overridden in queries.cases_behind(
        plan.site_id, instrument, span, keys
    ):
        finalized = case.finalized_at
        counted_in = [
            label
            for label, window in every
            if _moment(window.start) <= finalized < _moment(window.end)
        ]
        if not counted_in:
            continue  # between the baseline and the first measurement: in no figure
        cases[by_key[(kind, ref)]].append(
            CaseRow(
                case.case_number,
                case.case_type_label,
                case.local_site.name if case.local_site else "",
                finalized.date(),
                RATINGS.get(rating, rating),
                overridden,
                counted_in,
            )
        )
    return Report(progress, windows, cases)


def _percent(value: float | None) -> float | str:
    return round(value, 1) if value is not None else ""


def workbook(plan: Plan, found: Report, site: Site) -> Response:
    """Return the report as an XLSX file: the figures, then the cases behind them."""
    header = [
        "Item or outcome",
        "Figure",
        "Window",
        "Percent",
        "Cases meeting it",
        "Applicable cases",
        "Goal (percent)",
        "Goal met",
    ]

    def figure_row(entry: queries.Progress, what: str, window: Window, figure: Figure, met: str):
        target = "" if entry.target_hidden else _percent(entry.target)
        if is_hidden(figure.applicable, entry.minimum):  # too few cases: neither share nor count
            hidden = fewer_than(entry.minimum)
            return [entry.label, what, window.label, hidden, "", hidden, target, met]
        shown = [_percent(figure.percent), figure.hits, figure.applicable]
        return [entry.label, what, window.label, *shown, target, met]

    def figure_rows():
        for entry in found.progress:
            what = (
                f"Baseline ({entry.scope_label})" if entry.scope_label else "Baseline (as agreed)"
            )
            yield figure_row(entry, what, plan.baseline, entry.shown_baseline, "")
            for measurement in entry.measurements:
                yield figure_row(
                    entry, "Measurement", measurement.window, measurement.figure, measurement.words
                )

    labels = {entry.measure.id: entry.label for entry in found.progress}
    case_sheet: list[list[object]] = [
        [
            "Item or outcome",
            "Counted in",
            "Case number",
            "Case type",
            "Local site",
            "Finalized on",
            "Rating",
            "Overridden by QA",
        ]
    ]
    for measure_id, rows in found.cases.items():
        for row in rows:
            for label in row.counted_in:
                case_sheet.append(
                    [
                        labels[measure_id],
                        label,
                        row.case_number,
                        row.case_type,
                        row.local_site,
                        row.finalized_on,
                        row.rating,
                        "Yes" if row.overridden else "No",
                    ]
                )
    name = safe_filename(f"{site.slug}-{plan.name}-progress")
    figures = list(figure_rows())  # read now: the file is written after the request's commit
    more = [("Cases", case_sheet)]
    return xlsx_response(name, header, lambda: figures, sheet="Progress", more=more)
