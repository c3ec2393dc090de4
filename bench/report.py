"""The performance report's figures from the application next to the same figures in plain SQL.

Both count the finalized cases of one site and period: how many there are per
case type, and per item (per outcome) and case type how many are applicable and
how many are rated Strength (Substantially Achieved), the effective rating being
QA's override where there is one. Both take the median of several warm runs;
the figures must be equal, or the comparison means nothing.
"""

import statistics
import time
from dataclasses import dataclass

import psycopg
from flask import Flask

from review_app.extensions import db
from review_app.performance.queries import Filters, performance
from review_app.periods.models import ReviewPeriod

RUNS = 9

CASES = """
SELECT case_type, count(*) FROM cases
WHERE site_id = %(site)s AND period_id = %(period)s AND status = 'finalized' AND NOT is_key
GROUP BY case_type
"""
ITEMS = """
SELECT r.item_id, c.case_type,
       count(*) FILTER (WHERE coalesce(r.override_rating, r.rating) IN ('strength', 'ani')),
       count(*) FILTER (WHERE coalesce(r.override_rating, r.rating) = 'strength')
FROM item_reviews r JOIN cases c ON c.id = r.case_id
WHERE c.site_id = %(site)s AND c.period_id = %(period)s AND c.status = 'finalized'
  AND NOT c.is_key
GROUP BY r.item_id, c.case_type
"""
OUTCOMES = """
SELECT o.outcome_id, c.case_type,
       count(*) FILTER (WHERE o.rating IN ('substantially_achieved', 'partially_achieved',
                                           'not_achieved')),
       count(*) FILTER (WHERE o.rating = 'substantially_achieved')
FROM outcome_ratings o JOIN cases c ON c.id = o.case_id
WHERE c.site_id = %(site)s AND c.period_id = %(period)s AND c.status = 'finalized'
  AND NOT c.is_key
GROUP BY o.outcome_id, c.case_type
"""


@dataclass
class Comparison:
    cases: int
    app_seconds: float
    sql_seconds: float

    @property
    def ratio(self) -> float:
        return self.app_seconds / self.sql_seconds


def _counts(rows) -> dict:
    """Keep the (key, case type) pairs that count anything."""
    return {(key, kind): (int(a), int(h)) for key, kind, a, h in rows if a or h}


def _app_figures(figures) -> tuple[dict, dict, dict]:
    def flat(splits):
        return _counts(
            (key, kind, figure.applicable, figure.hits)
            for key, split in splits.items()
            for kind, figure in split.by_type.items()
        )

    return dict(figures.by_type), flat(figures.items), flat(figures.outcomes)


def median_time(run, runs: int = RUNS) -> tuple[float, object]:
    """Return the median seconds of ``runs`` warm runs of ``run``, and its last result."""
    run()  # warm the caches (and SQLAlchemy's statement cache)
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def compare(app: Flask, url: str, period_id: int) -> Comparison:
    """Time performance() and the hand-written SQL on one period; raise if they disagree."""
    with app.app_context():
        period = db.session.get(ReviewPeriod, period_id)
        site_id = period.site_id
        filters = Filters(period=period)
        app_seconds, figures = median_time(lambda: performance(site_id, filters))
        app_figures = _app_figures(figures)
    params = {"site": site_id, "period": period_id}
    with psycopg.connect(url) as conn:

        def by_sql():
            return (
                dict(conn.execute(CASES, params).fetchall()),
                _counts(conn.execute(ITEMS, params).fetchall()),
                _counts(conn.execute(OUTCOMES, params).fetchall()),
            )

        sql_seconds, sql_figures = median_time(by_sql)
    if app_figures != sql_figures:
        raise AssertionError(
            f"performance() and the SQL disagree on period {period_id}:\n"
            f"{app_figures}\n{sql_figures}"
        )
    return Comparison(sum(sql_figures[0].values()), app_seconds, sql_seconds)
