"""The trend page's figures from the application next to the same figures in plain SQL.

    python -m bench.trend [--cases 100000] [--periods 8] [--keep]

Loads one jurisdiction whose CQI site holds every case (finalized over
``--periods`` fiscal years), then times ``performance.trends``: every item's and
outcome's applicable cases and Strengths (Substantially Achieved) per case type,
by calendar quarter and over the 12 months ending each quarter. The SQL does the
same in one statement per kind: a count per quarter, and a window function
summing the quarters of each rolling year. Both take the median of warm runs;
the figures must be equal. See bench/README.md.
"""

import argparse
import os
import sys

import psycopg
from sqlalchemy import func, select

from bench import cluster, dataset
from bench.generate import bench_app, generate
from bench.report import median_time
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.performance.trends import trends
from review_app.performance.windows import site_instrument

DATABASE, RUNS, TARGET = "review_bench_trend", 7, 1.5
CASE_TYPES = ("foster_care", "in_home")

ITEMS = """
WITH by_quarter AS (
  SELECT date_trunc('quarter', c.finalized_at) AS quarter, r.item_id, c.case_type,
         count(*) FILTER (WHERE coalesce(r.override_rating, r.rating) IN ('strength', 'ani'))
           AS applicable,
         count(*) FILTER (WHERE coalesce(r.override_rating, r.rating) = 'strength') AS hits
  FROM item_reviews r JOIN cases c ON c.id = r.case_id
  WHERE c.site_id = %(site)s AND c.status = 'finalized' AND NOT c.is_key
    AND (r.item_id <> ALL(%(foster_only)s) OR c.case_type = 'foster_care')
  GROUP BY 1, 2, 3
)
SELECT quarter, item_id, case_type, applicable, hits,
       sum(applicable) OVER year, sum(hits) OVER year
FROM by_quarter
WINDOW year AS (PARTITION BY item_id, case_type ORDER BY quarter
                RANGE BETWEEN INTERVAL '9 months' PRECEDING AND CURRENT ROW)
"""
OUTCOMES = """
WITH by_quarter AS (
  SELECT date_trunc('quarter', c.finalized_at) AS quarter, o.outcome_id, c.case_type,
         count(*) FILTER (WHERE o.rating IN ('substantially_achieved', 'partially_achieved',
                                             'not_achieved')) AS applicable,
         count(*) FILTER (WHERE o.rating = 'substantially_achieved') AS hits
  FROM outcome_ratings o JOIN cases c ON c.id = o.case_id
  WHERE c.site_id = %(site)s AND c.status = 'finalized' AND NOT c.is_key
  GROUP BY 1, 2, 3
)
SELECT quarter, outcome_id, case_type, applicable, hits,
       sum(applicable) OVER year, sum(hits) OVER year
FROM by_quarter
WINDOW year AS (PARTITION BY outcome_id, case_type ORDER BY quarter
                RANGE BETWEEN INTERVAL '9 months' PRECEDING AND CURRENT ROW)
"""


def compare(app, url: str) -> tuple[int, int, float, float]:
    """Return (cases, points, app seconds, SQL seconds); raise if the figures differ."""
    with app.app_context():
        site_id, cases = db.session.execute(
            select(Case.site_id, func.count()).group_by(Case.site_id).order_by(func.count().desc())
        ).first()
        instrument = site_instrument(site_id)
        foster_only = [
            item.id for item in instrument.items.values() if item.applies_to == ["foster_care"]
        ]

        def by_app():
            found = trends(site_id, instrument)
            assert found is not None
            figures = {}
            for kind, ids in (
                ("item", list(instrument.items)),
                ("outcome", [outcome.id for outcome in instrument.definition.outcomes]),
            ):
                for key in ids:
                    for case_type in CASE_TYPES:
                        pairs = zip(
                            found.by_quarter(kind, key, case_type),
                            found.by_year(kind, key, case_type),
                            strict=True,
                        )
                        for quarter, year in pairs:
                            q, y = quarter.figure, year.figure
                            figures[(quarter.window.start, kind, key, case_type)] = (
                                q.applicable, q.hits, y.applicable, y.hits
                            )  # fmt: skip
            return figures

        app_seconds, app_figures = median_time(by_app, RUNS)
    params = {"site": site_id, "foster_only": foster_only}
    with psycopg.connect(url) as conn:

        def by_sql():
            figures = {}
            for kind, statement in (("item", ITEMS), ("outcome", OUTCOMES)):
                for quarter, key, case_type, a, h, year_a, year_h in conn.execute(
                    statement, params
                ):
                    figures[(quarter.date(), kind, key, case_type)] = (a, h, year_a, year_h)
            return figures

        sql_seconds, sql_figures = median_time(by_sql, RUNS)
    # The SQL has a row for each quarter with a rating; the app has every quarter.
    for point, figures in sql_figures.items():
        assert app_figures.get(point, (0, 0, 0, 0)) == tuple(int(n) for n in figures), point
    for point, (a, h, _, _) in app_figures.items():
        assert (a == h == 0) or point in sql_figures, point
    return cases, len(sql_figures), app_seconds, sql_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", 100_000)))
    parser.add_argument("--periods", type=int, default=8, help="fiscal years of reviews")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    server = cluster.from_environment()
    try:
        url = server.create_database(DATABASE)
        options = dataset.Options(cases=args.cases, jurisdictions=1, periods=args.periods)
        loaded = generate(url, options, quiet=True)
        print(f"loaded {loaded.cases:,} cases ({loaded.rows:,} rows) in {loaded.seconds:.0f} s")
        cases, points, app_seconds, sql_seconds = compare(bench_app(url), url)
    finally:
        if args.keep:
            print(f"kept: {server.database_url(DATABASE)}")
        else:
            server.drop_database(DATABASE)
            server.stop()
    ratio = app_seconds / sql_seconds
    verdict = "PASS" if ratio <= TARGET else "MISS"
    print(
        f"trend, {cases:,} finalized cases, {points:,} quarter figures (item or outcome x case "
        f"type x quarter, each with its rolling year): app / SQL "
        f"{app_seconds * 1000:.0f} / {sql_seconds * 1000:.0f} ms = {ratio:.2f}x "
        f"(target <= {TARGET:g}x) {verdict}"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
