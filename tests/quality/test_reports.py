"""QA reports and agreement pages on the demo CQI site."""

import re

from sqlalchemy import func, select

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.ratings.models import ItemReview, SubmittedRating
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.core.test_query_counts import statements_per_page
from tests.performance.conftest import SITE, add_finalized


def test_first_submission_is_kept_and_a_qa_override_shows_as_a_change(demo, client):
    add_finalized(demo, 4)
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        finalized = db.session.scalars(
            select(Case.id).where(Case.site_id == site.id, Case.status == "finalized")
        ).all()
        kept = db.session.scalar(
            select(func.count(func.distinct(SubmittedRating.case_id))).where(
                SubmittedRating.case_id.in_(finalized)
            )
        )
        overrides = db.session.scalar(
            select(func.count()).where(
                ItemReview.case_id.in_(finalized), ItemReview.override_rating.is_not(None)
            )
        )
    assert kept == len(finalized) and overrides >= 1
    login(client, "qa")
    html = client.get(f"{SITE}/quality").get_data(as_text=True)
    assert "How often QA changed a rating" in html and "Riley Reviewer" in html
    overridden = sum(int(n) for n in re.findall(r"<td>\d+</td><td>(\d+) \(", html)[:18])
    assert overridden >= overrides
    agreement = client.get(f"{SITE}/quality/agreement").get_data(as_text=True)
    assert "Cohen’s kappa" in agreement and "Gwet’s AC1" in agreement
    percents = [float(p) for p in re.findall(r"<td>(\d+\.\d)%</td>", agreement)]
    assert percents and min(percents) < 100  # each override is a disagreement


def test_open_comments_and_cases_waiting_are_listed(demo, client):
    add_finalized(demo, 1, start=30, stage="qa1")  # QA leaves a thread on item 14 open
    login(client, "admin")
    html = client.get(f"{SITE}/quality").get_data(as_text=True)
    opened = html.split("Open comments")[1].split("How often QA")[0]
    assert "FC-CQI-131" in opened and "Item 14" in opened and "Quinn Quality" in opened
    waiting = html.split("Cases per status")[1]
    assert re.search(r"In QA, level 1</a></th>\s*<td>1</td>\s*<td>today</td>", waiting)


def test_a_wrong_period_is_named_and_the_latest_shown(demo, client):
    login(client, "observer")
    for url in (f"{SITE}/quality?period=abc", f"{SITE}/quality/agreement?period=99999"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no such review period" in response.get_data(as_text=True)


def test_report_pages_issue_the_same_number_of_queries_however_many_cases(demo):
    client = demo.test_client()
    login(client, "qa")
    urls = [f"{SITE}/quality", f"{SITE}/quality/agreement"]

    add_finalized(demo, 2)
    before = statements_per_page(demo, client, urls)
    add_finalized(demo, 3, start=60)
    assert statements_per_page(demo, client, urls) == before


def _finalized_by_type(app) -> dict[str, int]:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        return dict(
            db.session.execute(
                select(Case.case_type, func.count())
                .where(Case.site_id == site.id, Case.status == "finalized", ~Case.is_key)
                .group_by(Case.case_type)
            ).all()
        )


def _row(html: str, heading: str, label: str) -> list[str]:
    """The cells of the row headed ``label`` in the section after ``heading``."""
    section = html.split(heading, 1)[1]
    row = re.search(rf'<th scope="row">{re.escape(label)}[^<]*</th>(.*?)</tr>', section, re.S)
    assert row, f"no row {label!r} after {heading!r}"
    return re.findall(r"<td[^>]*>([^<]*)", row.group(1))


def test_an_item_counts_only_the_case_types_it_applies_to(demo, client):
    """Item 4 is for foster care cases: in-home cases are not among its ratings."""
    add_finalized(demo, 6)  # foster care and in-home cases
    by_type = _finalized_by_type(demo)
    assert by_type.get("in_home") and by_type.get("foster_care")
    login(client, "qa")
    report = client.get(f"{SITE}/quality").get_data(as_text=True)
    assert int(_row(report, "Per item", "Item 4:")[0]) == by_type["foster_care"]
    # Item 1 applies to both case types: every finalized case has its rating.
    assert int(_row(report, "Per item", "Item 1:")[0]) == sum(by_type.values())
    agreement = client.get(f"{SITE}/quality/agreement").get_data(as_text=True)
    assert int(_row(agreement, "Per item", "Item 4:")[1]) == by_type["foster_care"]
