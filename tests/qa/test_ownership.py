"""QA work has an owner: taking, releasing, handing over, queues and My QA cases."""

from sqlalchemy import select

from review_app.accounts.models import User
from review_app.audit.models import AuditEntry
from review_app.cases.models import Case
from review_app.extensions import db
from tests.qa.conftest import SITE, act, status_of


def _holder(app, case_id: int) -> str | None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        return case.qa_holder.username if case.qa_holder else None


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def _actions(app, case_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.object_type == "Case", AuditEntry.object_id == case_id)
                .order_by(AuditEntry.id)
            )
        )


def _number(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).case_number


def test_starting_qa_takes_the_case_and_only_the_holder_acts_on_it(demo, clients, complete_case):
    qa, qa2 = clients("qa"), clients("qa2")
    act(clients("reviewer"), demo, complete_case, "submit")
    act(qa, demo, complete_case, "take")
    assert _holder(demo, complete_case) == "qa"
    # Level 2 staff may work at level 1, but not on a case Quinn holds.
    page = act(qa2, demo, complete_case, "return", reason="Mine now.")
    assert "Quinn Quality holds this case for QA" in page
    assert status_of(demo, complete_case)[0] == "qa1"
    case_page = qa2.get(f"{SITE}/cases/{complete_case}").get_data(as_text=True)
    assert "Quinn Quality holds this case for QA level 1." in case_page
    assert 'value="return"' not in case_page
    # Nor is the override form offered to anyone but the holder, to be refused on sending.
    item = f"{SITE}/cases/{complete_case}/items/4"
    assert "Override the rating" not in qa2.get(item).get_data(as_text=True)
    assert "Override the rating" in qa.get(item).get_data(as_text=True)
    # The holder passes it on: it waits at level 2 with no holder, for anyone there.
    act(qa, demo, complete_case, "to_level2")
    assert _holder(demo, complete_case) is None


def test_queues_show_the_holder_and_my_qa_cases_lists_what_i_hold(demo, clients, complete_case):
    number = _number(demo, complete_case)
    act(clients("reviewer"), demo, complete_case, "submit")
    assert number not in clients("qa").get(f"{SITE}/qa/mine").get_data(as_text=True)
    act(clients("qa"), demo, complete_case, "take")
    queues = clients("observer").get(f"{SITE}/qa").get_data(as_text=True)
    row = queues[queues.index(f">{number}<") :]
    row = row[: row.index("</tr>")]
    assert "Quinn Quality" in row and "Days waiting" in queues
    mine = clients("qa").get(f"{SITE}/qa/mine").get_data(as_text=True)
    assert number in mine
    assert number not in clients("qa2").get(f"{SITE}/qa/mine").get_data(as_text=True)
    # The header offers the page to QA staff only.
    assert "My QA cases" in mine
    assert "My QA cases" not in clients("reviewer").get(f"{SITE}/").get_data(as_text=True)


def test_release_take_and_hand_over_are_recorded(demo, clients, complete_case):
    qa, qa2, admin = clients("qa"), clients("qa2"), clients("admin")
    act(clients("reviewer"), demo, complete_case, "submit")
    act(qa, demo, complete_case, "take")
    # Only the holder releases; then anyone at the level may take it.
    refused = qa2.post(f"{SITE}/cases/{complete_case}/qa/release")
    assert "You do not hold case" in qa2.get(refused.location).get_data(as_text=True)
    taken = qa2.post(f"{SITE}/cases/{complete_case}/qa/take")
    assert "holds this case for QA" in qa2.get(taken.location).get_data(as_text=True)
    assert _holder(demo, complete_case) == "qa"
    qa.post(f"{SITE}/cases/{complete_case}/qa/release")
    assert _holder(demo, complete_case) is None
    qa2.post(f"{SITE}/cases/{complete_case}/qa/take")
    assert _holder(demo, complete_case) == "qa2"
    # A state administrator hands the work to another QA person of the level.
    form = admin.get(f"{SITE}/cases/{complete_case}/qa/hand-over").get_data(as_text=True)
    assert "Quinn Quality" in form and "Quincy Quality" in form and "Riley" not in form
    handed = admin.post(
        f"{SITE}/cases/{complete_case}/qa/hand-over",
        data={"to_user": str(_user_id(demo, "qa"))},
    )
    assert handed.status_code == 302
    assert _holder(demo, complete_case) == "qa"
    actions = _actions(demo, complete_case)
    assert actions.count("qa.take") == 1 and "qa.release" in actions and "qa.hand_over" in actions


def test_a_level_2_case_is_handed_only_to_level_2_staff(demo, clients, complete_case):
    admin = clients("admin")
    act(clients("reviewer"), demo, complete_case, "submit")
    act(clients("qa"), demo, complete_case, "take")
    act(clients("qa"), demo, complete_case, "to_level2")
    form = admin.get(f"{SITE}/cases/{complete_case}/qa/hand-over").get_data(as_text=True)
    assert "Quincy Quality" in form and "Quinn Quality" not in form
    refused = admin.post(
        f"{SITE}/cases/{complete_case}/qa/hand-over",
        data={"to_user": str(_user_id(demo, "qa"))},
    )
    assert refused.status_code == 422
    assert "Choose a QA person of this case" in refused.get_data(as_text=True)
    assert _holder(demo, complete_case) is None
    # Level 1 staff cannot take it either.
    taken = clients("qa").post(f"{SITE}/cases/{complete_case}/qa/take")
    assert "Only QA level 2 staff" in clients("qa").get(taken.location).get_data(as_text=True)
    assert _holder(demo, complete_case) is None


