"""Every link of the main pages, for each role, leads somewhere real.

A link built from a variable the template cannot see renders as "" or "?...",
which leads back to the page itself; a wrong endpoint argument leads to a 404.
Tests render with ``LoudUndefined`` (tests/conftest.py), so a template that prints
an undefined name answers 500 instead of rendering it as nothing.
"""

import re
from collections import deque
from urllib.parse import parse_qsl, urldefrag, urlsplit

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
    queue = deque([base + "/"])
    opened = 0
    while queue and opened < MAX_PAGES:
        url = queue.popleft()
        response = page.goto(url)
        opened += 1
        if response is None or response.status >= 400:
            problems.append(f"{url} answers {response.status if response else 'nothing'}")
            continue
        here = urldefrag(page.url)[0]
        for link in page.eval_on_selector_all("a[href]", LINKS_JS):
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
