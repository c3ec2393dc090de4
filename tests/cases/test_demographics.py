"""The child's sex, races and ethnicity: from the import and the case form, and age in SQL."""

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.cases import demographics
from review_app.cases.models import Case, CaseRace
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.periods.models import ReviewPeriod
from review_app.sites.queries import site_by_slug
from tests.cases.test_cases import _form
from tests.cases.test_import import _count, _imported, _refused, _upload
from tests.conftest import login

HEADER = "case_number,case_type,local_site,child_name,child_sex,child_race,child_hispanic\n"


@pytest.fixture
def admin(demo):
    client = demo.test_client()
    login(client, "admin")
    return client


def _case(app, number: str) -> tuple[str, list[str], str]:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.case_number == number))
        return case.child_sex, case.child_races, case.child_hispanic


def test_the_categories_are_the_instrument_files_data(app):
    with app.app_context():
        declared = demographics.categories(get_instrument("cfsr-round4"))
    assert list(declared) == ["sex", "race", "hispanic"]
    assert (
        declared["race"].multiple
        and "Black or African American" in declared["race"].choices.values()
    )
    assert {"unknown", "declined"} <= set(declared["race"].choices)
    assert declared["race"].code_of("white") == declared["race"].code_of(" WHITE ") == "white"
    assert declared["race"].code_of("purple") is None


def test_an_import_takes_codes_or_labels_and_several_races(demo, admin):
    csv = (
        HEADER + 'D-1,foster_care,001,A.A.,female,"black; White",no\n'
        "D-2,in_home,001,B.B.,Male,asian,Hispanic or Latino\n"
        "D-3,in_home,001,C.C.,,,\n"
    ).encode()
    assert _imported(_upload(admin, demo, csv), 3)
    assert _case(demo, "D-1") == ("female", ["black", "white"], "no")
    assert _case(demo, "D-2") == ("male", ["asian"], "yes")
    assert _case(demo, "D-3") == ("", [], "")


def test_a_value_outside_the_categories_is_a_bad_row_naming_line_and_column(demo, admin):
    before = _count(demo)
    csv = (
        HEADER + "D-1,foster_care,001,A.A.,female,white,no\n"
        "D-2,in_home,001,B.B.,boy,white,no\n"
        "D-3,in_home,001,C.C.,male,white;purple,no\n"
        "D-4,in_home,001,D.D.,male,white,maybe\n"
    ).encode()
    response = _upload(admin, demo, csv)
    page = html.unescape(response.get_data(as_text=True))
    assert _refused(response)
    assert "Line 3: child_sex: “boy” is not one of the values of Child's sex" in page
    assert "Line 4: child_race: “purple” is not one of the values of Child's race" in page
    assert "Line 5: child_hispanic: “maybe” is not one of the values" in page
    assert "Line 2" not in page
    assert _count(demo) == before


def test_the_case_form_offers_the_categories_in_fieldsets_and_keeps_them(demo, client):
    login(client, "admin")
    page = client.get("/demo/cfsr/cases/new").get_data(as_text=True)
    assert '<legend class="usa-legend">Child&#39;s race</legend>' in page
    assert 'type="checkbox"' in page and "American Indian or Alaska Native" in page
    assert '<legend class="usa-legend">Is the child Hispanic or Latino?</legend>' in page
    response = client.post(
        "/demo/cfsr/cases/new",
        data=_form(
            demo, child_sex="female", child_race=["white", "black"], child_hispanic="unknown"
        ),
    )
    assert response.status_code == 302
    assert _case(demo, "NEW-1") == ("female", ["black", "white"], "unknown")
    shown = client.get(response.location).get_data(as_text=True)
    assert "Black or African American, White" in shown and "Female" in shown
    edit = client.get(response.location + "/edit").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="black"', edit)
    assert not re.search(r'<input checked[^>]*value="asian"', edit)


def test_editing_changes_the_races_and_the_audit_log_says_so(demo, client):
    login(client, "admin")
    created = client.post(
        "/demo/cfsr/cases/new", data=_form(demo, child_race=["white"], child_sex="male")
    )
    edit_url = created.location + "/edit"
    response = client.post(
        edit_url,
        data={
            "case_number": "NEW-1",
            "case_type": "in_home",
            "local_site_id": _form(demo)["local_site_id"],
            "child_name": "Z.Z.",
            "child_sex": "male",
            "child_race": ["asian", "pacific_islander"],
        },
    )
    assert response.status_code == 302
    assert _case(demo, "NEW-1") == ("male", ["asian", "pacific_islander"], "")
    with demo.app_context():
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "case.update")
            .order_by(AuditEntry.id.desc())
        )
        assert entry.before["child_races"] == ["white"]
        assert entry.after["child_races"] == ["asian", "pacific_islander"]
        rows = select(CaseRace.race).where(CaseRace.case_id == entry.object_id)
        assert sorted(db.session.scalars(rows)) == ["asian", "pacific_islander"]


def test_a_value_not_offered_is_refused_on_the_form(demo, client):
    login(client, "admin")
    response = client.post("/demo/cfsr/cases/new", data=_form(demo, child_sex="boy"))
    assert response.status_code == 422


