"""The report filters, read from the query string: wrong values are named and left out."""

from collections.abc import Collection, Mapping

from review_app.cases.models import CASE_TYPES
from review_app.cases.states import CaseStatus
from review_app.core.inputs import whole_number
from review_app.performance.queries import AGE_GROUPS, STATUSES, Filters, Target
from review_app.periods.models import ReviewPeriod


def read_filters(
    periods: list[ReviewPeriod],
    local_site_ids: set[int],
    reviewer_ids: set[int],
    args: Mapping[str, str],
) -> tuple[Filters | None, list[str]]:
    """Return the filters the arguments ask for, and a message for each value left out.

    The site's periods, local site ids and reviewer ids are the values allowed;
    the caller reads them once for the filter choices as well.
    """
    problems = []
    if not periods:
        return None, []
    by_id = {period.id: period for period in periods}
    period = by_id.get(whole_number(args.get("period", "")) or 0)
    if period is None:
        if args.get("period"):
            problems.append("There is no such review period here.")
        period = periods[0]  # open ones first, newest first
    local_site_id = whole_number(args.get("local_site", ""))
    if args.get("local_site") and local_site_id not in local_site_ids:
        problems.append("There is no such local site here.")
        local_site_id = None
    reviewer_id = whole_number(args.get("reviewer", ""))
    if args.get("reviewer") and reviewer_id not in reviewer_ids:
        problems.append("There is no such reviewer here.")
        reviewer_id = None
    choices: dict[str, Collection[str]] = {
        "type": CASE_TYPES,
        "age": AGE_GROUPS,
        "status": STATUSES,
    }
    chosen = {}
    for name, allowed in choices.items():
        value = args.get(name, "")
        if value and value not in allowed:
            problems.append(f"“{value[:40]}” is not a {name} this report knows.")
            value = ""
        chosen[name] = value
    filters = Filters(
        period=period,
        local_site_id=local_site_id,
        case_type=chosen["type"],
        age_group=chosen["age"],
        reviewer_id=reviewer_id,
        status=chosen["status"] or CaseStatus.FINALIZED,
    )
    return filters, problems


def read_target(args: Mapping[str, str], items, outcomes) -> Target | None:
    """Return the figure a case list is for (``item:4``, ``outcome:S1``, or all cases)."""
    kind, _, key = args.get("figure", "").partition(":")
    if not kind:
        return Target()
    if names_figure(kind, key, items, outcomes):
        return Target(kind, key)
    return None


def names_figure(kind: str, key: str, items: Collection[str], outcomes: Collection[str]) -> bool:
    """Return whether ``kind`` and ``key`` name one of the ``items`` or ``outcomes``."""
    return (kind == "item" and key in items) or (kind == "outcome" and key in outcomes)
