"""Password rules (NIST SP 800-63B): length, no common or guessable passwords, nothing personal."""

import pytest

from review_app.accounts.passwords import check_new_password, generate_password
from review_app.core.errors import OperationError
from tests.conftest import PASSWORD, login


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", "too easy to guess"),
        ("password123", "too easy to guess"),
        ("qwertyuiop", "too easy to guess"),
        ("1234567890", "too easy to guess"),
        ("casereview2026", "too easy to guess"),  # the service's own name
        ("short", "at least 10 characters"),
        ("x" * 201, "at most 200 characters"),
        ("jdoe-garden-lamp", "must not contain the username"),
        ("janedoe-garden", "must not contain the username"),
        ("plum-smith-garden", "must not contain your name"),
    ],
)
def test_weak_or_personal_passwords_are_refused_with_the_reason(app, password, reason):
    with app.app_context(), pytest.raises(OperationError) as refused:
        check_new_password(password, "janedoe" if "janedoe" in password else "jdoe", "Jane Smith")
    assert reason in refused.value.message


@pytest.mark.parametrize(
    "password", ["river-copper-lantern", "correct horse battery staple", "Tz8#kq2!Lm0v"]
)
def test_strong_passwords_are_accepted_without_composition_rules(app, password):
    with app.app_context():
        check_new_password(password, "jdoe", "Jane Smith", "jane@example.org")


def test_generated_temporary_passwords_pass_the_rules(app):
    with app.app_context():
        for _ in range(20):
            check_new_password(generate_password(), "jdoe", "Jane Smith")


def test_change_password_refuses_a_common_password(demo, client):
    login(client, "qa")
    page = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "password123",
            "confirm_password": "password123",
        },
    )
    assert page.status_code == 422
    assert "too easy to guess" in page.get_data(as_text=True)


def test_command_line_refuses_a_common_password(demo):
    result = demo.test_cli_runner().invoke(
        args=["users", "add", "jdoe", "--password", "aaaaaaaaaa"]
    )
    assert result.exit_code != 0
    assert "too easy to guess" in result.output


def test_csv_import_refuses_a_common_password(demo, client):
    import io

    login(client, "admin")
    data = "username,display_name,email,roles,password\njdoe,Jane Doe,,reviewer,password123\n"
    started = client.post(
        "/demo/cqi/admin/users/import",
        data={"file": (io.BytesIO(data.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert started.status_code == 303  # the import's job runs at once in tests
    page = client.get(started.location).get_data(as_text=True)
    assert "Nothing was imported" in page and "too easy to guess" in page
