"""Accounts and jurisdictions: a state administrator reaches only the accounts of their state,
and a deactivation is undone only at the level that made it."""

import io
import re

from sqlalchemy import select

from review_app.accounts.models import DeactivatedBy, User
from review_app.accounts.operations import set_account_active
from review_app.extensions import db
from tests.conftest import login
from tests.members.conftest import USERS, find_membership, find_user, roles_form, share


def _deactivate_as_system(app, username: str) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        sysadmin = db.session.scalar(select(User).where(User.username == "sysadmin"))
        set_account_active(sysadmin, user, False)
        db.session.commit()


def _grant(admin, username: str):
    return admin.post(f"{USERS}/grant", data={"username": username, **roles_form("reviewer")})


def _without(page: str, username: str) -> str:
    """The page less what was typed (the form shows the username back) and the CSRF token."""
    return re.sub(r'value="[^"]*"', "", page.replace(username, "NAME"))


def test_granting_another_states_account_answers_as_for_an_unknown_username(admin, demo):
    elsewhere = _grant(admin, "outsider")
    unknown = _grant(admin, "no-such-person")
    assert elsewhere.status_code == unknown.status_code == 422
    page = elsewhere.get_data(as_text=True)
    assert "No one with that username works in this state" in page
    assert _without(page, "outsider") == _without(unknown.get_data(as_text=True), "no-such-person")
    assert find_membership(demo, "outsider") is None


def test_a_system_deactivated_account_of_another_state_stays_deactivated(admin, demo):
    _deactivate_as_system(demo, "outsider")
    assert _grant(admin, "outsider").status_code == 422
    assert not find_user(demo, "outsider").is_active
    assert find_membership(demo, "outsider") is None


def test_only_a_system_administrator_undoes_a_system_deactivation(admin, demo):
    share(demo, "outsider", "cfsr")  # works in this state too
    _deactivate_as_system(demo, "outsider")
    assert find_user(demo, "outsider").deactivated_by == DeactivatedBy.SYSTEM
    response = _grant(admin, "outsider")
    assert response.status_code == 422
    assert "only a system administrator can reactivate it" in response.get_data(as_text=True)
    assert not find_user(demo, "outsider").is_active
    assert find_membership(demo, "outsider") is None
    # A system administrator can.
    system = demo.test_client()
    login(system, "sysadmin")
    user_id = find_user(demo, "outsider").id
    system.post(f"/system/accounts/{user_id}/active", data={"active": "1"})
    assert find_user(demo, "outsider").is_active
    assert find_user(demo, "outsider").deactivated_by is None


def test_a_state_removal_is_undone_by_a_state_administrator(admin, demo):
    data = {"username": "solo", "display_name": "Sol Solo", "email": "sol@example.gov"}
    data |= roles_form("reviewer")
    admin.post(f"{USERS}/new", data=data)
    member = find_membership(demo, "solo")
    admin.post(f"{USERS}/{member.id}/remove")
    assert find_user(demo, "solo").deactivated_by == DeactivatedBy.STATE
    response = admin.post(f"{USERS}/{member.id}/restore", follow_redirects=True)
    assert "has access to this site again" in response.get_data(as_text=True)
    assert find_user(demo, "solo").is_active


def test_adding_a_person_whose_username_is_taken_elsewhere_says_what_it_says_here(admin, demo):
    def new(username):
        data = {"username": username, "display_name": "Jane Doe", "email": "jane@example.gov"}
        data |= roles_form("reviewer")
        return admin.post(f"{USERS}/new", data=data)

    elsewhere, here = new("outsider"), new("reviewer2")
    assert elsewhere.status_code == here.status_code == 422
    messages = [
        re.findall(
            r"The username &#39;\w+&#39; is already taken[^<]*", answer.get_data(as_text=True)
        )
        for answer in (elsewhere, here)
    ]
    assert messages[0] and [m.replace("outsider", "reviewer2") for m in messages[0]] == messages[1]
    assert find_membership(demo, "outsider") is None


def test_the_csv_import_does_not_reach_another_states_account(admin, demo):
    response = admin.post(
        f"{USERS}/import",
        data={
            "file": (
                io.BytesIO(b"username,display_name,email,roles\noutsider,,,reviewer\n"),
                "people.csv",
            )
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303  # the import's job, run at once in tests
    response = admin.get(response.location)
    assert "Nothing was imported" in response.get_data(as_text=True)
    assert "&#39;outsider&#39; is already taken" in response.get_data(as_text=True)
    assert find_membership(demo, "outsider") is None
    assert find_user(demo, "outsider").display_name == "Otto Outsider"


def test_the_csv_import_does_not_undo_a_system_deactivation(admin, demo):
    share(demo, "outsider", "cfsr")
    _deactivate_as_system(demo, "outsider")
    response = admin.post(
        f"{USERS}/import",
        data={
            "file": (
                io.BytesIO(b"username,display_name,email,roles\noutsider,,,reviewer\n"),
                "people.csv",
            )
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303  # the import's job, run at once in tests
    response = admin.get(response.location)
    assert "Nothing was imported" in response.get_data(as_text=True)
    assert "only a system administrator can reactivate it" in response.get_data(as_text=True)
    assert not find_user(demo, "outsider").is_active


def test_the_case_import_names_another_states_username_as_an_unknown_one(admin, demo):
    from tests.cases.test_import import HEADER, _refused, _upload

    response = _upload(
        admin,
        demo,
        (
            HEADER
            + "N-1,foster_care,001,A.A.,2015-01-02,,outsider\n"
            + "N-2,foster_care,001,B.B.,2015-01-02,,ghost\n"
        ).encode(),
    )
    page = response.get_data(as_text=True)
    assert _refused(response)
    assert "Line 2: reviewers: outsider is not a reviewer on this site" in page
    assert "Line 3: reviewers: ghost is not a reviewer on this site" in page


def test_the_case_import_lists_another_states_username_exactly_as_an_unknown_one(admin, demo):
    """Same words, same place in the row's message, whatever else is wrong with the row."""
    import re

    from tests.cases.test_import import HEADER, _upload

    response = _upload(
        admin,
        demo,
        (
            HEADER
            + "N-1,foster_care,001,A.A.,someday,,outsider\n"
            + "N-2,foster_care,001,B.B.,someday,,ghost\n"
        ).encode(),
    )
    page = response.get_data(as_text=True)
    line_2 = re.search(r"Line 2: [^<]*", page).group(0).replace("outsider", "NAME")
    line_3 = re.search(r"Line 3: [^<]*", page).group(0).replace("ghost", "NAME")
    assert line_2.removeprefix("Line 2") == line_3.removeprefix("Line 3")
