"""The analysis pages: bad input answered in words, downloads, saving and deleting."""

import csv
import io
from urllib.parse import urlencode

from openpyxl import load_workbook
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.analysis.models import SavedAnalysis
from review_app.analysis.operations import save_analysis
from review_app.audit.models import AuditEntry
from review_app.extensions import db
from review_app.sites.queries import site_by_slug
from tests.conftest import sent_after_signing_out
from tests.performance.conftest import set_minimum

SITE = "/demo/cqi"
ANALYSIS = "rows=item:4&columns=case:case_type"


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_bad_choices_are_named_and_never_fail(finalized, clients):
    client = clients("admin")
    same = _text(client.get(f"{SITE}/analysis?rows=item:4&columns=item:4"))
    assert "ask the same question" in same and "<caption>" not in same
    unknown = _text(client.get(f"{SITE}/analysis?rows=item:99&columns=case:case_type"))
    assert "not in the instrument" in unknown and "<caption>" not in unknown
    wrong = _text(
        client.get(
            f"{SITE}/analysis?{ANALYSIS}&period=999999&local_site=abc&age=200&reviewer=9&type=cars"
        )
    )
    assert "no such review period" in wrong and "<caption>" in wrong
    assert wrong.count("is not one of this site’s") == 4
    window = _text(client.get(f"{SITE}/analysis?{ANALYSIS}&scope=window&from=2026-13&to=x"))
    assert "Give the first and last months" in window and "<caption>" in window
    backwards = _text(
        client.get(f"{SITE}/analysis?{ANALYSIS}&scope=window&from=2026-05&to=2026-01")
    )
    assert "ends before it starts" in backwards
    cell = _text(client.get(f"{SITE}/analysis/cases?{ANALYSIS}&row=sideways&col=-"))
    assert "every answer is listed" in cell
    assert client.get(f"{SITE}/analysis/cases?rows=item:99").status_code == 200
    half = client.get(f"{SITE}/analysis/table.csv?rows=item:4", follow_redirects=True)
    assert "Choose two different questions before downloading" in _text(half)


def test_an_analysis_with_no_cases_shows_an_empty_labelled_table(finalized, clients):
    html = _text(clients("qa").get(f"{SITE}/analysis?{ANALYSIS}&age=18%2B"))
    assert "0 cases counted" in html and "No case matches these choices" in html
    assert "<caption>" in html and "Area Needing Improvement" in html and "Foster care" in html
    assert "No answer" in html
    listing = _text(clients("qa").get(f"{SITE}/analysis/cases?{ANALYSIS}&age=18%2B&row=-"))
    assert "0 cases." in listing


def test_the_table_downloads_as_csv_and_xlsx_and_is_audited(finalized, clients):
    set_minimum(finalized, "cqi", 1)  # every count in numbers (small cells: test_demographics)
    client = clients("observer")
    page = _text(client.get(f"{SITE}/analysis?{ANALYSIS}"))
    assert "<caption>" in page and "Save this analysis" not in page  # observers save nothing
    response = client.get(f"{SITE}/analysis/table.csv?{ANALYSIS}")
    lines = list(csv.reader(io.StringIO(_text(response))))
    assert lines[0] == [
        "Item 4 rating: Stability of foster care placement",
        "Case type",
        "Cases",
        "% of row",
        "% of column",
    ]
    assert lines[-1][:2] == ["All answers", "All answers"] and int(lines[-1][2]) >= 6
    cells = [line for line in lines[1:] if "All answers" not in line[:2]]
    assert sum(int(line[2]) for line in cells) == int(lines[-1][2])
    assert len(cells) == 4 * 3  # three ratings and no answer, by two case types and no answer
    workbook = client.get(f"{SITE}/analysis/table.xlsx?{ANALYSIS}")
    sheet = load_workbook(io.BytesIO(workbook.data), read_only=True).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)][0] == lines[0]
    cases = client.get(f"{SITE}/analysis/cases.csv?{ANALYSIS}&row=-")
    case_lines = list(csv.reader(io.StringIO(_text(cases))))
    assert case_lines[0][:4] == ["Case number", "Case type", "Local site", "Review period"]
    assert all(line[4] == "No answer" for line in case_lines[1:])
    every = list(
        csv.reader(io.StringIO(_text(client.get(f"{SITE}/analysis/cases.csv?{ANALYSIS}"))))
    )
    assert len(every) - 1 == int(lines[-1][2])
    with finalized.app_context():
        entries = db.session.execute(
            select(AuditEntry.action, AuditEntry.after)
            .where(AuditEntry.action.like("download.analysis%"))
            .order_by(AuditEntry.id)
        ).all()
    assert [action for action, _ in entries] == [
        "download.analysis",
        "download.analysis",
        "download.analysis_cases",
        "download.analysis_cases",
    ]
    assert entries[2][1]["cases"] == "Item 4 rating: Stability of foster care placement: No answer"
    assert entries[3][1]["cases"] == "every case counted"
    assert entries[0][1]["format"] == "csv" and entries[0][1]["columns"] == "Case type"


