"""A refused comment keeps its text: it is back in its box on the page, with a notice."""

from sqlalchemy import func, select

from review_app.audit.models import AuditEntry
from review_app.audit.operations import record
from review_app.cases.models import Case
from review_app.core.errors import OperationError
from review_app.drafts.hooks import FIX_BELOW
from review_app.drafts.models import FormDraft
from review_app.extensions import db
from review_app.qa.replies import NOT_SAVED
from tests.conftest import login, sent_after_signing_out
from tests.qa.conftest import SITE, act

COMMENT = "Item 3's rationale does not mention the second safety assessment; please add it."


def test_a_refused_comment_comes_back_in_its_box(demo, complete_case):
    reviewer, qa = demo.test_client(), demo.test_client()
    login(reviewer, "reviewer")
    login(qa, "qa")
    act(reviewer, demo, complete_case, "submit")
    item_page = f"{SITE}/cases/{complete_case}/items/3"

    refused = qa.post(
        f"{SITE}/cases/{complete_case}/items/3/threads",
        data={"question_id": "no-such-question", "body": COMMENT},
    )
    assert refused.status_code == 302
    page = qa.get(refused.location).get_data(as_text=True)
    assert FIX_BELOW in page
    assert COMMENT.replace("'", "&#39;") in page
    # The refusal is told by the field at fault, linked from a summary by the form.
    assert '<a href="#thread-question">That question is not part of this item.</a>' in page
    assert 'id="thread-question-error">That question is not part of this item.' in page
    assert 'aria-invalid="true" aria-describedby="thread-question-error"' in page
    # Shown once: the next visit shows an empty box again.
    assert COMMENT.replace("'", "&#39;") not in qa.get(item_page).get_data(as_text=True)


def test_a_refused_button_without_text_keeps_nothing(demo, complete_case):
    qa = demo.test_client()
    login(qa, "qa")
    # QA cannot finalize a case still in progress: refused, but nothing was typed.
    page = act(qa, demo, complete_case, "finalize")
    assert NOT_SAVED not in page


def test_a_refused_change_is_undone_and_what_was_typed_is_kept(demo, complete_case, monkeypatch):
    """The refused operation wrote before refusing: undone first, then the draft is committed."""
    from review_app.qa import operations

    def writes_then_refuses(actor, case, *_args):
        record(actor, "case.edit", case, "a write of the refused change", site=case.period.site)
        db.session.flush()
        raise OperationError("This case moved on meanwhile; nothing was saved.")

    reviewer, qa = demo.test_client(), demo.test_client()
    login(reviewer, "reviewer")
    login(qa, "qa")
    act(reviewer, demo, complete_case, "submit")
    monkeypatch.setattr(operations, "start_thread", writes_then_refuses)
    refused = qa.post(
        f"{SITE}/cases/{complete_case}/items/3/threads", data={"question_id": "", "body": COMMENT}
    )
    assert refused.status_code == 302
    with demo.app_context():
        assert not db.session.scalar(
            select(func.count()).where(AuditEntry.summary == "a write of the refused change")
        )
        assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 1
    page = qa.get(refused.location).get_data(as_text=True)
    assert "This case moved on meanwhile; nothing was saved." in page and NOT_SAVED in page
    assert COMMENT.replace("'", "&#39;") in page  # back in its box


def test_a_refused_elimination_says_by_its_box_what_to_give_and_keeps_the_choice(
    demo, complete_case
):
    """Nothing typed is still something to tell by the field: the reason is missing."""
    admin = demo.test_client()
    login(admin, "admin")
    page = act(admin, demo, complete_case, "eliminate", reason_code="other", reason="  ")
    assert FIX_BELOW in page
    assert '<a href="#reason-eliminate">Explain the reason.</a>' in page
    assert 'id="reason-eliminate-error">Explain the reason.' in page
    assert '<option selected value="other">' in page  # the reason chosen is still chosen
    # Shown once: the next visit shows the form as new.
    again = admin.get(f"{SITE}/cases/{complete_case}").get_data(as_text=True)
    assert "Explain the reason." not in again


def test_a_reason_confirmed_as_the_session_ended_is_asked_again_with_its_text(demo, complete_case):
    """The confirmation page, sent after signing out, comes back confirming the same action."""
    page = f"{SITE}/cases/{complete_case}/status?action=eliminate"
    with demo.app_context():
        version = db.session.get(Case, complete_case).status_version
    shown = sent_after_signing_out(
        demo,
        "admin",
        page,
        f"{SITE}/cases/{complete_case}/status",
        {"action": "eliminate", "confirmed": "1", "status_version": str(version),
         "reason_code": "other", "reason": "Duplicate of another sampled case."},
    )  # fmt: skip
    assert "Duplicate of another sampled case.</textarea>" in shown
    assert "Yes: Eliminate from the sample" in shown
