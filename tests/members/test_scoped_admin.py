"""A state administrator limited to a region manages only the people of their region."""

import io
import re

import pytest
from sqlalchemy import select

from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.operations import grant_access
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import LocalSite, Region
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.members.conftest import USERS, find_membership, find_user, roles_form
from tests.scoped import LIMITED_ADMIN, limit_to_region, make_limited_admin, place_id, scope_label


@pytest.fixture
def limited(demo, client):
    """A client signed in as a state administrator limited to the Northern region."""
    make_limited_admin(demo)
    login(client, LIMITED_ADMIN)
    return client


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_list_shows_only_people_inside_the_scope(limited, demo):
    page = _text(limited.get(f"{USERS}?status=all"))
    assert "Nora North" in page and "Lee Leader" in page and "Ann North" in page
    for outside in ("Quinn Quality", "Riley Reviewer", "Alex Admin", "reviewer2"):
        assert outside not in page
    assert '<p role="status">3 people</p>' in page


@pytest.mark.parametrize(
    "path", ["", "/remove", "/restore", "/password", "/invite"], ids=lambda p: p or "edit"
)
def test_people_outside_the_scope_are_not_found(limited, demo, path):
    reviewer = find_membership(demo, "reviewer")
    method = limited.get if path == "" else limited.post
    assert method(f"{USERS}/{reviewer.id}{path}").status_code == 404
    assert find_membership(demo, "reviewer").is_active


def test_people_inside_the_scope_are_managed(limited, demo):
    north = find_membership(demo, "qa_north")
    assert limited.get(f"{USERS}/{north.id}").status_code == 200
    response = limited.post(
        f"{USERS}/{north.id}",
        data={
            "display_name": "Nora North",
            "email": find_user(demo, "qa_north").email,
            **roles_form("qa1"),
            "scope": "limited",
            "local_site_ids": [place_id(demo, LocalSite, "002")],
        },
    )
    assert response.status_code == 302
    assert scope_label(demo, "qa_north") == "Baker County"


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ({"scope": "site"}, "Your access reaches Northern region only"),
        # Places outside the scope are not offered: a forged choice is refused as such.
        ({"scope": "limited", "region_ids": "S"}, "Choose among the regions offered."),
        ({"scope": "limited", "local_site_ids": "003"}, "Choose among the local sites offered."),
    ],
    ids=["whole site", "another region", "another local site"],
)
def test_no_one_is_given_more_than_the_administrator_reaches(limited, demo, place, message):
    north = find_membership(demo, "qa_north")
    data = dict(place)
    if "region_ids" in data:
        data["region_ids"] = place_id(demo, Region, data["region_ids"])
    if "local_site_ids" in data:
        data["local_site_ids"] = place_id(demo, LocalSite, data["local_site_ids"])
    response = limited.post(
        f"{USERS}/{north.id}",
        data={"display_name": "Nora North", "email": "", **roles_form("reviewer"), **data},
    )
    assert response.status_code == 422
    assert message in _text(response)
    assert scope_label(demo, "qa_north") == "Northern region"
    assert not find_membership(demo, "qa_north").is_reviewer  # the roles were not kept either


def test_the_administrator_cannot_widen_their_own_access(limited, demo):
    own = find_membership(demo, LIMITED_ADMIN)
    response = limited.post(
        f"{USERS}/{own.id}",
        data={
            "display_name": "Ann North",
            "email": "",
            **roles_form("state_admin"),
            "scope": "site",
        },
    )
    assert response.status_code == 422
    assert scope_label(demo, LIMITED_ADMIN) == "Northern region"


def test_an_account_reaching_past_the_scope_elsewhere_is_not_managed(demo, client, mailbox):
    # Whole-site administrator on CQI, limited to the Northern region on CFSR: the
    # reviewer works on the whole CFSR site, so their account is not this admin's.
    limit_to_region(demo, "admin", "cfsr")
    login(client, "admin")
    reviewer = find_membership(demo, "reviewer")
    email = find_user(demo, "reviewer").email
    page = _text(client.get(f"{USERS}/{reviewer.id}"))
    assert "also works on sites or places you do not administer" in page
    assert "Send a link to choose a new password" not in page
    client.post(
        f"{USERS}/{reviewer.id}",
        data={
            "display_name": "Riley Reviewer",
            "email": "elsewhere@example.gov",
            **roles_form("reviewer"),
        },
    )
    response = client.post(f"{USERS}/{reviewer.id}/password", follow_redirects=True)
    assert "also works on sites or places you do not administer" in _text(response)
    assert find_user(demo, "reviewer").email == email and mailbox == []


def test_a_new_person_starts_limited_and_stays_inside(limited, demo):
    page = _text(limited.get(f"{USERS}/new"))
    assert re.search(r'<input checked[^>]*value="limited"', page)
    response = limited.post(
        f"{USERS}/new",
        data={
            "username": "nelly",
            "display_name": "Nelly North",
            "email": "nelly@example.gov",
            **roles_form("reviewer"),
            "scope": "limited",
            "region_ids": place_id(demo, Region, "N"),
        },
    )
    assert response.status_code == 302
    assert scope_label(demo, "nelly") == "Northern region"


