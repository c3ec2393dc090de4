"""Kept pages: served again only to the same session and roles while the site is unchanged."""

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import STATUS_LABELS
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.core.test_query_counts import counted
from tests.qa.conftest import SITE, act


def _membership_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Membership.id)
            .join(Membership.user)
            .where(User.username == username, Membership.site_id == site_by_slug("demo", "cfsr").id)
        )


def _visit(app, client, url: str, fresh: bool) -> tuple[str, int]:
    with counted(app, fresh_pages=fresh) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


@pytest.mark.parametrize("page", ["cases/{case}", "performance", "reports/cases/{case}/summary"])
def test_a_kept_page_is_the_same_page_for_a_few_statements(demo, clients, complete_case, page):
    url = f"{SITE}/{page.format(case=complete_case)}"
    client = clients("admin")
    rendered, rendering = _visit(demo, client, url, fresh=True)
    kept, keeping = _visit(demo, client, url, fresh=False)
    assert kept == rendered
    # The user with their roles, and the site with its version.
    assert keeping <= 2 < rendering


def test_a_change_on_the_site_shows_at_once(demo, clients, complete_case):
    url = f"{SITE}/cases/{complete_case}"
    reviewer, qa = clients("reviewer"), clients("qa")
    before, _ = _visit(demo, qa, url, fresh=True)
    act(reviewer, demo, complete_case, "submit")
    after, statements = _visit(demo, qa, url, fresh=False)
    assert statements > 2
    assert STATUS_LABELS["in_progress"] in before and STATUS_LABELS["submitted"] in after


def test_each_person_gets_their_own_page(demo, clients, complete_case):
    url = f"{SITE}/cases/{complete_case}"
    reviewer_page, _ = _visit(demo, clients("reviewer"), url, fresh=True)
    observer_page, _ = _visit(demo, clients("observer"), url, fresh=False)
    assert (
        "Olive Observer" in observer_page
        and "Riley Reviewer" not in observer_page.split("</header>")[0]
    )
    assert observer_page != reviewer_page


def test_a_new_session_of_the_same_person_gets_a_page_with_its_own_token(demo, complete_case):
    url = f"{SITE}/cases/{complete_case}"
    first, second = demo.test_client(), demo.test_client()
    login(first, "qa")
    login(second, "qa")
    with first.session_transaction() as one, second.session_transaction() as two:
        one["csrf_token"], two["csrf_token"] = "a" * 40, "b" * 40
    one_page, _ = _visit(demo, first, url, fresh=True)
    two_page, statements = _visit(demo, second, url, fresh=False)
    assert statements > 2  # rendered for this session, not taken from the other one
    assert one_page != two_page


def test_a_role_taken_away_is_refused_at_once(demo, clients, complete_case):
    url = f"{SITE}/cases/{complete_case}"
    observer = clients("observer")
    _visit(demo, observer, url, fresh=True)
    membership = _membership_id(demo, "observer")
    removed = clients("admin").post(f"{SITE}/admin/users/{membership}/remove", data={})
    assert removed.status_code == 302
    response = observer.get(url)  # removing access ends the person's sessions
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_role_given_changes_the_page(demo, clients, complete_case):
    url = f"{SITE}/cases/{complete_case}"
    observer = clients("observer")
    before, _ = _visit(demo, observer, url, fresh=True)
    membership = _membership_id(demo, "observer")
    response = clients("admin").post(
        f"{SITE}/admin/users/{membership}", data={"state_admin": "y", "observer": "y"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    after, statements = _visit(demo, observer, url, fresh=False)
    assert statements > 2 and after != before


def test_a_waiting_message_is_shown_on_a_kept_page(demo, clients, complete_case):
    url = f"{SITE}/cases/{complete_case}"
    client = clients("reviewer")
    _visit(demo, client, url, fresh=True)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Saved just now.")]
    page, _ = _visit(demo, client, url, fresh=False)
    assert "Saved just now." in page
    again, _ = _visit(demo, client, url, fresh=False)
    assert "Saved just now." not in again


def test_the_cache_can_be_turned_off(demo, clients, complete_case):
    url = f"{SITE}/cases/{complete_case}"
    client = clients("admin")
    demo.config["PAGE_CACHE_SECONDS"] = 0
    demo.extensions["page_cache"].seconds = 0
    try:
        _, first = _visit(demo, client, url, fresh=True)
        _, second = _visit(demo, client, url, fresh=False)
    finally:
        demo.extensions["page_cache"].seconds = demo.config["PAGE_CACHE_SECONDS"] = 300
    assert second == first > 2
