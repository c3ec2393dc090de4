"""The list behind a performance figure as a CSV or XLSX download."""

from collections.abc import Iterator

from review_app.core.spreadsheets import download
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.instruments.model import Instrument
from review_app.performance.queries import Target
from review_app.sites.models import Site

HEADER = ["case_number", "case_type", "local_site", "status", "rating", "overridden"]


def _target_name(target: Target, instrument: Instrument) -> str:
    if target.kind == "item":
        return f"item-{instrument.items[target.id].number}"
    return f"outcome-{target.id}" if target.kind == "outcome" else "all-cases"


def _rows(result, target: Target) -> Iterator[list]:
    labels = ITEM_LABELS if target.kind == "item" else OUTCOME_LABELS
    for case, rating, override in result():
        yield [
            case.case_number,
            case.case_type_label,
            case.local_site.name,
            case.status_label,
            labels.get(rating, rating or ""),
            "yes" if override else "",
        ]


def case_list(fmt: str, result, target: Target, instrument: Instrument, site: Site):
    """Return the cases behind a figure as a download; ``result()`` runs the query."""
    name = f"{site.slug}-{_target_name(target, instrument)}-cases"
    return download(fmt, name, HEADER, lambda: _rows(result, target))
