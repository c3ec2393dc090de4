"""Systemic factor pages of a person limited to a region: the ratings are the whole site's,
the interviews shown and counted are the region's."""

import pytest

from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.interviews.models import Interview
from review_app.systemic.models import SystemicRating
from review_app.systemic.operations import rate
from tests.interviews.conftest import SITE, make_interview, period_of, user
from tests.scoped import in_local_site

NORTH_TITLE, SOUTH_TITLE = "Panel of Adams judges", "Panel of Clark judges"


@pytest.fixture
def cited(demo) -> dict:
    """A complete interview in Adams and one in Clark County, both cited for item 24."""
    notes = {"reviewer": {"24": "Notices arrive late."}}
    made = {
        "north": make_interview(demo, title=NORTH_TITLE, notes=notes, complete=True),
        "south": make_interview(demo, title=SOUTH_TITLE, notes=notes, complete=True),
    }
    in_local_site(demo, made["south"], "Clark County")
    with demo.app_context():
        period = period_of()
        rate(user("admin"), period, "24", "ani", "Notices are late.", list(made.values()), 0)
        db.session.commit()
        factor = get_instrument(period.instrument_version).factor_of("24").id
        return made | {"period": period.id, "factor": factor}


def _page(clients, username: str, path: str) -> str:
    response = clients(username).get(f"{SITE}/systemic/periods/{path}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_overview_counts_the_regions_interviews(clients, cited):
    limited = _page(clients, "qa_north", str(cited["period"]))
    whole = _page(clients, "qa", str(cited["period"]))
    assert "Interviews in this period: 1 complete" in limited
    assert "Interviews in this period: 2 complete" in whole
    assert "those of the local sites your access reaches (Northern region)" in limited
    assert "your access reaches" not in whole


def test_an_item_shows_the_regions_evidence_and_citations(clients, cited):
    path = f"{cited['period']}/items/24"
    limited, whole = _page(clients, "qa_north", path), _page(clients, "qa", path)
    assert "1 interview cited" in limited and "2 interviews cited" in whole
    assert NORTH_TITLE in limited and SOUTH_TITLE not in limited and "Clark County" not in limited
    assert NORTH_TITLE in whole and SOUTH_TITLE in whole
    assert "Area Needing Improvement" in limited  # the rating itself is the whole site's


def test_a_factor_summary_lists_the_regions_citations(clients, cited):
    path = f"{cited['period']}/factors/{cited['factor']}"
    limited, whole = _page(clients, "qa_north", path), _page(clients, "qa", path)
    assert NORTH_TITLE in limited and SOUTH_TITLE not in limited
    assert NORTH_TITLE in whole and SOUTH_TITLE in whole


def _rate(client, cited, ids: list[int], version: int):
    form = {
        "lock_version": str(version),
        "rating": "strength",
        "rationale": "Better since the new clerk.",
        "interview_ids": [str(i) for i in ids],
    }
    return client.post(f"{SITE}/systemic/periods/{cited['period']}/items/24", data=form)


def test_a_limited_rater_keeps_the_other_regions_citations_and_cannot_add_them(
    demo, clients, cited
):
    refused = _rate(clients("qa_north"), cited, [cited["north"], cited["south"]], 1)
    assert refused.status_code == 422
    assert "Cite only interviews of this review period" in refused.get_data(as_text=True)
    assert _rate(clients("qa_north"), cited, [cited["north"]], 1).status_code == 302
    with demo.app_context():
        row = db.session.query(SystemicRating).filter_by(item_id="24").one()
        assert row.rating == "strength"
        assert {i.id for i in row.interviews} == {cited["north"], cited["south"]}
        assert db.session.get(Interview, cited["south"]).local_site.name == "Clark County"
