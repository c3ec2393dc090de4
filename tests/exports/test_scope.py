"""The source data of a person limited to a region holds only their region's cases,
streamed or prepared by a job (which runs inside the scope of the person who started it)."""

from tests.exports.test_source import _period_id
from tests.scoped import NORTH, SCOPE_NOTE, SITE, SOUTH, case_numbers, csv_numbers, xlsx_numbers


def test_the_streamed_source_data_holds_the_regions_cases(demo, both_regions, clients):
    north = case_numbers(demo, NORTH, finalized=False)
    south = case_numbers(demo, SOUTH, finalized=False)
    period_id = _period_id(demo)
    url = f"{SITE}/exports/periods/{period_id}/source"
    assert csv_numbers(clients("qa_north").get(f"{url}.csv").data) == north
    assert xlsx_numbers(clients("qa_north").get(f"{url}.xlsx").data) == north
    assert csv_numbers(clients("qa").get(f"{url}.csv").data) == north | south
    assert SCOPE_NOTE in clients("qa_north").get(f"{SITE}/exports").get_data(as_text=True)


def test_the_prepared_source_data_holds_the_regions_cases(demo, both_regions, clients):
    """The job counts and writes what its person reaches: a limited person's count too."""
    demo.config["EXPORT_STREAM_MAX_CASES"] = 7  # the region's six stream, the site's twelve not
    try:
        north = case_numbers(demo, NORTH, finalized=False)
        south = case_numbers(demo, SOUTH, finalized=False)
        period_id = _period_id(demo)
        qa, qa_north = clients("qa"), clients("qa_north")
        assert "too many to download at once" in qa.get(f"{SITE}/exports").get_data(as_text=True)
        index = qa_north.get(f"{SITE}/exports").get_data(as_text=True)
        assert "too many to download at once" not in index
        for client, expected in ((qa_north, north), (qa, north | south)):
            started = client.post(f"{SITE}/exports/periods/{period_id}/source.csv/prepare")
            job_id = started.location.rstrip("/").rsplit("/", 1)[1]
            page = client.get(started.location).get_data(as_text=True)
            assert f"{len(expected)} of {len(expected)} cases" in page
            downloaded = client.get(f"{SITE}/jobs/{job_id}/download")
            assert csv_numbers(downloaded.data) == expected
    finally:
        demo.config["EXPORT_STREAM_MAX_CASES"] = 1000
