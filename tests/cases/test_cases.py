"""Adding, editing and listing cases."""

from sqlalchemy import select

from review_app.cases.models import Case
from review_app.cases.queries import reviewers
from review_app.extensions import db
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.cases.test_import import _period_id
from tests.conftest import login


def _local_id(app, kind="cfsr") -> int:
    with app.app_context():
        return db.session.scalar(
            select(LocalSite.id)
            .where(LocalSite.site_id == site_by_slug("demo", kind).id)
            .order_by(LocalSite.id)
        )


def _form(app, **changes) -> dict:
    data = {
        "period_id": str(_period_id(app)),
        "case_number": "NEW-1",
        "case_type": "in_home",
        "local_site_id": str(_local_id(app)),
        "child_name": "Z.Z.",
        "child_birth_date": "2014-02-03",
    }
    return {**data, **changes}


def test_an_administrator_adds_a_case(demo, client):
    login(client, "admin")
    response = client.post("/demo/cfsr/cases/new", data=_form(demo))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Case NEW-1" in page and "In-home services" in page


def test_a_bad_case_keeps_what_was_typed(demo, client):
    login(client, "admin")
    response = client.post(
        "/demo/cfsr/cases/new", data=_form(demo, case_number="FC-CFSR-101", child_name="Kept Name")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Case FC-CFSR-101 is already in this review period" in page
    assert 'value="Kept Name"' in page


def test_a_date_outside_sense_is_refused(demo, client):
    login(client, "admin")
    page = client.post("/demo/cfsr/cases/new", data=_form(demo, child_birth_date="1850-01-01"))
    assert page.status_code == 422
    assert "between 1900 and 2100" in page.get_data(as_text=True)


def test_a_local_site_of_another_site_is_refused(demo, client):
    login(client, "admin")
    page = client.post(
        "/demo/cfsr/cases/new", data=_form(demo, local_site_id=str(_local_id(demo, "cqi")))
    )
    assert page.status_code == 422


def test_editing_reassigns_reviewers(demo, client):
    login(client, "admin")
    with demo.app_context():
        case = db.session.scalar(select(Case).where(Case.case_number == "FC-CFSR-101"))
        case_id, local_id = case.id, case.local_site_id
        reviewer2 = next(u for u in reviewers(case.period.site) if u.username == "reviewer2")
    response = client.post(
        f"/demo/cfsr/cases/{case_id}/edit",
        data={
            "case_number": "FC-CFSR-101",
            "case_type": "foster_care",
            "local_site_id": str(local_id),
            "child_name": "A.B.",
            "reviewer_ids": [str(reviewer2.id)],
        },
    )
    assert response.status_code == 302
    assert "Robin Reviewer" in client.get(response.location).get_data(as_text=True)


def test_reviewers_see_only_their_cases_and_others_see_all(demo):
    counts = {}
    for who in ("reviewer2", "observer"):
        client = demo.test_client()
        login(client, who)
        page = client.get("/demo/cfsr/cases").get_data(as_text=True)
        counts[who] = page.count('data-label="Case"')
    assert counts["observer"] == 2 and counts["reviewer2"] == 1


def test_filters_narrow_the_list(demo, client):
    login(client, "admin")
    page = client.get("/demo/cfsr/cases?type=in_home").get_data(as_text=True)
    assert "FC-CFSR" not in page
    page = client.get("/demo/cfsr/cases?type=foster_care&sort=status&dir=desc").get_data(
        as_text=True
    )
    assert "FC-CFSR-101" in page
    assert client.get("/demo/cfsr/cases?period=abc&status=bogus&page=-3").status_code == 200
