"""An optional CFSR setting: only people who passed enough practice cases become reviewers."""

import io

import pytest

from review_app.accounts.operations import create_user
from review_app.config import PROJECT_ROOT
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.members.operations import grant_access
from review_app.sites.queries import site_by_slug
from review_app.sites.settings import SettingsError, load_all_settings
from tests.conftest import PASSWORD, login
from tests.members.conftest import find_membership, roles_form
from tests.members.test_import import _refused
from tests.training.conftest import SITE, rate_copy, start, submit, words

CFSR = "/demo/cfsr/admin/users"
EXAMPLE = "# [reviewer_qualification]\n# passed_cases = 2\n# item_agreement_percent = 85"
ONE_AT_90 = "[reviewer_qualification]\npassed_cases = 1\nitem_agreement_percent = 90"


@pytest.fixture
def newbie(demo) -> str:
    """A person who is a reviewer on the Training site only."""
    with demo.app_context():
        person = create_user(None, "newbie", "Nina Newbie", PASSWORD)
        grant_access(None, site_by_slug("demo", "training"), person, RoleSet(is_reviewer=True))
        db.session.commit()
    return "newbie"


@pytest.fixture
def strict_admin(app_with_settings):
    """The demo administrator on an app whose CFSR site asks 1 practice case passed at 90%."""
    app = app_with_settings("cfsr", EXAMPLE, ONE_AT_90)
    client = app.test_client()
    login(client, "admin")
    return client


def _practise(app, clients, key_id: int, changes: dict) -> None:
    """newbie rates their copy of the key and submits it (after a reset when scored before)."""
    trainee = clients("newbie")
    copy_id = start(trainee, key_id)
    trainee.post(f"{SITE}/cases/{copy_id}/reset")
    rate_copy(app, copy_id, changes, username="newbie")
    assert submit(trainee, app, copy_id).status_code == 302


def test_the_documented_example_is_valid_and_off_until_uncommented(tmp_path):
    import shutil

    assert load_all_settings(PROJECT_ROOT / "sites")["cfsr"].reviewer_qualification is None
    shutil.copytree(PROJECT_ROOT / "sites", tmp_path / "sites")
    path = tmp_path / "sites" / "cfsr.toml"
    path.write_text(path.read_text().replace(EXAMPLE, EXAMPLE.replace("# ", "")))
    rule = load_all_settings(tmp_path / "sites")["cfsr"].reviewer_qualification
    assert (rule.passed_cases, rule.item_agreement_percent) == (2, 85)
    path = tmp_path / "sites" / "training.toml"
    path.write_text(path.read_text() + "\n" + ONE_AT_90 + "\n")
    with pytest.raises(SettingsError, match="training.toml: .*reviewer_qualification is for"):
        load_all_settings(tmp_path / "sites")


def test_without_the_setting_anyone_can_be_made_a_reviewer(demo, clients, newbie):
    response = clients("admin").post(f"{CFSR}/grant", data=roles_form("reviewer", username=newbie))
    assert response.status_code == 302
    assert find_membership(demo, newbie, "cfsr").is_reviewer
    assert "Qualified" not in words(clients("admin").get(CFSR))


def test_with_the_setting_the_reviewer_role_waits_for_enough_passed_practice(
    demo, clients, newbie, key_id, strict_admin
):
    grant = roles_form("reviewer", username=newbie)
    response = strict_admin.post(f"{CFSR}/grant", data=grant)
    assert response.status_code == 422
    page = words(response)
    assert (
        "Nina Newbie cannot be made a reviewer here yet: this site asks for 1 practice case passed "
        "on the Training site at 90% item agreement or better, and they have passed 0." in page
    )
    assert 'href="#reviewer"' in response.get_data(as_text=True)
    assert find_membership(demo, newbie, "cfsr") is None
    # Other roles need no practice; adding the reviewer role later is checked the same way.
    assert strict_admin.post(
        f"{CFSR}/grant", data=roles_form("observer", username=newbie)
    ).location.endswith("/admin/users")
    membership_id = find_membership(demo, newbie, "cfsr").id
    edit = roles_form("reviewer", "observer", display_name="Nina Newbie")
    assert strict_admin.post(f"{CFSR}/{membership_id}", data=edit).status_code == 422

    _practise(demo, clients, key_id, {"3B": "no", "14A": "no"})  # passes at 80%, not at 90%
    assert strict_admin.post(f"{CFSR}/{membership_id}", data=edit).status_code == 422
    page = words(strict_admin.get(CFSR + "?q=newbie"))
    assert "0 of 1 on this page qualify" in page
    assert "Not yet (0 of 1 passed)" in page

    _practise(demo, clients, key_id, {})  # 100%
    assert "qualified, 1 of the 1 practice case passed" in words(
        strict_admin.get(f"{CFSR}/{membership_id}")
    )
    assert strict_admin.post(f"{CFSR}/{membership_id}", data=edit).status_code == 302
    assert find_membership(demo, newbie, "cfsr").is_reviewer
    page = words(strict_admin.get(CFSR))
    assert "Yes (1 of 1 passed)" in page and "Not yet (0 of 1 passed)" in page


def test_an_import_lists_each_unqualified_reviewer_and_adds_nobody(demo, newbie, strict_admin):
    content = (
        "username,display_name,email,roles\n"
        "fresh,Fresh Person,,observer\n"
        "newbie,,,reviewer\n"
        "brandnew,Brand New,,reviewer qa1\n"
    )
    started = strict_admin.post(
        f"{CFSR}/import",
        data={"file": (io.BytesIO(content.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    response = strict_admin.get(started.location)  # the import job's page (run at once here)
    assert _refused(response)
    page = words(response)
    assert "Line 3: roles: Nina Newbie cannot be made a reviewer here yet" in page
    assert "Line 4: roles: A new account cannot be made a reviewer here yet" in page
    assert "it has passed 0" in page
    assert find_membership(demo, "fresh", "cfsr") is None
