"""Stakeholder interviews and systemic factor ratings in the browser.

Two note-takers write their own notes in their own browsers, the official one merges
and completes the interview, QA comments on it; an administrator rates an item citing
the interview, and a rating without its rationale is shown, kept and fixed.
"""

import re

import pytest
from playwright.sync_api import expect

from review_app.instruments.catalog import get_instrument
from tests.interviews.conftest import SITE, make_interview, period_of

pytestmark = pytest.mark.browser

ITEM_20 = "Item 20: Written case plan"
RILEY_NOTE = "Most plans are written within sixty days."
ROBIN_NOTE = "Parents said they rarely sign the plan."
FINAL_NOTE = "Plans are written within sixty days, but parents rarely sign them."
QUESTION = "Did anyone say why parents do not sign?"
ANSWER = "They are not invited to the planning meeting."
RATIONALE = "Families wait months for therapy in the rural counties."


def _fact(where, name: str):
    """One fact of a facts list (an interview's record, a rating), by its term."""
    return where.locator(".case-facts dt", has_text=name).locator("xpath=following-sibling::dd[1]")


def _flash(page, text: str):
    return page.get_by_role("status").filter(has_text=text)


def _write_notes(page, text: str) -> None:
    """On the interview page: write a note on item 20, mark the notes done and save."""
    page.get_by_role("link", name="Write your notes").click()
    expect(page.get_by_role("heading", level=1, name="Your notes")).to_be_visible()
    page.get_by_label(ITEM_20).fill(text)
    # USWDS hides the inputs themselves: people click the labels.
    page.locator("label", has_text="I have finished writing my notes").click()
    page.get_by_role("button", name="Save your notes").click()
    expect(_flash(page, "Your notes are saved. You are marked as done writing.")).to_be_visible()


def test_two_note_takers_write_the_official_one_merges_and_completes_and_qa_comments(demo, people):
    reviewer = people("reviewer")
    reviewer.goto(f"{SITE}/")
    nav = reviewer.get_by_role("navigation", name="Primary")
    nav.get_by_role("button", name="Systemic factors").click()
    nav.get_by_role("link", name="Stakeholder interviews").click()
    reviewer.get_by_role("link", name="Record an interview").click()

    reviewer.get_by_label("Date of the interview").fill("2026-06-15")
    reviewer.get_by_label("Local site").select_option(label="Baker County (002)")
    reviewer.get_by_label("Setting").fill("Focus group with foster parents")
    stakeholders = reviewer.get_by_role("group", name=re.compile(r"^Stakeholders present"))
    stakeholders.get_by_text("Foster and adoptive parents", exact=True).click()
    stakeholders.get_by_text("Relative caregivers", exact=True).click()
    # The reviewer is interviewer and official note-taker to begin with.
    expect(reviewer.get_by_label("Official note-taker").locator("option:checked")).to_have_text(
        "Riley Reviewer (reviewer)"
    )
    supporting = reviewer.get_by_role("group", name="Supporting note-takers")
    supporting.get_by_text("Robin Reviewer (reviewer2)", exact=True).click()
    reviewer.get_by_role("button", name="Record the interview").click()

    expect(_flash(reviewer, "Interview recorded.")).to_be_visible()
    interview = reviewer.url
    assert re.search(r"/interviews/\d+$", interview), interview
    expect(_fact(reviewer, "Status")).to_have_text("Draft: 0 of 2 note-takers done writing")
    expect(_fact(reviewer, "Stakeholders present")).to_have_text(
        "Foster and adoptive parents; Relative caregivers"
    )
    expect(_fact(reviewer, "Supporting note-takers")).to_have_text("Robin Reviewer")

    # Each note-taker writes their own notes, in their own browser, and marks them done.
    _write_notes(reviewer, RILEY_NOTE)
    reviewer2 = people("reviewer2")
    reviewer2.goto(interview)
    _write_notes(reviewer2, ROBIN_NOTE)
    reviewer2.goto(interview)
    expect(reviewer2.get_by_text("Nothing for you to do here now.")).to_be_visible()

    # The official note-taker merges: the final notes hold both texts under their names.
    reviewer.goto(interview)
    expect(_fact(reviewer, "Status")).to_have_text("Draft: 2 of 2 note-takers done writing")
    reviewer.get_by_role("button", name="Merge the notes").click()
    expect(_flash(reviewer, "The notes are merged.")).to_be_visible()
    expect(reviewer.get_by_role("heading", level=1, name="Final notes")).to_be_visible()
    final = reviewer.get_by_label(ITEM_20)
    expect(final).to_have_value(f"[Riley Reviewer]\n{RILEY_NOTE}\n\n[Robin Reviewer]\n{ROBIN_NOTE}")
    final.fill(FINAL_NOTE)
    reviewer.get_by_role("button", name="Save the final notes").click()
    expect(_flash(reviewer, "Final notes saved.")).to_be_visible()
    reviewer.get_by_role("link", name=re.compile(r"^Interview of .*: Focus group")).click()
    reviewer.get_by_role("button", name="Mark the interview complete").click()

    expect(_flash(reviewer, "The interview is complete.")).to_be_visible()
    expect(_fact(reviewer, "Status")).to_have_text(re.compile(r"^Complete \("))
    notes = reviewer.get_by_role("region", name=ITEM_20)
    expect(notes.locator(".notes-text").first).to_have_text(FINAL_NOTE)
    notes.get_by_text("Each note-taker's own notes on item 20").click()
    expect(notes.get_by_role("definition").filter(has_text=ROBIN_NOTE)).to_be_visible()
    expect(reviewer.get_by_role("link", name="Write your notes")).to_have_count(0)

    # QA comments on item 20; the reviewer finds the comment in the inbox and answers.
    qa = people("qa")
    qa.goto(interview)
    comments = qa.get_by_role("region", name="QA comments on this interview")
    comments.get_by_label("About").select_option(label=ITEM_20)
    comments.get_by_label("Comment", exact=True).fill(QUESTION)
    comments.get_by_role("button", name="Add comment").click()
    expect(comments.get_by_role("article")).to_contain_text(QUESTION)

    reviewer.goto(f"{SITE}/inbox")
    reviewer.get_by_role("link", name=re.compile(r"^Interview of .*, item 20$")).click()
    thread = reviewer.get_by_role("region", name="QA comments on this interview").get_by_role(
        "article"
    )
    expect(thread).to_contain_text(QUESTION)
    expect(thread.get_by_role("heading")).to_contain_text(f"On {ITEM_20}: Open")
    expect(
        reviewer.get_by_role("region", name=ITEM_20).get_by_role("link", name="QA comment, open")
    ).to_be_visible()
    thread.get_by_role("textbox", name=re.compile(r"^Reply \(comment about Item 20")).fill(ANSWER)
    thread.get_by_role("button", name=re.compile(r"^Send reply")).click()
    expect(thread).to_contain_text(ANSWER)


