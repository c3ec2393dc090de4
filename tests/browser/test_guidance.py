"""A reviewer opens an item's guidance beside the questions, follows it to the glossary,
searches it, and prints the item page with every guidance box open."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _assert_none, _case_path, _problems

pytestmark = pytest.mark.browser

CQI = "/demo/cqi"
OWN_CASE = "FC-CQI-101"  # a foster care case assigned to reviewer alone


def test_guidance_opens_beside_a_question_and_leads_to_the_glossary(demo, people):
    page = people("reviewer")
    page.goto(f"{_case_path(demo, OWN_CASE)}/items/3")
    answer = page.locator("#guidance-3E")
    guidance = answer.get_by_text("Asked in foster care cases only")
    expect(guidance).to_be_hidden()
    answer.get_by_text("How to answer 3E").click()
    expect(guidance).to_be_visible()
    about = page.locator("#guidance-item")
    about.get_by_text(re.compile(r"^About item 3")).click()
    expect(about.get_by_text("Safety plan", exact=True)).to_be_visible()
    problems = _problems(page)

    about.get_by_role("link", name="Search all terms and guidance in the glossary").click()
    expect(page.get_by_role("heading", level=1, name="Review glossary")).to_be_visible()
    page.get_by_label("Search terms and guidance").fill("trial home visit")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("for “trial home visit”")
    expect(page.get_by_role("heading", level=2, name=re.compile(r"^Item 3: "))).to_be_visible()
    problems += _problems(page)
    _assert_none(problems)


def test_printed_item_page_shows_closed_guidance(demo, people):
    page = people("reviewer")
    page.goto(f"{_case_path(demo, OWN_CASE)}/items/3")
    guidance = page.locator("#guidance-3A").get_by_text("Yes when the first assessment")
    expect(guidance).to_be_hidden()
    page.emulate_media(media="print")
    expect(guidance).to_be_visible()
    page.emulate_media(media="screen")
    expect(guidance).to_be_hidden()
