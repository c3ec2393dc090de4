"""States are types: code and templates name them from their enum, never by their text."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from review_app.access_requests.states import RequestStatus
from review_app.accounts.models import DeactivatedBy
from review_app.cases.models import Case
from review_app.cases.states import CaseStatus
from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.interviews.operations import start_thread
from review_app.interviews.states import InterviewStatus
from review_app.jobs.states import JobStatus
from tests.interviews.conftest import make_interview, user

PACKAGE = Path(__file__).resolve().parents[2] / "review_app"
# Where the states' text may be written: the enums themselves.
ENUM_MODULES = {
    "cases/states.py",
    "interviews/states.py",
    "jobs/states.py",
    "access_requests/states.py",
}
STATES = [*CaseStatus, *InterviewStatus, *JobStatus, *RequestStatus]
WORDS = "|".join(re.escape(state.value) for state in STATES)
QUOTED = re.compile(rf"""(["'])({WORDS})\1""")

# The same words in another vocabulary: (file under review_app/, word, the line's text or
# "" for anywhere in the file) -> what the word means there.
OTHER_MEANINGS = {
    ("core/roles.py", "qa1", ""): "role code: QA level 1",
    ("core/roles.py", "qa2", ""): "role code: QA level 2",
    ("members/queries.py", "qa1", ""): "role filter",
    ("members/queries.py", "qa2", ""): "role filter",
    ("core/access.py", "qa1", "SITE_ROLES = "): "role code",
    ("core/access.py", "qa2", "SITE_ROLES = "): "role code",
    ("audit/labels.py", "qa1", '"qa1": "QA level 1"'): "a recorded role field",
    ("audit/labels.py", "qa2", '"qa2": "QA level 2"'): "a recorded role field",
    ("demo/operations.py", "qa2", '("qa2", "Quincy Quality"'): "a demo username",
    ("demo/bulk.py", "qa2", 'people["qa2"]'): "a demo username",
    ("demo/cases.py", "qa2", 'people["qa2"]'): "a demo username",
    ("demo/cases.py", "declined", ""): "an answer: declined to say",
    ("cases/workflow.py", "finalized", '"finalize", "Finalize", "finalized"'): "the done message",
    ("interviews/views.py", "complete", 'form.action.data == "complete"'): "an action's name",
    ("templates/interviews/show.html", "complete", 'name="action" value="complete"'): (
        "an action's name"
    ),
}


def _other_meaning(name: str, word: str, line: str) -> bool:
    return any(
        (file, other) == (name, word) and snippet in line for file, other, snippet in OTHER_MEANINGS
    )


def _status_literals() -> list[str]:
    found = []
    files = [*PACKAGE.rglob("*.py"), *(PACKAGE / "templates").rglob("*.html")]
    for path in sorted(files):
        name = path.relative_to(PACKAGE).as_posix()
        if name in ENUM_MODULES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            words = [match.group(2) for match in QUOTED.finditer(line)]
            if any(not _other_meaning(name, word, line) for word in words):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_no_status_is_written_as_text_outside_its_enum():
    assert _status_literals() == [], (
        "Name the state from its enum (CaseStatus.FINALIZED, CaseStatus.CLOSED in a template) "
        "instead of its text"
    )


def test_the_scan_finds_a_status_written_as_text(tmp_path, monkeypatch):
    """The check above can fail: a template comparing with the text is reported."""
    package = tmp_path / "review_app"
    (package / "templates").mkdir(parents=True)
    (package / "templates" / "page.html").write_text("{% if case.status == 'finalized' %}\n")
    (package / "views.py").write_text('DONE = {"eliminated", "qa2"}\n')
    monkeypatch.setattr(f"{__name__}.PACKAGE", package)
    assert _status_literals() == [
        "templates/page.html:1: {% if case.status == 'finalized' %}",
        'views.py:1: DONE = {"eliminated", "qa2"}',
    ]


# Each group and the states the code listed by hand before it had names.
GROUPS = {
    "EDITABLE": {"in_progress", "returned"},
    "HELD_BY_QA": {"qa1", "qa2"},
    "IN_QA": {"submitted", "qa1", "qa2", "returned"},
    "CLOSED": {"finalized", "eliminated"},
    "RESETTABLE": {"in_progress", "submitted", "returned", "finalized"},
}


@pytest.mark.parametrize("name, values", GROUPS.items())
def test_each_group_holds_the_states_the_code_listed_before(name, values):
    group = getattr(CaseStatus, name)
    assert all(type(state) is CaseStatus for state in group)
    assert {state.value for state in group} == values


def test_every_state_keeps_its_stored_text_and_its_label():
    """The stored values and the words pages show are those of before the enums."""
    assert {state.value: state.label for state in CaseStatus} == {
        "in_progress": "In progress",
        "submitted": "Submitted for QA",
        "qa1": "In QA, level 1",
        "returned": "Returned to reviewer",
        "qa2": "In QA, level 2",
        "finalized": "Finalized",
        "eliminated": "Eliminated",
    }
    assert {state.value: state.label for state in InterviewStatus} == {
        "draft": "Draft",
        "complete": "Complete",
    }
    assert {state.value for state in DeactivatedBy} == {"system", "state"}


CHECKED_COLUMNS = [
    ("cases", "status"),
    ("rating_changes", "case_status"),
    ("qa_threads", "case_status"),
    ("interviews", "status"),
    ("users", "deactivated_by"),
]


@pytest.mark.parametrize("table, column", CHECKED_COLUMNS)
def test_the_database_refuses_a_state_no_enum_has(demo, table, column):
    interview_id = make_interview(demo)
    with demo.app_context():
        interview = db.session.get(Interview, interview_id)
        start_thread(user("qa"), interview, "20", "Which plans were these?")  # a QA thread
        held = db.session.scalar(text(f"SELECT count(*) FROM {table}"))
        assert held > 0  # an UPDATE of no row would prove nothing
        with pytest.raises(IntegrityError):
            db.session.execute(text(f"UPDATE {table} SET {column} = 'archived'"))
            db.session.flush()
        db.session.rollback()


def test_a_status_is_stored_as_its_text_and_read_as_its_state(demo):
    with demo.app_context():
        case = db.session.scalars(
            select(Case).where(Case.status == CaseStatus.IN_PROGRESS).limit(1)
        ).one()
        stored = db.session.scalar(text("SELECT status FROM cases WHERE id = :id"), {"id": case.id})
        assert (stored, type(stored)) == ("in_progress", str)
        assert type(case.status) is CaseStatus
