"""No input produces a 500: every route, as a person allowed to use it, with bad input."""

import pytest

from tests.conftest import login
from tests.core.test_access_table import ACCESS, _client_of, _prepared, _url, _url_args

JUNK = {
    "name": "x" * 5000,
    "code": "<script>",
    "username": "../../etc",
    "display_name": "",
    "email": "not-an-email",
    "password": "\x00",
    "pur_start": "2026-02-30",
    "pur_end": "99999-01-01",
    "instrument_version": "nope",
    "local_site_ids": ["abc", "-1"],
    "case_number": "",
    "case_type": "sideways",
    "local_site_id": "NaN",
    "period_id": "1e9",
    "child_birth_date": "yesterday",
    "reviewer_ids": ["x"],
    "lock_version": "-5",
    "shown": "1A,ZZ,,",
    "1A": "99999999999999999999",
    "1-app": "perhaps",
    "rationale": "r" * 20000,
    "action": "launch",
    "status_version": "abc",
    "reason": "y" * 5000,
    "reason_code": "bogus",
    "question_id": "nope",
    "body": "",
    "rating": "excellent",
    "from_user": "0",
    "to_user": "abc",
    "qa_level": "7",
    "active": "maybe",
    "kinds": ["moon"],
    "state_admin": "y",
    "current_password": "",
    "new_password": "a",
    "confirm_password": "b",
    "held_on": "2026-02-30",
    "title": "t" * 5000,
    "stakeholder_types": ["moon", ""],
    "interviewer_id": "99999999999999999999",
    "official_note_taker_id": "-1",
    "supporting_ids": ["abc", "99999999999"],
    "note-20": "n" * 25000,
    "note-99": "x",
    "is_done": "maybe",
    "item_id": "nope",
    "interview_ids": ["x", "99999999999999"],
    "case_id": "99999999999999999999",
    "explain__item": "e" * 20000,
    "explain__1A": "<b>" * 2000,
    "file": "not-a-file",
}
QUERIES = (
    "?page=-1&q=%25_%27&role=emperor&status=zzz&period=999999999999&type=x&sort=x&dir=up"
    "&since=2026-13-45&until=9999-12-31&actor=%00"
)
# Digits int() cannot read although str.isdigit() accepts them.
ODD_DIGITS = "?page=%C2%B2&period=%C2%B2&reviewer=%C2%B3&local_site=%C2%B9&case_id=%C2%B2"
WHO = {"admin": "admin", "reviewer": "reviewer", "qa": "qa", "sysadmin": "sysadmin"}


@pytest.mark.parametrize(("endpoint", "method"), sorted(ACCESS))
def test_bad_input_never_gives_a_server_error(demo, endpoint, method):
    allowed = sorted(ACCESS[(endpoint, method)] - {"anonymous", "observer", "outsider"})
    ids, cookies = _prepared(demo)
    url = _url(demo, endpoint, ids)
    for who in allowed[:2]:
        client = _client_of(demo, who, cookies)
        response = (
            client.get(url + QUERIES, buffered=True)
            if method == "GET"
            else client.post(url, data=JUNK)
        )
        assert response.status_code < 500, f"{who} {method} {url}: {response.status_code}"
        if method == "GET":
            odd = client.get(url + ODD_DIGITS, buffered=True)
            assert odd.status_code < 500, f"{who} GET {url}{ODD_DIGITS}: {odd.status_code}"


def _int_arguments(app, endpoint: str) -> list[str]:
    rule = next(app.url_map.iter_rules(endpoint))
    return [name for name, converter in rule._converters.items() if converter.regex == r"\d+"]


