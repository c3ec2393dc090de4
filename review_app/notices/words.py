"""How a notice names several cases: a count in words and the first case numbers."""

from collections.abc import Sequence

# How many case numbers a notice of several cases names before "and N more".
NAMED = 5


def case_numbers(numbers: Sequence[str]) -> str:
    """The first case numbers, then "and N more": "A-1, A-2 and 3 more"."""
    shown = ", ".join(numbers[:NAMED])
    return f"{shown} and {len(numbers) - NAMED} more" if len(numbers) > NAMED else shown


def cases_count(count: int) -> str:
    """ "1 case", "3 cases"."""
    return f"{count} case" if count == 1 else f"{count} cases"
