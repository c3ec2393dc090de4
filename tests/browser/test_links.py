"""Every link of the main pages, for each role, leads somewhere real.

A link built from a variable the template cannot see renders as "" or "?...",
which leads back to the page itself; a wrong endpoint argument leads to a 404.
Tests render with ``LoudUndefined`` (tests/conftest.py), so a template that prints
an undefined name answers 500 instead of rendering it as nothing.

Each role signs in and opens the home page in Chromium; the pages further away are
fetched with the same browser's request context (its cookies, no rendering), and their
links read from the HTML the server sent. Rendering them would only repeat the work of
the accessibility and narrow-screen tests, which open each kind of page in the browser.
On the home page the links read from the HTML are checked against those Chromium sees.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest

from tests.performance.conftest import add_finalized

pytestmark = pytest.mark.browser

ROLES = ("admin", "reviewer", "qa", "qa2", "observer", "sysadmin")
# Pages opened per role; links on them are all checked, pages further away are sampled
# once per address shape (a case, an item, a report), which keeps the walk to a minute.
MAX_PAGES = 45
DOWNLOAD = re.compile(r"\.(pdf|csv|xlsx|svg|json)$")
LINKS_JS = """anchors => anchors.map(a => ({
    href: a.href,
    raw: a.getAttribute('href'),
    text: a.innerText.trim().slice(0, 60),
    current: a.getAttribute('aria-current'),
    navigation: !!a.closest('header, nav, .usa-skipnav'),
}))"""
# Elements that have no end tag: they never hold a link.
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Links(HTMLParser):
    """The links of a page as the server sent it, described as ``LINKS_JS`` describes them."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.open: list[tuple[str, bool]] = []  # (tag, whether it is navigation)
        self.links: list[dict] = []
        self.text: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if tag in VOID:
            return
        navigation = (
            tag in ("header", "nav")
            or "usa-skipnav" in (values.get("class") or "").split()
            or any(inside for _, inside in self.open)
        )
        self.open.append((tag, navigation))
        if tag == "a" and values.get("href") is not None:
            raw = values["href"]
            self.links.append(
                {
                    "href": urljoin(self.url, raw.strip()),
                    "raw": raw,
                    "text": "",
                    "current": values.get("aria-current"),
                    "navigation": navigation,
                }
            )
            self.text = []

    def handle_endtag(self, tag) -> None:
        if tag == "a" and self.text is not None:
            self.links[-1]["text"] = " ".join("".join(self.text).split())[:60]
            self.text = None
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data) -> None:
        if self.text is not None:
            self.text.append(data)


def _without_text(link: dict) -> dict:
    """A link without its words (Chromium leaves out text hidden by a style sheet)."""
    return {key: value for key, value in link.items() if key != "text"}


def _links_in(html: str, url: str) -> list[dict]:
    parser = _Links(url)
    parser.feed(html)
    parser.close()
    return parser.links


def _shape(url: str) -> str:
    """The address with numbers and query values left out: one page of each kind is opened."""
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _walk(page, base: str) -> list[str]:
    """Open the pages reachable from the home page; return what is wrong, one line each."""
    problems: list[str] = []
    seen_shapes: set[str] = set()
    checked: dict[str, int] = {}
    home = base + "/"
    queue = deque([home])
    opened = 0
    while queue and opened < MAX_PAGES:
        url = queue.popleft()
        response = page.request.get(url)
        opened += 1
        if response.status >= 400:
            problems.append(f"{url} answers {response.status}")
            continue
        here = urldefrag(response.url)[0]
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        links = _links_in(response.text(), here)
        if url == home:
            # The links as Chromium reads them from the rendered page: the same.
            page.goto(url)
            assert urldefrag(page.url)[0] == here
            assert [
                _without_text(link) for link in page.eval_on_selector_all("a[href]", LINKS_JS)
            ] == [_without_text(link) for link in links]
        for link in links:
            raw, target = link["raw"] or "", urldefrag(link["href"])[0]
            where = f"on {here}, link “{link['text']}” ({raw})"
            if not raw.strip() or raw.startswith("?") or "None" in raw or "Undefined" in raw:
                problems.append(f"{where} is built from a missing value")
                continue
            if raw.startswith("#") or not target.startswith(base):
                continue
            if target == here and not link["current"] and not link["navigation"]:
                problems.append(f"{where} leads back to the same page")
            if "/static/" in target or target in checked:
                continue
            if DOWNLOAD.search(urlsplit(target).path):
                checked[target] = page.request.get(target).status
                if checked[target] >= 400:
                    problems.append(f"{where} answers {checked[target]}")
                continue
            checked[target] = 0
            shape = _shape(target)
            if shape not in seen_shapes:
                seen_shapes.add(shape)
                queue.append(target)
            else:
                status = page.request.get(target, max_redirects=5).status
                if status >= 400:
                    problems.append(f"{where} answers {status}")
    return problems


@pytest.mark.parametrize("username", ROLES)
def test_every_link_of_the_main_pages_leads_somewhere(demo, live_server, people, username):
    add_finalized(demo, 3)  # so the performance pages have figures and drill-down links
    page = people(username)
    problems = _walk(page, live_server)
    assert not problems, "\n".join(problems)
