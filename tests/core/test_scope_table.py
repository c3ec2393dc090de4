"""The route table for limited people: only their scope's rows, and nothing outside it by id.

For every route of the route table (tests/core/test_access_table.py) and each limited
person (tests/core/scope_people.py): a URL naming an object of the Southern region
answers exactly as a URL naming no object at all, and every page, download and API
answer they may open shows no case, local site, interview or person outside their scope.
"""

import html
import re
from io import BytesIO

import pytest
from flask import Flask

from tests.conftest import TEST_CONFIG
from tests.core.scope_people import (
    JOBS_DIR,
    MADE,
    OUTSIDE,
    PEOPLE,
    SOUTH_INTERVIEW,
    Prepared,
    prepared,
)
from tests.core.test_access_table import ACCESS, SITE_KINDS, _snapshot, _url

# URL arguments naming an object that lies in one local site, or that names cases of one.
SCOPED = {
    "case_id": "a case is in one local site",
    "thread_id": "a QA thread is on a case or an interview",
    "interview_id": "an interview is in one local site",
    "membership_id": "a person's access: a limited administrator manages only their scope's",
    "local_site_id": "a local site, of a region",
    "entry_id": "a caseload move names the cases it moved",
    "request_id": "an access request asks for some local sites (and is its asker's own)",
}
# URL arguments naming objects of the whole site, or of one person: the same for anyone
# who may open them. Their pages' rows are checked by test_a_limited_person_sees_only_their_scope.
SITE_WIDE = {
    "period_id": "a review period covers every local site of the site",
    "plan_id": "an improvement plan is the site's",
    "analysis_id": "a saved analysis is its author's own and holds choices, not rows",
    "token_id": "an API token is its owner's own",
    "job_id": "a job is its starter's own (its rows are checked on each person's own jobs)",
    "notice_id": "a notice is its recipient's own",
    "key_id": "answer keys are on the Training site, where no limited person has access",
    "user_id": "a person's account, on system pages and the Training site's",
    "code": "a jurisdiction, on system pages",
    "token": "a password link, whose token is the credential",
    "region_id": "regions are managed by administrators of the whole site alone",
}
# Routes with a scoped argument that no limited person may call at all: each answers
# them alike for an object inside or outside their scope (403), and nothing is reached.
CLOSED_TO_LIMITED = {
    "sites.edit_local_site": "local sites are edited by administrators of the whole site",
}
# Arguments that name no object: the site, an instrument item, a figure's dimension.
NOT_OBJECTS = {"jurisdiction", "kind", "item_id", "factor_id", "dimension", "fmt"}
MISSING = 987654321
# A limited person may be refused a page their unlimited twin opens (a reviewer not
# assigned to the case, a limited administrator kept from site-wide settings), but a
# 404 for an object inside their scope is a fault.
#
# A person limited to the Southern region is offered nowhere people are managed or chosen
# for cases and interviews of the scope (a limited state administrator manages only the
# people of their scope; a case's reviewer must reach it). Figures' reviewer filters may
# list people site-wide: people are not rows.
PEOPLE_PAGES = {
    "cases.edit",
    "cases.import_file",
    "cases.new",
    "interviews.edit",
    "interviews.new",
    "members.edit",
    "members.grant",
    "members.import_csv",
    "members.index",
    "members.new",
    "qa.caseload",
    "qa.caseload_move",
    "qa.hand_over",
}
SOUTH_PERSON = MADE["reviewer_south"][0]
# Pages that may name a place outside the scope, and why: (endpoint, person) -> words.
ALL_PLACES = {"Baker County", "Clark County", "Dawson County"}
EXCEPTIONS: dict[tuple[str, str], tuple[set[str], str]] = {
    **{
        ("periods.index", who): (
            ALL_PLACES,
            "a period is the site's: it names every local site it covers",
        )
        for who in PEOPLE
    },
    **{
        (endpoint, "admin_north"): (
            ALL_PLACES,
            "a period is the site's: who may edit one chooses among all the site's local sites",
        )
        for endpoint in ("periods.new", "periods.edit")
    },
    **{
        ("access_requests.ask", who): (
            ALL_PLACES | {"Southern region"},
            "asking for access: the form offers every place of the site one may ask for",
        )
        for who in PEOPLE
    },
}


