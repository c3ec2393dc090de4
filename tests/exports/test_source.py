"""The source-data export: every case of a period, every answer, narrative and rating."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from review_app.cases.models import Case
from review_app.exports.queries import period_cases
from review_app.extensions import db
from review_app.periods.operations import create_period
from review_app.periods.queries import periods
from review_app.ratings.models import Answer, ItemReview
from review_app.sites.queries import local_sites, site_by_slug
from tests.conftest import login
from tests.performance.conftest import SITE, add_finalized


def _period_id(app) -> int:
    with app.app_context():
        return periods(site_by_slug("demo", "cqi"))[-1].id


def _csv(client, period_id: int) -> list[dict]:
    response = client.get(f"{SITE}/exports/periods/{period_id}/source.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_every_case_of_the_period_is_a_row_with_its_answers_and_ratings(demo, client):
    add_finalized(demo, 2)
    login(client, "admin")
    period_id = _period_id(demo)
    rows = _csv(client, period_id)
    with demo.app_context():
        cases = {
            c.case_number: c
            for c in db.session.scalars(select(Case).where(Case.period_id == period_id))
        }
        assert sorted(row["case_number"] for row in rows) == sorted(cases)
        overridden = db.session.scalar(
            select(ItemReview)
            .join(Case, Case.id == ItemReview.case_id)
            .where(Case.period_id == period_id, ItemReview.override_rating.is_not(None))
        )
        case = db.session.get(Case, overridden.case_id)
        row = next(r for r in rows if r["case_number"] == case.case_number)
        answers = db.session.scalars(select(Answer).where(Answer.case_id == case.id)).all()
        assert answers
        for answer in answers:
            if isinstance(answer.value, str):
                assert row[answer.question_id] == answer.value
            if answer.narrative:
                assert row[f"{answer.question_id} narrative"] == answer.narrative
    number = overridden.item_id
    assert row[f"item {number} rating"] != row[f"item {number} calculated rating"]
    assert row[f"item {number} override reason"]
    assert row["S1 rating"] in {"Substantially Achieved", "Not Achieved", "Not Applicable"}
    assert "child_name" not in row


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
