"""A case's dates in their order on every way in, and one birth date for the child."""

from datetime import date

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.ratings import queries
from review_app.ratings.completeness import gaps
from review_app.ratings.dates import target_birth
from review_app.ratings.models import Answer
from tests.cases.test_cases import _form
from tests.cases.test_import import HEADER, _refused, _upload
from tests.conftest import login
from tests.ratings.test_item_pages import SITE, _case_of, _post_item

REMOVAL_FIRST = "The removal date (3 May 2025) is before the case opened (1 June 2025)."


def test_the_case_form_refuses_a_removal_before_the_case_opened(demo, client):
    login(client, "admin")
    data = _form(demo, case_type="foster_care", opened_on="2025-06-01", removal_on="2025-05-03")
    response = client.post("/demo/cfsr/cases/new", data=data)
    assert response.status_code == 422
    assert REMOVAL_FIRST in response.get_data(as_text=True)


def test_the_case_form_refuses_a_closing_before_the_removal(demo, client):
    login(client, "admin")
    data = _form(demo, removal_on="2025-05-03", closed_on="2025-04-30")
    page = client.post("/demo/cfsr/cases/new", data=data).get_data(as_text=True)
    assert "The closing date (30 April 2025) is before the removal date (3 May 2025)." in page


def test_the_import_lists_each_row_with_dates_out_of_order(demo):
    admin = demo.test_client()
    login(admin, "admin")
    header = HEADER.strip() + ",removal_on,closed_on\n"
    csv = (
        header
        + "D-1,foster_care,001,A.A.,2015-01-02,2025-06-01,,2025-05-03,\n"
        + "D-2,foster_care,001,B.B.,2015-01-02,2025-06-01,,2025-07-01,\n"
        + "D-3,foster_care,001,C.C.,2020-02-02,2025-06-01,,2019-12-31,\n"
        + "D-4,in_home,001,D.D.,2015-01-02,2025-06-01,,,2025-01-01\n"
    ).encode()
    response = _upload(admin, demo, csv)
    page = response.get_data(as_text=True)
    assert _refused(response)
    assert "Line 2: removal_on: " + REMOVAL_FIRST[:-1] in page
    assert "Line 3" not in page
    assert "Line 4: removal_on: The removal date (31 December 2019) is before the case" in page
    assert "Line 5: closed_on: The closing date (1 January 2025) is before the case opened" in page


def _face(client, app, case_id, **answers):
    children = answers.pop("children", None)
    data = dict(answers)
    if children:
        data["FS-children__rows"] = str(len(children))
        for index, row in enumerate(children):
            for column, value in row.items():
                data[f"FS-children__{index}__{column}"] = value
        data["FS-children"] = ""
    return _post_item(client, case_id, "face", data, app=app)


def test_the_face_sheet_refuses_a_discharge_before_the_removal(demo):
    reviewer = demo.test_client()
    login(reviewer, "reviewer")
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    response = _face(
        reviewer,
        demo,
        case_id,
        **{
            "FS-opened-date": "2025-01-10",
            "FS-removal-date": "2025-03-01",
            "FS-discharge-date": "2025-02-01",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The discharge date (1 February 2025) is before the removal date (1 March 2025)." in page
    with demo.app_context():
        stored = queries.answer_values(queries.answers(db.session.get(Case, case_id)))
    assert stored.get("FS-discharge-date") is None


def test_the_face_sheet_birth_date_is_the_case_birth_date(demo):
    reviewer = demo.test_client()
    login(reviewer, "reviewer")
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    child = {"target": "yes", "initials": "A.B.", "birth_date": "2019-08-07", "interviewed": "no"}
    response = _face(reviewer, demo, case_id, children=[child])
    assert response.status_code == 302, response.get_data(as_text=True)
    with demo.app_context():
        case = db.session.get(Case, case_id)
        assert case.child_birth_date == date(2019, 8, 7)  # what the age filter reads
    page = reviewer.get(f"{SITE}/cases/{case_id}").get_data(as_text=True)
    assert "born 2019-08-07" in page

    admin = demo.test_client()
    login(admin, "admin")
    with demo.app_context():
        case = db.session.get(Case, case_id)
        form = {
            "case_number": case.case_number,
            "case_type": case.case_type,
            "local_site_id": str(case.local_site_id),
            "child_name": case.child_name,
            "child_birth_date": "2018-01-02",
            "opened_on": case.opened_on.isoformat(),
            "removal_on": case.removal_on.isoformat(),
            "reviewer_ids": [str(a.user_id) for a in case.assignments],
        }
    response = admin.post(f"{SITE}/cases/{case_id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    with demo.app_context():
        case = db.session.get(Case, case_id)
        values = queries.answer_values(queries.answers(case))
        assert case.child_birth_date == target_birth(values) == date(2018, 1, 2)


def test_a_face_sheet_birth_after_the_removal_is_refused(demo):
    reviewer = demo.test_client()
    login(reviewer, "reviewer")
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    with demo.app_context():
        removal = db.session.get(Case, case_id).removal_on
    late = removal.replace(year=removal.year + 1)
    child = {"target": "yes", "initials": "A.B.", "birth_date": late.isoformat()}
    response = _face(reviewer, demo, case_id, children=[child])
    assert response.status_code == 422
    assert "is before the child" in response.get_data(as_text=True)
    with demo.app_context():
        assert db.session.get(Case, case_id).child_birth_date != late


def test_stored_dates_out_of_order_are_listed_before_submission(demo):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    with demo.app_context():
        case = db.session.get(Case, case_id)
        db.session.add(Answer(case_id=case_id, question_id="FS-discharge-date", value="2001-01-01"))
        db.session.flush()
        instrument = get_instrument(case.period.instrument_version)
        found = gaps(instrument, *queries.case_ratings(case, instrument))
        db.session.rollback()
    assert any("The discharge date (1 January 2001) is before" in gap.message for gap in found)


def test_an_item_table_row_with_dates_out_of_order_is_refused(demo):
    reviewer = demo.test_client()
    login(reviewer, "reviewer")
    case_id = _case_of(demo, "reviewer")
    _post_item(reviewer, case_id, "1", {"1-app": "yes"}, app=demo)
    data = {
        "1-app": "yes",
        "1A": "0",
        "1B": "0",
        "1-reports": "",
        "1-reports__rows": "1",
        "1-reports__0__received": "2026-05-03",
        "1-reports__0__child": "A.B.",
        "1-reports__0__allegation": "Neglect",
        "1-reports__0__initiated": "2026-05-02",
    }
    response = _post_item(reviewer, case_id, "1", data, app=demo)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 1: the response was started (2 May 2026) before the report was received" in page
