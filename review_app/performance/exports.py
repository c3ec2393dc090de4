"""The list behind a performance figure as a CSV or XLSX download."""

from collections.abc import Iterator

from review_app.core.spreadsheets import download
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.instruments.model import Instrument
from review_app.performance.queries import Target
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import Site

HEADER = ["Case number", "Case type", "Local site", "Status"]
# Only a list behind a figure has a rating to show; only an item's can be overridden.
EXTRA_COLUMNS = {
    "": [],
    "outcome": ["Rating"],
    "subitem": ["Rating"],
    "item": ["Rating", "Overridden by QA"],
}


def file_name(site: Site, period: ReviewPeriod, target: Target, instrument: Instrument) -> str:
    """Name the download after the site, the period and the figure (without an extension)."""
    if target.kind == "item":
        what = f"item-{instrument.items[target.id].number}-cases"
    elif target.kind == "subitem":
        what = f"sub-item-{target.id}-cases"
    elif target.kind == "outcome":
        what = f"{instrument.outcomes[target.id].label.lower()}-cases"  # safety outcome 1
    else:
        what = "cases-counted"
    return f"{site.slug}-{period.name}-{what}"


def _rows(result, target: Target) -> Iterator[list]:
    labels = OUTCOME_LABELS if target.kind == "outcome" else ITEM_LABELS
    for case, rating, override in result():
        row = [case.case_number, case.case_type_label, case.local_site.name, case.status_label]
        if target.kind:
            row.append(labels.get(rating, rating or ""))
        if target.kind == "item":
            row.append("Yes" if override else "No")
        yield row


def case_list(
    fmt: str, result, target: Target, instrument: Instrument, site: Site, period: ReviewPeriod
):
    """Return the cases behind a figure as a download; ``result()`` runs the query."""
    header = HEADER + EXTRA_COLUMNS[target.kind]
    name = file_name(site, period, target, instrument)
    return download(fmt, name, header, lambda: _rows(result, target))
