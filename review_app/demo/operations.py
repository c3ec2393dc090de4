"""Create the demo jurisdiction, its people, local sites and review periods."""

import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select

from review_app.access_requests.operations import submit_request
from review_app.accounts import operations as accounts
from review_app.accounts.models import User
from review_app.core.errors import OperationError
from review_app.core.roles import RoleSet
from review_app.demo.bulk import seed_finalized_bulk
from review_app.demo.cases import seed_cases
from review_app.demo.history import QUARTERS, seed_history
from review_app.demo.interviews import seed_interviews
from review_app.demo.plans import seed_plan
from review_app.demo.training import seed_training
from review_app.extensions import db
from review_app.instruments.catalog import available_versions
from review_app.members import operations as members
from review_app.members.identity import membership_scope
from review_app.members.scope_operations import Places
from review_app.periods import operations as periods
from review_app.sites import operations as sites
from review_app.sites import region_operations as regions
from review_app.sites.models import LocalSite, Region, Site
from review_app.sites.queries import jurisdiction_by_code

DEMO_CODE = "demo"
DEFAULT_PASSWORD = "case-review-demo"
LOCAL_SITES = [
    ("001", "Adams County"),
    ("002", "Baker County"),
    ("003", "Clark County"),
    ("004", "Dawson County"),
]

# username, full name, {site kind: roles}; "*" stands for all three sites.
PEOPLE: list[tuple[str, str, dict[str, RoleSet]]] = [
    ("admin", "Avery Admin", {"*": RoleSet(is_state_admin=True)}),
    ("reviewer", "Riley Reviewer", {"*": RoleSet(is_reviewer=True)}),
    ("reviewer2", "Robin Reviewer", {"*": RoleSet(is_reviewer=True)}),
    ("qa", "Quinn Quality", {"*": RoleSet(qa_level=1)}),
    ("qa2", "Quincy Quality", {"cfsr": RoleSet(qa_level=2)}),
    ("observer", "Olive Observer", {"*": RoleSet(is_observer=True)}),
]
# Regions of every site's local sites (code, name, local site codes).
REGIONS = [("N", "Northern region", ("001", "002")), ("S", "Southern region", ("003", "004"))]
# People whose access is limited: username, full name, site kind, roles, region and
# local site codes.
LIMITED_PEOPLE: list[tuple[str, str, str, RoleSet, tuple[str, ...], tuple[str, ...]]] = [
    ("qa_north", "Nora North", "cqi", RoleSet(qa_level=1), ("N",), ()),
    ("leader", "Lee Leader", "cqi", RoleSet(is_site_leader=True), (), ("001",)),
]
SYSTEM_ADMIN = ("sysadmin", "Sam System")
# Someone with no site yet who asked to review on the CQI site's Southern region.
NEWCOMER = ("newcomer", "Nico Newcomer")
NEWCOMER_REASON = "I joined the Southern region's review team this month."
# Finalized cases added per site kind so that every report has figures worth reading.
REPORT_VOLUME = {"cfsr": 65, "cqi": 200}
# Finalized cases per quarter in the CQI site's two years of past quarterly periods (trends).
HISTORY_PER_QUARTER = 18


def is_seeded() -> bool:
    """Tell whether the demo data (or any of its usernames) is already there."""
    usernames = [person[0] for person in [*PEOPLE, *LIMITED_PEOPLE]]
    usernames += [SYSTEM_ADMIN[0], NEWCOMER[0]]
    taken = db.session.scalar(select(func.count()).where(User.username.in_(usernames)))
    return bool(taken) or jurisdiction_by_code(DEMO_CODE) is not None


