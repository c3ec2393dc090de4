"""A refused comment keeps its text: it is back in its box on the page, with a notice."""

from review_app.qa.replies import NOT_SAVED
from tests.conftest import login
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
    assert NOT_SAVED in page
    assert COMMENT.replace("'", "&#39;") in page
    # Shown once: the next visit shows an empty box again.
    assert COMMENT.replace("'", "&#39;") not in qa.get(item_page).get_data(as_text=True)


def test_a_refused_button_without_text_keeps_nothing(demo, complete_case):
    qa = demo.test_client()
    login(qa, "qa")
    # QA cannot finalize a case still in progress: refused, but nothing was typed.
    page = act(qa, demo, complete_case, "finalize")
    assert NOT_SAVED not in page
