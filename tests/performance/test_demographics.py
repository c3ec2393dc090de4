"""Figures filtered and broken down by the child's demographics, small cells, and sub-items."""

import csv
import html
import io
import re

from pypdf import PdfReader
from sqlalchemy import delete, func, select

from review_app.audit.models import AuditEntry
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.performance import privacy, queries
from review_app.performance.queries import Figure
from review_app.periods.queries import periods
from review_app.ratings.models import SubitemRating
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.performance.conftest import SITE, age_at_start, expected, set_minimum


def _filters(app, **chosen) -> queries.Filters:
    site = site_by_slug("demo", "cqi")
    return queries.Filters(period=periods(site)[-1], **chosen)


def _finalized_cases(app) -> list[Case]:
    site = site_by_slug("demo", "cqi")
    return list(
        db.session.scalars(select(Case).where(Case.site_id == site.id, Case.status == "finalized"))
    )


def test_each_demographic_filter_counts_what_python_counts(finalized):
    for chosen in (
        {"sex": "female"},
        {"sex": "male"},
        {"race": "white"},
        {"race": "black"},
        {"hispanic": "no"},
        {"age_group": "10-14"},
        {"age_group": "5-9", "race": "white"},
    ):
        with finalized.app_context():
            site = site_by_slug("demo", "cqi")
            result = queries.performance(site.id, _filters(finalized, **chosen))
            items = {k: (s.overall.applicable, s.overall.hits) for k, s in result.items.items()}
            outcomes = {
                k: (s.overall.applicable, s.overall.hits) for k, s in result.outcomes.items()
            }
            wanted_cases = [
                case
                for case in _finalized_cases(finalized)
                if all(
                    (
                        chosen.get("sex", case.child_sex) == case.child_sex,
                        chosen.get("hispanic", case.child_hispanic) == case.child_hispanic,
                        "race" not in chosen or chosen["race"] in case.child_races,
                    )
                )
            ]
        want_items, want_outcomes = expected(finalized, **chosen)
        assert {k: v for k, v in items.items() if v[0]} == want_items, chosen
        assert {k: v for k, v in outcomes.items() if v[0]} == want_outcomes, chosen
        if "age_group" not in chosen:
            assert result.cases == len(wanted_cases), chosen


def test_a_child_of_several_races_counts_in_each_of_their_rows(finalized):
    with finalized.app_context():
        site = site_by_slug("demo", "cqi")
        rows = queries.breakdown(site.id, _filters(finalized), "race")
        cases = _finalized_cases(finalized)
        by_race: dict = {}
        for case in cases:
            for race in case.child_races or [None]:
                by_race[race] = by_race.get(race, 0) + 1
        assert {row.key: row.cases for row in rows} == by_race
        assert any(len(case.child_races) > 1 for case in cases)
        assert sum(row.cases for row in rows) > len(cases)
        # Rows follow the instrument's order of categories; "Not recorded" comes last.
        assert [row.name for row in rows][0] == "American Indian or Alaska Native" or len(rows) < 2


def test_breakdowns_by_age_sex_and_ethnicity_count_each_child_once(finalized):
    with finalized.app_context():
        site = site_by_slug("demo", "cqi")
        cases = _finalized_cases(finalized)
        for dimension, value_of in (
            ("sex", lambda case: case.child_sex or None),
            ("hispanic", lambda case: case.child_hispanic or None),
        ):
            rows = queries.breakdown(site.id, _filters(finalized), dimension)
            wanted: dict = {}
            for case in cases:
                wanted[value_of(case)] = wanted.get(value_of(case), 0) + 1
            assert {row.key: row.cases for row in rows} == wanted, dimension
        rows = queries.breakdown(site.id, _filters(finalized), "age")
        ages: dict = {}
        for case in cases:
            age = age_at_start(case)
            group = next(
                (name for name, (low, high) in queries.AGE_GROUPS.items() if low <= age <= high),
                None,
            )
            ages[group] = ages.get(group, 0) + 1
        assert {row.key: row.cases for row in rows} == ages
        assert [row.name for row in rows if row.key] == [
            f"Aged {group}" for group in queries.AGE_GROUPS if group in ages
        ]