def _rules() -> dict[str, set[str]]:
    from review_app import create_app

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return {rule.endpoint: set(rule.arguments) for rule in app.url_map.iter_rules()}


RULES = _rules()


def _on_cqi(endpoint: str) -> bool:
    """Tell whether the route is tried on the CQI site, where the limited people are."""
    blueprint = endpoint.partition(".")[0]
    return SITE_KINDS.get(endpoint, SITE_KINDS.get(blueprint)) is None


OUT_OF_SCOPE_ROUTES = sorted(
    key for key in ACCESS if RULES[key[0]] & SCOPED.keys() and _on_cqi(key[0])
)
READ_ROUTES = sorted(
    key
    for key in ACCESS
    if key[1] == "GET"
    and _on_cqi(key[0])
    and (
        key[0].startswith("api.")
        or "job_id" in RULES[key[0]]
        or any(like in ACCESS[key] for like in PEOPLE.values())
    )
)


@pytest.fixture
def scoped(demo, monkeypatch) -> Prepared:
    """The scope table's data (tests/core/scope_people.py), its jobs' files kept apart."""
    monkeypatch.setitem(demo.config, "JOBS_DIR", JOBS_DIR / demo.config["TEST_DATABASE"])
    return prepared(demo)


def test_every_url_argument_is_classified():
    known = SCOPED.keys() | SITE_WIDE.keys() | NOT_OBJECTS
    unknown = {
        f"{endpoint}: {name}"
        for endpoint, _ in ACCESS
        for name in RULES[endpoint]
        if name not in known
    }
    assert not unknown, "say whether these name an object of a local site (SCOPED) or not"


def _call(app: Flask, data: Prepared, who: str, url: str, method: str = "GET"):
    client = app.test_client()
    headers = {}
    if url.startswith("/api/"):
        headers["Authorization"] = f"Bearer {data.tokens[who]}"
    else:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], data.cookies[who])
    return client.open(url, method=method, data={}, headers=headers, buffered=True)


def _missing(ids: dict, endpoint: str) -> dict:
    blueprint = endpoint.partition(".")[0]
    names = RULES[endpoint] & SCOPED.keys()
    return {**ids, **{n: MISSING for n in names}, **{f"{blueprint}:{n}": MISSING for n in names}}


def _outside(data: Prepared, who: str) -> list[dict]:
    """Return the ids of objects outside ``who``'s scope: Southern; Baker County's too."""
    return [data.south, data.baker] if who == "leader" else [data.south]


@pytest.mark.one_database
@pytest.mark.parametrize(("endpoint", "method"), OUT_OF_SCOPE_ROUTES)
def test_an_object_outside_the_scope_answers_as_a_missing_one(demo, scoped, endpoint, method):
    data = scoped
    missing_url = _url(demo, endpoint, _missing(data.south, endpoint))
    before = _snapshot(demo) if method == "POST" else None
    wrong, reached = [], False
    for who in PEOPLE:
        for ids in _outside(data, who):
            url = _url(demo, endpoint, ids)
            missing = _call(demo, data, who, missing_url, method)
            outside = _call(demo, data, who, url, method)
            reached = reached or missing.status_code == 404
            if outside.status_code != missing.status_code:
                wrong.append(
                    f"{who}: {outside.status_code} for {url} where a missing one gives "
                    f"{missing.status_code}"
                )
            elif _without_form_keys(outside) != _without_form_keys(missing):
                wrong.append(f"{who}: {url} answers another body than a missing one's")
    changed = before is not None and _snapshot(demo) != before
    reached = reached or endpoint in CLOSED_TO_LIMITED
    assert reached, f"no limited person reaches {endpoint}'s object: choose other ids"
    assert not wrong and not changed, f"{method} {endpoint}: " + "; ".join(
        [*wrong, *(["and data changed"] if changed else [])]
    )


def _without_form_keys(response) -> bytes:
    """Return the body without its forms' CSRF tokens (new in every answer)."""
    return re.sub(rb'name="csrf_token" value="[^"]*"', b"", response.get_data())


