"""The words the printable reports use for items, outcomes and elimination reasons."""

from typing import Any

from review_app.cases.models import ELIMINATION_REASONS
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS


def pdf_labels() -> dict[str, Any]:
    """Return the labels every report template is given."""
    return {
        "item_labels": ITEM_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "elimination_reasons": ELIMINATION_REASONS,
    }
