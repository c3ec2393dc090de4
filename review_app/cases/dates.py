"""The order a case's dates must keep, checked the same way wherever they are entered.

The case form, the case import and the face sheet each name their dates
differently; each maps its names onto the roles below and gets back one
message per date that comes before one it must follow, naming both dates.
"""

from datetime import date

# Roles a date plays, and how a message names it.
NAMES = {
    "birth": "the child's birth date",
    "opened": "the case opened",
    "removal": "the removal date",
    "discharge": "the discharge date",
    "closed": "the closing date",
}
# (later, earlier): the first date may not come before the second.
ORDER = [
    ("removal", "opened"),
    ("removal", "birth"),
    ("discharge", "removal"),
    ("discharge", "birth"),
    ("closed", "opened"),
    ("closed", "removal"),
    ("closed", "discharge"),
]


def spoken(day: date) -> str:
    """Write a date as people read it: 3 May 2025."""
    return f"{day.day} {day:%B %Y}"


def order_errors(dates: dict[str, date | None]) -> dict[str, str]:
    """Return role -> message for each date that comes before one it must follow.

    ``dates`` maps roles of ``NAMES`` to dates (None or absent: not given).
    A role gets the first fault found for it.
    """
    errors: dict[str, str] = {}
    for later, earlier in ORDER:
        first, second = dates.get(later), dates.get(earlier)
        if first is None or second is None or first >= second or later in errors:
            continue
        errors[later] = (
            f"{NAMES[later][0].upper()}{NAMES[later][1:]} ({spoken(first)}) is before "
            f"{NAMES[earlier]} ({spoken(second)})."
        )
    return errors
