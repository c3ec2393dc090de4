"""Windows of time across periods: which cases count, and the figures over them."""

from datetime import date, datetime

from sqlalchemy import select, update

from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.performance import queries
from review_app.performance.windows import (
    Window,
    finalized_span,
    month_key,
    month_of,
    monthly_counts,
    months_after,
    quarters,
    rolling,
    site_instrument,
    window_conditions,
)
from review_app.sites.queries import site_by_slug
from tests.performance.conftest import expected


def test_quarters_and_rolling_windows():
    found = quarters(date(2025, 11, 20), date(2026, 4, 1))
    assert [window.label for window in found] == ["2025 Q4", "2026 Q1", "2026 Q2"]
    assert found[0] == Window(date(2025, 10, 1), date(2026, 1, 1))
    year = rolling(found)[-1]
    assert year == Window(date(2025, 7, 1), date(2026, 7, 1))
    assert year.months == 12 and year.label == "Jul 2025 to Jun 2026"
    assert months_after(date(2026, 1, 31), -1) == date(2025, 12, 1)


def test_a_window_counts_the_cases_finalized_in_it(finalized):
    with finalized.app_context():
        site = site_by_slug("demo", "cqi")
        ids = db.session.scalars(
            select(Case.id)
            .where(Case.site_id == site.id, Case.status == CaseStatus.FINALIZED)
            .order_by(Case.id)
        ).all()
        early, late = ids[::2], ids[1::2]
        for chosen, day in ((early, datetime(2026, 2, 10, 23, 59)), (late, datetime(2026, 4, 1))):
            db.session.execute(update(Case).where(Case.id.in_(chosen)).values(finalized_at=day))
        q1 = window_conditions(site.id, Window(date(2026, 1, 1), date(2026, 4, 1)))
        assert set(db.session.scalars(select(Case.id).where(*q1))) == set(early)

        instrument = site_instrument(site.id)
        assert instrument is not None
        year = window_conditions(site.id, Window(date(2025, 7, 1), date(2026, 7, 1)))
        rows = queries.item_counts(year, instrument)
        items = {}
        for item, _type, applicable, hits in rows:
            total = items.setdefault(item, [0, 0])
            total[0] += applicable
            total[1] += hits
        assert finalized_span(site.id) == (date(2026, 2, 10), date(2026, 4, 1))
        by_month = queries.item_counts(year, instrument, month_of(Case.finalized_at))
        assert {month_key(row[0]) for row in by_month} == {(2026, 2), (2026, 4)}
        every_month = Window(date(2025, 7, 1), date(2026, 7, 1))
        counts = monthly_counts(site.id, "item", instrument, window=every_month)
        assert set(counts.by_month) == {(2026, 2), (2026, 4)}
        assert {item: counts.figure(item, every_month) for item in items} == {
            item: queries.Figure(*total) for item, total in items.items()
        }
        first_quarter = Window(date(2026, 1, 1), date(2026, 4, 1))
        narrowed = monthly_counts(site.id, "item", instrument, window=first_quarter)
        assert set(narrowed.by_month) == {(2026, 2)}
        outcomes = queries.outcome_counts(year)
        assert outcomes
    want_items, _ = expected(finalized)
    assert {k: tuple(v) for k, v in items.items() if v[0]} == {
        k: v for k, v in want_items.items() if v[0]
    }
