"""State administrators add people, give existing accounts access, edit roles and list members."""

import pytest

from review_app.accounts.operations import create_user
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.operations import grant_access
from review_app.sites.queries import site_by_slug
from tests.conftest import PASSWORD, login
from tests.members.conftest import (
    USERS,
    find_membership,
    find_user,
    roles_form,
    set_from_mail,
    share,
)


def _new(client, username="jdoe", site="demo/cqi", **extra):
    data = {
        "username": username,
        "display_name": "Jane Doe",
        "email": "jane@example.gov",
        **roles_form("reviewer"),
        **extra,
    }
    return client.post(f"/{site}/admin/users/new", data=data)


def _add_people(app, count: int, site="demo/cqi", prefix="person"):
    with app.app_context():
        target = site_by_slug(*site.split("/"))
        for number in range(count):
            user = create_user(None, f"{prefix}{number:03}", f"Person {number:03}", PASSWORD)
            grant_access(None, target, user, RoleSet(is_reviewer=True))
        db.session.commit()


def test_a_new_user_is_invited_by_email_and_chooses_their_own_password(admin, demo, mailbox):
    response = _new(admin)
    assert response.status_code == 302
    page = admin.get(response.location).get_data(as_text=True)
    assert "Jane Doe is added" in page and "<code>" not in page
    assert [message["To"] for message in mailbox] == ["jane@example.gov"]
    password = set_from_mail(demo, mailbox)
    newcomer = demo.test_client()
    login(newcomer, "jdoe", password)
    assert newcomer.get("/demo/cqi/").status_code == 200
    assert newcomer.get("/demo/cfsr/").status_code == 404  # roles only on the CQI site


