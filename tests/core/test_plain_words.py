"""No page, message or PDF shows an internal id: question ids, audit actions, raw statuses.

Each role walks the demo (following the links it is shown, a couple of pages of
each kind), then the pages a walk does not reach: an item page with errors, the
audit log filtered, a status change's message, the PDFs. The text a person reads
(tags, attributes, scripts and code samples left out) is checked for id patterns.
"""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.extensions import db
from tests.conftest import login
from tests.ratings.test_completeness import _fill
from tests.ratings.test_item_pages import _case_of
from tests.reports.conftest import cqi_period_id, make_finalized, make_period_pdf

ID_PATTERNS = {
    "question id": re.compile(r"\b\d+-[a-z]+(?:-[a-z0-9]+)*\b"),
    "face sheet id": re.compile(r"\bFS-[A-Za-z]"),
    "audit action": re.compile(r"\b[a-z]+\.[a-z_]+\b"),
    "raw value": re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\bqa[12]\b|\bin_progress\b"),
    "practice copy": re.compile(r"\b[A-Z0-9-]+/[a-z0-9]+\b"),
}
# Pages that are about files and their columns, or serve files, are not walked.
SKIPPED = re.compile(r"\.(csv|xlsx|pdf|json|svg|ico|css|js)$|/logout|/static/|/import|/export")
PER_KIND = 2
MAX_PAGES = 70


