"""Systemic factor ratings: who rates, what can be cited, stale forms and the summaries."""

from datetime import date

from sqlalchemy import func, select

from review_app.extensions import db
from review_app.systemic.models import SystemicRating
from tests.interviews.conftest import SITE, make_interview, period_of


def _period_id(app) -> int:
    with app.app_context():
        return period_of().id


def _rate(client, period_id: int, item: str, **data):
    form = {"lock_version": "0", "rating": "strength", "rationale": "Judges agree.", **data}
    return client.post(f"{SITE}/systemic/periods/{period_id}/items/{item}", data=form)


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SystemicRating))


def test_citing_a_draft_interview_is_refused_and_the_form_kept(demo, clients):
    draft = make_interview(demo, title="Still being written")
    period_id = _period_id(demo)
    response = _rate(
        clients("qa"), period_id, "29", rationale="Few providers.", interview_ids=[str(draft)]
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "is still a draft: only complete interviews can be cited" in page
    assert "Few providers." in page
    assert _count(demo) == 0


def test_citing_an_interview_of_another_period_is_refused(demo, clients):
    from review_app.periods.operations import create_period

    complete = make_interview(demo, complete=True)
    with demo.app_context():
        period = period_of()
        other = create_period(
            None, period.site, "Next round", None, date(2027, 9, 30), "cfsr-round4", []
        )
        db.session.commit()
        other_id = other.id
    response = _rate(clients("admin"), other_id, "19", interview_ids=[str(complete)])
    assert response.status_code == 422
    assert "Cite only interviews of this review period" in response.get_data(as_text=True)
    response = _rate(clients("admin"), other_id, "19", interview_ids=["99999999999999"])
    assert response.status_code == 422
    assert _count(demo) == 0


def test_a_rating_needs_a_rationale_and_a_known_rating(demo, clients):
    period_id = _period_id(demo)
    admin = clients("admin")
    page = _rate(admin, period_id, "25", rationale="  ").get_data(as_text=True)
    assert "Give the rationale for the rating" in page
    page = _rate(admin, period_id, "25", rating="excellent").get_data(as_text=True)
    assert "Choose Strength or Area Needing Improvement" in page
    page = _rate(admin, period_id, "25", rationale="r" * 8001).get_data(as_text=True)
    assert "Use at most 8000 characters" in page
    assert _rate(admin, period_id, "3").status_code == 404  # a case item, not a systemic one
    assert _count(demo) == 0


def test_a_stale_rating_form_is_refused_and_shows_the_saved_rating(demo, clients):
    period_id = _period_id(demo)
    first = _rate(clients("admin"), period_id, "33", rationale="Same standards everywhere.")
    second = _rate(clients("qa"), period_id, "33", rating="ani", rationale="Counties differ.")
    page = second.get_data(as_text=True)
    assert first.status_code == 302 and second.status_code == 409
    assert "Avery Admin saved a rating for this item after you opened it" in page
    assert "Same standards everywhere." in page and "Counties differ." in page
    assert 'name="lock_version" required type="hidden" value="1"' in page
    again = _rate(
        clients("qa"), period_id, "33", rating="ani", rationale="Counties differ.", lock_version="1"
    )
    assert again.status_code == 302
    with demo.app_context():
        row = db.session.scalar(select(SystemicRating))
        assert (row.rating, row.rationale, row.lock_version) == ("ani", "Counties differ.", 2)


def test_reviewers_read_the_summaries_but_neither_rate_nor_open_others_interviews(demo, clients):
    mine = make_interview(demo, complete=True, title="Court staff")
    not_theirs = make_interview(demo, supporting=(), complete=True, title="Youth panel")
    period_id = _period_id(demo)
    _rate(clients("admin"), period_id, "22", interview_ids=[str(mine), str(not_theirs)])
    reviewer2 = clients("reviewer2")
    assert reviewer2.get(f"{SITE}/systemic/periods/{period_id}/items/22").status_code == 403
    assert _rate(reviewer2, period_id, "22").status_code == 403
    overview = reviewer2.get(f"{SITE}/systemic").status_code
    assert overview == 302
    page = reviewer2.get(f"{SITE}/systemic/periods/{period_id}").get_data(as_text=True)
    assert "1 Strength, 0 Areas Needing Improvement, 17 not rated yet, of 18 items" in page
    page = reviewer2.get(f"{SITE}/systemic/periods/{period_id}/factors/case_review").get_data(
        as_text=True
    )
    assert f'href="{SITE}/interviews/{mine}"' in page
    assert f'href="{SITE}/interviews/{not_theirs}"' not in page and "Youth panel" in page
    # The observer reads the evidence: each complete interview's final notes on the item.
    page = clients("observer").get(f"{SITE}/systemic/periods/{period_id}/items/20")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and text.count("Plans were written.") == 2
    assert "Save the rating" not in text


def test_a_period_on_another_site_is_not_found(demo, clients):
    with demo.app_context():
        cfsr_period = period_of("cfsr").id
    admin = clients("admin")
    assert admin.get(f"{SITE}/systemic/periods/{cfsr_period}").status_code == 404
    assert _rate(admin, cfsr_period, "19").status_code == 404


def test_a_double_clicked_rating_is_saved_once_and_a_changed_one_says_it_was_yours(demo, clients):
    period_id = _period_id(demo)
    admin = clients("admin")
    first = _rate(admin, period_id, "33", rationale="Same standards everywhere.")
    second = _rate(admin, period_id, "33", rationale="Same standards everywhere.")
    assert first.status_code == 302 and second.status_code == 302
    changed = _rate(admin, period_id, "33", rating="ani", rationale="Counties differ.")
    page = changed.get_data(as_text=True)
    assert changed.status_code == 409
    assert "You already saved a rating for this item" in page
    assert "Avery Admin saved a rating" not in page
    with demo.app_context():
        row = db.session.scalar(select(SystemicRating))
        assert (row.rating, row.lock_version) == ("strength", 1)