def test_an_id_too_large_for_the_database_is_not_found(demo):
    """Every route with an id, given one past the database's range, answers as for no such thing."""
    clients = {}
    for who in ("admin", "sysadmin"):
        clients[who] = demo.test_client()
        login(clients[who], who)
    wrong = []
    args = _url_args(demo)  # the same real ids for every route; the ones tried are replaced
    for endpoint, method in sorted(ACCESS):
        names = _int_arguments(demo, endpoint)
        url = _url(demo, endpoint, {**args, **{name: 10**20 for name in names}})
        if not names or str(10**20) not in url:
            continue  # no id, or ids taken from a practice case (see _url)
        client = clients["sysadmin" if endpoint.startswith("system.") else "admin"]
        response = client.get(url) if method == "GET" else client.post(url, data={})
        if response.status_code not in (404, 405):
            wrong.append(f"{method} {url}: {response.status_code}")
    assert wrong == []


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/demo/cfsr/cases/import", {"period_id": "PERIOD"}),
        ("/demo/cfsr/admin/users/import", {}),
    ],
)
def test_a_file_with_nul_characters_is_refused_with_a_message(demo, url, fields):
    import io

    from sqlalchemy import select

    from review_app.extensions import db
    from review_app.periods.models import ReviewPeriod
    from review_app.sites.queries import site_by_slug

    with demo.app_context():
        period_id = db.session.scalar(
            select(ReviewPeriod.id).where(ReviewPeriod.site_id == site_by_slug("demo", "cfsr").id)
        )
    client = demo.test_client()
    login(client, "admin")
    content = b"case_number,case_type,local_site,child_name\nN\x00-1,in_home,001,A.A.\n"
    data = {k: str(period_id) if v == "PERIOD" else v for k, v in fields.items()}
    data["file"] = (io.BytesIO(content), "sample.csv")
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 303  # the import's job (run at once in tests) refuses it
    page = client.get(response.location).get_data(as_text=True)
    assert "Nothing was imported from sample.csv" in page and "NUL characters" in page


def test_a_field_with_a_nul_character_is_refused(demo, client):
    login(client, "admin")
    response = client.get("/demo/cqi/admin/audit?actor=%00")
    assert response.status_code == 400


def test_a_json_body_sent_to_a_form_is_refused(demo, client):
    """Forms read fields: a JSON body (a list, numbers, objects) is not taken for them."""
    assert client.post("/login", json=[1, 2]).status_code == 415
    login(client, "admin")
    response = client.post("/demo/cqi/cases/new", json={"case_number": 5, "case_type": None})
    assert response.status_code == 415
    assert "That kind of request is not taken here" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/a%00b/cqi/"),
        (None, "/api/v1/demo/c%00/cases"),
        ("sysadmin", "/system/jurisdictions/a%00"),
    ],
)
def test_a_nul_character_in_the_address_matches_no_page(demo, client, who, url):
    if who:
        login(client, who)
    assert client.get(url).status_code == 404


def test_edit_numbers_past_the_database_range_are_refused_as_out_of_date(demo, client):
    """A version sent back by a form is compared in SQL: one too large to store is stale."""
    from tests.ratings.test_item_pages import _case_of, _post_item

    login(client, "reviewer")
    case_id = _case_of(demo, "reviewer")
    saved = _post_item(client, case_id, "1", {"1-app": "no"}, lock_version=2**31)
    assert saved.status_code == 409
    admin = demo.test_client()
    login(admin, "admin")
    moved = admin.post(
        f"/demo/cqi/cases/{case_id}/status",
        data={"action": "eliminate", "confirmed": "1", "reason_code": "other", "reason": "x",
              "status_version": str(2**31)},
    )  # fmt: skip
    assert moved.status_code == 302
    page = admin.get(moved.location).get_data(as_text=True)
    assert "changed this case&#39;s status a moment ago; nothing was done" in page


def test_a_file_name_with_a_nul_character_is_refused(demo, client):
    import io

    login(client, "admin")
    data = {"file": (io.BytesIO(b"username\n"), "a\x00b.csv")}
    response = client.post(
        "/demo/cfsr/admin/users/import", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 400