def test_an_override_on_a_held_case_is_the_holders(demo, clients, complete_case):
    act(clients("reviewer"), demo, complete_case, "submit")
    act(clients("qa"), demo, complete_case, "take")
    response = clients("qa2").post(
        f"{SITE}/cases/{complete_case}/items/14/override",
        data={"rating": "ani", "reason": "The visits were rare."},
    )
    page = clients("qa2").get(response.location).get_data(as_text=True)
    assert "Quinn Quality holds this case for QA" in page


def test_a_case_not_in_qa_has_nothing_to_take_or_hand_over(demo, clients, complete_case):
    page = clients("admin").get(f"{SITE}/cases/{complete_case}/qa/hand-over")
    assert page.status_code == 200 and "not in QA" in page.get_data(as_text=True)
    taken = clients("qa").post(f"{SITE}/cases/{complete_case}/qa/take")
    assert "not in QA" in clients("qa").get(taken.location).get_data(as_text=True)
    assert _holder(demo, complete_case) is None


def _row(page: str, number: str) -> str:
    row = page[page.index(f">{number}<") :]
    return row[: row.index("</tr>")]


def test_qa_takes_and_releases_a_case_from_the_queue_and_comes_back_to_it(
    demo, clients, complete_case
):
    number = _number(demo, complete_case)
    qa, qa2 = clients("qa"), clients("qa2")
    act(clients("reviewer"), demo, complete_case, "submit")
    # Waiting for QA level 1: taking it starts QA level 1 with the taker holding it.
    row = _row(qa.get(f"{SITE}/qa").get_data(as_text=True), number)
    assert f'Take<span class="usa-sr-only"> case {number}</span>' in row
    inbox = _row(qa.get(f"{SITE}/inbox").get_data(as_text=True), number)
    assert 'name="back" value="inbox"' in inbox and "Take<" in inbox
    _, version = status_of(demo, complete_case)
    taken = qa.post(
        f"{SITE}/cases/{complete_case}/status",
        data={"action": "take", "status_version": str(version), "back": "queues"},
    )
    assert taken.location.endswith(f"{SITE}/qa")
    page = qa.get(taken.location).get_data(as_text=True)
    assert f"You started QA level 1 on case {number}." in page
    # The same button pressed on a queue page left open elsewhere: refused, on the queue.
    again = qa2.post(
        f"{SITE}/cases/{complete_case}/status",
        data={"action": "take", "status_version": str(version), "back": "queues"},
    )
    assert again.location.endswith(f"{SITE}/qa")
    refused = qa2.get(again.location).get_data(as_text=True)
    assert 'role="alert"' in refused and "You started QA" not in refused
    assert _holder(demo, complete_case) == "qa"
    # Held: its holder is shown; only the holder is offered Release, nobody Take.
    row = _row(page, number)
    assert "Quinn Quality" in row and f'Release<span class="usa-sr-only"> case {number}' in row
    other = _row(qa2.get(f"{SITE}/qa").get_data(as_text=True), number)
    assert "Quinn Quality" in other and "Take<" not in other and "Release<" not in other
    released = qa.post(f"{SITE}/cases/{complete_case}/qa/release", data={"back": "queues"})
    assert released.location.endswith(f"{SITE}/qa")
    page = qa.get(released.location).get_data(as_text=True)
    assert f"Case {number} is back in the QA queue" in page
    # Unheld in QA level 1: Take holds it, back on the queue.
    assert f'Take<span class="usa-sr-only"> case {number}</span>' in _row(page, number)
    taken = qa2.post(f"{SITE}/cases/{complete_case}/qa/take", data={"back": "queues"})
    assert taken.location.endswith(f"{SITE}/qa")
    assert f"You hold case {number} for QA now." in qa2.get(taken.location).get_data(as_text=True)
    assert _holder(demo, complete_case) == "qa2"
    # Refused (someone holds it already): said on the queue, nothing changes.
    refused = qa.post(f"{SITE}/cases/{complete_case}/qa/take", data={"back": "queues"})
    assert "Quincy Quality holds this case" in qa.get(refused.location).get_data(as_text=True)
    assert _holder(demo, complete_case) == "qa2"
    # An address of one's own choosing is not followed: the case page it is.
    elsewhere = qa2.post(
        f"{SITE}/cases/{complete_case}/qa/release", data={"back": "https://example.org/"}
    )
    assert elsewhere.location.endswith(f"/cases/{complete_case}#qa-hold")


def test_observers_and_administrators_see_holders_but_no_take_or_release(
    demo, clients, complete_case
):
    number = _number(demo, complete_case)
    act(clients("reviewer"), demo, complete_case, "submit")
    for name in ("observer", "admin"):
        row = _row(clients(name).get(f"{SITE}/qa").get_data(as_text=True), number)
        assert "<form" not in row and "<button" not in row
    act(clients("qa"), demo, complete_case, "take")
    for name in ("observer", "admin"):
        row = _row(clients(name).get(f"{SITE}/qa").get_data(as_text=True), number)
        assert "Quinn Quality" in row and "<button" not in row