def _age_at_start(birth: date, start: date) -> int:
    years = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
    return max(years, 0)


@pytest.mark.parametrize(
    "birth",
    [
        date(2010, 10, 1),  # the start's own day: a birthday
        date(2010, 10, 2),  # a day later: not yet
        date(2010, 9, 30),
        date(2008, 2, 29),  # a leap day
        date(2025, 12, 24),  # born after the start: 0
        date(2021, 10, 1),  # 4 on the start, 5 at the end: the start counts
        None,
    ],
)
def test_sql_age_is_whole_years_at_the_start_of_the_period_under_review(demo, birth):
    with demo.app_context():
        period = db.session.scalar(
            select(ReviewPeriod).where(ReviewPeriod.site_id == site_by_slug("demo", "cfsr").id)
        )
        case = db.session.scalar(select(Case).where(Case.period_id == period.id).limit(1))
        case.child_birth_date = birth
        db.session.flush()
        start = case.pur_start or period.pur_start
        age, group = db.session.execute(
            select(demographics.age_years(), demographics.age_group()).where(Case.id == case.id)
        ).one()
        if birth is None:
            assert age is None and group is None
            return
        expected = _age_at_start(birth, start)
        assert age == expected, (birth, start)
        assert group == next(
            name for name, (low, high) in demographics.AGE_GROUPS.items() if low <= expected <= high
        )
        assert db.session.scalar(
            select(Case.id).where(Case.id == case.id, demographics.age_group_condition(group))
        )
        db.session.rollback()


def test_without_a_start_the_age_counts_from_twelve_months_before_the_end(demo):
    """The case's own start comes first; without any, the period's end a year earlier."""
    with demo.app_context():
        period = db.session.scalar(
            select(ReviewPeriod).where(ReviewPeriod.site_id == site_by_slug("demo", "cqi").id)
        )
        case = db.session.scalar(select(Case).where(Case.period_id == period.id).limit(1))
        end = period.pur_end
        period.pur_start = None
        case.pur_start = date(end.year - 1, end.month, 1)
        case.child_birth_date = date(end.year - 11, end.month, 1)  # 10 on the case's start
        db.session.flush()
        age = select(demographics.age_years()).where(Case.id == case.id)
        assert db.session.scalar(age) == 10
        case.pur_start = None
        case.child_birth_date = date(end.year - 11, end.month, end.day)  # 10 a year before the end
        db.session.flush()
        assert db.session.scalar(age) == 10
        db.session.rollback()


# The face sheet: reviewers see and record the child's demographics there.

FACE_DEMOGRAPHICS = ("FS-child-sex", "FS-child-race", "FS-child-hispanic")


def _checked(page: str, question_id: str) -> list[str]:
    """Return the values checked among a question's radio buttons or checkboxes."""
    return re.findall(rf'name="{question_id}" value="([^"]*)"\s*checked', page)


def _set_case(app, case_id: int, sex: str, races: list[str], hispanic: str) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.child_sex, case.child_hispanic = sex, hispanic
        case.races = [CaseRace(race=race) for race in races]
        db.session.commit()


def _entries(app, case_id: int) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "case.update", AuditEntry.object_id == case_id)
                .order_by(AuditEntry.id)
            )
        )


def _reviewers_case(demo):
    """Return a client signed in as the reviewer, and the id of a case of theirs."""
    from tests.ratings.test_item_pages import _case_of

    reviewer = demo.test_client()
    login(reviewer, "reviewer")
    return reviewer, _case_of(demo, "reviewer")


def test_the_face_sheet_offers_the_categories_prefilled_with_the_case_values(demo):
    from tests.ratings.test_item_pages import SITE

    reviewer, case_id = _reviewers_case(demo)
    _set_case(demo, case_id, "female", ["black", "white"], "no")
    page = reviewer.get(f"{SITE}/cases/{case_id}/items/face").get_data(as_text=True)
    with demo.app_context():
        declared = demographics.categories(get_instrument("cfsr-round4"))
    for question_id, name in zip(FACE_DEMOGRAPHICS, ("sex", "race", "hispanic"), strict=True):
        block = page[page.index(f'id="q-{question_id}"') :]
        block = block[: block.index("</fieldset>")]
        assert "<fieldset" in block and "<legend" in block
        for label in declared[name].choices.values():
            assert html.escape(label, quote=False) in block
    assert 'type="checkbox"' in page[page.index('id="q-FS-child-race"') :][:3000]
    assert sorted(_checked(page, "FS-child-race")) == ["black", "white"]
    assert _checked(page, "FS-child-sex") == ["female"]
    assert _checked(page, "FS-child-hispanic") == ["no"]


