"""Importing people from a CSV file: all rows or none, every bad row named by its line."""

import io
import re

from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.members.models import Membership
from tests.conftest import login
from tests.members.conftest import USERS, find_membership, find_user, set_from_mail, share

HEADER = "username,display_name,email,roles\n"


def _import(client, text: str | bytes, filename="people.csv", site="demo/cqi"):
    """Post the file; return the import job's page (the job runs at once in tests),
    or the form's own answer when it refused the upload."""
    data = text.encode() if isinstance(text, str) else text
    answer = client.post(
        f"/{site}/admin/users/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    if answer.status_code != 303:
        return answer
    assert f"/{site}/jobs/" in answer.location
    return client.get(answer.location)


def _done(response) -> bool:
    page = response.get_data(as_text=True)
    return response.status_code == 200 and '<dd data-job="status_label">Done</dd>' in page


def _refused(response) -> bool:
    page = response.get_data(as_text=True)
    return '<dd data-job="status_label">Failed</dd>' in page and "Nothing was imported" in page


def _errors(response) -> list[str]:
    page = response.get_data(as_text=True)
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", page, re.S)]


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(Membership)),
        )


def test_a_good_file_imports_every_row(admin, demo, mailbox):
    share(demo, "outsider", "cfsr")  # an account of another state that also works here
    response = _import(
        admin,
        "\ufeffUsername,Display_Name,Email,Roles,Password\n"
        "jdoe,Jane Doe,jane@example.gov,reviewer,\n"
        'asmith,Alex Smith,,"QA1, observer",\n'
        "bkent,Bo Kent,,state_admin,bo-chose-this-1\n"
        "OUTSIDER,,,observer,\n",
    )
    page = response.get_data(as_text=True)
    assert _done(response) and "4 user(s) imported" in page
    outcomes = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', page))
    assert outcomes == {
        "jdoe": "Added and invited by email",
        "asmith": "Added; no email address: add one on their page, then send the invitation",
        "bkent": "Added with the password from the file",
        "outsider": "Existing account: given access",
    }
    assert "<code>" not in page
    assert find_membership(demo, "asmith").roles.codes == ["qa1", "observer"]
    assert find_membership(demo, "outsider").is_observer
    assert find_user(demo, "outsider").display_name == "Otto Outsider"  # account untouched
    assert [message["To"] for message in mailbox] == ["jane@example.gov"]
    assert mailbox[0]["Subject"] == "[Demo State CQI] You are invited to Case Review"
    jane = demo.test_client()
    login(jane, "jdoe", set_from_mail(demo, mailbox))
    assert jane.get("/demo/cqi/").status_code == 200
    login(demo.test_client(), "bkent", "bo-chose-this-1")
    users = admin.get(USERS).get_data(as_text=True)
    assert users.count("Invited, not yet signed in") == 1  # asmith; jdoe has signed in


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(admin, demo):
    before = _counts(demo)
    response = _import(
        admin,
        HEADER
        + "good1,Good One,,reviewer\n"
        + "badrole,Bad Role,,reviewer boss\n"
        + "bad name,Bad Name,,reviewer\n"
        + "twice,Twice,,reviewer\n"
        + "twice,Twice Again,,observer\n"
        + "qa,Quinn Quality,,reviewer\n"
        + "wide,Too Wide,,reviewer,extra\n"
        + "norole,No Role,,\n"
        + "twolevels,Two Levels,,qa2\n"
        + "mail,Bad Mail,not-an-address,reviewer\n"
        + "local,Local Mail,someone@localhost,reviewer\n",
    )
    assert _refused(response)
    assert "Nothing was imported: 9 rows to fix" in response.get_data(as_text=True)
    errors = _errors(response)
    for line, text in [
        (3, "unknown role boss"),
        (4, "username: use 2 to 80"),
        (6, "twice appears twice in the file"),
        (7, "qa already has access to this site"),
        (8, "more values than columns"),
        (9, "give at least one role"),
        (10, "this site has only QA level 1"),
        (11, "email: not an email address"),
        (12, "email: not an email address"),
    ]:
        assert any(e.startswith(f"Line {line}: ") and text in e for e in errors), (line, errors)
    assert not any(e.startswith(("Line 2:", "Line 5:")) for e in errors)
    assert [int(e.split()[1].rstrip(":")) for e in errors if e.startswith("Line")] == [
        3,
        4,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
    ]
    assert _counts(demo) == before


