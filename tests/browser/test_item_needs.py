"""The item page says what the item still needs, as the reviewer answers, and an override reads
the right way round."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.ratings.models import ItemReview
from tests.browser.conftest import TIMEOUT_MS, VIEWPORT, sign_in
from tests.browser.test_accessibility import _assert_none, _case_path, _problems
from tests.browser.test_follow_up import _click_label

pytestmark = pytest.mark.browser

OWN_CASE = "FC-CQI-101"  # assigned to reviewer alone, not yet rated
LABELS = {"strength": "Strength", "ani": "Area Needing Improvement"}


def _needs(page) -> list[str]:
    return page.locator("#still-needs-list a").all_inner_texts()


def _server_needs(page, url: str) -> list[str]:
    """The list as the server renders it, before any script runs."""
    html = page.request.get(url).text()
    section = html.split('id="still-needs-list"', 1)[1].split("</ul>", 1)[0]
    texts = re.findall(r"<a [^>]*>(.*?)</a>", section, re.S)
    return [" ".join(t.replace("&#39;", "'").split()) for t in texts]


def test_answering_updates_what_the_item_still_needs(demo, people):
    item_1 = f"{_case_path(demo, OWN_CASE)}/items/1"
    page = people("reviewer")
    page.goto(item_1)
    needs = page.get_by_role("region", name="What this item still needs")
    expect(needs.get_by_role("link")).to_have_text(
        [re.compile(r"^Answer Was an accepted report of maltreatment")]
    )

    _click_label(page, "a-1-app-0")  # Yes: a report came in
    expect(needs.get_by_role("link")).to_have_text(
        [re.compile(r"^Answer 1A\. "), re.compile(r"^Answer 1B\. ")]
    )
    page.locator("#a-1A").fill("2")
    page.locator("#a-1B").fill("0")
    expect(needs.get_by_role("link")).to_have_text([re.compile(r"^Answer 1C\. ")])
    narrative = page.get_by_label(re.compile(r"^Narrative for question 1C"))
    expect(narrative).to_be_hidden()  # not needed until the answer is No

    _click_label(page, "a-1C-1")  # No: the delays were the agency's
    expect(narrative).to_be_visible()
    expect(needs.get_by_role("link")).to_have_text(
        [
            re.compile(r"^Explain the answer “No” to 1C\. "),
            "Write the rationale for the rating",
        ]
    )
    expect(needs).to_contain_text("2 things still needed before the item is rated")

    # Click what you build: the link takes the reviewer to the field.
    needs.get_by_role("link", name=re.compile("^Explain the answer")).click()
    expect(narrative).to_be_focused()

    _click_label(page, "a-1C-0")  # Yes after all: no narrative needed, and its box goes
    expect(narrative).to_be_hidden()
    expect(needs.get_by_role("link")).to_have_text(["Write the rationale for the rating"])
    needs.get_by_role("link", name="Write the rationale for the rating").click()
    expect(page.get_by_label("Rationale for the rating")).to_be_focused()
    page.keyboard.type("The late report: the family had moved.")
    expect(needs.get_by_role("link")).to_have_count(0)
    expect(needs).to_contain_text("Nothing: every answer, narrative and the rationale")

    # Saved half way, the server's list is the one the script shows.
    _click_label(page, "a-1C-1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="saved.")).to_contain_text(
        "Its rating is now: Area Needing Improvement."
    )
    expect(needs.get_by_role("link")).to_have_text([re.compile(r"^Explain the answer “No”")])
    assert _needs(page) == _server_needs(page, item_1)
    _assert_none(_problems(page))


def test_without_script_every_narrative_box_shows_with_its_hint(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server, viewport=VIEWPORT, java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in(page, "reviewer")
        page.goto(f"{_case_path(demo, OWN_CASE)}/items/3")
        boxes = page.locator("[data-narrative-for]")
        assert boxes.count() >= 3
        for index in range(boxes.count()):
            expect(boxes.nth(index)).to_be_visible()
            expect(boxes.nth(index)).to_contain_text("needed when the answer is")
        expect(
            page.get_by_role("region", name="What this item still needs").get_by_role("link")
        ).to_have_text([re.compile(r"^Answer 3A\. ")] + [re.compile(r"^Answer ")] * 5)
    finally:
        context.close()


def _overridden(app) -> tuple[str, ItemReview]:
    """Return the address of a demo item page with a QA override, and its item review."""
    from review_app.accounts.models import User
    from review_app.core.models import utcnow
    from review_app.sites.models import Site

    with app.app_context():
        review = db.session.scalar(
            select(ItemReview)
            .where(ItemReview.rating.in_(["strength", "ani"]))
            .order_by(ItemReview.id)
        )
        review.override_rating = "ani" if review.rating == "strength" else "strength"
        review.override_reason = "The visit log shows gaps the answers missed."
        review.override_by_id = db.session.scalar(select(User.id).where(User.username == "qa"))
        review.override_at = utcnow()
        db.session.commit()
        case = db.session.get(Case, review.case_id)
        site = db.session.get(Site, case.site_id)
        db.session.expunge(review)
        return f"/{site.slug}/cases/{case.id}/items/{review.item_id}", review


def test_an_override_leads_with_the_rating_that_counts(demo, people):
    path, review = _overridden(demo)
    page = people("qa")
    page.goto(path)
    headline = page.locator(".usa-summary-box__heading")
    expect(headline).to_have_text(f"Rating: {LABELS[review.override_rating]} QA override")
    box = page.get_by_role("status").filter(has=headline)
    text = box.text_content()
    assert text.index("QA override") < text.index("Reason:") < text.index("Calculated from")
    expect(box).to_contain_text(f"Calculated from the answers: {LABELS[review.rating]}")
    _assert_none(_problems(page))


def test_the_script_and_the_server_list_the_same_needs_on_every_item(demo, people):
    """The script mirrors the server's rules: on a partly rated case they agree item by item."""
    shared = _case_path(demo, "FC-CQI-102")
    page = people("reviewer")
    from review_app.instruments.catalog import get_instrument

    with demo.app_context():
        case = db.session.get(Case, int(shared.rsplit("/", 1)[1]))
        items = ["face", *get_instrument(case.period.instrument_version).items]
    disagree, seen = {}, []
    for item_id in items:
        url = f"{shared}/items/{item_id}"
        page.goto(url)
        seen.append(len(_needs(page)))
        if _needs(page) != _server_needs(page, url):
            disagree[item_id] = (_needs(page), _server_needs(page, url))
    assert not disagree
    assert sum(seen) > 10, seen  # the case really has gaps to list


