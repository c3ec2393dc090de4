"""Helpers for tests of reads limited to a person's regions (core/scope.py).

The demo's ``qa_north`` reaches the Northern region (Adams and Baker County) of the
CQI site; ``qa`` reaches the whole site. The ``both_regions`` fixture adds cases in
the Southern region (Clark and Dawson County).
"""

import csv
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.accounts.operations import create_user
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.core.roles import RoleSet
from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.members.models import Membership
from review_app.members.operations import grant_access
from review_app.members.scope_operations import set_scope
from review_app.sites.models import LocalSite, Region
from review_app.sites.queries import site_by_slug
from tests.conftest import PASSWORD

NORTH = ("Adams County", "Baker County")
SOUTH = ("Clark County", "Dawson County")
CQI = SITE = "/demo/cqi"
CASE_NUMBER = re.compile(r"\b(?:FC|IH)-CQI-\d+\b")
SCOPE_NOTE = "Figures cover Northern region only"
LIMITED_ADMIN = "admin_north"


def numbers_in(found: dict[str, list[str]], names: tuple[str, ...]) -> list[str]:
    """Return the case numbers ``both_regions`` gave for these local sites."""
    return [number for name in names for number in found.get(name, [])]


def number_in(html: str, pattern: str) -> int:
    """The number ``pattern``'s first group finds on a page (failing with the page's start)."""
    found = re.search(pattern, html)
    assert found, html[:3000]
    return int(found.group(1))


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def limit_to_region(app, username: str, kind: str = "cqi", region_code: str = "N") -> None:
    """Limit a person's access to a region of a demo site (Northern unless told), committed."""
    with app.app_context():
        site = site_by_slug("demo", kind)
        membership = db.session.scalar(
            select(Membership).where(
                Membership.site_id == site.id, Membership.user_id == user(username).id
            )
        )
        north = db.session.scalar(
            select(Region).where(Region.site_id == site.id, Region.code == region_code)
        )
        set_scope(None, membership, True, [north], [])
        db.session.commit()


def local_site_id(app, name: str, kind: str = "cqi") -> int:
    with app.app_context():
        site = site_by_slug("demo", kind)
        return db.session.scalar(
            select(LocalSite.id).where(LocalSite.site_id == site.id, LocalSite.name == name)
        )


def case_id(app, number: str, kind: str = "cqi") -> int:
    with app.app_context():
        site = site_by_slug("demo", kind)
        return db.session.scalar(
            select(Case.id).where(Case.site_id == site.id, Case.case_number == number)
        )


def in_local_site(app, interview_id: int, name: str) -> None:
    """Move an interview to another local site of its period (test set-up)."""
    with app.app_context():
        db.session.get(Interview, interview_id).local_site_id = local_site_id(app, name)
        db.session.commit()


def make_limited_admin(app, username: str = LIMITED_ADMIN, region_code: str = "N") -> int:
    """Add ``username`` ("Ann North"), a state administrator of demo CQI limited to a region.

    Returns their id.
    """
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        region = db.session.scalar(
            select(Region).where(Region.site_id == site.id, Region.code == region_code)
        )
        made = create_user(None, username, "Ann North", PASSWORD)
        grant_access(None, site, made, RoleSet(is_state_admin=True), places=([region], []))
        db.session.commit()
        return made.id


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def cqi_case_id(app, local_site: str) -> int:
    """Return the id of a CQI case in the named local site (first by id)."""
    with app.app_context():
        statement = (
            select(Case.id)
            .join(LocalSite, LocalSite.id == Case.local_site_id)
            .where(Case.site_id == site_by_slug("demo", "cqi").id, LocalSite.name == local_site)
            .order_by(Case.id)
        )
        return db.session.scalar(statement)


a_case_id = cqi_case_id


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


def show_every_figure(app) -> None:
    """Show figures however few cases they count (the test site has eight)."""
    from tests.performance.conftest import set_minimum

    set_minimum(app, "cqi", 1)


def numbers_found(text: str) -> set[str]:
    """Return the demo CQI case numbers written in ``text``."""
    return set(CASE_NUMBER.findall(text))


def csv_numbers(data: bytes) -> set[str]:
    rows = csv.reader(io.StringIO(data.decode()))
    return numbers_found(" ".join(",".join(row) for row in rows))


def xlsx_numbers(data: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    cells = [
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    ]
    return numbers_found(" ".join(cells))


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def place_id(app, model, code: str, kind: str = "cqi") -> int:
    """Return the id of the region or local site (``model``) of this code on a demo site."""
    with app.app_context():
        site = site_by_slug("demo", kind)
        return db.session.scalar(
            select(model.id).where(model.site_id == site.id, model.code == code)
        )


def scope_label(app, username: str) -> str:
    """Return the label of a person's scope on demo CQI ("" for the whole site)."""
    from review_app.members.identity import membership_scope

    with app.app_context():
        site = site_by_slug("demo", "cqi")
        membership = db.session.scalar(
            select(Membership).where(
                Membership.site_id == site.id, Membership.user_id == user(username).id
            )
        )
        return membership_scope(membership).label
