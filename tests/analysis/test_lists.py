"""Multi-select questions and tables' choice columns in the analysis: a case counts once
under each of its answers, worked out the long way over the stored answers."""

from collections import Counter

from sqlalchemy import select

from review_app.analysis import queries
from review_app.analysis.exports import notes
from review_app.analysis.filters import case_conditions
from review_app.analysis.forms import read_asked
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.instruments.engine import evaluate
from review_app.performance.queries import reviewer_choices
from review_app.periods.queries import periods
from review_app.ratings.models import Answer
from review_app.sites.queries import local_sites, site_by_slug
from tests.analysis.test_answers import _set
from tests.core.test_query_counts import counted

SITE = "/demo/cqi"
BOXES = "boxes:4C1"
SETTING = "column:4-placements:setting"


def _asked(args: dict):
    site = site_by_slug("demo", "cqi")
    return read_asked(site, periods(site), local_sites(site), reviewer_choices(site.id), args)


def _cases(asked) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .where(
                Case.period_id == asked.when.period.id,
                Case.status == CaseStatus.FINALIZED,
                ~Case.is_key,
            )
            .order_by(Case.id)
        )
    )


def _store_lists(asked) -> None:
    """Give the counted cases answers a list question can hold, odd ones included."""
    foster = [case for case in _cases(asked) if case.case_type == "foster_care"]
    in_home = [case for case in _cases(asked) if case.case_type == "in_home"]
    row = {"start": "2026-01-05", "reason": ""}
    _set(foster[0].id, "4C1", ["behavior", "temporary"])
    _set(foster[1].id, "4C1", [])
    _set(foster[2].id, "4C1", ["runaway", "gone_from_the_list"])
    _set(
        foster[0].id,
        "4-placements",
        [
            row | {"setting": "shelter"},
            row | {"setting": "foster_home"},
            row | {"setting": "foster_home"},
        ],
    )
    _set(foster[1].id, "4-placements", [row | {"setting": ""}])
    _set(foster[2].id, "4-placements", "not a list")
    _set(foster[3].id, "4-placements", ["not a row", 3, row | {"setting": "relative_home"}])
    # Item 4 is never asked on an in-home case: what was typed there counts as no answer.
    _set(in_home[0].id, "4C1", ["behavior"])
    _set(in_home[0].id, "4-placements", [row | {"setting": "group_care"}])


def _codes(asked, axis, value) -> list[str]:
    """A case's codes on an axis the long way: each distinct known answer, or "-"."""
    known = {code for code, _ in axis.codes()}
    if axis.key == "case:case_type":
        return [value]
    column = axis.key.split(":")[2] if axis.key.startswith("column:") else None
    found = []
    for each in value if isinstance(value, list) else []:
        if column is not None:  # a table's row: its column's value (no row, no value)
            answer = each.get(column) if isinstance(each, dict) else None
        else:  # a box: a code (anything else is no answer)
            answer = None if isinstance(each, dict | list) else each
        if answer in (None, ""):
            continue
        code = answer if answer in known else "-"
        if code not in found:
            found.append(code)
    return found or ["-"]


def _long_way(asked) -> Counter:
    instrument = asked.scope.instrument
    cases = _cases(asked)
    stored: dict[int, dict] = {}
    for answer in db.session.scalars(
        select(Answer).where(Answer.case_id.in_([case.id for case in cases]))
    ):
        stored.setdefault(answer.case_id, {})[answer.question_id] = answer.value
    found: Counter = Counter()
    for case in cases:
        answers = evaluate(instrument, case.case_type, stored.get(case.id, {}))

        def read(axis, case=case, answers=answers):
            if axis.key == "case:case_type":
                return case.case_type
            return answers.value(axis.key.split(":")[1])

        for row in _codes(asked, asked.rows, read(asked.rows)):
            for column in _codes(asked, asked.columns, read(asked.columns)):
                found[(row, column)] += 1
    return found