class _Text(HTMLParser):
    """Collect the text a person reads: no tags, attributes, scripts or code samples."""

    SILENT = {"script", "style", "code", "pre", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self.depth = 0
        self.silenced: list[str] = []

    def handle_starttag(self, tag, attrs):
        # A username is a name people type to sign in: the users pages list it.
        if tag in self.SILENT or dict(attrs).get("data-label") == "Username":
            self.depth += 1
            self.silenced.append(tag)
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)
        if tag in ("option",):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.silenced and tag == self.silenced[-1]:
            self.silenced.pop()
            self.depth -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def _read(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def ids_in(text: str) -> list[str]:
    """Return every id-like token of a text, named by kind."""
    text = re.sub(r"https?://\S+|\S+@\S+|\b(e\.g|i\.e)\.", " ", text)
    return [
        f"{kind}: {match.group(0)}"
        for kind, pattern in ID_PATTERNS.items()
        for match in pattern.finditer(text)
    ]


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _walk(client, starts: list[str]) -> dict[str, list[str]]:
    """Follow the links of a signed-in person's pages; return the ids found, per page."""
    seen_kinds: dict[str, int] = {}
    queue, visited, found = list(starts), set(), {}
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in visited or SKIPPED.search(parts.path) or not parts.path.startswith("/"):
            continue
        kind = _kind(parts.path)
        if seen_kinds.get(kind, 0) >= PER_KIND:
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        visited.add(path)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = _read(response.get_data(as_text=True))
        if hits := ids_in("".join(page.parts)):
            found[path] = hits
        queue.extend(link.split("#")[0] for link in page.links if link and link[0] == "/")
    return found


def _signed_in(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


SITES = ["/demo/cfsr/", "/demo/cqi/", "/demo/training/"]


@pytest.mark.parametrize("username", ["reviewer", "qa", "qa2", "admin", "observer"])
def test_no_page_a_role_reaches_shows_an_internal_id(demo, username):
    client = _signed_in(demo, username)
    starts = [
        *SITES,
        "/demo/cfsr/cases/mine",
        "/demo/cfsr/qa",
        "/demo/cfsr/inbox",
        "/demo/training/practice",
        "/demo/cqi/admin/audit",
    ]
    found = _walk(client, starts)
    assert not found, "\n".join(f"{page}: {sorted(set(hits))}" for page, hits in found.items())


def test_an_item_page_with_errors_names_questions_in_words(demo):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    client = _signed_in(demo, "reviewer")
    item = client.get(f"/demo/cqi/cases/{case_id}/items/5").get_data(as_text=True)
    version = re.search(r'name="lock_version" value="(\d+)"', item)
    data = {
        "shown": "5-app-60,5-goals,5A",
        "5-app-60": "yes",
        "5-goals__rows": "2",
        "5-goals__0__goal": "adoption",  # a goal without its date: refused
        "5-goals__0__set_on": "",
        "5A": "maybe",
        "lock_version": version.group(1) if version else "0",
    }
    response = client.post(f"/demo/cqi/cases/{case_id}/items/5", data=data)
    text = "".join(_read(response.get_data(as_text=True)).parts)
    assert "Permanency goals in effect" in text
    assert ids_in(text) == []
    face = client.get(f"/demo/cqi/cases/{case_id}/items/face").get_data(as_text=True)
    assert ids_in("".join(_read(face).parts)) == []


def test_the_completeness_list_and_history_use_question_numbers_and_names(demo):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    client = _signed_in(demo, "reviewer")
    page = "".join(_read(client.get(f"/demo/cqi/cases/{case_id}").get_data(as_text=True)).parts)
    assert "Item 1: answer" in page
    assert ids_in(page) == []
    _fill(demo, case_id)
    history = client.get(f"/demo/cqi/cases/{case_id}/history").get_data(as_text=True)
    text = "".join(_read(history).parts)
    assert "question 1A" in text
    assert "Target child: Yes" in text or "Children in the case" in text
    assert ids_in(text) == []


def test_a_status_change_says_what_happened_in_a_sentence(demo):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    _fill(demo, case_id)
    with demo.app_context():
        case = db.session.get(Case, case_id)
        number, version = case.case_number, case.status_version
    reviewer = _signed_in(demo, "reviewer")
    response = reviewer.post(
        f"/demo/cqi/cases/{case_id}/status",
        data={"action": "submit", "status_version": str(version), "confirmed": "1"},
        follow_redirects=True,
    )
    assert f"Case {number} submitted for QA." in response.get_data(as_text=True)
    qa = _signed_in(demo, "qa")
    response = qa.post(
        f"/demo/cqi/cases/{case_id}/status",
        data={"action": "take", "status_version": str(version + 1)},
        follow_redirects=True,
    )
    assert f"You started QA level 1 on case {number}." in response.get_data(as_text=True)
    log = _signed_in(demo, "admin").get("/demo/cqi/admin/audit?action=case.take")
    text = "".join(_read(log.get_data(as_text=True)).parts)
    assert "QA level 1 started" in text
    assert "Quinn" in text or "QA" in text
    assert ids_in(text) == []


def test_the_audit_log_filter_lists_plain_words_and_matches_full_names(demo):
    client = _signed_in(demo, "admin")
    page = client.get("/demo/cfsr/admin/audit").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page)
    assert ("case.create", "Case added") in options
    assert all(ids_in(label) == [] for _, label in options)
    with demo.app_context():
        from review_app.audit.models import AuditEntry
        from review_app.sites.models import Site

        entry = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.actor_id.is_not(None), AuditEntry.site_id.is_not(None)
            )
        )
        site = db.session.get(Site, entry.site_id)
        url = f"/{site.jurisdiction.code}/{site.kind}/admin/audit"
        name, username = entry.actor.display_name, entry.actor.username
    by_name = client.get(url, query_string={"actor": name})
    by_username = client.get(url, query_string={"actor": username})
    counted = re.compile(r"(\d+) entr")
    assert (
        counted.search(by_name.get_data(as_text=True)).group(1)
        == counted.search(by_username.get_data(as_text=True)).group(1)
        != "0"
    )


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdfs_show_no_internal_id(demo):
    (case_id,) = make_finalized(demo, 1)
    period_id = cqi_period_id(demo)
    client = _signed_in(demo, "admin")
    summary = client.get(f"/demo/cqi/reports/cases/{case_id}/summary.pdf")
    assert summary.mimetype == "application/pdf"
    text = _pdf_text(summary.data)
    assert "CFSR onsite review instrument" in text
    assert ids_in(text) == []
    _, period = make_period_pdf(client, period_id)
    assert period.mimetype == "application/pdf"
    text = _pdf_text(period.data)
    assert "cfsr-round4" not in text
    assert ids_in(text) == []
    figures = client.get(f"/demo/cqi/performance/figures.pdf?period={period_id}")
    assert figures.mimetype == "application/pdf"
    text = _pdf_text(figures.data)
    assert "Safety Outcome 1" in text
    assert ids_in(text) == []


def test_the_patterns_catch_what_they_are_for():
    for leaked in [
        "Narrative for 1-app",
        "5-app-60",
        "FS-opened-other",
        "Filter: case.take",
        "(download.source_data)",
        "Status: in_progress",
        "qa1",
        "KEY-IH-2/reviewer",
    ]:
        assert ids_in(leaked), leaked
    for plain in ["Question 1A", "Case 2026-0141 submitted for QA.", "In-home services"]:
        assert ids_in(plain) == [], plain
