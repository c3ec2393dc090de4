"""Two years of quarterly CQI reviews before the current period, so trends and PIP plans show data.

Each of eight closed quarterly periods (2024 Q4 to 2026 Q3) holds finalized
cases whose reviews were finalized across that quarter. A few items improve
gently from quarter to quarter (their questions are answered No less often),
as a program improvement plan hopes; the rest vary around the same level.
Cases are written in bulk like the report volume (``demo.bulk``).
"""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from review_app.accounts.models import User
from review_app.demo.bulk import Planned, add_finalized
from review_app.demo.cases import finalized_facts
from review_app.instruments.catalog import get_instrument
from review_app.periods import operations as periods
from review_app.periods.models import ReviewPeriod
from review_app.ratings.operations import item_questions
from review_app.sites.models import LocalSite, Site

FIRST_QUARTER, QUARTERS = date(2024, 10, 1), 8
IMPROVING = ("3", "12", "14")  # items whose share rated Strength rises over the two years
# Share of No answers on the improving items' questions, first quarter to last.
FIRST_NO_RATE, LAST_NO_RATE = 0.25, 0.03


def _quarter(index: int) -> tuple[date, date]:
    """Return the first and the last day of the ``index``-th quarter from FIRST_QUARTER."""
    months = FIRST_QUARTER.year * 12 + FIRST_QUARTER.month - 1 + 3 * index
    start = date(months // 12, months % 12 + 1, 1)
    after = date((months + 3) // 12, (months + 3) % 12 + 1, 1)
    return start, after - timedelta(days=1)


def seed_history(
    site: Site,
    people: dict[str, User],
    version: str,
    local_sites: list[LocalSite],
    per_quarter: int,
) -> int:
    """Add the closed quarterly periods and their finalized cases; return how many cases."""
    instrument = get_instrument(version)
    improving = [q.id for item in IMPROVING for q in item_questions(instrument, item)]
    added = 0
    for index in range(QUARTERS):
        start, last = _quarter(index)
        name = f"{start.year} Q{start.month // 3 + 1} reviews"
        opening = None if site.settings.period_open_start_allowed else start
        period = periods.create_period(None, site, name, opening, last, version, local_sites)
        progress = index / (QUARTERS - 1)
        rate = FIRST_NO_RATE + (LAST_NO_RATE - FIRST_NO_RATE) * progress
        added += add_finalized(
            period,
            people,
            [
                _planned(period, people, index, number, start, last, dict.fromkeys(improving, rate))
                for number in range(per_quarter)
            ],
        )
        periods.set_period_open(None, period, False)
    return added


def _planned(
    period: ReviewPeriod,
    people: dict[str, User],
    quarter: int,
    number: int,
    start: date,
    last: date,
    no_rates: dict[str, float],
) -> Planned:
    """Plan one case of a quarter: numbered apart from the current period's, dated before it."""
    facts, seed = finalized_facts(period, people, 1000 + quarter * 100 + number)
    opened = start - timedelta(days=60 + (number * 37) % 600)
    removal = opened + timedelta(days=number % 40) if facts.removal_on else None
    pur_start = start if period.pur_start is None else None  # a case's own start, if open
    facts = replace(facts, opened_on=opened, removal_on=removal, pur_start=pur_start)
    day = start + timedelta(days=(number * 11) % ((last - start).days + 1))
    finalized_at = datetime.combine(day, time(15, number % 60))
    return Planned(facts, seed, finalized_at, no_rates)
