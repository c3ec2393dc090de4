"""The face sheet's dates checked against each other, and the target child's birth date.

The case's ``child_birth_date`` is the one birth date the app reads (the age
filter of the performance pages among others). The face sheet's row for the
target child carries the same date: saving the face sheet sets the case's
date from it, and editing the case rewrites that row (see
``cases.operations.update_case``), each in the same operation.
"""

from datetime import date
from typing import Any

from review_app.cases.dates import order_errors, spoken
from review_app.core.models import utcnow

# Face sheet questions holding each role of review_app/cases/dates.py.
FACE_DATES = {
    "opened": "FS-opened-date",
    "removal": "FS-removal-date",
    "discharge": "FS-discharge-date",
    "closed": "FS-closure-date",
}
CHILDREN = "FS-children"


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def target_row(children: Any) -> dict[str, Any] | None:
    """Return the first row of the children table marked as the target child."""
    for row in children if isinstance(children, list) else []:
        if isinstance(row, dict) and row.get("target") == "yes":
            return row
    return None


def target_birth(values: dict[str, Any]) -> date | None:
    """Return the target child's birth date as the face sheet answers give it."""
    row = target_row(values.get(CHILDREN))
    return _day(row.get("birth_date")) if row else None


def with_target_birth(children: Any, birth: date | None) -> list[Any] | None:
    """Return the children table with the target child's birth date set (None: no change)."""
    row = target_row(children)
    if row is None or _day(row.get("birth_date")) == birth:
        return None
    index = children.index(row)
    changed = {**row, "birth_date": birth.isoformat() if birth else None}
    return [*children[:index], changed, *children[index + 1 :]]


def face_sheet_date_errors(values: dict[str, Any], case_birth: date | None) -> dict[str, str]:
    """Return question id -> message for each face sheet date out of order.

    ``values`` are the face sheet's answers (stored ones with the ones just
    sent on top); without a target child row the case's birth date counts.
    """
    birth = target_birth(values) or case_birth
    dates = {role: _day(values.get(qid)) for role, qid in FACE_DATES.items()}
    errors = {
        FACE_DATES.get(role, CHILDREN): message
        for role, message in order_errors({**dates, "birth": birth}).items()
    }
    if birth and birth > utcnow().date():
        errors.setdefault(CHILDREN, f"The child's birth date ({spoken(birth)}) is in the future.")
    return errors


# Dates within one row of an item's table: (question, later column, earlier column, sentence).
ROW_ORDER = [
    (
        "1-reports",
        "initiated",
        "received",
        "the response was started ({}) before the report was received ({})",
    ),
    (
        "1-reports",
        "contact",
        "received",
        "the face-to-face contact ({}) is before the report was received ({})",
    ),
    ("5-goals", "changed_on", "set_on", "the goal was changed ({}) before it was set ({})"),
]


def table_date_errors(values: dict[str, Any]) -> dict[str, str]:
    """Return question id -> message for the first table row whose dates are out of order."""
    errors: dict[str, str] = {}
    for question_id, later, earlier, sentence in ROW_ORDER:
        rows = values.get(question_id)
        for number, row in enumerate(rows if isinstance(rows, list) else [], start=1):
            first = _day(row.get(later)) if isinstance(row, dict) else None
            second = _day(row.get(earlier)) if isinstance(row, dict) else None
            if first and second and first < second and question_id not in errors:
                said = sentence.format(spoken(first), spoken(second))
                errors[question_id] = f"Row {number}: {said}."
    return errors
