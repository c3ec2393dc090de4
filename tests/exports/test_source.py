"""The source-data export: every case of a period, every answer, narrative and rating."""

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from review_app.cases.demographics import categories
from review_app.cases.models import Case
from review_app.exports.queries import period_cases
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.periods.operations import create_period
from review_app.periods.queries import periods
from review_app.ratings.models import Answer, ItemReview, SubitemRating
from review_app.sites.queries import local_sites, site_by_slug
from tests.conftest import login
from tests.core.test_plain_words import _read, ids_in
from tests.performance.conftest import SITE, add_finalized


def _period_id(app) -> int:
    with app.app_context():
        return periods(site_by_slug("demo", "cqi"))[-1].id


def _csv(client, period_id: int) -> list[dict]:
    response = client.get(f"{SITE}/exports/periods/{period_id}/source.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _codebook(client, period_id: int) -> dict[str, str]:
    """Return the Questions sheet of the workbook as key -> column header."""
    book = client.get(f"{SITE}/exports/periods/{period_id}/source.xlsx")
    sheet = load_workbook(io.BytesIO(book.data))["Questions"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Column", "Key", "Item", "Question", "Answers")
    return {key: header for header, key, *_ in rows[1:]}


def test_every_case_of_the_period_is_a_row_with_its_answers_and_ratings(demo, client):
    add_finalized(demo, 2)
    login(client, "admin")
    period_id = _period_id(demo)
    rows = _csv(client, period_id)
    column = _codebook(client, period_id)
    with demo.app_context():
        instrument = get_instrument("cfsr-round4")
        cases = {
            c.case_number: c
            for c in db.session.scalars(select(Case).where(Case.period_id == period_id))
        }
        assert sorted(row["Case number"] for row in rows) == sorted(cases)
        overridden = db.session.scalar(
            select(ItemReview)
            .join(Case, Case.id == ItemReview.case_id)
            .where(Case.period_id == period_id, ItemReview.override_rating.is_not(None))
        )
        case = db.session.get(Case, overridden.case_id)
        row = next(r for r in rows if r["Case number"] == case.case_number)
        assert row["Case type"] == case.case_type_label and row["Status"] == "Finalized"
        answers = db.session.scalars(select(Answer).where(Answer.case_id == case.id)).all()
        assert answers
        for answer in answers:
            if answer.value not in (None, "", []):
                cell = row[column[answer.question_id]]
                assert cell == instrument.value_text(answer.question_id, answer.value), cell
            if answer.narrative:
                assert row[column[f"{answer.question_id} narrative"]] == answer.narrative
        number = instrument.items[overridden.item_id].number
    assert row[f"Item {number} - Rating"] != row[f"Item {number} - Calculated rating"]
    assert row[f"Item {number} - QA override reason"]
    assert row["Safety Outcome 1 - Rating"] in {
        "Substantially Achieved",
        "Not Achieved",
        "Not Applicable",
    }
    assert not any("child" in header.lower() and "name" in header.lower() for header in row)


def test_no_download_heads_a_column_with_an_internal_id(demo, client):
    """People read question numbers and words; ids stay in the codebook's Key column."""
    add_finalized(demo, 1)
    login(client, "qa")
    period_id = _period_id(demo)
    rows = _csv(client, period_id)
    headers = list(rows[0])
    book = load_workbook(
        io.BytesIO(client.get(f"{SITE}/exports/periods/{period_id}/source.xlsx").data)
    )
    assert book.sheetnames == ["Data", "Questions"]
    assert [cell.value for cell in book["Data"][1]] == headers
    codebook = list(book["Questions"].iter_rows(values_only=True))[1:]
    assert [header for header, *_ in codebook] == headers
    keys = [key for _, key, *_ in codebook]
    assert len(set(headers)) == len(headers) and len(set(keys)) == len(keys)
    assert {"5-app-60", "FS-opened-other", "case_number", "S1 rating"} <= set(keys)
    assert "Item 5 - 5A. Is the child's permanency goal written in the case file?" in headers
    assert all(header.isascii() for header in headers)
    page = client.get(f"{SITE}/exports").get_data(as_text=True)
    assert ids_in("".join(_read(page).parts)) == []  # the page the walk of all pages skips
    downloads = {"source data": headers}
    for figure in ("", "item:3", "outcome:S1"):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"{SITE}/performance/cases.{fmt}?figure={figure}")
            if fmt == "csv":
                header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
            else:
                sheet = load_workbook(io.BytesIO(response.data)).active
                header = [cell.value for cell in sheet[1]]
            downloads[f"cases behind {figure or 'the figures'} ({fmt})"] = header
            name = re.search(r'filename="(.+)\.\w+"', response.headers["Content-Disposition"])[1]
            assert not ids_in(name.replace("-", " ")) and "S1" not in name, name
    found = {
        what: hits for what, header in downloads.items() if (hits := ids_in(" | ".join(header)))
    }
    assert not found
    # The cells of a case's facts and answers are words too (narratives are the reviewers').
    for row in rows:
        cells = [value for header, value in row.items() if not header.endswith("narrative")]
        assert ids_in(" | ".join(cells)) == [], row["Case number"]


def test_xlsx_has_the_same_rows_and_columns(demo, client):
    login(client, "qa")
    period_id = _period_id(demo)
    rows = _csv(client, period_id)
    book = client.get(f"{SITE}/exports/periods/{period_id}/source.xlsx")
    sheet = load_workbook(io.BytesIO(book.data)).active
    assert sheet.max_row == len(rows) + 1
    assert [cell.value for cell in sheet[1]] == list(rows[0].keys())


def test_reading_in_small_batches_gives_the_same_cases_in_the_same_order(demo):
    add_finalized(demo, 3)
    with demo.app_context():
        period = periods(site_by_slug("demo", "cqi"))[-1]
        whole = [(d.case.case_number, len(d.answers)) for d in period_cases(period, batch=500)]
        small = [(d.case.case_number, len(d.answers)) for d in period_cases(period, batch=2)]
    assert whole == small and len(whole) >= 5


def test_an_empty_period_gives_the_header_alone(demo, client):
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        from datetime import date

        period = create_period(
            None,
            site,
            "Empty",
            date(2025, 1, 1),
            date(2025, 12, 31),
            "cfsr-round4",
            local_sites(site),
        )
        db.session.commit()
        period_id = period.id
    login(client, "observer")
    response = client.get(f"{SITE}/exports/periods/{period_id}/source.csv")
    assert response.get_data(as_text=True).count("\n") == 1


def test_a_period_of_another_site_is_not_found(demo, client):
    login(client, "admin")
    period_id = _period_id(demo)
    assert client.get(f"/demo/cfsr/exports/periods/{period_id}/source.csv").status_code == 404
    assert client.get(f"{SITE}/exports/periods/999999/source.xlsx").status_code == 404


def test_the_childs_demographics_and_each_sub_item_rating_are_columns(demo, client):
    add_finalized(demo, 2, start=22)  # the first child has two races (demo/cases.py)
    login(client, "admin")
    period_id = _period_id(demo)
    rows = _csv(client, period_id)
    column = _codebook(client, period_id)
    assert column["child_race"] == "Child's race" and column["subitem 12A rating"]
    with demo.app_context():
        cases = {
            c.case_number: c
            for c in db.session.scalars(
                select(Case).where(Case.period_id == period_id, Case.status == "finalized")
            )
        }
        labels = categories(get_instrument("cfsr-round4"))["race"].choices
        mixed = next(c for c in cases.values() if len(c.child_races) > 1)
        row = next(r for r in rows if r["Case number"] == mixed.case_number)
        assert row["Child's race"] == "; ".join(labels.get(r, "?") for r in mixed.child_races)
        ratings = {
            row.subitem_id: row.rating
            for row in db.session.scalars(
                select(SubitemRating).where(SubitemRating.case_id == mixed.id)
            )
        }
    words = {
        "strength": "Strength",
        "ani": "Area Needing Improvement",
        "not_applicable": "Not Applicable",
    }
    for subitem in ("12A", "12B", "12C"):
        assert row[f"Item 12 - Sub-item {subitem} - Rating"] == words[ratings[subitem]]
