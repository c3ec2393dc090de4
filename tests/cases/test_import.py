"""Importing a case sample: every row or none, each bad row named."""

import io
import re
import time

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.sites.queries import site_by_slug
from tests.conftest import login

HEADER = "case_number,case_type,local_site,child_name,child_birth_date,opened_on,reviewers\n"


def _period_id(app, kind="cfsr") -> int:
    with app.app_context():
        return db.session.scalar(
            select(ReviewPeriod.id).where(ReviewPeriod.site_id == site_by_slug("demo", kind).id)
        )


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def _upload(client, app, content: bytes, name="sample.csv", kind="cfsr", period_id=None):
    """Import through the job (run at once in tests); return the job's page."""
    started = client.post(
        f"/demo/{kind}/cases/import",
        data={
            "period_id": str(period_id or _period_id(app, kind)),
            "file": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )
    assert started.status_code == 303, started.get_data(as_text=True)[:2000]
    assert f"/demo/{kind}/jobs/" in started.location
    return client.get(started.location)


def _imported(response, count: int) -> bool:
    """The job's page says the import is done with ``count`` cases."""
    page = response.get_data(as_text=True)
    return "Done" in page and f"{count} case(s) imported into" in page


def _refused(response) -> bool:
    page = response.get_data(as_text=True)
    return "Failed" in page and "Nothing was imported" in page


@pytest.fixture
def admin(demo):
    client = demo.test_client()
    login(client, "admin")
    return client


def test_a_good_csv_adds_every_case_with_its_reviewers(demo, admin):
    before = _count(demo)
    csv = (
        HEADER + "N-1,foster_care,001,A.A.,2015-01-02,2025-03-04,reviewer reviewer2\n"
        "N-2,in-home,Baker County,B.B.,03/04/2018,,reviewer\n"
    ).encode()
    response = _upload(admin, demo, csv)
    assert _imported(response, 2)
    assert _count(demo) == before + 2
    page = admin.get("/demo/cfsr/cases").get_data(as_text=True)
    assert "N-1" in page and "Robin Reviewer" in page


def test_bad_rows_are_each_listed_and_nothing_is_imported(demo, admin):
    before = _count(demo)
    csv = (
        HEADER
        + "N-1,foster_care,001,A.A.,2015-01-02,,reviewer\n"
        + "N-2,fostering,001,B.B.,,,\n"
        + "N-3,in_home,999,C.C.,,,\n"
        + "N-1,in_home,001,D.D.,,,\n"
        + "N-5,in_home,001,,31/31/2020,,\n"
        + "N-6,in_home,001,F.F.,,,nobody\n"
        + "N-7,in_home,001,G.G.,2090-01-01,,observer\n"
    ).encode()
    response = _upload(admin, demo, csv)
    page = response.get_data(as_text=True)
    assert _refused(response)
    assert "Nothing was imported: 6 rows to fix" in page
    assert "Nothing was imported from sample.csv" in page
    for expected in (
        "Line 3: case_type",
        "Line 4: local_site",
        "Line 5: case_number: N-1 appears twice",
        "Line 6: child_birth_date",
        "Line 7: reviewers: nobody is not a reviewer on this site",
        "Line 8: reviewers: observer is not a reviewer on this site; "
        "child_birth_date: The birth date cannot be in the future",
    ):
        assert expected in page, expected
    assert _count(demo) == before


def test_an_xlsx_sample_imports_too(demo, admin):
    book = Workbook()
    sheet = book.active
    sheet.append(["case_number", "case_type", "local_site", "child_name", "opened_on"])
    from datetime import datetime

    sheet.append(["X-1", "foster_care", "002", "Q.Q.", datetime(2025, 6, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    before = _count(demo)
    assert _imported(_upload(admin, demo, buffer.getvalue(), "sample.xlsx"), 1)
    assert _count(demo) == before + 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\xff\xfe\x00bad", "s.csv", "not UTF-8"),
        (b"", "s.csv", "The file is empty"),
        (b"case_number,colour\n1,red\n", "s.csv", "the header lacks the column(s) case_type"),
        (b"not a workbook", "s.xlsx", "not a readable .xlsx"),
        (HEADER.encode(), "s.csv", "has a header but no rows"),
    ],
)
def test_an_unreadable_file_gets_a_clear_message(demo, admin, content, name, message):
    response = _upload(admin, demo, content, name)
    assert _refused(response)
    page = response.get_data(as_text=True)
    assert message in page and f"Nothing was imported from {name}" in page


def test_a_period_with_an_open_start_needs_each_cases_start(demo, admin):
    csv = (HEADER + "N-1,foster_care,001,A.A.,,,\n").encode()
    page = _upload(admin, demo, csv, kind="cqi").get_data(as_text=True)
    assert "open start" in page


def test_a_csv_with_cr_only_line_ends_imports(demo, admin):
    """Old Excel for Mac ends lines with a bare CR."""
    before = _count(demo)
    csv = HEADER + "CR-1,foster_care,001,A.A.,2015-01-02,,reviewer\n" + "CR-2,in_home,001,B.B.,,,\n"
    response = _upload(admin, demo, csv.replace("\n", "\r").encode())
    assert _imported(response, 2), response.get_data(as_text=True)[:2000]
    assert _count(demo) == before + 2


def test_a_cell_past_the_limit_is_named_by_line_and_column(demo, admin):
    long = "x" * 200_000
    csv = HEADER + "L-1,foster_care,001,A.A.,,,\n" + f'L-2,foster_care,001,"{long}",,,\n'
    response = _upload(admin, demo, csv.encode())
    assert _refused(response)
    assert (
        "Line 3, column child_name: the cell is longer than 10,000 characters"
        in response.get_data(as_text=True)
    )


def test_a_small_workbook_of_many_rows_is_refused_quickly(demo, admin):
    """A workbook of a few hundred KB can hold hundreds of thousands of rows."""
    from tests.core.test_tables import _replace_sheet, _sheet_xml, _workbook

    header = ("case_number", "case_type", "local_site", "child_name")
    data = _replace_sheet(_workbook([["a"]]), _sheet_xml(300_000, header=header))
    # CPU time: what the reading costs, however busy the machine is.
    started = time.process_time()
    response = _upload(admin, demo, data, "huge.xlsx")
    assert time.process_time() - started < 5
    assert _refused(response)
    page = response.get_data(as_text=True)
    # Refused by the size of its sheet once unpacked, or else at the row limit.
    assert "“huge.xlsx” would unpack to more than" in page or "has more than 5,000 rows" in page


def test_a_zip_bomb_workbook_is_refused_quickly(demo, admin):
    from tests.core.test_tables import _replace_sheet, _sheet_xml, _workbook

    data = _replace_sheet(_workbook([["a"]]), _sheet_xml(3, padding=200_000_000))
    started = time.process_time()
    response = _upload(admin, demo, data, "bomb.xlsx")
    assert time.process_time() - started < 5
    assert _refused(response)
    assert "“bomb.xlsx” would unpack to more than 16 MB" in response.get_data(as_text=True)


def _open_periods(app, kind: str) -> list[int]:
    with app.app_context():
        site = site_by_slug("demo", kind)
        return [
            period.id
            for period in db.session.scalars(
                select(ReviewPeriod).where(ReviewPeriod.site_id == site.id)
            )
            if period.is_open
        ]


@pytest.mark.parametrize("kind", ["cfsr", "cqi", "training"])
def test_the_example_on_the_import_page_imports_into_every_open_period(demo, admin, kind):
    """The CQI period has an open start: the example then carries each case's pur_start."""
    from html import unescape

    page = admin.get(f"/demo/{kind}/cases/import").get_data(as_text=True)
    example = unescape(re.search(r"<pre[^>]*>(.*?)</pre>", page, re.S).group(1))
    with demo.app_context():
        open_start = any(
            db.session.get(ReviewPeriod, period_id).pur_start is None
            for period_id in _open_periods(demo, kind)
        )
    assert ("pur_start" in example.splitlines()[0]) == open_start
    assert "child_race" in example.splitlines()[0] and ";" in example.splitlines()[1]
    periods = _open_periods(demo, kind)
    assert periods
    for period_id in periods:
        before = _count(demo)
        response = _upload(admin, demo, example.encode(), "e.csv", kind, period_id)
        assert _imported(response, 2), response.get_data(as_text=True)[-3000:]
        assert _count(demo) == before + 2


def test_a_missing_start_on_an_open_start_period_is_named_with_one_full_stop(demo, admin):
    csv = (HEADER + "N-1,foster_care,001,A.A.,2015-01-02,2025-03-04,reviewer\n").encode()
    response = _upload(admin, demo, csv, kind="cqi")
    assert _refused(response)
    html = response.get_data(as_text=True)
    message = re.search(r"<li>(Line 2: [^<]*)</li>", html).group(1)
    assert "pur_start: This period has an open start" in message
    assert message.endswith("start date.") and ".." not in message


def test_no_row_message_has_two_full_stops(demo):
    """Every fact check at once: each message once, the row's list ending with one stop."""
    from review_app.cases.importing import check_rows

    with demo.app_context():
        period = db.session.get(ReviewPeriod, _open_periods(demo, "cqi")[0])
        row = {
            "_line": 2,
            "_extra": [],
            "case_number": "",
            "case_type": "boat",
            "local_site": "nowhere",
            "child_name": "",
            "child_birth_date": "2999-01-01",
            "opened_on": "2025-05-01",
            "closed_on": "2025-01-01",
            "family_name": "x" * 200,
            "reviewers": "observer nobody",
        }
        _, errors = check_rows(period, [row])
    assert len(errors) == 1 and errors[0].count(";") >= 7, errors
    assert ".." not in errors[0] and ".;" not in errors[0] and errors[0].endswith(".")
