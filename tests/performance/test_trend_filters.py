"""Trends filtered by the child's demographics, sub-items on the trend page, and small cells."""

import html
import re
from urllib.parse import parse_qsl, unquote

from sqlalchemy import select

from review_app.cases import demographics
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.performance import trends
from review_app.performance.trend_forms import read_window
from review_app.performance.windows import site_instrument
from review_app.ratings.models import SubitemRating
from review_app.sites.queries import site_by_slug
from tests.conftest import login
from tests.performance.conftest import SITE, expected, set_minimum

CHOSEN = (
    {"sex": "female"},
    {"race": "white"},
    {"hispanic": "no"},
    {"age_group": "10-14"},
    {"age_group": "5-9", "race": "white"},
)


def _totals(found: trends.Trends, kind: str) -> dict[str, tuple[int, int]]:
    """Return {id: (applicable, hits)} over every quarter of the trend (every finalized case)."""
    counts = found.counts(kind)
    keys = {key for splits in counts.by_month.values() for key in splits}
    totals = {}
    for key in keys:
        figures = [point.figure for point in found.by_quarter(kind, key)]
        total = (sum(f.applicable for f in figures), sum(f.hits for f in figures))
        if total[0]:
            totals[key] = total
    return totals


def test_each_demographic_filter_counts_what_python_counts(finalized):
    for chosen in CHOSEN:
        with finalized.app_context():
            site_id = site_by_slug("demo", "cqi").id
            found = trends.trends(
                site_id, site_instrument(site_id), narrowed=demographics.conditions(**chosen)
            )
            assert found is not None
            items, outcomes = _totals(found, "item"), _totals(found, "outcome")
        wanted_items, wanted_outcomes = expected(finalized, **chosen)
        wanted_items = {key: value for key, value in wanted_items.items() if value[0]}
        assert items == wanted_items, chosen
        assert outcomes == {k: v for k, v in wanted_outcomes.items() if v[0]}, chosen


def _page(client, query: str) -> str:
    response = client.get(f"{SITE}/performance/trends?{query}")
    assert response.status_code == 200, query
    return response.get_data(as_text=True)


def _case_links(page: str) -> list[str]:
    links = re.findall(r'href="([^"]*/performance/trends/cases\?[^"]+)"', page)
    return [unquote(html.unescape(link)) for link in links]


def test_a_filtered_points_cases_match_its_figure(finalized, client):
    set_minimum(finalized, "cqi", 1)
    login(client, "observer")
    everyone = _page(client, "figure=item:1&series=quarter")  # kept apart from the filtered
    page = _page(client, "figure=item:1&series=quarter&sex=female&age=5-9")
    assert "sex: female" in page.lower() and "aged 5-9" in page
    assert 'value="female" selected' in page
    counts = re.findall(r'<th scope="row">(\d{4} Q\d)</th>\s*<td>(\d+)</td>', page)
    shown = {label: int(count) for label, count in counts if int(count)}
    assert shown, "the filtered trend counts some cases"
    listed = [link for link in _case_links(page) if "months=3" in link and "figure=item:1&" in link]
    assert listed
    for link in listed:
        assert "sex=female" in link and "age=5-9" in link
        listing = client.get(link).get_data(as_text=True)
        rows = re.findall(r'<th scope="row"><a href="[^"]*/cases/\d+"', listing)
        with finalized.app_context():
            window = read_window(dict(parse_qsl(link.split("?")[1])))
            assert window is not None
        assert len(rows) == shown[window.label]
    every_count = re.findall(r'<th scope="row">\d{4} Q\d</th>\s*<td>(\d+)</td>', everyone)
    assert sum(shown.values()) < sum(int(count) for count in every_count)


def test_unknown_demographic_choices_are_named_and_left_out(finalized, client):
    login(client, "observer")
    page = _page(client, "sex=robot&race=%3Cb%3E&hispanic=maybe&age=200-300")
    for message in ("“robot” is not a sex", "is not a race", "“maybe” is not an ethnicity"):
        assert message in page
    assert "“200-300” is not an age group" in page
    assert "<b>" not in page
    listing = client.get(f"{SITE}/performance/trends/cases?sex=robot&quarter=2025-Q1&months=12")
    assert listing.status_code == 200


def test_sub_items_follow_their_item_and_list_their_cases(finalized, client):
    set_minimum(finalized, "cqi", 1)
    with finalized.app_context():
        rated = db.session.scalars(
            select(SubitemRating).where(
                SubitemRating.subitem_id == "12A", SubitemRating.rating.in_(["strength", "ani"])
            )
        ).all()
        case_ids = {
            case.id for case in db.session.scalars(select(Case).where(Case.status == "finalized"))
        }
        applicable = len([r for r in rated if r.case_id in case_ids])
    assert applicable > 0
    login(client, "qa")
    overview = _page(client, "figure=item:12")
    item, sub = overview.index("Item 12:"), overview.index("Sub-item 12A")
    assert item < sub < overview.index("Sub-item 12B") < overview.index("Item 13:")
    page = _page(client, "figure=subitem:12A&series=quarter")
    assert "<h2>Sub-item 12A" in page
    counts = re.findall(r'<th scope="row">\d{4} Q\d</th>\s*<td>(\d+)</td>', page)
    assert sum(int(count) for count in counts) == applicable
    link = next(
        link for link in _case_links(page) if "figure=subitem:12A" in link and "months=3" in link
    )
    listing = client.get(link).get_data(as_text=True)
    assert "to which the sub-item applies" in listing
    assert re.search(r'<th scope="row"><a href="[^"]*/cases/\d+"', listing)


def test_small_cells_read_fewer_than_and_are_not_drawn(finalized, client):
    set_minimum(finalized, "cqi", 1000)
    login(client, "observer")
    page = _page(client, "figure=item:1&series=quarter")
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert "fewer than 1000" in page
    assert "Not drawn:" in chart and "(fewer than 1000)" in chart
    assert "<circle" not in chart and 'font-weight="bold"' not in chart
    table = page[page.index("figures by quarter") :]
    assert not re.search(r"<td>\d+</td>", table.split("Every outcome and item")[0])
    assert not re.search(r">\d+(\.\d)?%</a>", page)
    # The cases behind a hidden figure stay listed for those who may read cases.
    link = next(link for link in _case_links(page) if "figure=item:1" in link)
    listing = client.get(link).get_data(as_text=True)
    assert re.search(r'<th scope="row"><a href="[^"]*/cases/\d+"', listing)
