"""Answer keys: an administrator makes, fills, explains, publishes and withdraws them."""

from sqlalchemy import select

from review_app.audit.models import AuditEntry
from review_app.cases.models import Case
from review_app.extensions import db
from review_app.training.models import KeyExplanation
from tests.conftest import sent_after_signing_out
from tests.training.conftest import SITE, new_case, start


def _draft(app, number: str = "KEY-D1", reviewers=("reviewer",)) -> int:
    with app.app_context():
        case = new_case(number, reviewers=reviewers)
        db.session.commit()
        return case.id


def test_making_a_key_takes_its_reviewers_off_and_hides_it_from_them(demo, clients):
    case_id = _draft(demo)
    assert clients("reviewer").get(f"{SITE}/cases/{case_id}").status_code == 200
    response = clients("admin").post(f"{SITE}/answer-keys", data={"case_id": case_id})
    assert response.location.endswith(f"/answer-keys/{case_id}")
    page = clients("admin").get(response.location).get_data(as_text=True)
    assert "Draft: trainees cannot see or start it." in page
    with demo.app_context():
        case = db.session.get(Case, case_id)
        assert case.is_key and case.is_key_draft and not case.assignments
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "training.make_key")
        )
        assert entry.before["reviewers"] == ["reviewer"] and entry.after["reviewers"] == []
    for url in (f"/cases/{case_id}", f"/cases/{case_id}/items/3", f"/cases/{case_id}/history"):
        assert clients("reviewer").get(SITE + url).status_code == 403, url
    assert f"/cases/{case_id}" not in clients("reviewer").get(f"{SITE}/cases/mine").get_data(
        as_text=True
    )


def test_the_administrator_records_a_draft_keys_answers_on_the_item_pages(demo, clients):
    case_id = _draft(demo)
    admin = clients("admin")
    admin.post(f"{SITE}/answer-keys", data={"case_id": case_id})
    response = admin.post(
        f"{SITE}/cases/{case_id}/items/7",
        data={"lock_version": "0", "shown": "7-app", "7-app": "no", "rationale": "No siblings."},
    )
    assert response.status_code == 302
    assert "Item 7 saved" in admin.get(response.location).get_data(as_text=True)
    # Reviewers, even of the site, cannot write into a key.
    assert (
        clients("reviewer")
        .post(f"{SITE}/cases/{case_id}/items/7", data={"lock_version": "1", "shown": "7-app"})
        .status_code
        == 403
    )


def test_publishing_is_refused_while_items_are_incomplete_and_says_what_is_missing(demo, clients):
    case_id = _draft(demo)
    admin = clients("admin")
    admin.post(f"{SITE}/answer-keys", data={"case_id": case_id})
    response = admin.post(f"{SITE}/answer-keys/{case_id}/publish")
    page = admin.get(response.location).get_data(as_text=True)
    assert "The answer key cannot be published:" in page
    assert "Item 1: answer “" in page and "answer 1-app" not in page
    with demo.app_context():
        assert db.session.get(Case, case_id).is_key_draft


def test_a_missing_rationale_also_stops_publishing(demo, clients):
    from review_app.demo.cases import rate_fully

    case_id = _draft(demo)
    admin = clients("admin")
    admin.post(f"{SITE}/answer-keys", data={"case_id": case_id})
    with demo.app_context():
        rate_fully(None, db.session.get(Case, case_id), seed=5, skip_rationale="14")
        db.session.commit()
    page = admin.get(admin.post(f"{SITE}/answer-keys/{case_id}/publish").location).get_data(
        as_text=True
    )
    assert "1 thing(s) are missing: Item 14: write the rationale for the rating" in page


def test_a_published_key_is_locked_and_can_be_withdrawn_keeping_scores(demo, clients, key_id):
    admin = clients("admin")
    page = admin.get(f"{SITE}/answer-keys/{key_id}").get_data(as_text=True)
    assert "Published" in page and "Withdraw the key to edit it" in page
    assert "Read only: This answer key is published" in admin.get(
        f"{SITE}/cases/{key_id}/items/3"
    ).get_data(as_text=True)
    assert admin.post(f"{SITE}/cases/{key_id}/items/3", data={}).status_code == 403
    # The review workflow does not move keys: no eliminating or reopening one.
    response = admin.post(
        f"{SITE}/cases/{key_id}/status",
        data={"action": "reopen", "status_version": "2", "reason": "x"},
    )
    assert "published or withdrawn on its key page" in admin.get(response.location).get_data(
        as_text=True
    )
    response = admin.post(f"{SITE}/answer-keys/{key_id}/withdraw")
    assert "withdrawn" in admin.get(response.location).get_data(as_text=True)
    with demo.app_context():
        key = db.session.get(Case, key_id)
        assert key.is_key_draft and key.status == "in_progress"


def test_a_trainees_copy_cannot_become_a_key(demo, clients, key_id):
    copy_id = start(clients("reviewer"), key_id)
    response = clients("admin").post(f"{SITE}/answer-keys", data={"case_id": copy_id})
    page = clients("admin").get(response.location).get_data(as_text=True)
    assert "A trainee&#39;s practice copy cannot become an answer key." in page
    assert f">{copy_id}<" not in page


def test_explanations_are_saved_and_a_too_long_one_is_refused_with_a_linked_error(
    demo, clients, key_id
):
    admin = clients("admin")
    url = f"{SITE}/answer-keys/{key_id}/items/3"
    page = admin.get(url).get_data(as_text=True)
    assert 'for="explain__3B"' in page and "Key&#39;s answer: Yes" in page
    response = admin.post(
        url, data={"explain__item": "Why it is a Strength.", "explain__3B": "Look at March."}
    )
    assert response.status_code == 302
    response = admin.post(url, data={"explain__item": "", "explain__3A": "x" * 4001})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<a href="#explain__3A">Question 3A: Use at most 4000 characters' in page
    with demo.app_context():
        saved = {
            (row.question_id, row.text)
            for row in db.session.scalars(
                select(KeyExplanation).where(KeyExplanation.case_id == key_id)
            )
        }
    assert saved == {("", "Why it is a Strength."), ("3B", "Look at March.")}


def test_training_pages_exist_only_on_the_training_site(demo, clients):
    for who, url in [
        ("admin", "/demo/cqi/answer-keys"),
        ("reviewer", "/demo/cfsr/practice"),
        ("qa", "/demo/cqi/progress"),
    ]:
        assert clients(who).get(url).status_code == 404, url


def test_explanations_typed_as_the_session_ended_are_back_after_signing_in(demo, key_id):
    page = f"{SITE}/answer-keys/{key_id}/items/3"
    shown = sent_after_signing_out(
        demo, "admin", page, page, {"explain__item": "Typed while signed out.", "explain__3B": ""}
    )
    assert "Typed while signed out.</textarea>" in shown