def test_the_face_sheet_asks_for_the_narrative_its_answer_needs(demo, people):
    """A face sheet "Yes" that the instrument wants explained is listed as the items' are."""
    face = f"{_case_path(demo, OWN_CASE)}/items/face"
    page = people("reviewer")
    page.goto(face)
    needs = page.get_by_role("region", name="What this face sheet still needs")
    explain = needs.get_by_role(
        "link", name=re.compile(r"^Explain the answer “Yes” to Was the case")
    )
    _click_label(page, "a-FS-opened-other-0")  # Yes
    expect(explain).to_have_count(1)
    explain.click()
    expect(page.locator("#a-FS-opened-other-narrative")).to_be_focused()
    page.keyboard.type("Opened at the family's own request for help.")
    expect(explain).to_have_count(0)
    _click_label(page, "a-FS-opened-other-1")  # No: no narrative needed
    expect(explain).to_have_count(0)


def test_the_reviewer_records_the_childs_demographics_on_the_face_sheet(demo, people):
    """The face sheet shows the case's sex, races and ethnicity; saving it updates the case."""
    path = _case_path(demo, OWN_CASE)
    with demo.app_context():
        case = db.session.get(Case, int(path.rsplit("/", 1)[1]))
        was = case.child_sex
    page = people("reviewer")
    page.goto(f"{path}/items/face")
    race = page.get_by_role("group", name="Target child's race")
    expect(race.get_by_role("checkbox")).to_have_count(7)
    sex = page.get_by_role("group", name="Target child's sex")
    if was:  # the case's value is shown
        expect(sex.locator(f'input[value="{was}"]')).to_be_checked()
    for box in race.get_by_role("checkbox").all():
        if box.is_checked():
            _click_label(page, box.get_attribute("id"))
    _click_label(page, "a-FS-child-sex-1")  # Male
    _click_label(page, "a-FS-child-race-1")  # Asian
    _click_label(page, "a-FS-child-race-4")  # White
    _click_label(page, "a-FS-child-hispanic-0")  # Hispanic or Latino
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Face sheet saved.")
    expect(race.get_by_role("checkbox", name="Asian")).to_be_checked()
    expect(race.get_by_role("checkbox", name="White")).to_be_checked()
    _assert_none(_problems(page))
    page.goto(path)
    expect(page.locator("body")).to_contain_text("Asian, White")
    with demo.app_context():
        case = db.session.get(Case, case.id)
        assert (case.child_sex, case.child_races, case.child_hispanic) == (
            "male",
            ["asian", "white"],
            "yes",
        )
