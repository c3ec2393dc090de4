"""The performance report: SQL figures equal the long way round; drill-down; lists; bad filters."""

import csv
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.performance import queries
from review_app.periods.queries import periods
from review_app.sites.queries import local_sites, site_by_slug
from tests.conftest import login
from tests.core.test_query_counts import counted
from tests.performance.conftest import SITE, add_finalized, expected, set_minimum


def _figures(app, **filters):
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        result = queries.performance(site.id, queries.Filters(period=periods(site)[-1], **filters))
        items = {k: (s.overall.applicable, s.overall.hits) for k, s in result.items.items()}
        outcomes = {k: (s.overall.applicable, s.overall.hits) for k, s in result.outcomes.items()}
        return (
            result,
            {k: v for k, v in items.items() if v[0]},
            {k: v for k, v in outcomes.items() if v[0]},
        )


def _ids(app):
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        reviewer = db.session.scalar(select(User).where(User.username == "reviewer2"))
        return local_sites(site)[0].id, reviewer.id


def test_figures_equal_the_ratings_counted_one_by_one(finalized):
    result, items, outcomes = _figures(finalized)
    want_items, want_outcomes = expected(finalized)
    assert result.cases >= 6
    assert items == want_items
    assert outcomes == want_outcomes
    # QA overrides count: the demo overrides one rated item of every finalized case.
    assert sum(applicable for applicable, _ in items.values()) > 0


def test_each_filter_narrows_the_figures_the_same_way(finalized):
    local_site_id, reviewer_id = _ids(finalized)
    for sql, python in [
        ({"case_type": "in_home"}, {"case_type": "in_home"}),
        ({"local_site_id": local_site_id}, {"local_site_id": local_site_id}),
        ({"reviewer_id": reviewer_id}, {"reviewer_id": reviewer_id}),
    ]:
        _, items, outcomes = _figures(finalized, **sql)
        assert (items, outcomes) == expected(finalized, **python), sql


def test_by_type_figures_add_up_to_the_overall(finalized):
    result, _, _ = _figures(finalized)
    for split in [*result.items.values(), *result.outcomes.values()]:
        assert split.overall.applicable == sum(f.applicable for f in split.by_type.values())
        assert split.overall.hits == sum(f.hits for f in split.by_type.values())


def _links(html: str, endpoint_path: str) -> list[str]:
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'href="([^"]+)"', html)
        if endpoint_path in link
    ]


def test_administrator_drills_from_site_to_local_site_to_reviewer_to_case(finalized, client):
    login(client, "admin")
    page = client.get(f"{SITE}/performance")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Substantially Achieved" in html and "<svg" in html and "95% line" in html
    by_local = client.get(_links(html, "/performance/by/local-sites")[0])
    local_pages = _links(by_local.get_data(as_text=True), "/performance?")
    local_page = client.get(next(link for link in local_pages if "local_site=" in link))
    assert local_page.status_code == 200
    by_reviewer = client.get(_links(local_page.get_data(as_text=True), "/by/reviewers")[0])
    reviewer_links = _links(by_reviewer.get_data(as_text=True), "/performance/cases?")
    assert reviewer_links, "every reviewer row links to its cases"
    listing = client.get(next(link for link in reviewer_links if "reviewer=" in link))
    case_links = _links(listing.get_data(as_text=True), "/cases/")
    assert case_links
    assert client.get(case_links[0]).status_code == 200