def test_saving_the_face_sheet_sets_the_case_demographics_and_audits_it(demo):
    from tests.ratings.test_item_pages import SITE, _post_item

    reviewer, case_id = _reviewers_case(demo)
    _set_case(demo, case_id, "female", ["white"], "")
    number = _case_number(demo, case_id)
    answers = {
        "FS-child-sex": "male",
        "FS-child-race": ["asian", "american_indian"],
        "FS-child-hispanic": "yes",
    }
    response = _post_item(reviewer, case_id, "face", answers, app=demo)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _case(demo, number) == ("male", ["american_indian", "asian"], "yes")
    entry = _entries(demo, case_id)[-1]
    assert entry.before == {"child_sex": "female", "child_races": ["white"], "child_hispanic": ""}
    assert entry.after == {
        "child_sex": "male",
        "child_races": ["american_indian", "asian"],
        "child_hispanic": "yes",
    }
    assert "taken from the face sheet" in entry.summary
    page = reviewer.get(f"{SITE}/cases/{case_id}").get_data(as_text=True)
    assert "American Indian or Alaska Native, Asian" in page and "Hispanic or Latino" in page

    # Saving what the page shows again changes nothing on the case and audits nothing more.
    count = len(_entries(demo, case_id))
    _post_item(reviewer, case_id, "face", {**answers, "FS-child-race": ["asian"]}, app=demo)
    assert _case(demo, number) == ("male", ["asian"], "yes")
    _post_item(reviewer, case_id, "face", {**answers, "FS-child-race": ["asian"]}, app=demo)
    assert len(_entries(demo, case_id)) == count + 1

    # Emptied answers leave the case's fields not recorded.
    empty = {"FS-child-sex": "", "FS-child-race": [], "FS-child-hispanic": ""}
    assert _post_item(reviewer, case_id, "face", empty, app=demo).status_code == 302
    assert _case(demo, number) == ("", [], "")


def test_the_face_sheet_shows_a_later_edit_of_the_case(demo):
    from tests.ratings.test_item_pages import SITE, _post_item

    reviewer, case_id = _reviewers_case(demo)
    _post_item(reviewer, case_id, "face", {"FS-child-sex": "male"}, app=demo)
    _set_case(demo, case_id, "female", ["asian"], "unknown")  # as an administrator's edit
    page = reviewer.get(f"{SITE}/cases/{case_id}/items/face").get_data(as_text=True)
    assert _checked(page, "FS-child-sex") == ["female"]
    assert _checked(page, "FS-child-race") == ["asian"]


def test_a_face_sheet_value_outside_the_categories_is_refused_on_its_field(demo):
    from tests.ratings.test_item_pages import _post_item

    reviewer, case_id = _reviewers_case(demo)
    _set_case(demo, case_id, "female", ["white"], "no")
    number = _case_number(demo, case_id)
    before = len(_entries(demo, case_id))
    answers = {
        "FS-child-sex": "boy",
        "FS-child-race": ["white", "purple"],
        "FS-child-hispanic": "yes",
        "FS-opened-date": "2025-01-10",
    }
    response = _post_item(reviewer, case_id, "face", answers, app=demo)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "choose one of Female, Male, Unknown" in page
    assert "purple is not among the choices; choose from American Indian or Alaska Native" in page
    sex = page[page.index('id="q-FS-child-sex"') :]
    assert "usa-form-group--error" in page[page.index('id="q-FS-child-sex"') - 80 :][:200]
    assert "choose one of Female" in sex[: sex.index("</fieldset>")]
    # What was typed is kept; nothing is saved.
    assert _checked(page, "FS-child-race") == ["white"]
    assert _checked(page, "FS-child-hispanic") == ["yes"]
    assert 'value="2025-01-10"' in page
    assert _case(demo, number) == ("female", ["white"], "no")
    assert len(_entries(demo, case_id)) == before


def _case_number(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).case_number


def test_editing_the_case_rewrites_the_face_sheet_answers_given(demo, client):
    from review_app.ratings import queries
    from review_app.ratings.models import RatingChange
    from tests.ratings.test_item_pages import SITE, _post_item

    reviewer, case_id = _reviewers_case(demo)
    answers = {"FS-child-sex": "male", "FS-child-race": ["white", "black"]}
    assert _post_item(reviewer, case_id, "face", answers, app=demo).status_code == 302
    login(client, "admin")
    with demo.app_context():
        case = db.session.get(Case, case_id)
        form = {
            "case_number": case.case_number,
            "case_type": case.case_type,
            "local_site_id": str(case.local_site_id),
            "child_name": case.child_name,
            "child_sex": "female",
            "child_race": ["black", "white"],
            "reviewer_ids": [str(a.user_id) for a in case.assignments],
        }
        for name in ("child_birth_date", "opened_on", "removal_on", "closed_on"):
            if getattr(case, name):
                form[name] = getattr(case, name).isoformat()
    response = client.post(f"{SITE}/cases/{case_id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    with demo.app_context():
        values = queries.answer_values(queries.answers(db.session.get(Case, case_id)))
    assert values["FS-child-sex"] == "female"
    assert sorted(values["FS-child-race"]) == ["black", "white"]
    with demo.app_context():
        edits = db.session.scalars(
            select(RatingChange.field).where(
                RatingChange.case_id == case_id, RatingChange.reason == "Edited on the case"
            )
        )
        assert list(edits) == ["FS-child-sex"]  # the races are the same, in another order
