"""Removing and restoring access, the last state administrator, and password resets."""

from review_app.accounts.operations import set_account_active
from review_app.extensions import db
from tests.conftest import PASSWORD, login
from tests.members.conftest import (
    USERS,
    find_membership,
    find_user,
    link_path,
    roles_form,
    set_from_mail,
    share,
)


def _add_solo(admin, username="solo"):
    """Add a user with access to the demo CQI site only; return their membership id."""
    admin.post(
        f"{USERS}/new",
        data={
            "username": username,
            "display_name": "Sol Solo",
            "email": f"{username}@example.gov",
            **roles_form("reviewer"),
        },
    )
    return find_membership(admin.application, username).id


def test_the_last_state_administrator_cannot_be_demoted_or_removed(admin, demo):
    member = find_membership(demo, "admin")
    response = admin.post(
        f"{USERS}/{member.id}",
        data={
            "display_name": "Avery Admin",
            "email": "admin@demo.example",
            **roles_form("reviewer"),
        },
    )
    assert response.status_code == 422
    assert "last state administrator: name another one first" in response.get_data(as_text=True)
    response = admin.post(f"{USERS}/{member.id}/remove", follow_redirects=True)
    assert "last state administrator" in response.get_data(as_text=True)
    member = find_membership(demo, "admin")
    assert member.is_active and member.is_state_admin


def test_an_administrator_can_step_down_once_there_is_another(admin, demo):
    reviewer = find_membership(demo, "reviewer")
    admin.post(
        f"{USERS}/{reviewer.id}",
        data={
            "display_name": "Riley Reviewer",
            "email": "",
            **roles_form("state_admin", "reviewer"),
        },
    )
    member = find_membership(demo, "admin")
    response = admin.post(
        f"{USERS}/{member.id}",
        data={
            "display_name": "Avery Admin",
            "email": "admin@demo.example",
            **roles_form("observer"),
        },
    )
    assert response.status_code == 302
    assert find_membership(demo, "admin").roles.codes == ["observer"]
    assert admin.get(USERS).status_code == 403  # no longer an administrator here


def test_an_administrator_whose_account_is_deactivated_does_not_count(admin, demo):
    reviewer = find_membership(demo, "reviewer")
    admin.post(
        f"{USERS}/{reviewer.id}",
        data={"display_name": "Riley Reviewer", "email": "", **roles_form("state_admin")},
    )
    with demo.app_context():
        set_account_active(None, db.session.merge(find_user(demo, "reviewer")), False)
        db.session.commit()
    member = find_membership(demo, "admin")
    response = admin.post(f"{USERS}/{member.id}/remove", follow_redirects=True)
    assert "last state administrator" in response.get_data(as_text=True)
    assert find_membership(demo, "admin").is_active


def test_removing_access_ends_it_at_once_but_keeps_the_account_for_other_sites(admin, demo):
    reviewer = demo.test_client()
    login(reviewer, "reviewer")
    assert reviewer.get("/demo/cqi/").status_code == 200
    member = find_membership(demo, "reviewer")
    response = admin.post(f"{USERS}/{member.id}/remove", follow_redirects=True)
    assert "Riley Reviewer no longer has access to this site." in response.get_data(as_text=True)
    assert reviewer.get("/demo/cqi/").status_code == 302  # the open session ended
    login(reviewer, "reviewer")
    assert reviewer.get("/demo/cqi/").status_code == 404
    assert reviewer.get("/demo/cfsr/").status_code == 200
    assert find_user(demo, "reviewer").is_active
    page = admin.get(f"{USERS}/{member.id}").get_data(as_text=True)
    assert "Access to this site is removed." in page and "Give access back" in page


def test_removing_the_only_access_deactivates_the_account(admin, demo, client):
    membership_id = _add_solo(admin)
    admin.post(f"{USERS}/{membership_id}/remove")
    assert not find_user(demo, "solo").is_active
    page = admin.get(f"{USERS}/{membership_id}").get_data(as_text=True)
    assert "The account is deactivated." in page
    assert "Account deactivated" in admin.get(USERS, query_string={"status": "all"}).get_data(
        as_text=True
    )


