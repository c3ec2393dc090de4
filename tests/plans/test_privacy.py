"""Small cells in plans: a figure over fewer cases than the site's minimum reads "fewer than N"."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import update

from review_app.extensions import db
from review_app.performance.queries import Figure
from review_app.plans.queries import Measurement
from review_app.sites.models import Site
from review_app.sites.queries import site_by_slug
from tests.plans.conftest import ITEM, SITE, hand_count, make_plan
from tests.plans.test_inputs import _post
from tests.plans.test_plans import WINDOWS


def set_minimum(app, minimum: int) -> None:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        db.session.execute(
            update(Site).where(Site.id == site.id).values(small_cell_minimum=minimum)
        )
        db.session.commit()


def test_a_hidden_measurement_is_not_judged():
    window = WINDOWS[0]
    assert Measurement(window, Figure(4, 4), 50.0, 5).met is None
    assert Measurement(window, Figure(4, 4), 50.0, 5).hidden
    assert Measurement(window, Figure(5, 4), 50.0, 5).met is True
    assert not Measurement(window, Figure(0, 0), 50.0, 5).hidden  # no case: nothing to hide


def test_the_page_hides_small_figures_but_lists_their_cases(spread, clients):
    plan_id = make_plan(spread)
    items, _ = hand_count(spread, WINDOWS[2].start, WINDOWS[2].end)
    applicable, hits = items[ITEM]
    shown = f"({hits} of {applicable} cases)"
    page = clients("qa").get(f"{SITE}/plans/{plan_id}").get_data(as_text=True)
    assert shown in page and "fewer than" not in page.lower()
    set_minimum(spread, applicable + 1)
    page = clients("qa").get(f"{SITE}/plans/{plan_id}").get_data(as_text=True)
    assert shown not in page
    assert f"Fewer than {applicable + 1} cases" in page
    assert f"Cannot be judged: fewer than {applicable + 1} cases" in page
    # The cases behind the hidden figure stay open to readers.
    link = f"/plans/{plan_id}/cases?figure=item:{ITEM}&amp;window=3"
    assert link in page
    listing = clients("qa").get(f"{SITE}/plans/{plan_id}/cases?figure=item:{ITEM}&window=3")
    assert listing.get_data(as_text=True).count('scope="row"') == applicable


def test_the_reports_hide_small_figures(spread, clients):
    plan_id = make_plan(spread)
    items, _ = hand_count(spread, WINDOWS[2].start, WINDOWS[2].end)
    applicable, hits = items[ITEM]
    minimum = applicable + 1
    set_minimum(spread, minimum)
    response = clients("observer").get(f"{SITE}/plans/{plan_id}/progress.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book["Progress"].iter_rows(values_only=True))
    row = next(r for r in rows[1:] if r[0].startswith("Item 12") and r[2] == WINDOWS[2].label)
    words = f"fewer than {minimum}"
    assert row[3:6] == (words, None, words)
    assert row[7] == f"Cannot be judged: {words} cases"
    cases = list(book["Cases"].iter_rows(values_only=True))
    listed = [r for r in cases[1:] if r[0].startswith("Item 12") and r[1] == WINDOWS[2].label]
    assert len(listed) == applicable  # the cases behind it are still listed
    response = clients("qa").get(f"{SITE}/plans/{plan_id}/progress.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert f"({hits} of {applicable} cases)" not in text
    assert f"Fewer than {minimum} cases" in text and "FC-CQI-" in text


def test_a_goal_refused_does_not_give_a_small_baseline_away(spread, clients):
    set_minimum(spread, 7)  # the 2025 baseline of item 12 is 1 of 6 cases
    response = _post(clients, **{f"goal_value_item_{ITEM}": "10"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "must be above its baseline, a figure over fewer than 7 cases" in page
    assert "1 of 6" not in page and "16.6" not in page
    points = {f"goal_kind_item_{ITEM}": "points", f"goal_value_item_{ITEM}": "90"}
    page = _post(clients, **points).get_data(as_text=True)
    assert "comes to over 100%" in page and "106.6" not in page
