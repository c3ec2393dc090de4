"""The report filters, read from the query string: wrong values are named and left out."""

from collections.abc import Collection, Mapping

from review_app.cases.demographics import categories
from review_app.cases.models import CASE_TYPES
from review_app.cases.states import CaseStatus
from review_app.core.inputs import whole_number
from review_app.instruments.catalog import get_instrument
from review_app.instruments.model import Instrument
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
    choices: dict[str, tuple[str, Collection[str]]] = {
        "type": ("a case type", CASE_TYPES),
        "status": ("a status", STATUSES),
    }
    chosen = {}
    for name, (noun, allowed) in choices.items():
        value = args.get(name, "")
        if value and value not in allowed:
            problems.append(f"“{value[:40]}” is not {noun} this report knows.")
            value = ""
        chosen[name] = value
    people = read_demographics(get_instrument(period.instrument_version), args, problems)
    filters = Filters(
        period=period,
        local_site_id=local_site_id,
        case_type=chosen["type"],
        reviewer_id=reviewer_id,
        status=chosen["status"] or CaseStatus.FINALIZED,
        **people,
    )
    return filters, problems


def read_demographics(
    instrument: Instrument, args: Mapping[str, str], problems: list[str], after: str = ""
) -> dict[str, str]:
    """Return the age group and demographic codes asked for (``age_group``, ``sex``, ``race``,
    ``hispanic``); name each unknown one in ``problems`` (ending with ``after``), leave it out."""
    declared = categories(instrument)
    allowed: dict[str, tuple[str, str, Collection[str]]] = {
        "age": ("age_group", "an age group", AGE_GROUPS),
        **{
            name: (name, noun, declared[name].choices if name in declared else ())
            for name, noun in (("sex", "a sex"), ("race", "a race"), ("hispanic", "an ethnicity"))
        },
    }
    chosen = {}
    for name, (field, noun, values) in allowed.items():
        value = args.get(name, "")
        if value and value not in values:
            problems.append(f"“{value[:40]}” is not {noun} this report knows{after}.")
            value = ""
        chosen[field] = value
    return chosen


def read_target(args: Mapping[str, str], items, outcomes, subitems=()) -> Target | None:
    """Return the figure a list is for (``item:4``, ``subitem:12A``, ``outcome:S1``, or all)."""
    kind, _, key = args.get("figure", "").partition(":")
    if not kind:
        return Target()
    if names_figure(kind, key, items, outcomes, subitems):
        return Target(kind, key)
    return None


def names_figure(
    kind: str,
    key: str,
    items: Collection[str],
    outcomes: Collection[str],
    subitems: Collection[str] = (),
) -> bool:
    """Return whether ``kind`` and ``key`` name one of the items, outcomes or sub-items."""
    known = {"item": items, "outcome": outcomes, "subitem": subitems}
    return key in known.get(kind, ())