def test_qa_level_2_imports_on_a_site_with_two_levels(admin, demo):
    response = _import(admin, HEADER + "qcheck,Q Check,,qa2\n", site="demo/cfsr")
    assert _done(response)
    assert find_membership(demo, "qcheck", "cfsr").qa_level == 2


def test_a_header_without_a_column_is_refused(admin, demo):
    response = _import(admin, "username,display_name,email\njdoe,Jane Doe,\n")
    assert _refused(response)
    assert "Line 1: the header lacks the column(s) roles." in _errors(response)
    response = _import(admin, "username,display_name,email,roles,team\n")
    assert any("unknown column(s) team" in e for e in _errors(response))
    assert find_user(demo, "jdoe") is None


def test_a_file_that_is_not_utf8_is_refused_with_advice(admin, demo):
    response = _import(admin, (HEADER + "jmuller,Jürgen Müller,,reviewer\n").encode("latin-1"))
    assert _refused(response)
    assert "“people.csv” is not UTF-8 text" in response.get_data(as_text=True)
    assert find_user(demo, "jmuller") is None


def test_an_empty_file_or_a_header_alone_imports_nothing(admin):
    response = _import(admin, "")
    assert _refused(response)
    assert "The file is empty." in response.get_data(as_text=True)
    response = _import(admin, HEADER)
    assert _refused(response)
    assert "The file has a header but no rows." in response.get_data(as_text=True)


def test_blank_rows_from_a_spreadsheet_are_skipped(admin, demo):
    response = _import(admin, HEADER + "jdoe,Jane Doe,,reviewer\n,,,\n\n , , , \n")
    assert _done(response) and "1 user(s) imported" in response.get_data(as_text=True)


def test_only_a_csv_file_is_accepted(admin):
    response = _import(admin, HEADER + "jdoe,Jane Doe,,reviewer\n", filename="people.xlsx")
    assert response.status_code == 422  # the form refuses it
    assert "Choose a .csv file." in response.get_data(as_text=True)
    response = admin.post(f"{USERS}/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422  # the form refuses it
    assert "Choose a CSV file." in response.get_data(as_text=True)


def test_a_former_member_in_the_file_gets_access_back(admin, demo):
    member = find_membership(demo, "observer")
    admin.post(f"{USERS}/{member.id}/remove")
    response = _import(admin, HEADER + "observer,,,reviewer\n")
    assert _done(response)
    restored = find_membership(demo, "observer")
    assert restored.is_active and restored.roles.codes == ["reviewer"]


def test_a_weak_password_in_the_file_is_a_bad_row(admin, demo):
    response = _import(
        admin, HEADER.replace("roles", "roles,password") + "jdoe,Jane Doe,,reviewer,short\n"
    )
    assert "Line 2: password: Use at least 10 characters for the password." in _errors(response)


def test_a_csv_with_cr_only_line_ends_imports(admin, demo):
    text = HEADER + "jdoe,Jane Doe,,reviewer\n" + "asmith,Alex Smith,,observer\n"
    response = _import(admin, text.replace("\n", "\r"))
    assert _done(response), response.get_data(as_text=True)[:2000]
    assert find_user(demo, "asmith") is not None


def test_undecodable_bytes_are_named_by_line(admin, demo):
    data = (HEADER + "jdoe,Jane Doe,,reviewer\r\n").encode() + "jmuller,Jürgen,,reviewer\n".encode(
        "latin-1"
    )
    response = _import(admin, data)
    assert _refused(response)
    assert any("people.csv" in e and "line 3" in e and "UTF-8" in e for e in _errors(response))


def test_chosen_passwords_are_limited_per_file(admin, demo):
    from review_app.members.importing import MAX_CHOSEN_PASSWORDS

    rows = "".join(
        f"p{n:03},P {n},,reviewer,chosen-password-{n:03}\n" for n in range(MAX_CHOSEN_PASSWORDS + 1)
    )
    response = _import(admin, "username,display_name,email,roles,password\n" + rows)
    assert _refused(response)
    errors = _errors(response)
    assert len(errors) == 1 and errors[0].startswith(f"Line {MAX_CHOSEN_PASSWORDS + 2}: password:")
    assert find_user(demo, "p000") is None


def test_the_example_on_the_import_page_imports(admin, demo):
    from html import unescape

    page = admin.get(f"{USERS}/import").get_data(as_text=True)
    example = unescape(re.search(r"<pre[^>]*>(.*?)</pre>", page, re.S).group(1))
    response = _import(admin, example)
    assert _done(response) and "2 user(s) imported" in response.get_data(as_text=True)
    assert find_membership(demo, "asmith").roles.codes == ["qa1", "observer"]