def test_restore_gives_the_same_roles_back_and_reactivates_the_account(admin, demo, mailbox):
    membership_id = _add_solo(admin)
    password = set_from_mail(demo, mailbox)
    admin.post(f"{USERS}/{membership_id}/remove")
    response = admin.post(f"{USERS}/{membership_id}/restore", follow_redirects=True)
    assert "Sol Solo has access to this site again." in response.get_data(as_text=True)
    member = find_membership(demo, "solo")
    assert member.is_active and member.roles.codes == ["reviewer"]
    assert find_user(demo, "solo").is_active
    solo = demo.test_client()
    login(solo, "solo", password)
    assert solo.get("/demo/cqi/").status_code == 200


def test_restore_of_a_member_who_has_access_says_so(admin, demo):
    member = find_membership(demo, "qa")
    response = admin.post(f"{USERS}/{member.id}/restore", follow_redirects=True)
    assert "qa already has access to this site" in response.get_data(as_text=True)


def test_reset_password_emails_a_link_whose_use_ends_every_session(admin, demo, mailbox):
    # The demo administrator administers all three demo sites, where the reviewer works.
    reviewer = demo.test_client()
    login(reviewer, "reviewer")
    member = find_membership(demo, "reviewer")
    page = admin.get(f"{USERS}/{member.id}").get_data(as_text=True)
    assert "Send a link to choose a new password" in page
    page = admin.post(f"{USERS}/{member.id}/password", follow_redirects=True).get_data(as_text=True)
    assert "A link to choose a new password is on its way" in page and "<code>" not in page
    assert reviewer.get("/demo/cqi/").status_code == 302  # signed out at once
    login(reviewer, "reviewer")  # the password stays until the link is used
    password = set_from_mail(demo, mailbox)
    assert reviewer.get("/demo/cqi/").status_code == 302  # using it signs out again
    assert (
        reviewer.post("/login", data={"username": "reviewer", "password": PASSWORD}).status_code
        == 422
    )
    login(reviewer, "reviewer", password)
    assert reviewer.get("/demo/cqi/").status_code == 200


def test_reset_password_is_refused_for_an_account_with_access_elsewhere(admin, demo, mailbox):
    share(demo, "outsider", "cqi", is_reviewer=True)
    member = find_membership(demo, "outsider")
    response = admin.post(f"{USERS}/{member.id}/password", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "also works on sites or places you do not administer" in page and mailbox == []
    login(demo.test_client(), "outsider")  # the password did not change


def test_reset_password_is_refused_when_the_admin_lacks_one_of_the_sites(demo, client, mailbox):
    # Make the reviewer administrator of the CQI site only; the qa user works on all three.
    admin = demo.test_client()
    login(admin, "admin")
    reviewer = find_membership(demo, "reviewer")
    admin.post(
        f"{USERS}/{reviewer.id}",
        data={"display_name": "Riley Reviewer", "email": "", **roles_form("state_admin")},
    )
    login(client, "reviewer")
    qa = find_membership(demo, "qa")
    page = client.get(f"{USERS}/{qa.id}").get_data(as_text=True)
    assert "Send a link to choose a new password" not in page
    response = client.post(f"{USERS}/{qa.id}/password", follow_redirects=True)
    assert "also works on sites or places you do not administer" in response.get_data(as_text=True)
    assert mailbox == []
    solo_id = _add_solo(client)
    response = client.post(f"{USERS}/{solo_id}/password", follow_redirects=True)
    assert "A new invitation is on its way" in response.get_data(as_text=True)
    assert [message["To"] for message in mailbox] == ["solo@example.gov"] * 2
    assert link_path(mailbox[0]) != link_path(mailbox[1])


def test_a_system_administrators_account_is_never_managed_by_a_state_administrator(
    admin, demo, mailbox
):
    share(demo, "sysadmin", "cqi")
    member = find_membership(demo, "sysadmin")
    response = admin.post(f"{USERS}/{member.id}/password", follow_redirects=True)
    assert "also works on sites or places you do not administer" in response.get_data(as_text=True)
    assert mailbox == []
    admin.post(f"{USERS}/{member.id}/remove")
    assert find_user(demo, "sysadmin").is_active  # kept: it needs no site access
