"""A state administrator limited to a region manages the cases of that region only."""

import pytest
from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.cases.operations import create_case, update_case
from review_app.core.errors import OperationError
from review_app.demo.cases import case_facts
from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.cases.test_import import HEADER, _imported, _period_id, _refused, _upload
from tests.scoped import CQI, cqi_case_id, local_site_id, make_limited_admin


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def _form(app, local: str, number: str = "NEW-N1") -> dict:
    return {
        "period_id": str(_period_id(app, "cqi")),
        "case_number": number,
        "case_type": "in_home",
        "local_site_id": str(local_site_id(app, local)),
        "child_name": "Z.Z.",
        "child_birth_date": "2014-02-03",
        "pur_start": "2026-04-01",
    }


def test_the_case_form_offers_only_the_local_sites_of_the_scope(demo, north_admin):
    page = north_admin.get(f"{CQI}/cases/new").get_data(as_text=True)
    assert "Adams County" in page and "Baker County" in page
    assert "Clark County" not in page and "Dawson County" not in page


def test_a_case_placed_outside_the_scope_is_refused_and_nothing_saved(demo, north_admin):
    before = _count(demo)
    refused = north_admin.post(f"{CQI}/cases/new", data=_form(demo, "Clark County"))
    assert refused.status_code == 422
    assert "Not a valid choice" in refused.get_data(as_text=True)
    assert _count(demo) == before
    added = north_admin.post(f"{CQI}/cases/new", data=_form(demo, "Adams County"))
    assert added.status_code == 302
    assert _count(demo) == before + 1


def _people(names: list[str]) -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}


def test_the_operation_refuses_a_case_outside_the_actors_scope(demo, both_regions):
    make_limited_admin(demo)
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        people = _people(["admin_north", "admin", "reviewer"])
        period = db.session.scalar(
            select(ReviewPeriod).where(ReviewPeriod.site_id == site.id).order_by(ReviewPeriod.id)
        )
        clark = db.session.get(LocalSite, local_site_id(demo, "Clark County"))
        facts = case_facts(period, 40, [])
        facts.local_site = clark
        with pytest.raises(OperationError, match="Choose a local site of Northern region") as info:
            create_case(people["admin_north"], period, facts)
        assert info.value.field == "local_site"
        # The whole site's administrator and the command line place it anywhere.
        assert create_case(people["admin"], period, facts).local_site_id == clark.id
        facts.case_number = "CLI-1"
        assert create_case(None, period, facts).local_site_id == clark.id


def test_moving_a_case_out_of_the_scope_is_refused_and_nothing_changes(demo, north_admin):
    case_id = cqi_case_id(demo, "Adams County")
    with demo.app_context():
        case = db.session.get(Case, case_id)
        facts = case_facts(case.period, 0, list(case.reviewers))
        facts.case_number = case.case_number
        facts.local_site = db.session.get(LocalSite, local_site_id(demo, "Dawson County"))
        actor = _people(["admin_north"])["admin_north"]
        with pytest.raises(OperationError, match="you manage cases there only") as info:
            update_case(actor, case, facts)
        assert info.value.field == "local_site"
        db.session.rollback()
        assert db.session.get(Case, case_id).local_site.name == "Adams County"
        # A case already outside the scope is refused too, whatever the new facts.
        outside = db.session.get(Case, cqi_case_id(demo, "Clark County"))
        facts.local_site = db.session.get(LocalSite, local_site_id(demo, "Adams County"))
        with pytest.raises(OperationError, match="outside the local sites you manage"):
            update_case(_people(["admin_north"])["admin_north"], outside, facts)
        db.session.rollback()
    page = north_admin.post(f"{CQI}/cases/{case_id}/edit", data=_form(demo, "Dawson County", "X-1"))
    assert page.status_code == 422
    with demo.app_context():
        kept = db.session.get(Case, case_id)
        assert kept.local_site.name == "Adams County" and kept.case_number != "X-1"


def test_a_case_outside_the_scope_cannot_be_edited(demo, north_admin):
    outside = cqi_case_id(demo, "Clark County")
    inside = cqi_case_id(demo, "Baker County")
    assert north_admin.get(f"{CQI}/cases/{inside}/edit").status_code == 200
    assert north_admin.get(f"{CQI}/cases/{outside}/edit").status_code == 404
    posted = north_admin.post(f"{CQI}/cases/{outside}/edit", data=_form(demo, "Adams County"))
    assert posted.status_code == 404
    with demo.app_context():
        assert db.session.get(Case, outside).local_site.name == "Clark County"


CQI_HEADER = HEADER.rstrip("\n") + ",pur_start\n"


def test_an_import_naming_a_local_site_outside_the_scope_imports_nothing(demo, north_admin):
    before = _count(demo)
    csv = (
        CQI_HEADER
        + "S-1,in_home,001,A.A.,2015-01-02,2025-03-04,,2026-04-01\n"
        + "S-2,in_home,Clark County,B.B.,2015-01-02,2025-03-04,,2026-04-01\n"
        + "S-3,in_home,004,C.C.,2015-01-02,2025-03-04,,2026-04-01\n"
    ).encode()
    response = _upload(north_admin, demo, csv, kind="cqi")
    page = response.get_data(as_text=True)
    assert _refused(response)
    assert "Line 3: local_site: Clark County is outside the local sites you manage" in page
    assert "Line 4: local_site: Dawson County is outside the local sites you manage" in page
    assert "Line 2" not in page
    assert _count(demo) == before
    inside = CQI_HEADER + "S-1,in_home,001,A.A.,2015-01-02,2025-03-04,,2026-04-01\n"
    assert _imported(_upload(north_admin, demo, inside.encode(), kind="cqi"), 1)
    assert _count(demo) == before + 1


def test_the_import_example_names_local_sites_of_the_scope(demo, north_admin):
    page = north_admin.get(f"{CQI}/cases/import").get_data(as_text=True)
    assert "Clark County" not in page and "Dawson County" not in page


def test_a_whole_site_administrator_imports_into_any_local_site(demo, both_regions, clients):
    csv = CQI_HEADER + "S-9,in_home,Clark County,B.B.,2015-01-02,2025-03-04,,2026-04-01\n"
    assert _imported(_upload(clients("admin"), demo, csv.encode(), kind="cqi"), 1)


def test_the_background_import_checks_the_scope_of_the_person_who_started_it(demo, both_regions):
    """Run outside any request: the job's starter's scope, not the whole site, is checked."""
    from review_app.cases.import_job import start_case_import
    from review_app.core.unit import command_unit
    from review_app.jobs.models import Job
    from review_app.jobs.states import JobStatus

    make_limited_admin(demo)
    before = _count(demo)
    csv = CQI_HEADER + "S-7,in_home,Dawson County,B.B.,2015-01-02,2025-03-04,,2026-04-01\n"
    with demo.app_context(), command_unit():
        period = db.session.get(ReviewPeriod, _period_id(demo, "cqi"))
        starter = _people(["admin_north"])["admin_north"]
        job_id = start_case_import(starter, period, "s.csv", csv.encode()).id
    with demo.app_context():
        job = db.session.get(Job, job_id)
        assert job.status == JobStatus.FAILED
        assert job.problems == [
            "Line 2: local_site: Dawson County is outside the local sites you manage "
            "(Northern region)."
        ]
    assert _count(demo) == before
