"""Importing an answer key from CSV, as a job: every row or none, each bad row named."""

import io
import re
from html import unescape

from sqlalchemy import select

from review_app.cases.models import Case
from review_app.extensions import db
from review_app.jobs.models import Job
from review_app.jobs.states import JobStatus
from review_app.ratings import queries as rating_queries
from review_app.training.models import KeyExplanation
from tests.training.conftest import SITE, new_case


def _draft_key(app, clients) -> int:
    with app.app_context():
        case_id = new_case("KEY-I1").id
        db.session.commit()
    clients("admin").post(f"{SITE}/answer-keys", data={"case_id": case_id})
    return case_id


def _start(client, key_id: int, content: str | bytes, name: str = "key.csv"):
    """Send the file to the key's import page; return its answer (a job's page, or refused)."""
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        f"{SITE}/answer-keys/{key_id}/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _import(client, key_id: int, content: str | bytes, name: str = "key.csv") -> str:
    """Import through the job (run at once in tests); return the job's page as text."""
    started = _start(client, key_id, content, name)
    assert started.status_code == 303, started.get_data(as_text=True)[:3000]
    assert f"{SITE}/jobs/" in started.location
    return unescape(client.get(started.location).get_data(as_text=True))


def _job(app) -> Job:
    with app.app_context():
        [job] = db.session.scalars(select(Job).where(Job.kind == "key_import"))
        db.session.expunge(job)
        return job


def _state(app, key_id: int) -> tuple[dict, dict, set]:
    with app.app_context():
        key = db.session.get(Case, key_id)
        answers = {q: (a.value, a.narrative) for q, a in rating_queries.answers(key).items()}
        reviews = {i: (r.rating, r.rationale) for i, r in rating_queries.item_reviews(key).items()}
        explained = {
            (row.item_id, row.question_id, row.text)
            for row in db.session.scalars(
                select(KeyExplanation).where(KeyExplanation.case_id == key_id)
            )
        }
        return answers, reviews, explained


def test_every_row_is_imported_with_labels_narratives_rationales_and_explanations(demo, clients):
    key_id = _draft_key(demo, clients)
    page = _import(
        clients("admin"),
        key_id,
        "question_id,answer,narrative,explanation,rationale\n"
        "7-app,Yes,,,\n"
        "7A,no,Siblings were placed apart.,The policy asks for siblings together.,\n"
        "7B,No,No reason was written down.,,\n"
        "item 7,,,Separation without a reason is an ANI.,Placed apart without a reason.\n"
        "FS-reasons,Neglect; parent_substance_use,,,\n",
    )
    assert "Done" in page and "5 row(s) imported into answer key KEY-I1." in page
    job = _job(demo)
    assert (job.status, job.done, job.total, job.unit) == (JobStatus.DONE, 5, 5, "rows checked")
    assert job.title == "Import of key.csv into answer key KEY-I1"
    answers, reviews, explained = _state(demo, key_id)
    assert answers["7A"] == ("no", "Siblings were placed apart.")
    assert answers["7-app"] == ("yes", "")
    assert answers["FS-reasons"][0] == ["neglect", "parent_substance_use"]
    assert reviews["7"] == ("ani", "Placed apart without a reason.")
    assert explained == {
        ("7", "7A", "The policy asks for siblings together."),
        ("7", "", "Separation without a reason is an ANI."),
    }


def test_bad_rows_are_each_listed_and_nothing_is_imported(demo, clients):
    key_id = _draft_key(demo, clients)
    before = _state(demo, key_id)
    page = _import(
        clients("admin"),
        key_id,
        "question_id,answer,explanation\n"
        "7-app,yes,\n"
        "ZZ9,yes,\n"
        "7A,perhaps,\n"
        "6A3,31/02/2026,\n"
        "7-app,no,\n"
        "item 3,yes,\n"
        "FS-reasons,neglect,Why\n",
    )
    assert "Failed" in page and "Nothing was imported from key.csv" in page
    assert "Nothing was imported: 6 rows to fix" in page
    for expected in [
        "Line 3: question_id: there is no question or item “ZZ9” in the instrument.",
        "Line 4: answer: choose one of yes, no.",
        "Line 5: answer: give a date as YYYY-MM-DD.",
        "Line 6: question_id: 7-app appears twice (first on line 2).",
        "Line 7: answer: an item has no answer of its own; give its rationale.",
        "Line 8: explanation: the face sheet is not scored, so it has no explanations.",
    ]:
        assert expected in page
    assert _state(demo, key_id) == before
    assert _job(demo).status == JobStatus.FAILED


def test_a_file_that_is_not_a_key_file_gets_a_clear_message(demo, clients):
    key_id = _draft_key(demo, clients)
    admin = clients("admin")
    assert "“key.csv” is not UTF-8 text" in _import(admin, key_id, b"\xff\xfe\x00bad")
    page = _import(admin, key_id, "question,value\n1A,2\n")
    assert "Line 1: the header lacks the column(s) question_id, answer." in page
    assert "The file has a header but no rows." in _import(admin, key_id, "question_id,answer\n")
    wrong = _start(admin, key_id, "x", "key.xlsx")
    assert wrong.status_code == 422 and "Choose a .csv file." in wrong.get_data(as_text=True)


def test_a_published_key_takes_no_import(demo, clients, key_id):
    response = _start(clients("admin"), key_id, "question_id,answer\n7-app,yes\n")
    assert response.status_code == 422
    assert "Withdraw the published key before importing" in response.get_data(as_text=True)
    with demo.app_context():
        assert db.session.scalars(select(Job)).all() == []  # refused on the page: no job


def test_the_example_on_the_import_page_imports(demo, clients):
    key_id = _draft_key(demo, clients)
    page = clients("admin").get(f"{SITE}/answer-keys/{key_id}/import").get_data(as_text=True)
    example = unescape(re.search(r"<pre[^>]*>(.*?)</pre>", page, re.S).group(1))
    assert "4 row(s) imported" in _import(clients("admin"), key_id, example)
    answers, reviews, explained = _state(demo, key_id)
    assert answers["1C"] == ("no", "The first visit came two days late.")
    assert reviews["1"][1] == "The one report was answered late."


def test_a_csv_with_cr_only_line_ends_imports(demo, clients):
    key_id = _draft_key(demo, clients)
    text = "question_id,answer,narrative\r1-app,yes,\r1C,no,Late by two days.\r"
    assert "2 row(s) imported" in _import(clients("admin"), key_id, text)
    assert _state(demo, key_id)[0]["1C"] == ("no", "Late by two days.")


def test_answers_are_read_twice_however_many_items_the_file_sets(demo, clients):
    from sqlalchemy import event

    key_id = _draft_key(demo, clients)
    text = "question_id,answer,narrative\n1-app,yes,\n1C,no,Late by two days.\n7-app,yes,\n"
    with demo.app_context():
        engine = db.engine
    reads = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().startswith("SELECT") and "FROM answers" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = _import(clients("admin"), key_id, text)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert "3 row(s) imported" in page
    # One read to lay the rows over the stored answers, one by the save of all the items.
    assert len(reads) == 2, reads