def test_duplicate_username_is_refused_and_the_form_keeps_what_was_typed(admin):
    response = _new(
        admin, username="Reviewer", display_name="Someone Else", email="someone@example.gov"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The username &#39;reviewer&#39; is already taken." in page
    assert 'value="Someone Else"' in page and 'value="someone@example.gov"' in page
    assert 'value="Reviewer"' in page


def test_new_user_needs_a_role_and_a_valid_username(admin, demo):
    response = _new(admin, reviewer="")
    assert response.status_code == 422
    assert "Choose at least one role." in response.get_data(as_text=True)
    response = _new(admin, username="no spaces allowed")
    assert response.status_code == 422
    assert "Use 2 to 80 lowercase letters" in response.get_data(as_text=True)
    assert find_user(demo, "jdoe") is None


def test_qa_level_2_is_refused_where_the_site_has_one_qa_level(admin, demo):
    assert 'value="2"' not in admin.get(f"{USERS}/new").get_data(as_text=True)
    response = _new(admin, **roles_form("qa2"))
    assert response.status_code == 422
    assert "This site has only one QA level: choose QA level 1." in response.get_data(as_text=True)
    response = _new(admin, qa_level="7")
    assert "Choose one of the QA levels offered." in response.get_data(as_text=True)
    assert find_user(demo, "jdoe") is None
    assert 'value="2"' in admin.get("/demo/cfsr/admin/users/new").get_data(as_text=True)
    response = _new(admin, site="demo/cfsr", **roles_form("qa2"))
    assert response.status_code == 302
    assert find_membership(demo, "jdoe", "cfsr").qa_level == 2


def test_grant_gives_an_account_of_this_state_access(admin, demo):
    share(demo, "outsider", "cfsr")  # an account of another state that also works here
    response = admin.post(
        f"{USERS}/grant", data={"username": " Outsider ", **roles_form("observer")}
    )
    assert response.status_code == 302
    assert "Otto Outsider now has access" in admin.get(response.location).get_data(as_text=True)
    assert find_membership(demo, "outsider").is_observer


def test_grant_explains_an_unknown_username_and_an_existing_member(admin):
    response = admin.post(f"{USERS}/grant", data={"username": "ghost", **roles_form("reviewer")})
    assert response.status_code == 422
    assert "No one with that username works in this state" in response.get_data(as_text=True)
    response = admin.post(f"{USERS}/grant", data={"username": "qa", **roles_form("reviewer")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "qa already has access to this site; edit their roles instead." in page
    assert 'value="qa"' in page


def test_grant_of_qa_level_2_on_a_one_level_site_is_refused(admin, demo):
    response = admin.post(f"{USERS}/grant", data={"username": "qa2", **roles_form("qa2")})
    assert response.status_code == 422
    assert "only one QA level" in response.get_data(as_text=True)
    assert find_membership(demo, "qa2") is None


def test_edit_changes_roles_and_shows_them_in_the_list(admin, demo):
    member = find_membership(demo, "reviewer")
    page = admin.get(f"{USERS}/{member.id}").get_data(as_text=True)
    assert "Riley Reviewer" in page
    response = admin.post(
        f"{USERS}/{member.id}",
        data={
            "display_name": "Riley Reviewer",
            "email": "reviewer@demo.example",
            **roles_form("reviewer", "qa1"),
        },
    )
    assert response.status_code == 302
    page = admin.get(response.location).get_data(as_text=True)
    assert "Riley Reviewer saved." in page and "Reviewer, QA, level 1" in page
    assert find_membership(demo, "reviewer").qa_level == 1
    assert find_membership(demo, "reviewer", "cfsr").qa_level is None  # other sites untouched


def test_edit_changes_the_name_and_email_of_an_account_the_admin_manages(admin, demo):
    member = find_membership(demo, "reviewer")
    response = admin.post(
        f"{USERS}/{member.id}",
        data={
            "display_name": "Riley R. Reviewer",
            "email": "not an address",
            **roles_form("reviewer"),
        },
    )
    assert response.status_code == 422
    assert "Invalid email address." in response.get_data(as_text=True)
    response = admin.post(
        f"{USERS}/{member.id}",
        data={
            "display_name": "Riley R. Reviewer",
            "email": "riley@state.example",
            **roles_form("reviewer"),
        },
    )
    assert response.status_code == 302
    user = find_user(demo, "reviewer")
    assert (user.display_name, user.email) == ("Riley R. Reviewer", "riley@state.example")


def test_edit_refuses_no_role_and_qa_level_2_on_cqi(admin, demo):
    member = find_membership(demo, "reviewer")
    for roles in (roles_form(), roles_form("qa2")):
        response = admin.post(
            f"{USERS}/{member.id}", data={"display_name": "Riley Reviewer", "email": "", **roles}
        )
        assert response.status_code == 422
    assert find_membership(demo, "reviewer").roles == RoleSet(is_reviewer=True)


def test_an_account_that_works_elsewhere_keeps_its_name_but_its_roles_change(admin, demo):
    share(demo, "outsider", "cqi", is_reviewer=True)
    with demo.app_context():
        # An address the form would refuse, set where this administrator has no say.
        db.session.merge(find_user(demo, "outsider")).email = "otto@localhost"
        db.session.commit()
    member = find_membership(demo, "outsider")
    page = admin.get(f"{USERS}/{member.id}").get_data(as_text=True)
    assert "managed there" in page and "choose a new password" not in page
    assert 'name="display_name"' not in page
    response = admin.post(
        f"{USERS}/{member.id}",
        data={"display_name": "Renamed", "email": "", **roles_form("observer")},
    )
    assert response.status_code == 302
    assert find_user(demo, "outsider").display_name == "Otto Outsider"
    assert find_membership(demo, "outsider").roles.codes == ["observer"]


@pytest.mark.parametrize("path", ["", "/remove", "/restore", "/password"])
def test_a_membership_of_another_site_is_not_found(admin, demo, path):
    other = find_membership(demo, "qa2", "cfsr")
    method = admin.get if path == "" else admin.post
    assert method(f"{USERS}/{other.id}{path}").status_code == 404
    foreign = find_membership(demo, "outsider", "cqi", code="other")
    assert method(f"{USERS}/{foreign.id}{path}").status_code == 404


@pytest.mark.parametrize(
    "username, status",
    [("reviewer", 403), ("qa", 403), ("observer", 403), ("outsider", 404), ("sysadmin", 404)],
)
def test_only_state_administrators_manage_users(demo, client, username, status):
    login(client, username)
    for path in ("", "/new", "/grant", "/import"):
        assert client.get(f"{USERS}{path}").status_code == status
    assert _new(client).status_code == status


def test_list_filters_by_text_role_and_access(admin, demo):
    def names(**query):
        return admin.get(USERS, query_string=query).get_data(as_text=True)

    page = names()
    assert "7 people" in page and "Quincy Quality" not in page  # qa2 works on CFSR only
    page = names(q="RILEY")
    assert "1 person" in page and "Riley Reviewer" in page
    page = names(q="demo.example", role="qa1")
    assert "2 people" in page and "Quinn Quality" in page and "Nora North" in page
    page = names(role="state_admin")
    assert "1 person" in page and "Avery Admin" in page
    page = names(q="%")
    assert "0 people" in page
    member = find_membership(demo, "observer")
    admin.post(f"{USERS}/{member.id}/remove")
    page = names()
    assert "6 people" in page and "Olive Observer no longer has access" in page
    page = names(status="inactive")
    assert "1 person" in page and "Olive Observer" in page and "Account deactivated" not in page
    assert "7 people" in names(status="all")


def test_list_pages_fifty_people_at_a_time(admin, demo):
    _add_people(demo, 50)
    first = admin.get(USERS).get_data(as_text=True)
    assert "57 people" in first and "Page 1 of 2" in first and "Person 045" in first
    assert "Person 046" not in first and "Riley Reviewer" not in first
    second = admin.get(USERS, query_string={"page": 2, "role": "reviewer"}).get_data(as_text=True)
    assert "Page 2 of 2" in second and "Robin Reviewer" in second and "Person 000" not in second
    assert admin.get(USERS, query_string={"page": "x"}).status_code == 200
