"""The summary page and the period PDF issue the same statements however much they show."""

from tests.conftest import login
from tests.core.test_query_counts import _grow, counted
from tests.ratings.test_completeness import _fill
from tests.ratings.test_item_pages import _case_of
from tests.reports.conftest import SITE, cqi_period_id

# A download writes its audit entry: insert, lock the chain head, seal, move the head.
AUDITED_READ = 4


def _count(app, client, url: str) -> int:
    with counted(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_a_case_summary_does_not_query_per_item_or_answer(demo):
    case_id = _case_of(demo, "reviewer", case_type="foster_care")
    client = demo.test_client()
    login(client, "reviewer")
    urls = [
        f"{SITE}/reports/cases/{case_id}/summary",
        f"{SITE}/reports/cases/{case_id}/summary.pdf",
    ]
    for url in urls:
        client.get(url)  # warm up what is cached per process
    empty = {url: _count(demo, client, url) for url in urls}
    _fill(demo, case_id)
    for url in urls:
        assert _count(demo, client, url) == empty[url], url
        assert empty[url] <= 10 + (AUDITED_READ if url.endswith(".pdf") else 0), url


def test_a_case_summary_with_an_override_names_its_author_in_one_statement(demo, finalized):
    (case_id,) = finalized(1)
    client = demo.test_client()
    login(client, "qa")
    url = f"{SITE}/reports/cases/{case_id}/summary"
    client.get(url)
    assert _count(demo, client, url) <= 10


def test_starting_the_period_pdf_does_not_query_per_case(demo, finalized, monkeypatch):
    """The press of "Make the PDF" only queues the job: it reads no case."""
    import dataclasses

    from review_app.jobs import kinds

    kind = kinds.KINDS["period_pdf"]
    monkeypatch.setitem(
        kinds.KINDS, "period_pdf", dataclasses.replace(kind, first_task=lambda *args: None)
    )
    url = f"{SITE}/reports/periods/{cqi_period_id(demo)}/finalized-pdf"
    client = demo.test_client()
    login(client, "admin")

    def started() -> int:
        with counted(demo) as statements:
            assert client.post(url).status_code == 303
        return len(statements)

    finalized(1)
    one = started()
    _cancel_all(demo)
    finalized(3)
    assert started() == one
    assert one <= 12


def _cancel_all(app) -> None:
    from sqlalchemy import update

    from review_app.extensions import db
    from review_app.jobs.models import Job
    from review_app.jobs.states import JobStatus

    with app.app_context():
        db.session.execute(update(Job).values(active_key=None, status=JobStatus.CANCELLED))
        db.session.commit()


def test_the_reports_page_does_not_query_per_period(demo):
    client = demo.test_client()
    login(client, "observer")
    url = f"{SITE}/reports"
    client.get(url)
    few = _count(demo, client, url)
    _grow(demo, 5)
    assert _count(demo, client, url) == few
    assert few <= 8
