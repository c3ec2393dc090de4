"""Reviewers find the instrument's guidance: on the glossary page and beside each question."""

from html import unescape

from tests.ratings.test_item_pages import _case_of

SITE = "/demo/cqi"


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_glossary_lists_every_item_with_its_terms(clients):
    page = _text(clients("observer").get(f"{SITE}/glossary"))
    assert "<h1>Review glossary</h1>" in page
    for number in range(1, 19):
        assert f"Item {number}: " in page
    assert "Face-to-face contact" in page


def test_search_finds_a_term_and_leaves_the_rest_out(clients):
    page = _text(clients("reviewer").get(f"{SITE}/glossary?q=psychotropic+medication"))
    assert "Psychotropic medication" in page  # the term of item 18
    assert "Item 18: Mental and behavioral health of the child" in page
    assert "Item 1: Timeliness" not in page
    assert "match" in page and "for “psychotropic medication”" in page


def test_search_finds_a_question_guidance(clients):
    page = _text(clients("qa").get(f"{SITE}/glossary?q=briefly+contact"))
    assert "Item 8: Visiting with parents and siblings in foster care" in page
    assert "8C2. Were the visits with those siblings frequent enough" in page
    assert "NA when they were apart only briefly" in page
    assert "Item 3: " not in page


def test_search_with_no_match_says_so(clients):
    response = clients("admin").get(f"{SITE}/glossary?q=zzqx+<script>")
    page = _text(response)
    assert response.status_code == 200
    assert "0 matches" in page and "Nothing in the guidance contains" in page
    assert "<script>" not in response.get_data(as_text=True)


def test_unknown_version_falls_back_to_the_site_instrument(clients):
    response = clients("observer").get(f"{SITE}/glossary?version=nope&q=sibling")
    assert response.status_code == 200
    assert "Item 7: Placement with siblings" in _text(response)


def test_item_page_shows_guidance_beside_a_question(demo, clients):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    page = _text(clients("reviewer").get(f"{SITE}/cases/{case_id}/items/3"))
    assert '<details class="guidance guidance--question" id="guidance-3E">' in page
    assert "Asked in foster care cases only, and it has no NA there." in page
    assert '<details class="guidance guidance--item' in page
    assert "<dt>Safety plan</dt>" in page
    assert f'href="{SITE}/glossary"' in page


def test_read_only_item_page_shows_guidance_too(demo, clients):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    page = _text(clients("observer").get(f"{SITE}/cases/{case_id}/items/3"))
    assert "Read only" in page
    assert 'id="guidance-3A"' in page


def test_print_stylesheet_opens_guidance():
    from review_app.config import PROJECT_ROOT

    css = (PROJECT_ROOT / "review_app" / "static" / "app.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert "details.guidance::details-content" in print_rules
    assert "content-visibility: visible" in print_rules


def test_site_home_links_to_the_glossary(clients):
    page = _text(clients("observer").get(f"{SITE}/"))
    assert f'href="{SITE}/glossary"' in page


def test_a_broken_instrument_file_gives_a_plain_page_not_an_error(next_round, clients):
    folder = next_round.config["INSTRUMENTS_DIR"]
    (folder / "c.yaml").write_text("version: broken-one\ntitle: Broken\nitems: []\n")
    response = clients("observer").get(f"{SITE}/glossary?version=broken-one")
    assert response.status_code == 200
    assert "cannot be read at the moment" in _text(response)
    other = _text(clients("observer").get(f"{SITE}/glossary?version=next-round&q=sibling"))
    assert "Item 7: Placement with siblings" in other
