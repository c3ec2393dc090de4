"""The analysis of a person limited to a region counts and lists only their region's
cases: the table, the cases behind it, the downloads and the saved analyses they open."""

import csv
import io
from urllib.parse import urlencode

from review_app.analysis.exports import ALL
from review_app.analysis.operations import save_analysis
from review_app.extensions import db
from review_app.periods.queries import periods
from review_app.sites.queries import site_by_slug
from tests.scoped import (
    NORTH,
    SCOPE_NOTE,
    SITE,
    SOUTH,
    case_numbers,
    csv_numbers,
    local_site_id,
    number_in,
    numbers_found,
    show_every_figure,
    user,
    xlsx_numbers,
)

ANALYSIS = "rows=item:4&columns=case:case_type"


def _counted(html: str) -> int:
    return number_in(html, r'<p role="status">(\d+) cases? counted')


def test_the_table_and_the_cases_behind_it_are_the_regions(demo, both_regions, clients):
    show_every_figure(demo)
    north, south = case_numbers(demo, NORTH), case_numbers(demo, SOUTH)
    qa, qa_north = clients("qa"), clients("qa_north")
    mine = qa_north.get(f"{SITE}/analysis?{ANALYSIS}").get_data(as_text=True)
    whole = qa.get(f"{SITE}/analysis?{ANALYSIS}").get_data(as_text=True)
    assert (_counted(whole), _counted(mine)) == (8, 4)
    assert SCOPE_NOTE in mine and "Clark County" not in mine and "Clark County" in whole
    listed = qa_north.get(f"{SITE}/analysis/cases?{ANALYSIS}").get_data(as_text=True)
    assert numbers_found(listed) == north
    assert csv_numbers(qa_north.get(f"{SITE}/analysis/cases.csv?{ANALYSIS}").data) == north
    assert xlsx_numbers(qa_north.get(f"{SITE}/analysis/cases.xlsx?{ANALYSIS}").data) == north
    assert csv_numbers(qa.get(f"{SITE}/analysis/cases.csv?{ANALYSIS}").data) == north | south
    for client, total in ((qa_north, "4"), (qa, "8")):
        table = client.get(f"{SITE}/analysis/table.csv?{ANALYSIS}").get_data(as_text=True)
        rows = list(csv.reader(io.StringIO(table)))
        whole = [row for row in rows if row[:2] == [ALL, ALL]]
        assert whole[0][2] == total


def test_a_saved_analysis_runs_again_inside_the_viewers_region(demo, both_regions, clients):
    show_every_figure(demo)
    south = case_numbers(demo, SOUTH)
    clark = local_site_id(demo, "Clark County")
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        params = {
            "rows": "item:4",
            "columns": "case:case_type",
            "period": str(periods(site)[-1].id),
            "local_site": str(clark),
        }
        save_analysis(user("qa"), site, "Clark by type", params, {"rows": "x"})
        db.session.commit()
    listing = clients("qa_north").get(f"{SITE}/analysis/saved").get_data(as_text=True)
    assert "Clark by type" in listing
    url = f"{SITE}/analysis/cases?{urlencode(params)}"
    assert numbers_found(clients("qa").get(url).get_data(as_text=True)) == case_numbers(
        demo, ["Clark County"]
    )
    again = clients("qa_north").get(url).get_data(as_text=True)
    assert not numbers_found(again) & south
