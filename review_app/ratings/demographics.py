"""The target child's sex, race and ethnicity as the face sheet shows and saves them.

The case's fields (``child_sex``, ``child_races``, ``child_hispanic``) are the one
source the reports read. A face sheet question marked ``demographic:`` in the
instrument shows the case's value, and saving the face sheet sets the case's
value from its answer, in the same operation (see ``operations.save_items``).
"""

from typing import Any

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.cases.models import Case, CaseRace
from review_app.instruments.model import Instrument


def case_value(case: Case, name: str) -> Any:
    """Return the case's value of a demographic field as a face sheet answer holds it."""
    if name == "race":
        return sorted(case.child_races) or None
    return (case.child_sex if name == "sex" else case.child_hispanic) or None


def case_answers(case: Case, instrument: Instrument) -> dict[str, Any]:
    """Return question id -> the case's value, for each demographic face sheet question."""
    return {
        question.id: case_value(case, question.demographic)
        for question in instrument.definition.face_sheet
        if question.demographic
    }


def _fields(case: Case) -> dict[str, Any]:
    """Return the case's demographic fields as its audit entries record them."""
    return {
        "child_sex": case.child_sex,
        "child_races": sorted(case.child_races),
        "child_hispanic": case.child_hispanic,
    }


def take_demographics(
    actor: User | None, case: Case, instrument: Instrument, saved: dict[str, Any]
) -> None:
    """Set the case's demographic fields from the face sheet answers just saved.

    ``saved`` holds the face sheet answers sent (checked against the categories);
    a question not among them leaves its field alone.
    """
    before = _fields(case)
    for question in instrument.definition.face_sheet:
        name = question.demographic
        if not name or question.id not in saved:
            continue
        value = saved[question.id]
        if name == "race":
            wanted = sorted(value or [])
            if wanted != sorted(case.child_races):
                case.races = [row for row in case.races if row.race in wanted] + [
                    CaseRace(race=race) for race in wanted if race not in case.child_races
                ]
        else:
            setattr(case, f"child_{name}", value or "")  # "" is not recorded
    after = _fields(case)
    changed = [field for field in before if before[field] != after[field]]
    if changed:
        record(
            actor,
            "case.update",
            case,
            f"Target child's demographics of case {case.case_number} taken from the face sheet",
            site=case.period.site,
            before={field: before[field] for field in changed},
            after={field: after[field] for field in changed},
        )
