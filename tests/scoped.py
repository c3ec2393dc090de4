"""Helpers for tests of what a person limited to a region reads (core/scope.py).

With the ``both_regions`` fixture the demo CQI site has finalized cases in all four
local sites; ``qa_north`` reaches the Northern region (Adams and Baker County), ``qa``
the whole site.
"""

import csv
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.performance.conftest import set_minimum

SITE = "/demo/cqi"
NORTH = ("Adams County", "Baker County")
SOUTH = ("Clark County", "Dawson County")
CASE_NUMBER = re.compile(r"\b(?:FC|IH)-CQI-\d+\b")
SCOPE_NOTE = "Figures cover Northern region only"


def case_numbers(app, places, finalized: bool = True) -> set[str]:
    """Return the numbers of the demo CQI cases of ``places`` (finalized ones by default)."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        statement = (
            select(Case.case_number)
            .join(LocalSite, LocalSite.id == Case.local_site_id)
            .where(Case.site_id == site.id, LocalSite.name.in_(places))
        )
        if finalized:
            statement = statement.where(Case.status == CaseStatus.FINALIZED)
        return set(db.session.scalars(statement))


def a_case_id(app, place: str) -> int:
    """Return the id of a demo CQI case of the local site named ``place``."""
    with app.app_context():
        return db.session.scalar(
            select(Case.id)
            .join(LocalSite, LocalSite.id == Case.local_site_id)
            .where(LocalSite.name == place, Case.site_id == site_by_slug("demo", "cqi").id)
            .order_by(Case.id)
        )


def local_site_id(app, place: str) -> int:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        return db.session.scalar(
            select(LocalSite.id).where(LocalSite.site_id == site.id, LocalSite.name == place)
        )


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def show_every_figure(app) -> None:
    """Show figures however few cases they count (the test site has eight)."""
    set_minimum(app, "cqi", 1)


def numbers_in(text: str) -> set[str]:
    return set(CASE_NUMBER.findall(text))


def csv_numbers(data: bytes) -> set[str]:
    return numbers_in(" ".join(",".join(row) for row in csv.reader(io.StringIO(data.decode()))))


def xlsx_numbers(data: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    cells = [
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    ]
    return numbers_in(" ".join(cells))


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
