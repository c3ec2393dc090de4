"""The multi-item analysis next to hand-written SQL of the same table, on a national dataset.

    python -m bench.analysis [--cases 100000] [--jurisdictions 50] [--url URL]

Loads the benchmark's dataset (bench/generate.py) into a throwaway PostgreSQL cluster
(or BENCH_DATABASE_URL, or a database already loaded with ``--url``), takes the site
with the most finalized cases and a window holding every one of them (both review
periods), and times two tables: the application's ``crosstab()`` (building the
statement, running it, folding its rows) against one hand-written statement counting
the same cells. The figures must be equal. Each side: the median of 9 warm runs.
See bench/README.md, "Multi-item analysis".
"""

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import date

import psycopg
from flask import Flask
from sqlalchemy import func, select

from bench import cluster, dataset
from bench.generate import bench_app, generate
from bench.report import median_time
from review_app.analysis import queries
from review_app.analysis.filters import case_conditions
from review_app.analysis.forms import read_asked
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.performance.queries import reviewer_choices
from review_app.performance.windows import finalized_span, months_after
from review_app.periods.queries import periods
from review_app.sites.models import Site
from review_app.sites.queries import local_sites

RUNS, TARGET = 9, 1.5
DATABASE = "review_bench_analysis"

WHERE = """
WHERE c.site_id = %(site)s AND c.status = 'finalized' AND NOT c.is_key
  AND c.finalized_at >= %(start)s AND c.finalized_at < %(end)s
"""
# Item 4's rating by the answer to 4C as the engine reads it: asked on foster care
# cases only, and "no" whenever a reason in 4C1 is checked.
ITEM_4_BY_4C = (
    """
SELECT coalesce(r.override_rating, r.rating),
       CASE WHEN c.case_type = 'foster_care' THEN
         CASE WHEN nullif(nullif(b.value #>> '{}', ''), '[]') IS NOT NULL THEN 'no'
              ELSE nullif(nullif(a.value #>> '{}', ''), '[]') END
       END,
       count(*)
FROM cases c
LEFT JOIN item_reviews r ON r.case_id = c.id AND r.item_id = '4'
LEFT JOIN answers a ON a.case_id = c.id AND a.question_id = '4C'
LEFT JOIN answers b ON b.case_id = c.id AND b.question_id = '4C1'
"""
    + WHERE
    + "GROUP BY 1, 2"
)
# 1C (delays beyond the agency's control), asked when item 1 applies and 1A or 1B
# counts a late report, by case type.
ANSWER_1C_BY_TYPE = (
    """
SELECT CASE WHEN app.value #>> '{}' = 'yes'
             AND (coalesce((x.value #>> '{}')::float > 0, false)
                  OR coalesce((y.value #>> '{}')::float > 0, false))
            THEN nullif(nullif(q.value #>> '{}', ''), '[]') END,
       c.case_type,
       count(*)
FROM cases c
LEFT JOIN answers q ON q.case_id = c.id AND q.question_id = '1C'
LEFT JOIN answers app ON app.case_id = c.id AND app.question_id = '1-app'
LEFT JOIN answers x ON x.case_id = c.id AND x.question_id = '1A'
LEFT JOIN answers y ON y.case_id = c.id AND y.question_id = '1B'
"""
    + WHERE
    + "GROUP BY 1, 2"
)
TABLES = {
    ("item:4", "answer:4C"): ITEM_4_BY_4C,
    ("answer:1C", "case:case_type"): ANSWER_1C_BY_TYPE,
}


@dataclass
class Comparison:
    rows: str
    columns: str
    cases: int
    app_seconds: float
    sql_seconds: float

    @property
    def ratio(self) -> float:
        return self.app_seconds / self.sql_seconds


def largest_site(app: Flask) -> int:
    """Return the id of the site with the most finalized cases."""
    with app.app_context():
        return db.session.execute(
            select(Case.site_id)
            .where(Case.status == CaseStatus.FINALIZED)
            .group_by(Case.site_id)
            .order_by(func.count().desc(), Case.site_id)
            .limit(1)
        ).scalar_one()


def compare(app: Flask, url: str, site_id: int) -> list[Comparison]:
    """Time crosstab() and the hand-written SQL for each table; raise if they disagree."""
    found = []
    with app.app_context(), psycopg.connect(url) as conn:
        site = db.session.get(Site, site_id)
        span = finalized_span(site_id)
        assert site is not None and span is not None
        first, last = span
        args = {"scope": "window", "from": f"{first:%Y-%m}", "to": f"{last:%Y-%m}"}
        start = date(first.year, first.month, 1)
        params = {"site": site_id, "start": start, "end": months_after(last, 1)}
        choices = (periods(site), local_sites(site), reviewer_choices(site_id))
        for (rows, columns), sql in TABLES.items():
            asked = read_asked(site, *choices, {**args, "rows": rows, "columns": columns})
            assert asked.rows and asked.columns and asked.when and not asked.problems
            conditions = case_conditions(asked.scope, asked.when, asked.chosen)
            row_axis, column_axis = asked.rows, asked.columns
            app_seconds, table = median_time(
                lambda r=row_axis, c=column_axis, w=conditions: queries.crosstab(r, c, w)
            )
            sql_seconds, sql_rows = median_time(lambda q=sql: conn.execute(q, params).fetchall())
            by_sql: dict = {}
            for row, column, count in sql_rows:
                key = (row_axis.code_of(row), column_axis.code_of(column))
                by_sql[key] = by_sql.get(key, 0) + count
            if by_sql != table.cells:
                raise AssertionError(
                    f"crosstab() and the SQL disagree on {rows} x {columns}:\n"
                    f"{table.cells}\n{by_sql}"
                )
            found.append(
                Comparison(row_axis.label, column_axis.label, table.total, app_seconds, sql_seconds)
            )
    return found


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", 100_000)))
    parser.add_argument("--jurisdictions", type=int, default=50)
    parser.add_argument("--url", help="a database the loader already filled (nothing is loaded)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    began = time.perf_counter()
    server = None if args.url else cluster.from_environment()
    try:
        url = args.url
        if server is not None:
            url = server.create_database(DATABASE)
            print(
                f"loading {args.cases:,} cases over {args.jurisdictions} jurisdictions",
                file=sys.stderr,
                flush=True,
            )
            options = dataset.Options(cases=args.cases, jurisdictions=args.jurisdictions)
            generate(url, options, quiet=True)
        app = bench_app(url)
        with psycopg.connect(url) as conn:
            total = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        results = compare(app, url, largest_site(app))
    finally:
        if server is not None and args.keep:
            print(f"kept: {server.database_url(DATABASE)}", file=sys.stderr)
        elif server is not None:
            server.drop_database(DATABASE)
            server.stop()
    print(f"Multi-item analysis, {total:,} cases in the database; the largest site's window:")
    for one in results:
        verdict = "PASS" if one.ratio <= TARGET else "MISS"
        print(
            f"  {one.rows[:40]} x {one.columns[:30]}, {one.cases:,} cases: app / SQL "
            f"{one.app_seconds * 1000:.1f} / {one.sql_seconds * 1000:.1f} ms = "
            f"{one.ratio:.2f}x (target <= {TARGET:g}x) {verdict}"
        )
    print(f"Whole run: {(time.perf_counter() - began) / 60:.1f} minutes")
    return 0 if all(one.ratio <= TARGET for one in results) else 1


if __name__ == "__main__":
    sys.exit(main())