def test_breakdown_pages_show_every_dimension_and_link_to_the_cases(finalized, client):
    set_minimum(finalized, "cqi", 1)
    login(client, "observer")
    index = client.get(f"{SITE}/performance").get_data(as_text=True)
    for slug, heading in (
        ("age-groups", "Performance by age group"),
        ("races", "Performance by race"),
        ("sexes", "Performance by sex"),
        ("ethnicity", "Performance by ethnicity"),
    ):
        assert f"/performance/by/{slug}" in index
        page = client.get(f"{SITE}/performance/by/{slug}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and heading in text, slug
        assert re.search(r"/performance/cases\?[^\"]*figure=subitem%3A12A", text), slug
    races = client.get(f"{SITE}/performance/by/races").get_data(as_text=True)
    assert "counts in the row of each of their races" in races
    listing = client.get(f"{SITE}/performance/cases?race=white").get_data(as_text=True)
    assert "FC-CQI" in listing or "IH-CQI" in listing


def test_unknown_demographic_values_are_named_and_left_out(finalized, client):
    login(client, "qa")
    page = client.get(f"{SITE}/performance?race=purple&sex=boy&hispanic=maybe&age=200")
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200
    for named in ("“purple” is not a race", "“boy” is not a sex", "“maybe” is not an ethnicity"):
        assert named in text, named
    assert "“200” is not an age group" in text


def test_privacy_rule_hides_small_counts_in_words():
    assert privacy.shown(Figure(applicable=4, hits=3), 5) == "fewer than 5"
    assert privacy.shown(Figure(applicable=5, hits=3), 5) == "60.0% (3 of 5)"
    assert privacy.shown(Figure(applicable=0, hits=0), 5) == "no applicable case"
    assert privacy.shown(Figure(applicable=1, hits=1), 1) == "100.0% (1 of 1)"
    assert privacy.shown_count(3, 5) == "fewer than 5" and privacy.shown_count(0, 5) == "0"
    assert privacy.shown_percent(Figure(applicable=2, hits=1), 5) is None


def test_small_cells_say_fewer_than_n_on_the_page_breakdowns_and_pdf(finalized, client):
    login(client, "admin")
    page = client.get(f"{SITE}/performance?race=white").get_data(as_text=True)
    assert "fewer than 5 cases counted" in page
    assert not re.findall(r"\(\d+ of \d+\)", page)  # no share over fewer than 5 shows
    assert "fewer than 5" in re.sub(r"\s+", " ", page)
    by_race = client.get(f"{SITE}/performance/by/races").get_data(as_text=True)
    small = re.findall(
        r"<td><a [^>]*>fewer than 5<span class=\"usa-sr-only\"> cases: [^<]+</span></a></td>",
        by_race,
    )
    assert small, "a race with fewer than 5 cases says so in its count cell"
    assert all(int(applicable) >= 5 for applicable in re.findall(r"\(\d+ of (\d+)\)", by_race))
    pdf = client.get(f"{SITE}/performance/figures.pdf?race=white")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "fewer than 5" in text and not re.findall(r"\(\d+ of [1-4]\)", text)
    # The cases behind a hidden figure are still listed for those who may see cases.
    listing = client.get(f"{SITE}/performance/cases?race=white").get_data(as_text=True)
    assert re.search(r'<th scope="row"><a href="[^"]*/cases/\d+"', listing)


def test_an_administrator_sets_the_minimum_and_it_is_audited(finalized, client):
    login(client, "admin")
    home = client.get("/demo/cqi/").get_data(as_text=True)
    assert "/demo/cqi/privacy" in home
    form = client.get("/demo/cqi/privacy").get_data(as_text=True)
    assert 'value="5"' in form
    refused = client.post("/demo/cqi/privacy", data={"small_cell_minimum": "0"})
    assert refused.status_code == 422
    assert "from 1 to 100" in refused.get_data(as_text=True)
    assert client.post("/demo/cqi/privacy", data={"small_cell_minimum": "abc"}).status_code == 422
    saved = client.post("/demo/cqi/privacy", data={"small_cell_minimum": "1"})
    assert saved.status_code == 302
    page = client.get(f"{SITE}/performance?race=white").get_data(as_text=True)
    assert "fewer than" not in page and re.findall(r"\(\d+ of \d+\)", page)
    with finalized.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "site.privacy"))
        assert entry.before == {"small_cell_minimum": 5}
        assert entry.after == {"small_cell_minimum": 1}


def test_sub_items_are_counted_beside_their_item(finalized, client):
    set_minimum(finalized, "cqi", 1)
    with finalized.app_context():
        site = site_by_slug("demo", "cqi")
        result = queries.performance(site.id, _filters(finalized))
        ids = {case.id for case in _finalized_cases(finalized)}
        wanted: dict = {}
        for row in db.session.scalars(select(SubitemRating)):
            if row.case_id in ids and row.rating in ("strength", "ani"):
                applicable, hits = wanted.get(row.subitem_id, (0, 0))
                wanted[row.subitem_id] = (applicable + 1, hits + (row.rating == "strength"))
        got = {k: (s.overall.applicable, s.overall.hits) for k, s in result.subitems.items()}
        assert {k: v for k, v in got.items() if v[0]} == wanted and wanted
        # Every rated case keeps a rating for each of item 12's sub-items.
        per_case = db.session.execute(
            select(SubitemRating.case_id, func.count())
            .where(SubitemRating.case_id.in_(ids))
            .group_by(SubitemRating.case_id)
        ).all()
        assert {count for _, count in per_case} == {3} and len(per_case) == len(ids)
    login(client, "qa")
    page = client.get(f"{SITE}/performance").get_data(as_text=True)
    item = page.index("Item 12: ")
    assert (
        item < page.index("Sub-item 12A: ") < page.index("Sub-item 12C: ") < page.index("Item 13: ")
    )
    listing = client.get(f"{SITE}/performance/cases?figure=subitem:12A")
    text = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "Sub-item 12A" in text
    shown = len(re.findall(r'<th scope="row"><a href="[^"]*/cases/\d+"', text))
    assert shown == wanted["12A"][0]
    download = client.get(f"{SITE}/performance/cases.csv?figure=subitem:12A")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0][-1] == "Rating" and len(rows) - 1 == shown
    assert "sub-item-12A-cases" in download.headers["Content-Disposition"]
    pdf = client.get(f"{SITE}/performance/figures.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Sub-item 12A" in text


def test_the_command_stores_sub_item_ratings_of_cases_rated_before(finalized):
    with finalized.app_context():
        before = db.session.scalar(select(func.count()).select_from(SubitemRating))
        db.session.execute(delete(SubitemRating))
        db.session.commit()
    result = finalized.test_cli_runner().invoke(args=["ratings", "rate-subitems"])
    assert result.exit_code == 0 and "Sub-item ratings stored for" in result.output
    with finalized.app_context():
        assert db.session.scalar(select(func.count()).select_from(SubitemRating)) == before
    again = finalized.test_cli_runner().invoke(args=["ratings", "rate-subitems"])
    assert "stored for 0 case(s)" in again.output