@pytest.mark.parametrize(
    "path",
    # The audit log tells of every local site's cases and people.
    ["/regions", "/regions/new", "/local-sites/new", "/privacy", "/periods/new", "/admin/audit"],
)
def test_site_wide_settings_refuse_a_limited_administrator(limited, demo, path):
    assert limited.get(f"/demo/cqi{path}").status_code == 403


def test_periods_and_local_sites_are_read_only_for_a_limited_administrator(limited, demo):
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        period = db.session.scalar(select(ReviewPeriod).where(ReviewPeriod.site_id == site.id))
        period_id, was_open = period.id, period.is_open
    for path in ("", "/close", "/reopen"):
        method = limited.get if path == "" else limited.post
        assert method(f"/demo/cqi/periods/{period_id}{path}").status_code == 403
    with demo.app_context():
        assert db.session.get(ReviewPeriod, period_id).is_open == was_open
    assert "Create a review period" not in _text(limited.get("/demo/cqi/periods"))
    local = _text(limited.get("/demo/cqi/local-sites"))
    assert "Adams County" in local and "Add a local site" not in local
    local_id = place_id(demo, LocalSite, "001")
    assert (
        limited.post(
            f"/demo/cqi/local-sites/{local_id}", data={"code": "X", "name": "X"}
        ).status_code
        == 403
    )


def test_the_last_administrator_of_the_whole_site_is_kept(demo, client):
    make_limited_admin(demo)
    login(client, "admin")
    admin = find_membership(demo, "admin")
    response = client.post(f"{USERS}/{admin.id}/remove", follow_redirects=True)
    assert "last state administrator" in _text(response)
    assert find_membership(demo, "admin").is_active
    user = find_user(demo, "admin")
    response = client.post(
        f"{USERS}/{admin.id}",
        data={
            "display_name": user.display_name,
            "email": user.email,
            **roles_form("state_admin"),
            "scope": "limited",
            "region_ids": place_id(demo, Region, "N"),
        },
    )
    assert response.status_code == 422
    assert "last state administrator" in _text(response)
    assert scope_label(demo, "admin") == ""


def test_a_limited_administrator_does_not_count_as_the_last_one(demo):
    make_limited_admin(demo)
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        # Another whole-site administrator lets "admin" go.
        from review_app.accounts.operations import create_user
        from tests.conftest import PASSWORD

        other = create_user(None, "admin_two", "Avery Two", PASSWORD)
        grant_access(None, site, other, RoleSet(is_state_admin=True))
        db.session.commit()
    client = demo.test_client()
    login(client, "admin_two")
    admin = find_membership(demo, "admin")
    client.post(f"{USERS}/{admin.id}/remove")
    assert not find_membership(demo, "admin").is_active
    # Now admin_two is the last one of the whole site; the limited one does not count.
    own = find_membership(demo, "admin_two")
    client.post(f"{USERS}/{own.id}/remove")
    assert find_membership(demo, "admin_two").is_active


# The people import


def _import(client, text: str):
    answer = client.post(
        f"{USERS}/import",
        data={"file": (io.BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303, _text(answer)[:500]
    return _text(client.get(answer.location))


def _errors(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", page, re.S)]


HEADER = "username,display_name,email,roles,scope\n"


def test_import_limits_people_to_the_places_named(demo, client):
    login(client, "admin")
    page = _import(
        client,
        HEADER
        + "ann,Ann A,,reviewer,N;003\n"
        + "bob,Bob B,,site_leader,001\n"
        + "cat,Cat C,,observer,\n"
        + "qa2,,,reviewer,S\n",  # an account of this state, new to this site
    )
    assert "4 user(s) imported" in page, _errors(page)
    assert scope_label(demo, "ann") == "Northern region, Clark County"
    assert (
        find_membership(demo, "bob").is_site_leader and scope_label(demo, "bob") == "Adams County"
    )
    assert scope_label(demo, "cat") == ""
    assert scope_label(demo, "qa2") == "Southern region"


def test_import_rows_with_a_bad_scope_are_bad_rows(demo, client):
    login(client, "admin")
    page = _import(
        client,
        HEADER
        + "ann,Ann A,,reviewer,N\n"
        + "bob,Bob B,,site_leader,\n"
        + "cat,Cat C,,observer,Z;001\n",
    )
    errors = _errors(page)
    assert any(e.startswith("Line 3: scope: a Site Leader leads named local sites") for e in errors)
    assert any(
        "Line 4: scope: no region or local site of this site has the code Z" in e for e in errors
    )
    assert find_user(demo, "ann") is None


def test_a_limited_administrator_imports_inside_their_scope_only(limited, demo):
    page = _import(
        limited,
        HEADER + "ann,Ann A,,reviewer,N\n" + "bob,Bob B,,reviewer,003\n" + "cat,Cat C,,reviewer,\n",
    )
    errors = _errors(page)
    assert any(
        e.startswith("Line 3: scope: outside your access, which reaches Northern region only")
        for e in errors
    ), errors
    assert any(
        e.startswith("Line 4: scope: your access reaches Northern region only") for e in errors
    ), errors
    assert find_user(demo, "ann") is None
    page = _import(limited, HEADER + "ann,Ann A,,reviewer,002\n")
    assert "1 user(s) imported" in page
    assert scope_label(demo, "ann") == "Baker County"
