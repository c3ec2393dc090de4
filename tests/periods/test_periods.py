"""Review periods: create, edit, close and reopen, with the site's date rules."""

import pytest
from sqlalchemy import select

from review_app.core.errors import OperationError
from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import Jurisdiction, LocalSite, Site
from tests.conftest import login

VERSION = "cfsr-round4"


@pytest.fixture
def admin(demo, client):
    login(client, "admin")
    return client


def _site_filter(kind: str, code: str):
    return (Site.kind == kind, Jurisdiction.code == code)


def _period(app, name: str, kind="cqi", code="demo") -> ReviewPeriod | None:
    with app.app_context():
        period = db.session.scalar(
            select(ReviewPeriod)
            .join(ReviewPeriod.site)
            .join(Site.jurisdiction)
            .where(ReviewPeriod.name == name, *_site_filter(kind, code))
        )
        if period is not None:
            period.codes = [local.code for local in period.local_sites]
        return period


def _local_ids(app, kind="cqi", code="demo") -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(LocalSite.code, LocalSite.id)
            .join(LocalSite.site)
            .join(Site.jurisdiction)
            .where(*_site_filter(kind, code))
        )
        return dict(rows.all())


def _save(client, path="new", site="demo/cqi", **fields):
    data = {
        "name": "2028 first half",
        "pur_start": "2028-01-01",
        "pur_end": "2028-06-30",
        "instrument_version": VERSION,
        **fields,
    }
    return client.post(f"/{site}/periods/{path}", data=data)


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_create_a_period_with_local_sites(admin, demo):
    ids = _local_ids(demo)
    response = _save(admin, local_site_ids=[ids["001"], ids["003"]])
    assert response.status_code == 302
    page = _text(admin.get(response.location))
    assert "Review period 2028 first half created." in page
    assert "2028-01-01 to 2028-06-30" in page and "Adams County, Clark County" in page
    period = _period(demo, "2028 first half")
    assert period.is_open and period.instrument_version == VERSION
    assert period.codes == ["001", "003"]


def test_everyone_on_the_site_reads_periods_but_only_administrators_change_them(demo, client):
    login(client, "reviewer")
    page = _text(client.get("/demo/cqi/periods"))
    assert "2026-27 review" in page and "Create a review period" not in page
    assert client.get("/demo/cqi/periods/new").status_code == 403
    assert _save(client).status_code == 403
    period = _period(demo, "2026-27 review")
    assert client.post(f"/demo/cqi/periods/{period.id}/close").status_code == 403
    assert _period(demo, "2028 first half") is None and _period(demo, "2026-27 review").is_open


@pytest.mark.parametrize("start, end", [("2028-06-30", "2028-01-01"), ("2028-01-01", "2028-01-01")])
def test_the_end_must_come_after_the_start(admin, demo, start, end):
    response = _save(admin, pur_start=start, pur_end=end)
    assert response.status_code == 422
    assert "The end must come after the start." in _text(response)
    assert _period(demo, "2028 first half") is None


def test_an_open_start_is_allowed_on_cqi_but_not_on_cfsr(admin, demo):
    response = _save(admin, pur_start="")
    assert response.status_code == 302
    assert "open start to 2028-06-30" in _text(admin.get(response.location))
    response = _save(admin, site="demo/cfsr", pur_start="")
    assert response.status_code == 422
    assert "This site needs a start date for the period under review." in _text(response)
    assert _period(demo, "2028 first half", "cfsr") is None


def test_an_unknown_instrument_version_is_refused(admin, demo):
    response = _save(admin, instrument_version="cfsr-round9")
    assert response.status_code == 422
    assert "Choose an instrument version from the list." in _text(response)
    assert _period(demo, "2028 first half") is None


