"""Every change to review periods."""

from datetime import date

from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.core.locking import lock_row
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.instruments.catalog import available_versions
from review_app.periods.models import ReviewPeriod, period_local_sites
from review_app.sites.models import LocalSite, Site

EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


def _snapshot(period: ReviewPeriod) -> dict:
    return {
        "name": period.name,
        "pur_start": period.pur_start,
        "pur_end": period.pur_end,
        "instrument_version": period.instrument_version,
        "is_open": period.is_open,
        "local_sites": sorted(local.code for local in period.local_sites),
    }


def _check(
    site: Site,
    name: str,
    pur_start: date | None,
    pur_end: date,
    version: str,
    local_sites: list[LocalSite],
    period_id: int | None,
) -> None:
    if pur_start is None and not site.settings.period_open_start_allowed:
        raise OperationError(
            "This site needs a start date for the period under review.", "pur_start"
        )
    for field, value in (("pur_start", pur_start), ("pur_end", pur_end)):
        if value is not None and not EARLIEST <= value <= LATEST:
            raise OperationError(f"Give a date between {EARLIEST:%Y} and {LATEST:%Y}.", field)
    if pur_start is not None and pur_start >= pur_end:
        raise OperationError("The end must come after the start.", "pur_end")
    if version not in {info.version for info in available_versions()}:
        raise OperationError("Choose an instrument version from the list.", "instrument_version")
    if any(local.site_id != site.id for local in local_sites):
        raise OperationError("Choose local sites of this site.", "local_site_ids")
    statement = select(func.count()).where(
        ReviewPeriod.site_id == site.id, func.lower(ReviewPeriod.name) == name.lower()
    )
    if period_id is not None:
        statement = statement.where(ReviewPeriod.id != period_id)
    if db.session.scalar(statement):
        raise OperationError(f"This site already has a period named {name!r}.", "name")


def create_period(
    actor: User | None,
    site: Site,
    name: str,
    pur_start: date | None,
    pur_end: date,
    instrument_version: str,
    local_sites: list[LocalSite],
) -> ReviewPeriod:
    """Open a new review period on the site."""
    name = name.strip()
    _check(site, name, pur_start, pur_end, instrument_version, local_sites, None)
    period = ReviewPeriod(
        site=site,
        name=name,
        pur_start=pur_start,
        pur_end=pur_end,
        instrument_version=instrument_version,
        local_sites=list(local_sites),
    )
    db.session.add(period)
    record(
        actor,
        "period.create",
        period,
        f"Created review period {name}",
        site=site,
        after=_snapshot(period),
    )
    return period


def _in_use(period: ReviewPeriod) -> bool:
    """Tell whether anything recorded in the period depends on its instrument version.

    What is recorded in a period (cases, interviews, systemic ratings) belongs to
    domains above this one: their tables are found by their key to the period.
    """
    periods, own = ReviewPeriod.__table__, {ReviewPeriod.__table__, period_local_sites}
    return any(
        db.session.scalar(select(func.count()).where(key.parent == period.id))
        for table in db.metadata.sorted_tables
        if table not in own
        for key in table.foreign_keys
        if key.column.table is periods
    )


def hold_open(period: ReviewPeriod, refusal: str) -> None:
    """Keep ``period`` open until this change commits, or refuse with ``refusal`` if it is closed.

    Its row is locked shared: closing it (``set_period_open``) waits for the change, and a
    change that comes after a close sees it.
    """
    lock_row(period, shared=True)
    if not period.is_open:
        raise OperationError(refusal)


def update_period(
    actor: User | None,
    period: ReviewPeriod,
    name: str,
    pur_start: date | None,
    pur_end: date,
    instrument_version: str,
    local_sites: list[LocalSite],
) -> None:
    """Change a period's name, dates, instrument version or local sites."""
    lock_row(period)  # a case or interview added meanwhile waits, then counts as a use
    if not period.is_open:
        raise OperationError("This period is closed: reopen it before changing it.")
    name = name.strip()
    _check(period.site, name, pur_start, pur_end, instrument_version, local_sites, period.id)
    if instrument_version != period.instrument_version and _in_use(period):
        raise OperationError(
            "Cases, interviews or systemic ratings of this period use its instrument "
            "version, so it cannot change. Open a new period for the new version.",
            "instrument_version",
        )
    before = _snapshot(period)
    period.name, period.pur_start, period.pur_end = name, pur_start, pur_end
    period.instrument_version = instrument_version
    period.local_sites = list(local_sites)
    if before != _snapshot(period):
        record(
            actor,
            "period.update",
            period,
            f"Edited review period {name}",
            site=period.site,
            before=before,
            after=_snapshot(period),
        )


def set_period_open(actor: User | None, period: ReviewPeriod, is_open: bool) -> None:
    """Close a period (no new work in it) or reopen it."""
    lock_row(period)  # saves in the period hold it shared: they finish first, or see this
    if period.is_open == is_open:
        raise OperationError(f"This period is already {'open' if is_open else 'closed'}.")
    before = _snapshot(period)
    period.is_open = is_open
    period.closed_at = None if is_open else utcnow()
    record(
        actor,
        "period.reopen" if is_open else "period.close",
        period,
        f"{'Reopened' if is_open else 'Closed'} review period {period.name}",
        site=period.site,
        before=before,
        after=_snapshot(period),
    )
