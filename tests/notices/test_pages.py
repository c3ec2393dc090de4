"""The notifications pages: the header's unread count, opening, marking read, preferences."""

import re

from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.core.unit import command_unit
from review_app.extensions import db
from review_app.notices.models import Notice, NoticePreference
from review_app.notices.operations import notify, site_path
from review_app.notices.states import Delivery, NoticeKind
from review_app.sites.queries import site_by_slug
from tests.core.test_query_counts import counted
from tests.interviews.conftest import user

SITE = "/demo/cqi"


def _tell(app, username: str, count: int = 1, kind: str = "cqi") -> list[int]:
    with app.app_context(), command_unit():
        site = site_by_slug("demo", kind)
        link = site_path(site, "cases.index")
        return [
            notify([user(username)], site, NoticeKind.CASE_ASSIGNED, f"Case N-{i} news.", link)[
                0
            ].id
            for i in range(count)
        ]


def _badge(page: str) -> str | None:
    found = re.search(r"Notifications(, <span[^>]*>(\d+) unread</span>)?</span></a>", page)
    return found.group(2) if found else None


def test_the_header_counts_unread_notices_in_words(demo, clients):
    reviewer = clients("reviewer")
    assert _badge(reviewer.get(f"{SITE}/").get_data(as_text=True)) is None
    _tell(demo, "reviewer", 3)
    page = reviewer.get(f"{SITE}/").get_data(as_text=True)
    assert _badge(page) == "3"
    assert "Notifications, <span" in page  # the accessible name reads "Notifications, 3 unread"
    # Another site's notices are not counted here; nor are another person's.
    _tell(demo, "reviewer", 2, kind="cfsr")
    _tell(demo, "reviewer2", 4)
    assert _badge(reviewer.get(f"{SITE}/").get_data(as_text=True)) == "3"


def _read_entries(app) -> int:
    with app.app_context():
        return len(
            db.session.scalars(select(AuditEntry).where(AuditEntry.action == "notice.read")).all()
        )


def test_the_open_button_marks_a_notice_read_and_leads_to_its_page(demo, clients):
    (notice_id,) = _tell(demo, "reviewer")
    reviewer = clients("reviewer")
    listing = reviewer.get(f"{SITE}/notifications").get_data(as_text=True)
    assert "Case N-0 news." in listing and "Unread" in listing and "1 unread" in listing
    # A real button in a form, named with the notice for a screen reader's list of buttons.
    assert re.search(
        rf'<form method="post" action="{SITE}/notifications/{notice_id}/open"[^>]*>\s*'
        r'<input type="hidden" name="csrf_token"[^>]*>\s*'
        r'<button type="submit"[^>]* aria-label="Open: Case N-0 news.">Open</button>',
        listing,
    )
    response = reviewer.post(f"{SITE}/notifications/{notice_id}/open")
    assert response.status_code == 303 and response.location == f"{SITE}/cases"
    with demo.app_context():
        assert db.session.get(Notice, notice_id).read_at is not None
    assert _read_entries(demo) == 1
    assert _badge(reviewer.get(f"{SITE}/").get_data(as_text=True)) is None
    # Opened again: still leads there; nothing more is recorded.
    assert reviewer.post(f"{SITE}/notifications/{notice_id}/open").status_code == 303
    assert _read_entries(demo) == 1


def test_following_a_notices_link_changes_nothing(demo, clients):
    """The address in an email is a GET: it leads to the page and leaves the notice unread."""
    (notice_id,) = _tell(demo, "reviewer")
    reviewer = clients("reviewer")
    response = reviewer.get(f"{SITE}/notifications/{notice_id}")
    assert response.status_code == 302 and response.location == f"{SITE}/cases"
    with demo.app_context():
        assert db.session.get(Notice, notice_id).read_at is None
    assert _read_entries(demo) == 0
    assert _badge(reviewer.get(f"{SITE}/").get_data(as_text=True)) == "1"


def test_the_open_button_needs_the_forms_token(demo):
    from tests.conftest import dispose, make_app

    (notice_id,) = _tell(demo, "reviewer")
    app = make_app(demo.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True)
    try:
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', page).group(1)
        signed_in = client.post(
            "/login",
            data={"username": "reviewer", "password": "test-password-1", "csrf_token": token},
        )
        assert signed_in.status_code == 302
        url = f"{SITE}/notifications/{notice_id}/open"
        assert client.post(url).status_code == 400  # a forged post from another site
        with demo.app_context():
            assert db.session.get(Notice, notice_id).read_at is None
        listing = client.get(f"{SITE}/notifications").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
        assert client.post(url, data={"csrf_token": token}).status_code == 303
        with demo.app_context():
            assert db.session.get(Notice, notice_id).read_at is not None
    finally:
        dispose(app)


