"""The child's sex, races, ethnicity and age in the analysis, and small cells hidden."""

import csv
import io
from collections import Counter
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from review_app.analysis import queries
from review_app.analysis.exports import notes
from review_app.analysis.filters import case_conditions
from review_app.analysis.forms import read_asked
from review_app.cases.demographics import AGE_GROUPS, categories
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.performance.queries import reviewer_choices
from review_app.periods.queries import periods
from review_app.sites.queries import local_sites, site_by_slug
from tests.performance.conftest import age_at_start, set_minimum

SITE = "/demo/cqi"


def _asked(args: dict):
    site = site_by_slug("demo", "cqi")
    return read_asked(site, periods(site), local_sites(site), reviewer_choices(site.id), args)


def _table(args: dict, minimum: int = 1):
    asked = _asked(args)
    assert asked.is_complete and not asked.problems, asked.problems
    conditions = case_conditions(asked.scope, asked.when, asked.chosen)
    return asked, queries.crosstab(asked.rows, asked.columns, conditions, minimum)


def _age_group(case: Case) -> str:
    age = age_at_start(case)
    if age is None:
        return "-"
    return next(name for name, (low, high) in AGE_GROUPS.items() if low <= age <= high)


def _answers(case: Case, declared: dict) -> dict[str, list[str]]:
    """Each demographic question's codes for the case, the long way ("-": not recorded)."""
    races = [race for race in case.child_races if race in declared["race"].choices]
    return {
        "case:sex": [case.child_sex if case.child_sex in declared["sex"].choices else "-"],
        "case:hispanic": [
            case.child_hispanic if case.child_hispanic in declared["hispanic"].choices else "-"
        ],
        "case:race": races or ["-"],
        "case:age": [_age_group(case)],
    }


def _counted_cases(asked) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case).where(
                Case.period_id == asked.when.period.id,
                Case.status == CaseStatus.FINALIZED,
                ~Case.is_key,
            )
        )
    )


def _long_way(asked, rows: str, columns: str, keep=lambda case: True) -> Counter:
    declared = categories(asked.scope.instrument)
    found: Counter = Counter()
    for case in _counted_cases(asked):
        if not keep(case):
            continue
        answers = _answers(case, declared)
        for row in answers[rows]:
            for column in answers[columns]:
                found[(row, column)] += 1
    return found


def test_a_child_counts_once_under_each_race_and_the_table_says_so(finalized):
    with finalized.app_context():
        asked, table = _table({"rows": "case:race", "columns": "case:sex"})
        want = _long_way(asked, "case:race", "case:sex")
        assert {key: n for key, n in table.cells.items() if n} == dict(want)
        cases = _counted_cases(asked)
        assert any(len(case.child_races) > 1 for case in cases)
        assert table.total == sum(want.values()) > len(cases)
        assert [label for _, label in asked.rows.codes()][-1] == "Not recorded"
        assert any("counts once under each" in note for note in notes(table))


def test_age_at_the_start_of_the_period_and_ethnicity_filtered_by_race_and_sex(finalized):
    with finalized.app_context():
        for args, keep in (
            ({"race": "white"}, lambda case: "white" in case.child_races),
            ({"sex": "female"}, lambda case: case.child_sex == "female"),
            ({"hispanic": "no"}, lambda case: case.child_hispanic == "no"),
        ):
            asked, table = _table({"rows": "case:age", "columns": "case:hispanic", **args})
            want = _long_way(asked, "case:age", "case:hispanic", keep)
            assert {key: n for key, n in table.cells.items() if n} == dict(want), args
            assert table.total == sum(want.values()) > 0
            assert asked.rows.label_of("5-9") == "Aged 5-9"


def test_the_age_filter_reads_the_age_at_the_start_of_the_period(finalized, clients):
    """A child who turns 5 during the period under review is 4 at its start."""
    with finalized.app_context():
        asked = _asked({"rows": "case:sex", "columns": "case:case_type"})
        case = _counted_cases(asked)[0]
        start = case.pur_start or case.period.pur_start
        if start is None:
            start = case.period.pur_end.replace(year=case.period.pur_end.year - 1)
        case.child_birth_date = date(start.year - 5, start.month, start.day) + timedelta(days=10)
        number = case.case_number
        db.session.commit()
        assert age_at_start(case) == 4
        for group in ("0-4", "5-9"):
            asked, table = _table({"rows": "case:sex", "columns": "case:case_type", "age": group})
            ages = _long_way(asked, "case:age", "case:sex")
            assert table.total == sum(n for (age, _), n in ages.items() if age == group)
    client = clients("qa")
    for group, counted in (("0-4", True), ("5-9", False)):
        listing = client.get(
            f"{SITE}/analysis/cases?rows=case:age&columns=case:race&age={group}"
        ).get_data(as_text=True)
        assert (f">{number}</a>" in listing) is counted
        assert "child’s age at the start of the period under review: Aged" in listing


def test_a_cell_of_a_demographic_lists_exactly_its_cases(finalized, clients):
    with finalized.app_context():
        asked = _asked({"rows": "case:race", "columns": "case:age"})
        white = sorted(c.case_number for c in _counted_cases(asked) if "white" in c.child_races)
    page = (
        clients("observer")
        .get(f"{SITE}/analysis/cases?rows=case:race&columns=case:age&row=white")
        .get_data(as_text=True)
    )
    assert white and all(f">{number}</a>" in page for number in white)
    assert f"{len(white)} case" in page and "listed once for each" not in page
    by_age = (
        clients("observer")
        .get(f"{SITE}/analysis/cases?rows=case:race&columns=case:age&col=-")
        .get_data(as_text=True)
    )
    assert "counts once under each of them" in by_age and "listed once for each" in by_age


