"""A state administrator adds a user: a mistake is shown, kept and fixed; the person is
invited by email and sets their own password from the link."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import _problems
from tests.members.conftest import NEW_PASSWORD
from tests.smtpserver import text_of

pytestmark = pytest.mark.browser


def test_adding_a_user_with_a_taken_username_then_fixing_it(people):
    page = people("admin")
    page.goto("/demo/cqi/admin/users")
    page.get_by_role("link", name="Add a new user").click()

    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Full name").fill("Casey Second")
    page.get_by_label("Email").fill("casey@demo.example")
    # USWDS hides the inputs themselves: people click the labels.
    page.locator("label", has_text="Reviewer: rates").click()
    page.locator("label", has_text="QA, level 1").click()
    page.get_by_role("button", name="Add user").click()

    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="There is a problem")
    )
    expect(summary).to_be_focused()
    message = "The username 'reviewer' is already taken."
    link = summary.get_by_role("link", name=f"Username: {message}")
    expect(link).to_have_attribute("href", "#username")

    username = page.get_by_label("Username")
    expect(username).to_have_attribute("aria-invalid", "true")
    expect(username).to_have_accessible_description(re.compile(re.escape(message)))
    expect(username).to_have_value("reviewer")
    expect(page.get_by_label("Full name")).to_have_value("Casey Second")
    expect(page.get_by_label("Email")).to_have_value("casey@demo.example")
    expect(page.get_by_label("Reviewer: rates")).to_be_checked()
    expect(page.get_by_label("QA, level 1")).to_be_checked()

    link.click()
    expect(username).to_be_focused()
    username.fill("casey")
    page.get_by_role("button", name="Add user").click()

    expect(page.get_by_role("heading", level=1, name="Users and roles")).to_be_visible()
    expect(page.get_by_text("Casey Second is added.")).to_be_visible()
    expect(page.locator("code")).to_have_count(0)  # no password on screen
    row = page.get_by_role("row").filter(has_text="casey@demo.example")
    expect(row).to_contain_text("Invited, not yet signed in")


def test_an_invited_person_opens_the_emailed_link_sets_a_password_and_signs_in(
    people, page, mailbox
):
    admin = people("admin")
    admin.goto("/demo/cqi/admin/users/new")
    admin.get_by_label("Username").fill("casey")
    admin.get_by_label("Full name").fill("Casey Second")
    admin.get_by_label("Email").fill("casey@demo.example")
    admin.locator("label", has_text="Reviewer: rates").click()
    admin.get_by_role("button", name="Add user").click()
    expect(admin.get_by_text("Casey Second is added.")).to_be_visible()

    [message] = mailbox
    assert message["Subject"] == "[Demo State CQI] You are invited to Case Review"
    link = re.search(r"http://\S+(/password/set/\S+)", text_of(message)).group(1)
    # The emailed address starts with PUBLIC_URL; the same path on this test's server.

    casey = page  # no one signed in
    casey.goto(link)
    expect(casey.get_by_role("heading", level=1, name="Choose your password")).to_be_visible()
    problems = _problems(casey)
    casey.locator("#new_password").fill("casey-second")
    casey.get_by_label("New password again").fill("casey-second")
    casey.get_by_role("button", name="Set my password").click()
    summary = casey.get_by_role("alert").filter(
        has=casey.get_by_role("heading", name="There is a problem")
    )
    expect(summary).to_be_focused()  # the password holds the person's name
    problems += _problems(casey)
    casey.locator("#new_password").fill(NEW_PASSWORD)
    casey.get_by_label("New password again").fill(NEW_PASSWORD)
    casey.get_by_role("button", name="Set my password").click()
    expect(casey.get_by_text("Your password is set. Sign in with it.")).to_be_visible()

    sign_in(casey, "casey", NEW_PASSWORD)
    expect(casey).to_have_url(re.compile(r"/demo/cqi/$"))
    casey.goto(link)  # a second use: a clear page, nothing changed
    expect(casey.get_by_role("heading", level=1, name="This link cannot be used")).to_be_visible()
    problems += _problems(casey)

    page.goto("/login")
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    problems += _problems(page)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems += _problems(page)
    page.get_by_label("Username or email address").fill("casey")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("If an account matches, we have sent a link")).to_be_visible()
    problems += _problems(page)
    assert not problems, "\n".join(problems)
    assert [m["To"] for m in mailbox] == ["casey@demo.example"] * 2
