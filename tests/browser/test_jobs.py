"""A person makes a period's PDF and watches it finish on the job's page, without a reload."""

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from review_app.core.queue import init_queue
from tests.browser.conftest import (  # noqa: F401
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    VIEWPORT,
    _QuietRequestHandler,
    sign_in,
)
from tests.browser.test_accessibility import _problems
from tests.conftest import dispose, make_app
from tests.jobs.test_worker import start_worker, stop
from tests.reports.conftest import make_finalized

pytestmark = pytest.mark.browser


@pytest.fixture
def queued_server(demo, tmp_path):
    """The demo served by an app whose jobs go on a real queue file, for a real worker."""
    app = make_app(
        demo.config["SQLALCHEMY_DATABASE_URI"],
        WTF_CSRF_ENABLED=True,
        JOBS_URL=f"sqlite:///{tmp_path / 'jobs.db'}",
        JOBS_IMMEDIATE=False,
        JOBS_DIR=tmp_path / "results",
    )
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    dispose(app)
    init_queue(demo)


def test_make_the_pdf_follow_its_progress_without_reload_and_download_it(
    browser, queued_server, tmp_path
):
    app, base = queued_server
    make_finalized(app, 3)
    context = browser.new_context(base_url=base, viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_in(page, "qa")
    page.goto("/demo/cqi/reports")
    page.get_by_role("button", name="Make the PDF").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("PDF of the finalized cases")
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    problems = _problems(page)
    worker = start_worker(app)
    try:
        expect(page.locator("#job-announce")).to_contain_text(
            "Its file is ready to download", timeout=90_000
        )
    finally:
        stop(worker)
    assert page.evaluate("window.sameDocument === true")
    expect(page.locator('[data-job="progress"]')).to_have_text("3 of 3 cases")
    expect(page.locator('[data-job="status_label"]')).to_have_text("Done")
    assert page.locator("#job-progress").get_attribute("max") == "3"
    expect(page.get_by_role("button", name="Cancel the job")).to_be_hidden()
    problems += _problems(page)
    assert not problems, problems
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download").click()
    saved = tmp_path / "period.pdf"
    waiting.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert waiting.value.suggested_filename.endswith("-finalized-cases.pdf")
    # At 320 px nothing scrolls sideways, on the job's page nor on the list of jobs.
    job_page = page.url
    page.set_viewport_size({"width": 320, "height": 800})
    for path in (job_page, "/demo/cqi/jobs"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()