def test_list_behind_an_item_figure_downloads_as_csv_and_xlsx(finalized, client):
    login(client, "qa")
    page = client.get(f"{SITE}/performance/cases?figure=item:3")
    html = page.get_data(as_text=True)
    shown = len(re.findall(r'<th scope="row"><a href="[^"]*/cases/\d+"', html))
    assert shown > 0 and "Item 3" in html
    text = client.get(f"{SITE}/performance/cases.csv?figure=item:3").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Case number", "Case type"] and len(rows) - 1 == shown
    assert {row[4] for row in rows[1:]} <= {"Strength", "Area Needing Improvement"}
    book = client.get(f"{SITE}/performance/cases.xlsx?figure=item:3")
    assert book.headers["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(book.data)).active
    assert sheet.max_row - 1 == shown


def test_impossible_filters_are_named_and_left_out(finalized, client):
    login(client, "observer")
    page = client.get(
        f"{SITE}/performance?period=99999&type=sideways&age=old&reviewer=abc&local_site=7777"
        "&status=zzz"
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "no such review period" in html and "sideways" in html and "no such local site" in html
    listing = client.get(f"{SITE}/performance/cases?figure=item:99")
    assert listing.status_code == 200 and "no such item" in listing.get_data(as_text=True)


def test_a_period_with_no_finalized_case_says_so(demo, client):
    login(client, "admin")
    html = client.get(f"{SITE}/performance?type=in_home&age=18%2B").get_data(as_text=True)
    assert "No case matches these choices" in html
    text = client.get(f"{SITE}/performance/cases.csv?age=18%2B").get_data(as_text=True)
    assert text.strip() == "Case number,Case type,Local site,Status"  # no rating to show


def test_pages_issue_the_same_number_of_queries_however_many_cases(finalized):
    client = finalized.test_client()
    login(client, "admin")
    urls = [
        f"{SITE}/performance",
        f"{SITE}/performance/by/local-sites",
        f"{SITE}/performance/by/reviewers",
        f"{SITE}/performance/by/age-groups",
        f"{SITE}/performance/by/races",
        f"{SITE}/performance/by/sexes",
        f"{SITE}/performance/by/ethnicity",
        f"{SITE}/performance?race=white&age=10-14&sex=female&hispanic=no",
        f"{SITE}/performance/cases?figure=outcome:WB1",
        f"{SITE}/performance/cases?figure=subitem:12B",
    ]

    def count():
        found = {}
        for url in urls:
            with counted(finalized) as statements:
                assert client.get(url).status_code == 200
            found[url] = len(statements)
        return found

    before = count()
    add_finalized(finalized, 4, start=40)
    assert count() == before


def test_the_pdf_shows_the_figures_and_charts_of_the_page(finalized, client):
    set_minimum(finalized, "cqi", 1)  # the few cases of the fixture, shown in numbers
    login(client, "admin")
    html = client.get(f"{SITE}/performance?type=foster_care").get_data(as_text=True)
    response = client.get(f"{SITE}/performance/figures.pdf?type=foster_care")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    shown = re.findall(r"\((\d+ of \d+)\)", html)
    assert shown and all(f"({figure})" in text for figure in shown)
    assert "foster care" in text and "95% line" in text  # the chart is drawn, labels and all


def test_answer_keys_are_not_counted_on_the_training_site(demo, client):
    from review_app.demo.training import seed_training

    with demo.app_context():
        site = site_by_slug("demo", "training")
        people = {
            user.username: user
            for user in db.session.scalars(
                select(User).where(User.username.in_(["admin", "reviewer"]))
            )
        }
        seed_training(site, people)  # two finalized-looking keys, two submitted trainee copies
        site.small_cell_minimum = 1  # four cases, shown in numbers
        db.session.commit()
    login(client, "admin")
    html = client.get("/demo/training/performance?status=all").get_data(as_text=True)
    counted = re.search(r"(\d+) cases? counted", html).group(0)
    assert counted == "4 cases counted", counted  # 2 staged demo cases + 2 copies, no key
    assert "KEY-FC-1 by Riley Reviewer" in client.get(
        "/demo/training/performance/cases?status=all"
    ).get_data(as_text=True)


# A signed token (a form's one-time key) carries the second it was made in.
SIGNED = re.compile(r'value="[\w-]+\.[\w-]+\.[\w-]+"')


def test_figures_are_kept_until_the_site_changes(finalized, client):
    login(client, "admin")
    url = f"{SITE}/performance"
    with counted(finalized) as first:
        before = client.get(url).get_data(as_text=True)
    with counted(finalized) as again:
        kept = client.get(url).get_data(as_text=True)
    assert SIGNED.sub("", kept) == SIGNED.sub("", before)  # the same page, whatever the clock
    assert len(again) < len(first)  # the grouped counts were not run again
    add_finalized(finalized, 1, start=80)  # a change on the site: its audit log moves on
    after = client.get(url).get_data(as_text=True)
    counted_cases = [re.search(r"(\d+) cases? counted", html).group(1) for html in (before, after)]
    assert int(counted_cases[1]) == int(counted_cases[0]) + 1


def test_the_list_of_every_counted_case_has_no_empty_rating_columns(finalized, client):
    login(client, "observer")
    for fmt in ("csv", "xlsx"):
        response = client.get(f"{SITE}/performance/cases.{fmt}")
        name = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"])[1]
        assert name.endswith(f"-cases-counted.{fmt}") and "cases-cases" not in name
        assert "all-cases" not in name
        response.close()  # a streamed body is read or closed inside its request
    text = client.get(f"{SITE}/performance/cases.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Case number", "Case type", "Local site", "Status"]
    assert len(rows) > 1 and all(all(cell for cell in row) for row in rows[1:])
    item = client.get(f"{SITE}/performance/cases.csv?figure=item:3")
    assert "-item-3-cases.csv" in item.headers["Content-Disposition"]
    assert next(csv.reader(io.StringIO(item.get_data(as_text=True))))[-2:] == [
        "Rating",
        "Overridden by QA",
    ]
    outcome = client.get(f"{SITE}/performance/cases.csv?figure=outcome:S1")
    assert "-safety-outcome-1-cases.csv" in outcome.headers["Content-Disposition"]


def _override_in_home(app, item_id: str) -> str:
    """Give one finalized in-home case a Strength override on a foster-care-only item."""
    from review_app.cases.models import Case
    from review_app.ratings.models import ItemReview

    with app.app_context():
        site = site_by_slug("demo", "cqi")
        review, number = db.session.execute(
            select(ItemReview, Case.case_number)
            .join(Case, Case.id == ItemReview.case_id)
            .where(
                Case.site_id == site.id,
                Case.status == "finalized",
                Case.case_type == "in_home",
                ItemReview.item_id == item_id,
            )
        ).first()
        review.override_rating, review.override_reason = "strength", "Test"
        db.session.commit()
        return number


def test_an_item_counts_only_the_case_types_it_applies_to(finalized, client):
    """Item 4 is for foster care: an in-home rating of it is never counted or listed."""
    _, before, _ = _figures(finalized)
    number = _override_in_home(finalized, "4")
    result, after, _ = _figures(finalized)
    assert after["4"] == before["4"]
    assert result.items["4"].by_type["in_home"].applicable == 0
    login(client, "qa")
    listing = client.get(f"{SITE}/performance/cases?figure=item:4").get_data(as_text=True)
    assert number not in listing and "FC-" in listing
    text = client.get(f"{SITE}/performance/cases.csv?figure=item:4").get_data(as_text=True)
    assert number not in text


def test_each_figure_link_says_which_figure_it_is(finalized, client):
    """A screen reader's list of links reads "75%: cases of Item 1 ..., foster care",
    not dozens of bare percentages; the trends page does the same per quarter."""
    set_minimum(finalized, "cqi", 1)
    login(client, "admin")
    for path in ("/performance", "/performance/by/local-sites", "/performance/trends"):
        page = client.get(f"{SITE}{path}").get_data(as_text=True)
        targets: dict[str, set[str]] = {}
        for href, link in re.findall(r'<a href="([^"]*/cases\?[^"]*)">(.*?)</a>', page, re.S):
            text = re.sub(r"<[^>]+>|\s+", " ", link).strip()
            if re.match(r"\d|fewer|hidden", text):  # a figure, not "Every case counted"
                assert ": cases of " in text or " cases: " in text, text
                targets.setdefault(text, set()).add(href)
        assert len(targets) > 5, path
        # Links that read alike lead to the same list (a count shown in two tables).
        assert all(len(hrefs) == 1 for hrefs in targets.values()), path
