"""Trends: figures by quarter and over rolling 12 months equal the long way; pages; bad input."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select, update

from review_app.accounts.models import User
from review_app.cases import demographics
from review_app.cases.models import Case
from review_app.demo.history import FIRST_QUARTER, QUARTERS, seed_history
from review_app.extensions import db
from review_app.instruments.engine import ANI, STRENGTH, SUBSTANTIAL
from review_app.performance import trends
from review_app.performance.windows import Window, site_instrument
from review_app.periods.queries import periods
from review_app.ratings.models import ItemReview, OutcomeRating
from review_app.sites.queries import local_sites, site_by_slug
from tests.conftest import login
from tests.core.test_query_counts import counted
from tests.performance.conftest import SITE
from tests.transactions import replayed

PER_QUARTER = 6


def _add_history(app, per_quarter: int = PER_QUARTER) -> None:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        current = periods(site)[0]
        people = {
            user.username: user
            for user in db.session.scalars(
                select(User).where(User.username.in_(["reviewer", "reviewer2", "qa", "qa2"]))
            )
        }
        seed_history(site, people, current.instrument_version, current.local_sites, per_quarter)
        db.session.commit()


@pytest.fixture
def history(demo):
    replayed(demo, "history", lambda: _add_history(demo))
    return demo


def _site_id(app) -> int:
    with app.app_context():
        return site_by_slug("demo", "cqi").id


def _long_way(app, kind: str, key: str, window: Window, case_type: str = "") -> tuple[int, int]:
    """Count (applicable, hits) case by case, in Python."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        instrument = site_instrument(site.id)
        cases = {
            case.id: case
            for case in db.session.scalars(
                select(Case).where(Case.site_id == site.id, Case.status == "finalized")
            )
            if window.start <= case.finalized_at.date() < window.end
            and case_type in ("", case.case_type)
        }
        applicable = hits = 0
        if kind == "item":
            applies = instrument.items[key].applies_to
            for review in db.session.scalars(select(ItemReview).where(ItemReview.item_id == key)):
                case = cases.get(review.case_id)
                if case is None or (applies and case.case_type not in applies):
                    continue
                if review.effective_rating in (STRENGTH, ANI):
                    applicable += 1
                    hits += review.effective_rating == STRENGTH
        else:
            for rating in db.session.scalars(
                select(OutcomeRating).where(OutcomeRating.outcome_id == key)
            ):
                if rating.case_id in cases and rating.rating not in (
                    "not_applicable",
                    "incomplete",
                ):
                    applicable += 1
                    hits += rating.rating == SUBSTANTIAL
        return applicable, hits


def test_quarters_and_rolling_years_equal_the_ratings_counted_one_by_one(history):
    site_id = _site_id(history)
    with history.app_context():
        found = trends.trends(site_id, site_instrument(site_id))
        assert found is not None
        assert found.quarters[0].start == FIRST_QUARTER
        assert len(found.quarters) >= QUARTERS
        checks = [
            ("item", "3", ""),
            ("item", "4", ""),  # foster care only
            ("item", "14", "in_home"),
            ("outcome", "S1", ""),
            ("outcome", "WB1", "foster_care"),
        ]
        points = {
            (kind, key, case_type): found.by_quarter(kind, key, case_type)[2:4]
            + found.by_year(kind, key, case_type)[3:5]
            for kind, key, case_type in checks
        }
    for (kind, key, case_type), shown in points.items():
        for point in shown:
            figure = point.figure
            assert (figure.applicable, figure.hits) == _long_way(
                history, kind, key, point.window, case_type
            ), (kind, key, case_type, point.window)
            assert figure.applicable > 0


def test_one_window_figure_for_other_reports_equals_the_trend(history):
    site_id = _site_id(history)
    window = Window(date(2025, 1, 1), date(2026, 1, 1))
    with history.app_context():
        single = trends.figure_over(site_id, "item", "12", window)
        monthly = trends.monthly_counts(site_id, "item")
        assert single == monthly.figure("12", window)
        local = local_sites(site_by_slug("demo", "cqi"))[0]
        narrowed = trends.figure_over(site_id, "item", "12", window, local_site_id=local.id)
    assert (single.applicable, single.hits) == _long_way(history, "item", "12", window)
    assert 0 < narrowed.applicable < single.applicable


def test_trends_send_the_same_statements_however_many_cases(history):
    site_id = _site_id(history)

    def statements(**chosen) -> int:
        with history.app_context(), counted(history) as sent:
            narrowed = demographics.conditions(**chosen)
            trends.trends(site_id, site_instrument(site_id), narrowed=narrowed)
            return len(sent)

    before = statements()
    # Filtering by the child's age group and demographics adds conditions, not statements.
    assert statements(age_group="5-9", sex="female", race="white", hispanic="no") == before
    with history.app_context():
        ids = db.session.scalars(select(Case.id).where(Case.site_id == site_id)).all()
        db.session.execute(  # the same cases spread over more months and years
            update(Case)
            .where(Case.id.in_(ids[::3]))
            .values(finalized_at=datetime(2021, 5, 17, 9, 30))
        )
        db.session.commit()
    after = statements()
    # The span, the items, the outcomes, the sub-items (and the instrument).
    assert before == after <= 5