def seed_demo(
    password: str = DEFAULT_PASSWORD,
    cases_per_period: int = 8,
    report_volume: dict[str, int] | None = None,
    interviews_and_training: bool = True,
    progress: Callable[[str], None] | None = None,
    history_per_quarter: int | None = None,
) -> list[tuple[str, str]]:
    """Create the demo; return (username, what they do). Refuse if it exists already.

    ``report_volume`` adds that many finalized cases per site kind (by default
    ``REPORT_VOLUME``; ``{}`` for none). ``interviews_and_training`` adds stakeholder
    interviews with systemic factor ratings, and answer keys with a trainee's scores.
    ``progress`` is told of each stage done, with counts and the seconds since the start.
    ``history_per_quarter`` cases go in each of the CQI site's past quarterly periods (by
    default ``HISTORY_PER_QUARTER`` with the report volume, none without it).
    """
    done = _stages(progress)
    if history_per_quarter is None:
        history_per_quarter = HISTORY_PER_QUARTER if report_volume is None else 0
    report_volume = REPORT_VOLUME if report_volume is None else report_volume
    if is_seeded():
        raise OperationError(
            "The demo data is already there (jurisdiction 'demo' or one of its "
            "users exists); nothing was changed."
        )
    versions = available_versions()
    if not versions:
        raise OperationError("No instrument file found in the instruments folder.")
    jurisdiction = sites.create_jurisdiction(None, DEMO_CODE, "Demo State")
    db.session.flush()
    by_kind = {site.kind: site for site in jurisdiction.sites}
    demo_periods = []
    for site in by_kind.values():
        locals_ = [sites.create_local_site(None, site, code, name) for code, name in LOCAL_SITES]
        for code, name, codes_in_region in REGIONS:
            in_region = [local for local in locals_ if local.code in codes_in_region]
            regions.create_region(None, site, code, name, in_region)
        start = (
            None
            if site.settings.period_open_start_allowed and site.kind == "cqi"
            else date(2026, 4, 1)
        )
        demo_periods.append(
            periods.create_period(
                None,
                site,
                "2026-27 review",
                start,
                date(2027, 3, 31),
                versions[-1].version,
                locals_,
            )
        )
    done(f"jurisdiction, {len(by_kind)} sites, {len(LOCAL_SITES)} local sites each, periods")
    accounts.create_user(None, SYSTEM_ADMIN[0], SYSTEM_ADMIN[1], password, is_system_admin=True)
    created = [(SYSTEM_ADMIN[0], "system administrator (no site access)")]
    people = {}
    for username, name, grants in PEOPLE:
        user = people[username] = accounts.create_user(
            None, username, name, password, email=f"{username}@demo.example"
        )
        described = []
        for kind, roles in grants.items():
            for site in by_kind.values() if kind == "*" else [by_kind[kind]]:
                members.grant_access(None, site, user, roles)
                described.append(f"{'/'.join(roles.codes)} on {site.kind}")
        created.append((username, ", ".join(described)))
    for username, name, site_kind, roles, region_codes, local_codes in LIMITED_PEOPLE:
        site = by_kind[site_kind]
        people[username] = user = accounts.create_user(
            None, username, name, password, email=f"{username}@demo.example"
        )
        places = _places(site, region_codes, local_codes)
        membership = members.grant_access(None, site, user, roles, places)
        scope = membership_scope(membership)
        created.append((username, f"{'/'.join(roles.codes)} on {site_kind}, {scope.label} only"))
    created.append(_seed_newcomer(by_kind["cqi"], password))
    db.session.flush()
    done(f"{len(created)} people and their roles")
    for period in demo_periods:
        kind = period.site.kind.upper()
        seed_cases(period, people, cases_per_period)
        done(f"{kind}: {cases_per_period} cases across the workflow's stages")
        if added := seed_finalized_bulk(period, people, report_volume.get(period.site.kind, 0)):
            done(f"{kind}: {added} finalized cases for the reports")
        if period.site.kind == "cqi" and history_per_quarter:
            added = seed_history(
                period.site,
                people,
                period.instrument_version,
                period.local_sites,
                history_per_quarter,
            )
            done(f"{kind}: {QUARTERS} past quarterly periods, {added} finalized cases for trends")
        if interviews_and_training and period.site.kind in ("cqi", "cfsr"):
            interviews = seed_interviews(period, people)
            done(f"{kind}: {len(interviews)} stakeholder interviews")
    if plan := seed_plan(by_kind["cqi"], people["admin"]):
        done(f"CQI: an improvement plan of {len(plan.measures)} items")
    if interviews_and_training:
        answer_keys = seed_training(by_kind["training"], people)
        done(f"TRAINING: {len(answer_keys)} answer keys with a trainee's scored attempts")
    return created


def _seed_newcomer(site: Site, password: str) -> tuple[str, str]:
    """Make the newcomer, who holds no site and waits for their request's decision."""
    username, name = NEWCOMER
    user = accounts.create_user(None, username, name, password, email=f"{username}@demo.example")
    regions_asked, _ = _places(site, ("S",), ())
    submit_request(user, site, RoleSet(is_reviewer=True), True, regions_asked, [], NEWCOMER_REASON)
    return username, "no site yet: asks to review on cqi, Southern region"


def _places(site: Site, region_codes: tuple[str, ...], local_codes: tuple[str, ...]) -> Places:
    """Return the site's regions and local sites of these codes."""
    found_regions = db.session.scalars(
        select(Region).where(Region.site_id == site.id, Region.code.in_(region_codes))
    )
    found_locals = db.session.scalars(
        select(LocalSite).where(LocalSite.site_id == site.id, LocalSite.code.in_(local_codes))
    )
    return list(found_regions), list(found_locals)


def _stages(progress: Callable[[str], None] | None) -> Callable[[str], None]:
    """Return a function that reports a stage done with the seconds since now."""
    started = time.perf_counter()

    def done(what: str) -> None:
        if progress is not None:
            progress(f"{what} ({time.perf_counter() - started:.1f} s)")

    return done
