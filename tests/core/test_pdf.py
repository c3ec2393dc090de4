"""The PDF helper reads the application's static files and nothing else."""

from pathlib import Path

from review_app.core.pdf import download_name, html_to_pdf, static_only


def test_static_addresses_resolve_to_files_and_others_are_refused(app):
    with app.test_request_context():
        static = Path(app.static_folder).resolve()
        assert static_only("/static/app.css") == str(static / "app.css")
        for refused in (
            "http://169.254.169.254/latest/meta-data/",
            "https://example.com/logo.png",
            "file:///etc/passwd",
            "/etc/passwd",
            "/static/../__init__.py",
            "/static/missing.png",
        ):
            resolved = Path(static_only(refused))
            assert not resolved.exists(), refused


def test_a_document_with_outside_resources_still_renders_without_them(app):
    with app.test_request_context():
        data = html_to_pdf(
            '<html><body><h1>Report</h1><img src="http://127.0.0.1:9/x.png">'
            '<img src="/etc/passwd"><p>Done</p></body></html>'
        )
    assert data.startswith(b"%PDF")


def test_download_names_keep_to_safe_characters():
    assert download_name("case", 'A/B "C"\r\n;x', "summary") == "case-A-B-C-x-summary.pdf"
    assert download_name("..", "../..") == "document.pdf"
    assert download_name("2026-27 review", "finalized") == "2026-27-review-finalized.pdf"
