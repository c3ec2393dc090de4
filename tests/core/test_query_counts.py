"""Pages issue the same number of SQL statements however many rows they show."""

from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from review_app.accounts.operations import create_user
from review_app.audit.operations import record
from review_app.cases.facts import CaseFacts
from review_app.cases.operations import create_case
from review_app.core.pagecache import clear_pages
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.operations import grant_access
from review_app.periods.operations import create_period
from review_app.periods.queries import periods
from review_app.sites.operations import create_local_site
from review_app.sites.queries import local_sites, site_by_slug
from tests.conftest import login
from tests.transactions import is_savepoint


@contextmanager
def counted(app, fresh_pages: bool = True):
    """Count the statements sent to the database inside the block (pages rendered afresh)."""
    if fresh_pages:
        clear_pages(app)
    statements = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if not is_savepoint(statement):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_by_page(app, pages) -> dict:
    """The statements each page sends, rendered afresh: ``pages`` pairs a key with a
    signed-in client and a URL."""
    found = {}
    for key, (client, url) in pages.items():
        with counted(app) as statements:
            assert client.get(url).status_code == 200, key
        found[key] = statements
    return found


def unbounded(small: dict, large: dict, limit: int) -> list[str]:
    """A line per page whose statement count grew with the rows or is over ``limit``."""
    faults = []
    for key, before in small.items():
        after = large[key]
        if len(after) != len(before):
            listed = "\n".join(after)
            faults.append(f"{key}: {len(before)} statements, then {len(after)}:\n{listed}")
        elif len(before) > limit:
            faults.append(f"{key}: {len(before)} statements, more than {limit}")
    return faults


def statements_per_page(app, client, urls: list[str]) -> list[int]:
    """Return how many statements each of ``urls`` sends (each page rendered afresh)."""
    found = []
    for url in urls:
        with counted(app) as statements:
            assert client.get(url).status_code == 200
        found.append(len(statements))
    return found


def _grow(app, n: int) -> None:
    """Add n people, local sites, periods and audit entries to demo/cqi."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        period = periods(site)[-1]
        start = len(local_sites(site))
        for i in range(start, start + n):
            user = create_user(None, f"person{i}", f"Person {i}", "a-long-password")
            grant_access(None, site, user, RoleSet(is_reviewer=True, qa_level=1))
            local = create_local_site(None, site, f"L{i}", f"Local {i}")
            create_period(
                None,
                site,
                f"Period {i}",
                date(2020, 1, 1),
                date(2021, 1, 1),
                "cfsr-round4",
                [local],
            )
            record(
                None, "test.entry", local, f"entry {i}", site=site, before={"a": 1}, after={"a": 2}
            )
            create_case(
                None,
                period,
                CaseFacts(
                    f"GROW-{i}",
                    "foster_care",
                    period.local_sites[0],
                    "G.G.",
                    pur_start=date(2026, 5, 1),
                    reviewers=[user],
                ),
            )
        db.session.commit()


PAGES = [
    "/demo/cqi/",
    "/demo/cqi/admin/users",
    "/demo/cqi/periods",
    "/demo/cqi/local-sites",
    "/demo/cqi/admin/audit",
    "/demo/cqi/cases",
    "/",
]


def test_page_query_count_does_not_grow_with_rows(demo, client):
    """Each page counted, then again after 30 more people, places, periods and cases
    (the rows are made once for all the pages: making them is most of the cost)."""
    login(client, "admin")
    pages = {url: (client, url) for url in PAGES}
    for url in PAGES:
        client.get(url)  # warm up what is cached per process
    small = statements_by_page(demo, pages)
    _grow(demo, 30)
    faults = unbounded(small, statements_by_page(demo, pages), limit=12)
    assert not faults, "\n\n".join(faults)


def test_case_and_item_pages_query_count_does_not_grow_with_answers(demo, client):
    from tests.ratings.test_completeness import _fill
    from tests.ratings.test_item_pages import _case_of

    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    login(client, "reviewer")
    urls = [
        f"/demo/cqi/cases/{case_id}",
        f"/demo/cqi/cases/{case_id}/items/4",
        f"/demo/cqi/cases/{case_id}/items/face",
    ]
    for url in urls:
        client.get(url)
    small = {}
    for url in urls:
        with counted(demo) as statements:
            assert client.get(url).status_code == 200
        small[url] = len(statements)
    _fill(demo, case_id)
    for url in urls:
        with counted(demo) as statements:
            assert client.get(url).status_code == 200
        assert len(statements) == small[url], url
        assert len(statements) <= 15, url