def test_nobody_opens_another_persons_notice_or_from_another_site(demo, clients):
    (notice_id,) = _tell(demo, "reviewer")
    assert clients("reviewer2").get(f"{SITE}/notifications/{notice_id}").status_code == 404
    assert clients("reviewer").get(f"/demo/cfsr/notifications/{notice_id}").status_code == 404
    assert clients("reviewer2").post(f"{SITE}/notifications/{notice_id}/open").status_code == 404
    assert clients("reviewer").post(f"/demo/cfsr/notifications/{notice_id}/open").status_code == 404
    listing = clients("reviewer2").get(f"{SITE}/notifications").get_data(as_text=True)
    assert "Case N-0 news." not in listing
    with demo.app_context():
        assert db.session.get(Notice, notice_id).read_at is None


def test_mark_all_read_needs_the_form_and_marks_only_mine_on_this_site(demo, clients):
    _tell(demo, "reviewer", 2)
    _tell(demo, "reviewer", 1, kind="cfsr")
    _tell(demo, "reviewer2", 1)
    reviewer = clients("reviewer")
    page = reviewer.get(f"{SITE}/notifications").get_data(as_text=True)
    assert "Mark all read" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = reviewer.post(f"{SITE}/notifications/read", data={"csrf_token": token})
    assert response.status_code == 303
    page = reviewer.get(response.location).get_data(as_text=True)
    assert "2 notifications marked read." in page and "0 unread" in page
    with demo.app_context():
        unread = db.session.scalars(select(Notice.site_id).where(Notice.read_at.is_(None))).all()
    assert len(unread) == 2  # reviewer's on CFSR and reviewer2's


def test_the_preferences_page_saves_a_choice_per_site(demo, clients):
    reviewer = clients("reviewer")
    page = reviewer.get(f"{SITE}/notifications/preferences").get_data(as_text=True)
    assert "<fieldset" in page and "<legend" in page
    assert re.search(r'value="daily"[^>]*checked|checked[^>]*value="daily"', page)  # default
    response = reviewer.post(f"{SITE}/notifications/preferences", data={"delivery": "at_once"})
    assert response.status_code == 303
    assert "Your choice is saved." in reviewer.get(response.location).get_data(as_text=True)
    with demo.app_context():
        preference = db.session.scalar(select(NoticePreference))
        assert preference.delivery == Delivery.AT_ONCE
        assert preference.site_id == site_by_slug("demo", "cqi").id
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "notice.preferences")
        )
        assert entry.before == {"delivery": "daily"} and entry.after == {"delivery": "at_once"}
    other = reviewer.get("/demo/cfsr/notifications/preferences").get_data(as_text=True)
    assert re.search(r'value="daily"[^>]*checked|checked[^>]*value="daily"', other)


def test_a_wrong_choice_is_refused_in_words(demo, clients):
    response = clients("reviewer").post(
        f"{SITE}/notifications/preferences", data={"delivery": "hourly"}
    )
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    with demo.app_context():
        assert db.session.scalar(select(NoticePreference)) is None


def test_an_observer_has_an_empty_page(demo, clients):
    page = clients("observer").get(f"{SITE}/notifications").get_data(as_text=True)
    assert "Observers are not sent notifications" in page
    assert "You have no notifications on this site." in page


def test_the_header_count_is_one_statement_however_many_notices(demo, clients):
    reviewer = clients("reviewer")
    url = f"{SITE}/periods"
    reviewer.get(url)
    with counted(demo) as none:
        assert reviewer.get(url).status_code == 200
    _tell(demo, "reviewer", 1)
    with counted(demo) as one:
        assert reviewer.get(url).status_code == 200
    _tell(demo, "reviewer", 20)
    with counted(demo) as many:
        assert reviewer.get(url).status_code == 200
    assert len(none) == len(one) == len(many)
    assert sum("notices" in statement for statement in many) == 1


def test_older_notices_are_on_further_pages(demo, clients, monkeypatch):
    from review_app.notices import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    _tell(demo, "reviewer", 5)
    reviewer = clients("reviewer")
    first = reviewer.get(f"{SITE}/notifications").get_data(as_text=True)
    assert "Page 1 of 3" in first and "Case N-4 news." in first and "Case N-0" not in first
    last = reviewer.get(f"{SITE}/notifications?page=3").get_data(as_text=True)
    assert "Case N-0 news." in last and "Previous page" in last
