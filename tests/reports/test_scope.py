"""The reports of a person limited to a region: finalized counts and the period's PDF of
case summaries (a job run inside their scope) hold only their region's cases."""

from sqlalchemy import select

from review_app.extensions import db
from review_app.jobs.models import Job
from tests.reports.conftest import cqi_period_id
from tests.scoped import (
    NORTH,
    SCOPE_NOTE,
    SITE,
    SOUTH,
    a_case_id,
    case_numbers,
    number_in,
    numbers_found,
    pdf_text,
)


def _finalized(html: str) -> int:
    return number_in(html, r'<td data-label="Finalized cases">(\d+)</td>')


def test_the_finalized_counts_are_the_regions(demo, both_regions, clients):
    mine = clients("qa_north").get(f"{SITE}/reports").get_data(as_text=True)
    whole = clients("qa").get(f"{SITE}/reports").get_data(as_text=True)
    assert (_finalized(whole), _finalized(mine)) == (8, 4)
    assert SCOPE_NOTE in mine and SCOPE_NOTE not in whole


def test_the_period_pdf_holds_the_summaries_of_the_regions_cases(demo, both_regions, clients):
    north, south = case_numbers(demo, NORTH), case_numbers(demo, SOUTH)
    url = f"{SITE}/reports/periods/{cqi_period_id(demo)}/finalized-pdf"
    for username, expected, noted in (("qa_north", north, True), ("qa", north | south, False)):
        client = clients(username)
        started = client.post(url)
        assert started.status_code == 303
        job_id = int(started.location.rstrip("/").rsplit("/", 1)[1])
        with demo.app_context():
            job = db.session.scalar(select(Job).where(Job.id == job_id))
            assert set(job.params["case_numbers"]) == expected
        text = pdf_text(client.get(f"{SITE}/jobs/{job_id}/download").data)
        assert numbers_found(text) == expected
        assert ("Figures cover Northern region only" in " ".join(text.split())) == noted


def test_a_case_summary_outside_the_region_answers_as_if_it_did_not_exist(
    demo, both_regions, clients
):
    client = clients("qa_north")
    clark, adams = a_case_id(demo, "Clark County"), a_case_id(demo, "Adams County")
    for suffix in ("summary", "summary.pdf"):
        assert client.get(f"{SITE}/reports/cases/{clark}/{suffix}").status_code == 404
        assert client.get(f"{SITE}/reports/cases/999999/{suffix}").status_code == 404
        assert client.get(f"{SITE}/reports/cases/{adams}/{suffix}").status_code == 200