def test_administrator_reads_an_item_trend_and_the_cases_behind_a_point(history, client):
    login(client, "admin")
    performance = client.get(f"{SITE}/performance").get_data(as_text=True)
    assert "/performance/trends" in performance
    page = client.get(f"{SITE}/performance/trends?figure=item:3&series=quarter")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Item 3: Risk and safety assessment" in html and "<svg" in html
    assert "2024 Q4" in html and "2025 Q1" in html
    links = re.findall(r'href="([^"]*/performance/trends/cases\?[^"]+)"', html)
    link = next(link.replace("&amp;", "&") for link in links if "2025-Q2" in link)
    assert "months=3" in link
    applicable = _long_way(history, "item", "3", Window(date(2025, 4, 1), date(2025, 7, 1)))[0]
    listing = client.get(link).get_data(as_text=True)
    rows = re.findall(r'<th scope="row"><a href="[^"]*/cases/\d+"', listing)
    assert len(rows) == applicable > 0
    assert f"{applicable} cases to which the item applies" in listing


def test_an_outcome_trend_has_the_conformity_line(history, client):
    login(client, "observer")
    html = client.get(f"{SITE}/performance/trends?figure=outcome:S1").get_data(as_text=True)
    assert "95% line" in html and "Safety Outcome 1" in html


def test_a_quarter_without_cases_says_no_cases(history, client):
    with history.app_context():
        site = site_by_slug("demo", "cqi")
        db.session.execute(
            update(Case)
            .where(
                Case.site_id == site.id,
                Case.finalized_at >= datetime(2025, 4, 1),
                Case.finalized_at < datetime(2025, 7, 1),
            )
            .values(finalized_at=datetime(2025, 7, 2))
        )
        db.session.commit()
    login(client, "qa")
    html = client.get(f"{SITE}/performance/trends?series=quarter").get_data(as_text=True)
    assert "no cases" in html
    listing = client.get(
        f"{SITE}/performance/trends/cases?figure=item:1&quarter=2025-Q2&months=3"
    ).get_data(as_text=True)
    assert "0 cases to which the item applies" in listing


def test_impossible_choices_are_named_and_left_out(history, client):
    login(client, "observer")
    page = client.get(f"{SITE}/performance/trends?figure=item:99&local_site=7777&type=up&series=x")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for message in ("no such item", "no such local site", "not a case type", "rolling 12"):
        assert message in html
    for query in (
        "figure=item:3&quarter=0000-Q1&months=3",
        "figure=item:3&quarter=2025-Q5&months=3",
        "figure=item:3&quarter=2025-Q1&months=7",
        "figure=nothing&quarter=2025-Q1",
        "quarter=99999-Q1&months=12",
    ):
        listing = client.get(f"{SITE}/performance/trends/cases?{query}")
        assert listing.status_code == 200, query


def test_a_site_without_finalized_reviews_says_so(demo, client):
    login(client, "outsider")
    html = client.get("/other/cqi/performance/trends").get_data(as_text=True)
    assert "no trend to show" in html


def test_figures_count_only_the_sites_own_cases(history, client):
    login(client, "admin")
    listing = client.get(
        "/demo/cfsr/performance/trends/cases?figure=item:3&quarter=2025-Q2&months=12"
    )
    assert "0 cases to which the item applies" in listing.get_data(as_text=True)


def test_reports_open_on_the_newest_open_period_when_past_ones_are_closed(history, client):
    with history.app_context():
        current = periods(site_by_slug("demo", "cqi"))[0]
        name = current.name
        assert current.is_open
    login(client, "admin")
    for path in (f"{SITE}/performance", f"{SITE}/quality"):
        html = client.get(path).get_data(as_text=True)
        chosen = re.search(r'<option value="\d+"\s+selected>([^<]+)</option>', html)
        assert chosen is not None and chosen.group(1) == name, path


def test_the_trend_figures_are_kept_until_the_site_changes(history, client):
    login(client, "observer")

    def grouped_counts(path: str) -> int:
        with counted(history) as sent:
            assert client.get(path).status_code == 200
        return sum("GROUP BY" in statement and "item_reviews" in statement for statement in sent)

    assert grouped_counts(f"{SITE}/performance/trends?figure=item:3") == 1
    # Another figure of the same cases: the kept counts serve it.
    assert grouped_counts(f"{SITE}/performance/trends?figure=item:12&series=quarter") == 0


def test_a_window_of_part_months_counts_exactly_its_days(history):
    site_id = _site_id(history)
    window = Window(date(2025, 2, 15), date(2025, 11, 20))
    with history.app_context():
        figure = trends.figure_over(site_id, "outcome", "WB1", window)
    assert (figure.applicable, figure.hits) == _long_way(history, "outcome", "WB1", window)
    assert figure.applicable > 0


def test_a_small_quarter_is_not_given_back_by_its_rolling_year():
    """A year of 12 cases beside a first quarter of 10 would give the second quarter's 2."""
    from datetime import date

    from review_app.performance.queries import Figure
    from review_app.performance.trends import Point, hide_small
    from review_app.performance.windows import quarters, rolling

    spans = quarters(date(2025, 1, 1), date(2025, 12, 31))
    quarter = [Point(w, Figure(n, n)) for w, n in zip(spans, [10, 2, 10, 10], strict=True)]
    year = [Point(w, Figure(n, n)) for w, n in zip(rolling(spans), [10, 12, 22, 32], strict=True)]
    hide_small(quarter, year, 5)
    assert [point.hidden for point in quarter] == [True, True, False, False]
    assert [point.hidden for point in year] == [True, False, False, False]
    clear = [Point(w, Figure(n, n)) for w, n in zip(spans, [10, 9, 10, 10], strict=True)]
    years = [Point(w, Figure(n, n)) for w, n in zip(rolling(spans), [10, 19, 29, 39], strict=True)]
    hide_small(clear, years, 5)
    assert not any(point.hidden for point in clear + years)
