"""The QA reports and the agreement figures of a person limited to a region count only
their region's cases (core/scope.py)."""

import re

from sqlalchemy import select

from review_app.core.scope import Scope, acting_in, scope_of
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.periods.queries import periods
from review_app.quality import queries
from review_app.sites.models import Region
from review_app.sites.queries import site_by_slug
from tests.scoped import SCOPE_NOTE, SITE, show_every_figure, user


def _per_status(html: str) -> dict[str, int]:
    rows = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>\s*<td>(\d+)</td>', html)
    return {label: int(count) for label, count in rows}


def test_the_cases_per_status_count_the_region(demo, both_regions, clients):
    show_every_figure(demo)
    whole = _per_status(clients("qa").get(f"{SITE}/quality").get_data(as_text=True))
    page = clients("qa_north").get(f"{SITE}/quality").get_data(as_text=True)
    mine = _per_status(page)
    assert (whole["Finalized"], mine["Finalized"]) == (8, 4)
    assert (whole["In progress"], mine["In progress"]) == (4, 2)
    assert SCOPE_NOTE in page


def _total(tables: dict) -> int:
    return sum(sum(table.values()) for table in tables.values())


def test_the_agreement_tables_of_the_two_regions_add_up_to_the_sites(demo, both_regions):
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        period = periods(site)[-1]
        instrument = get_instrument(period.instrument_version)

        def counted() -> tuple[int, int]:
            tables = queries.agreement_tables(site.id, period.id, instrument, False)
            changes = queries.qa_changes(site.id, period.id, instrument, by_reviewer=False)
            return _total(tables), sum(rated for rated, _, _ in changes.values())

        whole = counted()
        with acting_in(scope_of(user("qa_north"), site)):
            north = counted()
        region = db.session.scalar(
            select(Region).where(Region.site_id == site.id, Region.code == "S")
        )
        with acting_in(Scope(frozenset(local.id for local in region.local_sites))):
            south = counted()
        db.session.rollback()
    assert 0 < north[0] < whole[0] and 0 < north[1] < whole[1]
    assert (north[0] + south[0], north[1] + south[1]) == whole


def test_the_agreement_page_says_its_scope(demo, both_regions, clients):
    page = clients("qa_north").get(f"{SITE}/quality/agreement").get_data(as_text=True)
    assert SCOPE_NOTE in page
    assert SCOPE_NOTE not in clients("qa").get(f"{SITE}/quality/agreement").get_data(as_text=True)
