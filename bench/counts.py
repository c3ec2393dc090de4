"""Which period and cases to look at; how many SQL statements a page sends.

Statements are counted with a SQLAlchemy event. The same pages are counted on the
full dataset and on a small one; a page whose count differs issues statements per
row somewhere.
"""

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import event, select

from bench.generate import PASSWORD
from review_app.cases.models import Case
from review_app.core.pagecache import clear_pages
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.performance import cache
from review_app.periods.models import ReviewPeriod
from review_app.ratings.completeness import gaps
from review_app.ratings.queries import case_ratings, outcome_ratings


@dataclass
class Target:
    """A period to look at, and who looks."""

    period_id: int
    cases: int
    username: str
    slug: str
    case_ids: list[int]


def _sizes() -> list[tuple[int, int]]:
    """Return (period id, cases) of every period with cases, smallest first."""
    count = db.func.count()
    statement = select(Case.period_id, count).group_by(Case.period_id)
    return sorted(db.session.execute(statement).tuples(), key=lambda row: (row[1], row[0]))


def largest_period(app: Flask) -> Target:
    """Return the period with the most cases, its site's administrator and some of its cases."""
    with app.app_context():
        return _target(*_sizes()[-1])


def export_sizes(app: Flask, batch: int) -> list[Target]:
    """Return a smaller and the largest period to export, to show memory does not grow.

    The smaller one has at least two batches of cases where the data allow, so both
    exports hold full batches and only the number of batches differs.
    """
    with app.app_context():
        sizes = _sizes()
        largest = sizes[-1]
        fuller = [row for row in sizes if 2 * batch <= row[1] <= largest[1] // 3]
        return [_target(*(fuller[0] if fuller else sizes[0])), _target(*largest)]


def _target(period_id: int, cases: int) -> Target:
    period = db.session.get(ReviewPeriod, period_id)
    ids = list(
        db.session.scalars(
            select(Case.id).where(Case.period_id == period_id).order_by(Case.id).limit(200)
        )
    )
    code = period.site.jurisdiction.code
    return Target(period_id, cases, f"{code}-admin", period.site.slug, ids)


def pages(target: Target) -> dict[str, str]:
    """Return the pages to count and load: name -> path."""
    base, period = f"/{target.slug}", target.period_id
    return {
        "case page": f"{base}/cases/{target.case_ids[len(target.case_ids) // 2]}",
        "performance page": f"{base}/performance?period={period}",
        "performance by local site": f"{base}/performance/by/local-sites?period={period}",
        "case list": f"{base}/cases?period={period}",
    }


def count(app: Flask, target: Target) -> dict[str, int]:
    """Return the statements each page sends (on a second visit, once caches are warm).

    The kept pages and the performance figures are forgotten before the counted
    visit, so the count includes rendering the page and computing the figures,
    as on the first view after a change.
    """
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    signed_in = client.post("/login", data={"username": target.username, "password": PASSWORD})
    assert signed_in.status_code == 302, f"could not sign in as {target.username}"
    statements: list[str] = []

    def counter(conn, cursor, statement, *args):
        statements.append(statement)

    found = {}
    event.listen(engine, "before_cursor_execute", counter)
    try:
        for name, path in pages(target).items():
            client.get(path)
            cache.clear()
            clear_pages(app)
            statements.clear()
            response = client.get(path)
            assert response.status_code == 200, f"{path} answered {response.status_code}"
            found[name] = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return found


def check_cases(app: Flask, target: Target, sample: int = 50) -> int:
    """Check sampled cases as the case page sees them: complete, and rated as stored.

    Returns how many were checked; raises AssertionError on the first that is not.
    """
    with app.app_context():
        instrument = None
        for case_id in target.case_ids[:sample]:
            case = db.session.get(Case, case_id)
            instrument = instrument or get_instrument(case.period.instrument_version)
            ratings, rows, reviews = case_ratings(case, instrument)
            missing = gaps(instrument, ratings, rows, reviews)
            assert not missing, f"case {case_id} is incomplete: {missing[0].message}"
            for item_id, result in ratings.items.items():
                assert reviews[item_id].rating == result.rating, f"case {case_id} item {item_id}"
            stored = {o.outcome_id: o.rating for o in outcome_ratings(case).values()}
            assert stored == ratings.outcomes, f"case {case_id} outcomes"
        return min(sample, len(target.case_ids))