def test_a_rating_without_its_rationale_is_shown_kept_and_fixed(demo, people):
    make_interview(demo, notes={"reviewer": {"29": "Therapy waits are long."}}, complete=True)
    with demo.app_context():
        period_id = period_of().id
        factor = get_instrument(period_of().instrument_version).factor_of("29")
    page = people("admin")
    page.goto(f"{SITE}/systemic/periods/{period_id}")
    page.get_by_role("link", name=re.compile(r"^Item 29: ")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Item 29: "))).to_be_visible()
    evidence = page.get_by_role("region", name=re.compile(r"Focus group with foster parents$"))
    expect(evidence).to_contain_text("Therapy waits are long.")

    rating = page.get_by_role("group", name=re.compile(r"^Rating"))
    rating.get_by_text("Area Needing Improvement", exact=True).click()
    cited = page.get_by_role("group", name="Interviews that support the rating")
    cited.locator("label", has_text="Focus group with foster parents").click()
    rationale = page.get_by_label(re.compile(r"^Rationale"))
    page.get_by_role("button", name="Save the rating").click()

    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="There is a problem")
    )
    expect(summary).to_be_focused()
    message = "Give the rationale for the rating."
    link = summary.get_by_role("link", name=f"Rationale: {message}")
    expect(link).to_have_attribute("href", "#rationale")
    expect(rationale).to_have_attribute("aria-invalid", "true")
    expect(rationale).to_have_accessible_description(re.compile(re.escape(message)))
    # What was chosen is kept.
    expect(rating.get_by_label("Area Needing Improvement")).to_be_checked()
    expect(cited.get_by_role("checkbox")).to_be_checked()

    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(rationale).to_be_focused()
    page.keyboard.type(RATIONALE)
    page.get_by_role("button", name="Save the rating").click()

    expect(_flash(page, "Rating saved.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/factors/{factor.id}$"))
    item = page.get_by_role("region", name=re.compile(r"^Item 29: "))
    expect(_fact(item, "Rating")).to_have_text("Area Needing Improvement")
    expect(_fact(item, "Rationale")).to_have_text(RATIONALE)
    expect(
        _fact(item, "Interviews cited").get_by_role("link", name=re.compile("Focus group"))
    ).to_be_visible()
