"""The membership forms set roles (Site Leader among them) and how far access reaches."""

import re

import pytest
from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.sites.models import LocalSite, Region
from tests.members.conftest import USERS, find_membership, find_user, roles_form
from tests.scoped import place_id, scope_label

LIMITED_CHECKED = re.compile(r'<input checked[^>]*value="limited"')


def _text(response) -> str:
    return response.get_data(as_text=True)


def _new(client, **fields):
    data = {
        "username": "jdoe",
        "display_name": "Jane Doe",
        "email": "jane@example.gov",
        **roles_form("reviewer"),
        **fields,
    }
    return client.post(f"{USERS}/new", data=data)


def test_the_form_offers_site_leader_and_the_scope_in_fieldsets(admin):
    page = _text(admin.get(f"{USERS}/new"))
    assert "Site Leader: assigns the cases" in page
    assert '<legend class="usa-legend">Which part of the site' in page
    assert "Whole site" in page and "Only these regions and local sites" in page
    assert "Northern region (Adams County, Baker County)" in page
    assert '<legend class="usa-legend">Local sites' in page


def test_a_new_user_limited_to_a_region(admin, demo):
    response = _new(admin, scope="limited", region_ids=[place_id(demo, Region, "S")])
    assert response.status_code == 302
    assert scope_label(demo, "jdoe") == "Southern region"
    with demo.app_context():
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "membership.scope")
            .order_by(AuditEntry.id.desc())
        )
        assert entry.after == {"is_limited": True, "regions": ["S"], "local_sites": []}


def test_an_empty_limited_scope_is_a_field_error_and_nothing_is_made(admin, demo):
    response = _new(admin, scope="limited")
    assert response.status_code == 422
    page = _text(response)
    assert (
        '<a href="#scope-0">Which part of the site: Choose at least one region or local site'
        in page
    )
    assert 'value="jdoe"' in page and LIMITED_CHECKED.search(page)
    assert find_user(demo, "jdoe") is None


def test_a_site_leader_of_no_local_site_is_refused(admin, demo):
    response = _new(admin, **roles_form("observer", site_leader="y"))
    assert response.status_code == 422
    assert "A Site Leader leads named local sites" in _text(response)
    assert find_user(demo, "jdoe") is None
    response = _new(
        admin,
        **roles_form(site_leader="y"),
        scope="limited",
        local_site_ids=[place_id(demo, LocalSite, "003")],
    )
    assert response.status_code == 302
    membership = find_membership(demo, "jdoe")
    assert membership.is_site_leader and scope_label(demo, "jdoe") == "Clark County"


def test_a_place_of_another_site_is_refused(admin, demo):
    response = _new(
        admin, scope="limited", local_site_ids=[place_id(demo, LocalSite, "001", "training")]
    )
    assert response.status_code == 422
    assert "Choose among the local sites offered." in _text(response)
    response = _new(admin, scope="limited", region_ids=[place_id(demo, Region, "N", "cfsr")])
    assert "Choose among the regions offered." in _text(response)
    assert find_user(demo, "jdoe") is None


def _edit(client, username, app, *codes, **fields):
    member = find_membership(app, username)
    user = find_user(app, username)
    data = {"display_name": user.display_name, "email": user.email, **roles_form(*codes), **fields}
    return client.post(f"{USERS}/{member.id}", data=data)


def test_edit_sets_roles_and_scope_together(admin, demo):
    page = _text(admin.get(f"{USERS}/{find_membership(demo, 'qa_north').id}"))
    assert LIMITED_CHECKED.search(page)
    response = _edit(
        admin,
        "reviewer",
        demo,
        "reviewer",
        site_leader="y",
        scope="limited",
        local_site_ids=[place_id(demo, LocalSite, "001")],
    )
    assert response.status_code == 302
    assert find_membership(demo, "reviewer").is_site_leader
    assert scope_label(demo, "reviewer") == "Adams County"
    # Back to the whole site and no longer a Site Leader, in one submit as well.
    response = _edit(admin, "reviewer", demo, "reviewer", scope="site")
    assert response.status_code == 302
    assert not find_membership(demo, "reviewer").is_site_leader
    assert scope_label(demo, "reviewer") == ""


def test_a_refused_scope_keeps_the_roles_unchanged(admin, demo):
    response = _edit(admin, "reviewer", demo, "qa1", scope="limited")
    assert response.status_code == 422
    assert "Choose at least one region or local site" in _text(response)
    membership = find_membership(demo, "reviewer")
    assert membership.is_reviewer and membership.qa_level is None
    assert scope_label(demo, "reviewer") == ""


def test_a_post_without_the_scope_field_keeps_the_scope(admin, demo):
    response = _edit(admin, "qa_north", demo, "qa1", "observer")
    assert response.status_code == 302
    assert scope_label(demo, "qa_north") == "Northern region"
    assert find_membership(demo, "qa_north").is_observer


def test_restoring_access_keeps_the_scope(admin, demo):
    member = find_membership(demo, "qa_north")
    admin.post(f"{USERS}/{member.id}/remove")
    assert not find_membership(demo, "qa_north").is_active
    admin.post(f"{USERS}/{member.id}/restore")
    assert find_membership(demo, "qa_north").is_active
    assert scope_label(demo, "qa_north") == "Northern region"


def test_the_list_shows_and_filters_by_scope(admin, demo):
    page = _text(admin.get(USERS))
    row = page.split("Nora North")[1].split("</tr>")[0]
    assert "Northern region" in row
    assert "Whole site" in page.split("Quinn Quality")[1].split("</tr>")[0]
    north = _text(admin.get(USERS, query_string={"region": place_id(demo, Region, "N")}))
    assert "Nora North" in north and "Lee Leader" in north and "reviewer2" not in north
    assert '<p role="status">2 people</p>' in north
    south = _text(admin.get(USERS, query_string={"region": place_id(demo, Region, "S")}))
    assert '<p role="status">0 people</p>' in south
    leaders = _text(admin.get(USERS, query_string={"role": "site_leader"}))
    assert "Lee Leader" in leaders and "Nora North" not in leaders


@pytest.mark.parametrize("region", ["abc", "999999", "-1", "99999999999999999999"])
def test_an_unknown_region_filter_is_harmless(admin, region):
    response = admin.get(USERS, query_string={"region": region})
    assert response.status_code == 200