def body_text(response) -> str:
    """Return the words of a page, CSV, JSON, workbook or PDF, spaces collapsed."""
    data = response.get_data()
    if response.mimetype == "application/pdf":
        from pypdf import PdfReader

        text = " ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    elif response.mimetype.endswith("spreadsheetml.sheet"):
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(data), read_only=True)
        text = " ".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    elif response.mimetype.startswith(("text/", "application/json")):
        text = html.unescape(data.decode())
    else:  # an icon
        text = ""
    return " ".join(text.split())


def forbidden(data: Prepared, who: str, endpoint: str) -> re.Pattern:
    """Return the pattern of what ``who`` must not see: rows and places outside their scope."""
    places = OUTSIDE[who]
    numbers = [n for place in places for n in data.numbers.get(place, [])]
    words = [*places, "Southern region", SOUTH_INTERVIEW]
    if endpoint in PEOPLE_PAGES:
        words.append(SOUTH_PERSON)
    number_part = "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
    word_part = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w-])(?:{number_part})(?!\d)|{word_part}")


def leaks(data: Prepared, who: str, endpoint: str, response) -> list[str]:
    allowed, _reason = EXCEPTIONS.get((endpoint, who), (set(), ""))
    found = {m.group(0) for m in forbidden(data, who, endpoint).finditer(body_text(response))}
    return sorted(found - allowed)


def _reads(app: Flask, data: Prepared, endpoint: str, method: str):
    """Yield (person, URL) to read: with in-scope ids, a person's own jobs, a query's rows."""
    for who, like in PEOPLE.items():
        if "job_id" in RULES[endpoint]:
            for job_id in data.jobs[who]:
                yield who, _url(app, endpoint, {**data.ids, "job_id": job_id})
        elif endpoint.startswith("api.") or like in ACCESS[(endpoint, method)]:
            url = _url(app, endpoint, data.ids)
            for query in data.queries.get(endpoint, [""]):
                yield who, url + query


@pytest.mark.one_database
@pytest.mark.parametrize(("endpoint", "method"), READ_ROUTES)
def test_a_limited_person_sees_only_their_scope(demo, scoped, endpoint, method):
    data = scoped
    wrong = []
    for who, url in _reads(demo, data, endpoint, method):
        response = _call(demo, data, who, url)
        if response.status_code == 404 or response.status_code >= 500:
            wrong.append(f"{who}: {response.status_code} for {url}, inside their scope")
        elif response.status_code == 200 and (found := leaks(data, who, endpoint, response)):
            wrong.append(f"{who}: {url} shows {', '.join(found[:6])}")
    assert not wrong, f"{method} {endpoint}: " + "; ".join(wrong)


# Pages listing cases or interviews, where an unlimited person sees Southern rows.
CONTROLS = [
    "analysis.cases_download",
    "api.cases",
    "cases.index",
    "exports.source",
    "interviews.index",
    "performance.breakdown",
    "performance.cases",
    "performance.cases_download",
    "plans.progress_xlsx",
]


@pytest.mark.one_database
@pytest.mark.parametrize("endpoint", CONTROLS)
def test_the_check_finds_rows_an_unlimited_person_sees(demo, scoped, endpoint):
    data = scoped
    url = _url(demo, endpoint, data.ids) + data.queries.get(endpoint, [""])[0]
    everything = _call(demo, data, "qa", url)
    assert everything.status_code == 200
    assert leaks(data, "qa_north", endpoint, everything), "qa sees the Southern rows"
    limited = _call(demo, data, "qa_north", url)
    assert limited.status_code == 200
    assert not leaks(data, "qa_north", endpoint, limited)


@pytest.mark.one_database
def test_figures_count_the_cases_of_the_scope_alone(demo, scoped):
    data = scoped
    url = _url(demo, "api.performance", data.ids)
    counted = {
        who: _call(demo, data, who, url).get_json()["cases"] for who in ("qa", "qa_north", "leader")
    }
    finalized = data.finalized
    assert counted == {
        "qa": sum(finalized.values()),
        "qa_north": finalized["Adams County"] + finalized["Baker County"],
        "leader": finalized["Adams County"],
    }
