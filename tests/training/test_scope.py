"""Training pages of people limited to a region: keys, practice copies and progress."""

import pytest

from review_app.cases.models import Case
from review_app.extensions import db
from tests.scoped import limit_to_region, local_site_id
from tests.training.conftest import (
    SITE,
    make_published_key,
    rate_copy,
    start,
    submit,
    user,
    words,
)


@pytest.fixture
def two_keys(demo, clients, key_id) -> dict[str, int]:
    """KEY-T1 in Adams County and KEY-C1 in Clark County, each practised once by "reviewer"."""
    clark_key = make_published_key(demo, "KEY-C1")
    with demo.app_context():
        db.session.get(Case, clark_key).local_site_id = local_site_id(
            demo, "Clark County", "training"
        )
        db.session.commit()
    copies = {}
    for name, key in (("north", key_id), ("south", clark_key)):
        copies[name] = start(clients("reviewer"), key)
        rate_copy(demo, copies[name])
        assert submit(clients("reviewer"), demo, copies[name]).status_code == 302
    clients("reviewer").get(f"{SITE}/practice")  # shows (and so clears) the messages
    return {"north": key_id, "south": clark_key, **{f"{k}_copy": v for k, v in copies.items()}}


def test_progress_counts_the_practice_copies_of_the_region(demo, clients, two_keys):
    row = "Riley Reviewer (reviewer) {} {} {} 100.0% 100.0%"
    assert row.format(2, 2, 2) in words(clients("qa").get(f"{SITE}/progress"))
    limit_to_region(demo, "qa", "training")
    assert row.format(1, 1, 1) in words(clients("qa").get(f"{SITE}/progress"))


def test_a_trainees_page_lists_the_attempts_of_the_region(demo, clients, two_keys):
    with demo.app_context():
        reviewer_id = user("reviewer").id
    url = f"{SITE}/progress/{reviewer_id}"
    whole = words(clients("qa").get(url))
    assert "KEY-T1" in whole and "KEY-C1" in whole
    limit_to_region(demo, "qa", "training")
    limited = words(clients("qa").get(url))
    assert "KEY-T1" in limited and "KEY-C1" not in limited


def test_keys_and_copies_outside_the_region_do_not_exist(demo, clients, two_keys):
    limit_to_region(demo, "reviewer", "training")
    limit_to_region(demo, "admin", "training")
    practice = words(clients("reviewer").get(f"{SITE}/practice"))
    assert "KEY-T1" in practice and "KEY-C1" not in practice
    assert clients("reviewer").post(f"{SITE}/practice/{two_keys['south']}/start").status_code == 404
    south_copy = two_keys["south_copy"]
    assert clients("reviewer").get(f"{SITE}/cases/{south_copy}/score").status_code == 404
    keys = words(clients("admin").get(f"{SITE}/answer-keys"))
    assert "KEY-T1" in keys and "KEY-C1" not in keys
    assert clients("admin").get(f"{SITE}/answer-keys/{two_keys['south']}").status_code == 404