def test_saving_rerunning_and_deleting_an_analysis(finalized, clients):
    qa, admin = clients("qa"), clients("admin")
    form = {"rows": "item:4", "columns": "case:case_type", "type": "foster_care"}
    saved = qa.post(f"{SITE}/analysis/saved", data={**form, "name": "  Stability  by type "})
    assert saved.status_code == 302
    again = qa.post(
        f"{SITE}/analysis/saved", data={**form, "name": "Stability by type"}, follow_redirects=True
    )
    assert "already have an analysis named" in again.get_data(as_text=True)
    unnamed = qa.post(f"{SITE}/analysis/saved", data={**form, "name": ""}, follow_redirects=True)
    assert "Name the analysis." in unnamed.get_data(as_text=True)
    half = qa.post(
        f"{SITE}/analysis/saved", data={"rows": "item:4", "name": "Half"}, follow_redirects=True
    )
    assert "Choose two different questions" in half.get_data(as_text=True)
    listing = _text(admin.get(f"{SITE}/analysis/saved"))
    assert "Stability by type" in listing and "Delete" not in listing  # not admin's own
    with finalized.app_context():
        analysis = db.session.scalar(select(SavedAnalysis))
        assert analysis.name == "Stability by type"
        assert analysis.params["type"] == "foster_care" and analysis.params["rows"] == "item:4"
        analysis_id = analysis.id
    rerun = _text(admin.get(f"{SITE}/analysis?" + "&".join(f"{k}={v}" for k, v in form.items())))
    assert "<caption>" in rerun
    assert admin.post(f"{SITE}/analysis/saved/{analysis_id}/delete").status_code == 403
    assert (
        clients("observer").post(f"{SITE}/analysis/saved", data={**form, "name": "x"}).status_code
        == 403
    )
    gone = qa.post(f"{SITE}/analysis/saved/{analysis_id}/delete", follow_redirects=True)
    assert "deleted" in gone.get_data(as_text=True)
    with finalized.app_context():
        assert db.session.scalar(select(SavedAnalysis)) is None
        entries = db.session.execute(
            select(AuditEntry.action, AuditEntry.after)
            .where(AuditEntry.action.like("analysis.%"))
            .order_by(AuditEntry.id)
        ).all()
    assert [action for action, _ in entries] == ["analysis.save", "analysis.delete"]
    assert entries[0][1]["rows"].startswith("Item 4 rating")


def test_a_saved_analysis_whose_question_left_the_instrument_says_so(finalized, clients):
    with finalized.app_context():
        qa = db.session.scalar(select(User).where(User.username == "qa"))
        site = site_by_slug("demo", "cqi")
        params = {"rows": "answer:gone-question", "columns": "case:case_type"}
        save_analysis(qa, site, "Old question", params, {"rows": "gone"})
        db.session.commit()
    client = clients("qa")
    listing = _text(client.get(f"{SITE}/analysis/saved"))
    assert "Old question" in listing
    page = _text(client.get(f"{SITE}/analysis?rows=answer:gone-question&columns=case:case_type"))
    assert "may have been removed since the analysis was saved" in page
    assert "<caption>" not in page


def test_another_sites_data_stays_out(finalized, clients):
    from review_app.sites.queries import local_sites

    with finalized.app_context():
        cfsr = site_by_slug("demo", "cfsr")
        elsewhere = local_sites(cfsr)[0].id
        qa = db.session.scalar(select(User).where(User.username == "qa"))
        theirs = save_analysis(qa, cfsr, "On the CFSR site", {"rows": "item:1"}, {})
        db.session.commit()
        theirs_id = theirs.id
    client = clients("qa")
    html = _text(client.get(f"{SITE}/analysis?{ANALYSIS}&local_site={elsewhere}"))
    assert "That local site is not one of this site’s" in html
    assert "On the CFSR site" not in _text(client.get(f"{SITE}/analysis/saved"))
    assert client.post(f"{SITE}/analysis/saved/{theirs_id}/delete").status_code == 404


def test_a_name_typed_as_the_session_ended_is_back_after_signing_in(finalized):
    form = {"rows": "item:4", "columns": "case:case_type", "type": "foster_care"}
    page = f"{SITE}/analysis?{urlencode(form)}"
    shown = sent_after_signing_out(
        finalized, "qa", page, f"{SITE}/analysis/saved", {**form, "name": "Stability by type"}
    )
    assert 'value="Stability by type"' in shown