def test_a_name_already_used_on_the_site_is_refused(admin, demo):
    response = _save(admin, name=" 2026-27 REVIEW ")
    assert response.status_code == 422
    assert "This site already has a period named" in _text(response)
    assert _save(admin, name="2026-27 review", site="demo/cfsr").status_code == 422
    # The same name on another jurisdiction's site is fine.
    outsider = admin.application.test_client()
    login(outsider, "outsider")
    assert _save(outsider, name="2026-27 review", site="other/cqi").status_code == 302


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("pur_start", "1800-01-01", "Give a date between 1990 and 2100."),
        ("pur_end", "2500-12-31", "Give a date between 1990 and 2100."),
        ("pur_end", "99999-01-01", "Not a valid date value."),
        ("pur_start", "0000-01-01", "Not a valid date value."),
        ("pur_end", "31/12/2028", "Not a valid date value."),
        ("pur_end", "", "Enter the last day of the period under review."),
    ],
)
def test_dates_far_outside_sense_are_refused_with_a_message(admin, demo, field, value, message):
    response = _save(admin, **{field: value})
    assert response.status_code == 422
    assert message in _text(response)
    period = _period(demo, "2026-27 review", "cfsr")
    response = _save(
        admin, path=str(period.id), site="demo/cfsr", name="2026-27 review", **{field: value}
    )
    assert response.status_code == 422 and message in _text(response)


def test_local_sites_of_another_site_cannot_be_chosen(admin, demo):
    cfsr_ids = _local_ids(demo, "cfsr")
    response = _save(admin, local_site_ids=[cfsr_ids["001"]])
    assert response.status_code == 422
    assert _period(demo, "2028 first half") is None


def test_edit_changes_the_period_and_keeps_unchanged_fields(admin, demo):
    period = _period(demo, "2026-27 review")
    ids = _local_ids(demo)
    page = _text(admin.get(f"/demo/cqi/periods/{period.id}"))
    assert 'value="2026-27 review"' in page and "checked" in page
    response = _save(
        admin,
        path=str(period.id),
        name="2026-27 statewide",
        pur_start="2026-04-01",
        pur_end="2027-03-31",
        local_site_ids=[ids["002"]],
    )
    assert response.status_code == 302
    edited = _period(demo, "2026-27 statewide")
    assert edited.id == period.id and edited.codes == ["002"]
    assert edited.pur_start.isoformat() == "2026-04-01"


def test_close_then_reopen_and_a_closed_period_cannot_be_edited(admin, demo):
    period = _period(demo, "2026-27 review")
    response = admin.post(f"/demo/cqi/periods/{period.id}/close", follow_redirects=True)
    assert "Review period 2026-27 review closed." in _text(response)
    assert "Closed 20" in _text(response)
    assert not _period(demo, "2026-27 review").is_open
    response = _save(admin, path=str(period.id), name="Renamed")
    assert response.status_code == 422
    assert "This period is closed: reopen it before changing it." in _text(response)
    response = admin.post(f"/demo/cqi/periods/{period.id}/close", follow_redirects=True)
    assert "This period is already closed." in _text(response)
    response = admin.post(f"/demo/cqi/periods/{period.id}/reopen", follow_redirects=True)
    assert "Review period 2026-27 review reopened." in _text(response)
    reopened = _period(demo, "2026-27 review")
    assert reopened.is_open and reopened.closed_at is None
    assert _save(admin, path=str(period.id), name="Renamed").status_code == 302


@pytest.mark.parametrize("path", ["", "/close", "/reopen"])
def test_a_period_of_another_site_is_not_found(admin, demo, path):
    for kind, code in (("cfsr", "demo"), ("cqi", "other")):
        period = _period(demo, "2026-27 review", kind, code) or _other_period(demo)
        method = admin.get if path == "" else admin.post
        assert method(f"/demo/cqi/periods/{period.id}{path}").status_code == 404
    assert admin.get("/demo/cqi/periods/999999").status_code == 404


def _other_period(app) -> ReviewPeriod:
    client = app.test_client()
    login(client, "outsider")
    _save(client, site="other/cqi", name="Other period")
    return _period(app, "Other period", "cqi", "other")


def test_the_instrument_version_of_a_period_with_cases_cannot_change(next_round):
    """A period pins its version once cases are rated on it."""
    from review_app.periods.operations import update_period
    from review_app.periods.queries import periods
    from review_app.sites.queries import site_by_slug

    with next_round.app_context():
        period = periods(site_by_slug("demo", "cfsr"))[0]
        with pytest.raises(OperationError, match="cannot change"):
            update_period(
                None,
                period,
                period.name,
                period.pur_start,
                period.pur_end,
                "next-round",
                period.local_sites,
            )
        db.session.rollback()
