"""The facts of a case (number, type, child, dates, reviewers) and their checks."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.dates import order_errors
from review_app.cases.demographics import categories
from review_app.cases.models import CASE_TYPES, Case
from review_app.core.models import utcnow
from review_app.core.scope import Scope
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.members.models import Membership
from review_app.members.scope_queries import scopes_of
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import LocalSite

EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


@dataclass
class CaseFacts:
    """The facts of a case as entered or imported, before checks."""

    case_number: str
    case_type: str
    local_site: LocalSite | None
    child_name: str
    child_birth_date: date | None = None
    family_name: str = ""
    opened_on: date | None = None
    removal_on: date | None = None
    closed_on: date | None = None
    pur_start: date | None = None
    reviewers: list[User] = field(default_factory=list)
    # Codes of the instrument's demographics ("" or []: not recorded).
    child_sex: str = ""
    child_races: list[str] = field(default_factory=list)
    child_hispanic: str = ""


def check_facts(
    period: ReviewPeriod, facts: CaseFacts, case_id: int | None = None
) -> dict[str, str]:
    """Return field -> message for every fault in the facts (empty when all is well)."""
    number = facts.case_number.strip()
    taken = select(Case.case_number).where(Case.period_id == period.id, Case.case_number == number)
    if case_id is not None:
        taken = taken.where(Case.id != case_id)
    reach = reviewer_reach(period.site_id, [user.id for user in facts.reviewers])
    lookups = FactLookups(
        taken=set(db.session.scalars(taken)),
        reviewer_ids=set(reach),
        reach=reach,
        kept=_kept(case_id, facts.local_site),
    )
    return fact_errors(period, facts, lookups)


def _kept(case_id: int | None, local_site: LocalSite | None) -> frozenset[int]:
    """Return the reviewers a case keeps where it is: their reach was checked when assigned."""
    case = db.session.get(Case, case_id) if case_id is not None else None
    if case is None or local_site is None or case.local_site_id != local_site.id:
        return frozenset()
    return frozenset(assignment.user_id for assignment in case.assignments)


@dataclass
class FactLookups:
    """What the checks need from the database, read once for any number of cases."""

    taken: set[str]  # case numbers already in the period
    reviewer_ids: set[int]  # users who are active reviewers on the period's site
    # Each of those reviewers' scope: a reviewer must reach the case's local site.
    reach: dict[int, Scope] | None = None
    kept: frozenset[int] = frozenset()  # reviewers the case keeps in its local site


def reviewer_ids(period: ReviewPeriod, user_ids: list[int]) -> set[int]:
    """Return which of the users are active reviewers on the period's site."""
    return set(reviewer_reach(period.site_id, user_ids))


def reviewer_reach(site_id: int, user_ids: list[int] | None = None) -> dict[int, Scope]:
    """Return the scope of each active reviewer of the site among ``user_ids`` (None: all)."""
    return scopes_of(site_id, user_ids, Membership.is_reviewer)


def reach_error(
    local_site: LocalSite | None,
    reviewers: list[User],
    reach: dict[int, Scope],
    kept: frozenset[int] = frozenset(),
) -> str | None:
    """Say why one of ``reviewers`` may not review a case of ``local_site``, or None.

    A reviewer limited to some local sites reviews cases of those only; ``kept``
    reviewers stay on a case that does not move (their reach was checked before).
    """
    for user in reviewers:
        scope = reach.get(user.id)
        if scope is None:
            return f"{user.username} is not a reviewer on this site."
        if local_site is not None and user.id not in kept and not scope.covers(local_site.id):
            return (
                f"{user.display_name} reviews cases of {scope.label} only, not of "
                f"{local_site.name}: choose a reviewer who works there."
            )
    return None


def fact_errors(period: ReviewPeriod, facts: CaseFacts, lookups: FactLookups) -> dict[str, str]:
    """Return field -> message for every fault, asking the database nothing."""
    errors = {}
    number = facts.case_number.strip()
    if not number or len(number) > 40:
        errors["case_number"] = "Give a case number of at most 40 characters."
    elif number in lookups.taken:
        errors["case_number"] = f"Case {number} is already in this review period."
    if facts.case_type not in CASE_TYPES:
        errors["case_type"] = f"Choose {' or '.join(CASE_TYPES)}."
    if facts.local_site is None or facts.local_site not in period.local_sites:
        errors["local_site"] = "Choose one of the local sites this period samples from."
    if not facts.child_name.strip() or len(facts.child_name) > 80:
        errors["child_name"] = "Give the child's initials or a pseudonym (at most 80 characters)."
    for name in ("child_birth_date", "opened_on", "removal_on", "closed_on", "pur_start"):
        value = getattr(facts, name)
        if value is not None and not EARLIEST <= value <= LATEST:
            errors[name] = f"Give a date between {EARLIEST.year} and {LATEST.year}."
    today = utcnow().date()
    if facts.child_birth_date and facts.child_birth_date > today:
        errors["child_birth_date"] = "The birth date cannot be in the future."
    roles = {"birth": "child_birth_date", "opened": "opened_on", "removal": "removal_on"}
    roles["closed"] = "closed_on"
    order = order_errors({role: getattr(facts, name) for role, name in roles.items()})
    for role, message in order.items():
        errors.setdefault(roles[role], message)
    if period.pur_start is None and facts.pur_start is None:
        errors["pur_start"] = "This period has an open start: give this case's start date."
    if facts.pur_start and facts.pur_start >= period.pur_end:
        errors["pur_start"] = "The start must come before the period's end."
    if len(facts.family_name) > 120:
        errors["family_name"] = "Use at most 120 characters."
    for user in facts.reviewers:
        if user.id not in lookups.reviewer_ids:
            errors["reviewers"] = f"{user.username} is not a reviewer on this site."
    if "reviewers" not in errors and lookups.reach is not None:
        refused = reach_error(facts.local_site, facts.reviewers, lookups.reach, lookups.kept)
        if refused:
            errors["reviewers"] = refused
    errors.update(demographic_errors(period, facts))
    return errors


# Where each demographic field is given: the form's and the import's name for it.
DEMOGRAPHIC_NAMES = {"sex": "child_sex", "race": "child_race", "hispanic": "child_hispanic"}


def demographic_errors(period: ReviewPeriod, facts: CaseFacts) -> dict[str, str]:
    """Return field -> message for each demographic value the period's instrument lacks."""
    given = {
        "sex": [facts.child_sex] if facts.child_sex else [],
        "race": facts.child_races,
        "hispanic": [facts.child_hispanic] if facts.child_hispanic else [],
    }
    if not any(given.values()):
        return {}
    declared = categories(get_instrument(period.instrument_version))
    errors = {}
    for name, values in given.items():
        category = declared.get(name)
        wrong = [value for value in values if category is None or value not in category.choices]
        if not wrong:
            continue
        if category is None:
            errors[DEMOGRAPHIC_NAMES[name]] = "This period's instrument records no such field."
            continue
        allowed = ", ".join(category.choices.values())
        errors[DEMOGRAPHIC_NAMES[name]] = (
            f"“{wrong[0][:40]}” is not one of the values of {category.label.rstrip('?')} "
            f"(choose from: {allowed})."
        )
    return errors
