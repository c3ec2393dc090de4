"""The agreement page: forced Not Applicable ratings, credit after a caseload move, trends."""

import re
from datetime import date, datetime

from sqlalchemy import select, update

from review_app.accounts.models import User
from review_app.cases.operations import create_case
from review_app.demo.cases import case_facts, rate_fully
from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.periods.operations import create_period
from review_app.periods.queries import periods
from review_app.qa.operations import move_caseload, transition
from review_app.ratings.models import SubmittedRating
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.core.test_query_counts import statements_per_page
from tests.performance.conftest import SITE, add_finalized
from tests.quality.test_reports import _finalized_by_type, _row


def _people() -> dict[str, User]:
    return {
        user.username: user
        for user in db.session.scalars(
            select(User).where(User.username.in_(["admin", "reviewer", "reviewer2", "qa"]))
        )
    }


def _new_period(app, name: str = "Agreement check") -> int:
    """Open an empty period on the demo CQI site; return its id."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        local_sites = periods(site)[-1].local_sites
        period = create_period(
            None, site, name, date(2026, 1, 1), date(2026, 6, 30), "cfsr-round4", local_sites
        )
        db.session.commit()
        return period.id


def _submitted_then_moved(app, period_id: int, index: int = 40) -> int:
    """Riley submits a case alone; it moves to Robin; QA finalizes it unchanged."""
    with app.app_context():
        people = _people()
        period = db.session.get(ReviewPeriod, period_id)
        case = create_case(None, period, case_facts(period, index, [people["reviewer"]]))
        rate_fully(people["reviewer"], case, index, no_rate=0.2)
        transition(people["reviewer"], case, "submit")
        moved, _ = move_caseload(
            people["admin"], period.site, people["reviewer"], people["reviewer2"], {case.id}
        )
        assert [c.id for c in moved] == [case.id]
        assert [u.username for u in case.reviewers] == ["reviewer2"]
        transition(people["qa"], case, "take")
        transition(people["qa"], case, "finalize")
        db.session.commit()
        return case.id


def _page(client, **args) -> str:
    response = client.get(f"{SITE}/quality/agreement", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _people_rows(html: str) -> list[str]:
    section = html.split("<h2>Per reviewer</h2>", 1)[1].split('id="over-time"', 1)[0]
    return re.findall(r'<th scope="row">([^<]+)</th>', section)


def test_forced_not_applicable_ratings_are_left_out_unless_asked_for(demo, client):
    add_finalized(demo, 6)
    by_type = _finalized_by_type(demo)
    login(client, "qa")
    default = _page(client)
    assert "In effect:</strong> Not Applicable ratings forced by the case type are left out" in (
        default
    )
    assert "items 4, 5, 6, 7, 8, 9, 10, 11 on in-home services cases" in default
    assert int(_row(default, "Per item", "Item 4:")[1]) == by_type["foster_care"]
    included = _page(client, forced_na="include")
    assert "are counted, each as an agreement" in included
    assert re.search(r'id="forced-na-in"[^>]*checked', included)
    assert int(_row(included, "Per item", "Item 4:")[1]) == sum(by_type.values())
    # Item 4 can be Not Applicable only on in-home cases: two ratings, then three.
    assert _row(default, "Per item", "Item 4:")[0].startswith("Strength or Area")
    assert "or Not Applicable" in _row(included, "Per item", "Item 4:")[0]
    # Item 3 is never Not Applicable: two ratings either way.
    assert "never Not Applicable" in _row(included, "Per item", "Item 3:")[0]


def test_an_empty_period_says_so_and_a_single_case_gives_words_not_errors(demo, client):
    period_id = _new_period(demo)
    login(client, "observer")
    empty = _page(client, period=period_id)
    assert "No finalized case yet." in empty
    assert "no rating to compare" in _row(empty, "All items together", "Every item")[1]
    _submitted_then_moved(demo, period_id)
    one = _page(client, period=period_id)
    assert _people_rows(one) == ["Riley Reviewer"]  # one reviewer only
    overall = _row(one, "All items together", "Every item")
    assert overall[0] == "1" or int(overall[0]) > 1
    assert overall[1] == "100.0%"
    assert "no interval: every rating agreed" in one
    # An item rated the same on its only case: kappa is not defined, and the page says why.
    item_3 = _row(one, "Per item", "Item 3:")
    assert (
        item_3[1] == "1"
        and "not defined: every rating, first and final, was the same" in (item_3[3])
    )


def test_agreement_credits_the_reviewer_who_submitted_not_the_one_the_case_moved_to(demo, client):
    period_id = _new_period(demo)
    case_id = _submitted_then_moved(demo, period_id)
    with demo.app_context():
        people = _people()
        credited = set(
            db.session.scalars(
                select(SubmittedRating.submitted_by_id).where(SubmittedRating.case_id == case_id)
            )
        )
    assert credited == {people["reviewer"].id}
    login(client, "qa")
    assert _people_rows(_page(client, period=period_id)) == ["Riley Reviewer"]
    qa_report = client.get(f"{SITE}/quality", query_string={"period": period_id})
    changes = qa_report.get_data(as_text=True).split("Per reviewer, credited", 1)[1]
    assert "Riley Reviewer" in changes and "Robin Reviewer" not in changes


def test_each_reviewer_is_shown_per_quarter_of_first_submission(demo, client):
    add_finalized(demo, 3)  # submitted now by Riley, alone or with Robin beside her
    period_id = _new_period(demo)
    case_id = _submitted_then_moved(demo, period_id)
    with demo.app_context():
        db.session.execute(
            update(SubmittedRating)
            .where(SubmittedRating.case_id == case_id)
            .values(submitted_at=datetime(2026, 2, 10, 9, 0))
        )
        db.session.commit()
    login(client, "admin")
    html = _page(client, period=period_id)
    trend = html.split('id="over-time"', 1)[1]
    quarters = re.findall(r'<th scope="col">(\d{4} Q\d)</th>', trend)
    assert quarters[0] == "2026 Q1" and len(quarters) >= 2 and quarters == sorted(quarters)
    riley = re.search(r'<th scope="row">Riley Reviewer</th>(.*?)</tr>', trend, re.S).group(1)
    first = re.findall(r"<td>(.*?)</td>", riley, re.S)[0]
    assert first.startswith("100.0%") and "ratings" in first
    assert "%" in re.findall(r"<td>(.*?)</td>", riley, re.S)[-1]  # this quarter's cases
    # Robin shares cases and holds the moved one, but submitted none: she has no row.
    assert "Robin Reviewer" not in trend


def test_the_trend_and_switch_keep_the_statement_count_bounded(demo):
    client = demo.test_client()
    login(client, "qa")
    with demo.app_context():
        shown = periods(site_by_slug("demo", "cqi"))[-1].id
    urls = [
        f"{SITE}/quality/agreement?period={shown}",
        f"{SITE}/quality/agreement?period={shown}&forced_na=include",
    ]

    add_finalized(demo, 2)
    before = statements_per_page(demo, client, urls)
    add_finalized(demo, 3, start=60)
    _submitted_then_moved(demo, _new_period(demo, "Another period"))  # the trend spans both
    assert statements_per_page(demo, client, urls) == before


def test_no_figure_on_the_page_rounds_a_disagreement_away(demo, client):
    """100.0% and 1.000 appear only in rows where every rating agreed."""
    add_finalized(demo, 4)
    login(client, "qa")
    html = _page(client, forced_na="include")
    checked = 0
    for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", html, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        if len(cells) >= 4 and cells[-4].isdigit() and "100.0%" not in cells[-3]:
            assert re.fullmatch(r"\d{1,2}\.\d%", cells[-3])  # one decimal, below 100
            assert "1.000" not in cells[-2].split("<br>")[0]
            assert "1.000" not in cells[-1].split("<br>")[0]
            checked += 1
    assert checked  # the QA overrides made some rows disagree


def test_ratings_naming_no_submitter_count_once_per_item_and_for_each_reviewer(demo, client):
    """Ratings kept before submitters were recorded fall back to the case's reviewers."""
    period_id = _new_period(demo)
    with demo.app_context():
        people = _people()
        period = db.session.get(ReviewPeriod, period_id)
        pair = [people["reviewer"], people["reviewer2"]]
        case = create_case(None, period, case_facts(period, 41, pair))
        rate_fully(people["reviewer"], case, 41, no_rate=0.2)
        transition(people["reviewer"], case, "submit")
        transition(people["qa"], case, "take")
        transition(people["qa"], case, "finalize")
        db.session.execute(
            update(SubmittedRating)
            .where(SubmittedRating.case_id == case.id)
            .values(submitted_by_id=None)
        )
        db.session.commit()
    login(client, "qa")
    html = _page(client, period=period_id)
    assert _row(html, "Per item", "Item 1:")[1] == "1"
    assert _people_rows(html) == ["Riley Reviewer", "Robin Reviewer"]


def test_an_unknown_switch_value_shows_the_usual_choice(demo, client):
    login(client, "observer")
    for args in ({"forced_na": "yes please"}, {"forced_na": "include", "period": "abc"}):
        html = _page(client, **args)
        assert "<strong>In effect:</strong>" in html
    assert "are left out" in _page(client, forced_na="yes please")