def test_boxes_and_a_table_column_count_each_case_once_under_each_answer(finalized):
    with finalized.app_context():
        _store_lists(_asked({"rows": BOXES, "columns": SETTING}))
        for args in (
            {"rows": BOXES, "columns": "case:case_type"},
            {"rows": SETTING, "columns": "case:case_type"},
            {"rows": BOXES, "columns": SETTING},
        ):
            asked = _asked(args)
            assert asked.is_complete and not asked.problems, asked.problems
            conditions = case_conditions(asked.scope, asked.when, asked.chosen)
            table = queries.crosstab(asked.rows, asked.columns, conditions)
            want = _long_way(asked)
            got = {key: n for key, n in table.cells.items() if n}
            assert got == dict(want), (args, sorted(got.items()), sorted(want.items()))
            assert table.total > len(_cases(asked))
            assert any("counts once under each" in note for note in notes(table))
        labels = dict(asked.rows.codes())
        assert labels["temporary"].startswith("The placement is meant to be short-term")
        assert "Type of setting".lower() in asked.columns.label.lower()
        assert want[("behavior", "shelter")] >= 1 and want[("behavior", "foster_home")] >= 1


def test_the_lists_are_offered_by_the_instrument(finalized):
    with finalized.app_context():
        offered = _asked({}).offered
        assert BOXES in offered and SETTING in offered and "boxes:FS-reasons" in offered
        assert offered[BOXES].group == offered[SETTING].group == offered["answer:4C"].group
        assert not any(key.startswith("column:4-placements:start") for key in offered)


def test_a_list_table_is_one_grouped_statement(finalized):
    with finalized.app_context():
        for args in (
            {"rows": BOXES, "columns": SETTING, "type": "foster_care"},
            {"rows": SETTING, "columns": "case:race"},
        ):
            asked = _asked(args)
            conditions = case_conditions(asked.scope, asked.when, asked.chosen)
            with counted(finalized, fresh_pages=False) as statements:
                table = queries.crosstab(asked.rows, asked.columns, conditions)
            assert len(statements) == 1 and "GROUP BY" in statements[0]
            assert table.total > 0


def test_a_cell_of_a_list_lists_exactly_its_cases(finalized, clients):
    with finalized.app_context():
        asked = _asked({"rows": BOXES, "columns": SETTING})
        _store_lists(asked)
        db.session.commit()
        foster = [case for case in _cases(asked) if case.case_type == "foster_care"]
        in_home = [case for case in _cases(asked) if case.case_type == "in_home"]
        conditions = case_conditions(asked.scope, asked.when, asked.chosen)
        listed = list(
            queries.cases_in(
                asked.rows, asked.columns, conditions, queries.Cell("behavior", "foster_home")
            )
        )
        assert [each[1] for each in listed] == [foster[0].case_number]
        shelter = list(
            queries.cases_in(asked.rows, asked.columns, conditions, queries.Cell(None, "shelter"))
        )
        assert [(each[1], each[5]) for each in shelter] == [
            (foster[0].case_number, "behavior"),
            (foster[0].case_number, "temporary"),
        ]
        unanswered = list(
            queries.cases_in(asked.rows, asked.columns, conditions, queries.Cell("-", None))
        )
        assert in_home[0].case_number in [each[1] for each in unanswered]
        assert foster[0].case_number not in [each[1] for each in unanswered]
        number = foster[0].case_number
    client = clients("admin")
    page = client.get(
        f"{SITE}/analysis/cases?rows={BOXES}&columns={SETTING}&row=behavior&col=foster_home"
    ).get_data(as_text=True)
    assert f">{number}</a>" in page and "1 case" in page
    html = client.get(f"{SITE}/analysis?rows={BOXES}&columns={SETTING}").get_data(as_text=True)
    assert "counts once under each" in html
    assert "during the period under review: type of setting" in html