def _lines(table) -> list[list[tuple]]:
    """Every row and column of the table with its total: each adds up to that total."""
    rows = [code for code, _ in table.rows.codes()] + [None]
    columns = [code for code, _ in table.columns.codes()] + [None]
    return [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]


def test_small_cells_and_the_shares_that_would_reveal_them_are_hidden(finalized):
    with finalized.app_context():
        asked, table = _table({"rows": "case:sex", "columns": "case:case_type"}, minimum=5)
    table.cells = {
        ("female", "foster_care"): 7,
        ("female", "in_home"): 2,
        ("male", "foster_care"): 6,
        ("male", "in_home"): 5,
        ("unknown", "foster_care"): 3,
    }
    assert table.shown_at("female", "in_home") == "fewer than 5"
    assert table.shown_at("male", "unknown") == "0"
    assert table.shown_row_percent("female", "in_home") is None  # the cell is hidden
    assert table.shown_column_percent("female", "in_home") is None
    # Under 5: (female, in-home) 2, (unknown, foster care) 3 and the unknown row's total 3.
    # Each row or column with one hidden count would give it back by subtraction, so
    # the smallest other count of it is hidden too, until no line gives one back:
    # the female row's 7, the in-home column's 5, then the male row's 6 and the
    # female total 9 (the row totals' column: 23 less 11 less 9 would give the 3).
    assert table.hidden == {
        ("female", "foster_care"),
        ("female", "in_home"),
        ("female", None),
        ("male", "foster_care"),
        ("male", "in_home"),
        ("unknown", "foster_care"),
        ("unknown", None),
    }
    assert table.shown_at("male", None) == "11" and table.shown_at(None, None) == "23"
    assert table.shown_row_percent("male", "in_home") is None
    for line in _lines(table):
        assert sum(place in table.hidden for place in line) != 1
    assert table.shown_column_percent("unknown", "foster_care") is None
    assert table.all_hidden  # every cell with cases: only some totals are shown
    assert any("Every count in this table is hidden" in note for note in notes(table))
    table.cells = {("female", "foster_care"): 7, ("female", "in_home"): 6}
    del table.hidden  # worked out again for the new counts
    assert not table.hidden and round(table.shown_row_percent("female", "in_home") or 0) == 46
    table.cells = {("female", "foster_care"): 4, ("male", "in_home"): 3}
    del table.hidden
    assert table.all_hidden and table.total == 7
    assert any("all are hidden" in note for note in notes(table))


def test_an_analysis_whose_cells_are_all_hidden_says_so_on_the_page_and_downloads(
    finalized, clients
):
    set_minimum(finalized, "cqi", 1000)
    client = clients("qa")
    args = "rows=case:sex&columns=case:case_type"
    html = client.get(f"{SITE}/analysis?{args}").get_data(as_text=True)
    assert "<caption>" in html and "Every count is hidden: each is under 1000" in html
    assert "Every count in this table is hidden: each is under 1000 cases" in html
    assert "fewer than 1000" in html and "of row" not in html
    assert "cases counted" in html and "fewer than 1000 cases counted" in html
    lines = list(
        csv.reader(io.StringIO(client.get(f"{SITE}/analysis/table.csv?{args}").get_data(True)))
    )
    counts = [line[2] for line in lines[1:] if line[2]]
    assert counts and all(count in ("0", "fewer than 1000") for count in counts)
    assert all(line[3] in ("", "100.0") and line[4] in ("", "100.0") for line in lines[1:])
    assert lines[-1][0].startswith("Every count in this table is hidden")
    sheet = load_workbook(
        io.BytesIO(client.get(f"{SITE}/analysis/table.xlsx?{args}").data), read_only=True
    ).active
    values = [list(row) + [None] * 5 for row in sheet.iter_rows(values_only=True)]
    assert [row[2] for row in values[1:] if row[2] not in (0, None)] and all(
        row[2] in (0, "fewer than 1000", None) for row in values[1:]
    )
    # The cases behind a hidden cell stay listed for those allowed to see cases.
    listing = client.get(f"{SITE}/analysis/cases?{args}&row=female").get_data(as_text=True)
    with finalized.app_context():
        asked = _asked({"rows": "case:sex", "columns": "case:case_type"})
        girls = [c.case_number for c in _counted_cases(asked) if c.child_sex == "female"]
    assert girls and all(f">{number}</a>" in listing for number in girls)
    every = client.get(f"{SITE}/analysis/cases.csv?{args}").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(every)))) > 1


def test_the_page_hides_what_the_table_hides_and_no_line_gives_a_count_back(finalized, clients):
    set_minimum(finalized, "cqi", 2)
    with finalized.app_context():
        asked, table = _table({"rows": "case:case_type", "columns": "case:sex"}, minimum=2)
    html = clients("qa").get(f"{SITE}/analysis?rows=case:case_type&columns=case:sex")
    text = html.get_data(as_text=True)
    small = [place for place, n in table.cells.items() if 0 < n < 2]
    assert small and set(small) < table.hidden  # the demo has a child alone in a cell
    assert text.count("fewer than 2<span") == len(table.hidden)
    assert f">{table.total}<span" in text  # the whole count gives no cell back
    for line in _lines(table):
        assert sum(place in table.hidden for place in line) != 1


def test_demographic_filters_are_offered_and_bad_values_named(finalized, clients):
    html = (
        clients("admin")
        .get(f"{SITE}/analysis?rows=case:sex&columns=item:1&race=martian&sex=x&hispanic=q")
        .get_data(as_text=True)
    )
    assert html.count("is not one of this site’s") == 3 and "<caption>" in html
    for words in ("Any race", "Any sex", "Any ethnicity", "Black or African American"):
        assert words in html
