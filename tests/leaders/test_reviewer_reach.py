"""A reviewer limited to some local sites is given cases of those only, on every path."""

from review_app.cases.facts import reviewer_reach
from review_app.extensions import db
from review_app.sites.queries import site_by_slug
from tests.leaders.conftest import SITE, case_id, local_site_id, reviewers_of, user_id

ADAMS_OPEN, CLARK_OPEN = "FC-CQI-101", "IH-CQI-103"


def _edit(client, app, number: str, reviewers: list[str], local_site: str, case_type: str):
    return client.post(
        f"{SITE}/cases/{case_id(app, number)}/edit",
        data={
            "case_number": number,
            "case_type": case_type,
            "local_site_id": str(local_site_id(app, local_site)),
            "child_name": "A.B.",
            "pur_start": "2026-04-01",
            "reviewer_ids": [str(user_id(app, name)) for name in reviewers],
        },
    )


def test_the_edit_form_offers_the_reviewers_who_reach_the_case(
    demo, both_regions, clients, south_reviewer
):
    admin = clients("admin")
    adams = admin.get(f"{SITE}/cases/{case_id(demo, ADAMS_OPEN)}/edit").get_data(as_text=True)
    assert "Sam South" not in adams and "Riley Reviewer (reviewer)" in adams
    clark = admin.get(f"{SITE}/cases/{case_id(demo, CLARK_OPEN)}/edit").get_data(as_text=True)
    assert "Sam South (sam_south), Clark County only" in clark


def test_the_edit_refuses_a_reviewer_who_does_not_reach_the_local_site(
    demo, both_regions, clients, south_reviewer
):
    admin = clients("admin")
    response = _edit(admin, demo, ADAMS_OPEN, ["sam_south"], "Adams County", "foster_care")
    assert response.status_code == 422
    assert "Sam South reviews cases of Clark County only, not of Adams County" in (
        response.get_data(as_text=True)
    )
    assert reviewers_of(demo, ADAMS_OPEN) == ["reviewer"]
    # In Clark County he is welcome; moving that case to Adams County with him is refused.
    assert _edit(admin, demo, CLARK_OPEN, ["sam_south"], "Clark County", "in_home").status_code == (
        302
    )
    assert reviewers_of(demo, CLARK_OPEN) == ["sam_south"]
    moved = _edit(admin, demo, CLARK_OPEN, ["sam_south"], "Adams County", "in_home")
    assert moved.status_code == 422
    assert "not of Adams County" in moved.get_data(as_text=True)


def test_a_new_case_refuses_a_reviewer_who_does_not_reach_its_local_site(
    demo, both_regions, clients, south_reviewer
):
    from tests.cases.test_cases import _period_id

    response = clients("admin").post(
        f"{SITE}/cases/new",
        data={
            "period_id": str(_period_id(demo, "cqi")),
            "case_number": "NEW-9",
            "case_type": "in_home",
            "local_site_id": str(local_site_id(demo, "Adams County")),
            "child_name": "Z.Z.",
            "pur_start": "2026-04-01",
            "reviewer_ids": [str(user_id(demo, "sam_south"))],
        },
    )
    assert response.status_code == 422
    assert "not of Adams County" in response.get_data(as_text=True)


def test_the_reach_of_every_reviewer_is_read_at_once(demo, south_reviewer):
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        reach = reviewer_reach(site.id)
        assert reach[user_id(demo, "reviewer")].is_whole_site
        clark = local_site_id(demo, "Clark County")
        assert reach[south_reviewer].local_site_ids == frozenset({clark})
        assert user_id(demo, "qa") not in reach
        db.session.rollback()


def test_an_import_refuses_a_reviewer_who_does_not_reach_the_row_s_local_site(
    demo, clients, south_reviewer
):
    from tests.cases.test_import import _refused, _upload

    csv = (
        b"case_number,case_type,local_site,child_name,pur_start,reviewers\n"
        b"S-1,foster_care,003,A.A.,2026-04-01,sam_south\n"
        b"S-2,foster_care,001,B.B.,2026-04-01,sam_south reviewer\n"
    )
    response = _upload(clients("admin"), demo, csv, kind="cqi")
    assert _refused(response)
    page = response.get_data(as_text=True)
    assert "Line 3: reviewers: Sam South reviews cases of Clark County only" in page
    assert "Nothing was imported: 1 row to fix" in page
