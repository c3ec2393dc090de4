"""The progress board: cases per status, waiting times, open comments, who holds what."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from review_app.accounts.models import User
from review_app.cases.models import Case
from review_app.cases.operations import create_case
from review_app.cases.states import CaseStatus
from review_app.core.models import utcnow
from review_app.core.scope import WHOLE_SITE, Scope, acting_in
from review_app.demo.cases import case_facts
from review_app.extensions import db
from review_app.leaders.queries import board
from review_app.periods.models import ReviewPeriod
from review_app.qa.models import Comment, Thread
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.leaders.conftest import SITE, local_site_id

# (local site, status, days waited, QA holder): the cases the board is read over.
WAITING = [
    ("Adams County", CaseStatus.SUBMITTED, 2, None),
    ("Adams County", CaseStatus.SUBMITTED, 5, None),
    ("Adams County", CaseStatus.SUBMITTED, 11, None),
    ("Adams County", CaseStatus.QA1, 1, "leader"),
    ("Adams County", CaseStatus.QA1, 3, "qa"),
    ("Adams County", CaseStatus.QA1, 7, "qa"),
    ("Adams County", CaseStatus.QA1, 9, None),
    ("Clark County", CaseStatus.SUBMITTED, 20, None),
]


@pytest.fixture
def waiting(demo, both_regions):
    """Add the WAITING cases (assigned to reviewer2) and open threads on two of them."""
    with demo.app_context():
        site = site_by_slug("demo", "cqi")
        period = db.session.scalar(
            select(ReviewPeriod).where(ReviewPeriod.site_id == site.id).order_by(ReviewPeriod.id)
        )
        people = {u.username: u for u in db.session.scalars(select(User))}
        locals_ = {
            local.name: local
            for local in db.session.scalars(select(LocalSite).where(LocalSite.site_id == site.id))
        }
        now, numbers = utcnow(), []
        for index, (name, status, days, holder) in enumerate(WAITING):
            facts = case_facts(period, 50 + index, [people["reviewer2"]])
            facts = replace(facts, case_number=f"W-{index + 1}", local_site=locals_[name])
            case = create_case(None, period, facts)
            db.session.execute(
                update(Case)
                .where(Case.id == case.id)
                .values(
                    status=status,
                    status_changed_at=now - timedelta(days=days, hours=1),
                    qa_holder_id=people[holder].id if holder else None,
                )
            )
            numbers.append(case.id)
        qa = people["qa"]
        for case_id, is_open in (
            (numbers[3], True),
            (numbers[3], True),
            (numbers[3], False),
            (numbers[4], True),
            (numbers[7], True),
        ):
            thread = Thread(
                case_id=case_id,
                item_id="1",
                created_by_id=qa.id,
                case_status="qa1",
                is_open=is_open,
            )
            thread.comments.append(Comment(author_id=qa.id, body="A question."))
            db.session.add(thread)
        db.session.commit()
        return numbers


def _board(demo, scope: Scope, period_id=None):
    with demo.test_request_context(), acting_in(scope):
        return board(site_by_slug("demo", "cqi"), period_id)


def test_the_figures_are_computed_in_the_database(demo, waiting):
    adams, clark = local_site_id(demo, "Adams County"), local_site_id(demo, "Clark County")
    found = _board(demo, Scope(frozenset({adams}), "Adams County"))
    assert [ls.name for ls in found.local_sites] == ["Adams County"]
    assert found.by_status == {
        adams: {
            CaseStatus.IN_PROGRESS: 1,
            CaseStatus.SUBMITTED: 3,
            CaseStatus.QA1: 4,
            CaseStatus.FINALIZED: 2,
        }
    }
    submitted, in_qa = (
        found.waits[(adams, CaseStatus.SUBMITTED)],
        found.waits[(adams, CaseStatus.QA1)],
    )
    assert (submitted.cases, round(submitted.oldest), round(submitted.median)) == (3, 11, 5)
    # An even count: the median is the mean of the two middle waits (3 and 7 days).
    assert (in_qa.cases, round(in_qa.oldest), round(in_qa.median)) == (4, 9, 5)
    assert (clark, CaseStatus.SUBMITTED) not in found.waits
    assert found.thread_totals == {adams: (2, 3)}
    assert [(t.case_number, t.open_threads) for t in found.thread_cases] == [("W-4", 2), ("W-5", 1)]
    reviewers = {(h.name, h.local_site_id): (h.first, h.second) for h in found.reviewers}
    assert reviewers == {("Riley Reviewer", adams): (1, 0), ("Robin Reviewer", adams): (0, 7)}
    holders = {(h.name, h.local_site_id): (h.first, h.second) for h in found.holders}
    assert holders == {("Lee Leader", adams): (1, 0), ("Quinn Quality", adams): (2, 0)}
    # The whole site has the Clark County case too.
    everything = _board(demo, WHOLE_SITE)
    assert everything.waits[(clark, CaseStatus.SUBMITTED)].cases == 1
    assert everything.thread_totals[clark] == (1, 1)


def test_the_leader_reads_the_board_of_their_local_site(demo, waiting, clients):
    page = clients("leader").get(f"{SITE}/cases/progress").get_data(as_text=True)
    assert "<h1>Progress board</h1>" in page and "Adams County" in page
    for absent in ("Clark County", "Baker County", "W-8"):
        assert absent not in page
    assert "W-4" in page and "Lee Leader" in page and "Robin Reviewer" in page
    assert "<caption>" in page and 'scope="col"' in page
    # Each count links to the case list it counts.
    adams = local_site_id(demo, "Adams County")
    link = re.search(r'<a href="([^"]+)" aria-label="3 submitted for qa, Adams County">3</a>', page)
    assert link and f"local_site={adams}" in link.group(1) and "status=submitted" in link.group(1)
    listed = clients("leader").get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "W-1" in listed and "W-2" in listed and "W-3" in listed and "W-4" not in listed


def test_administrators_and_observers_read_the_whole_site(demo, waiting, clients):
    for who in ("admin", "observer"):
        page = clients(who).get(f"{SITE}/cases/progress").get_data(as_text=True)
        assert "Clark County" in page and "W-8" in page and "All local sites" in page
    for who in ("qa", "qa_north", "reviewer"):
        assert clients(who).get(f"{SITE}/cases/progress").status_code == 403


def test_a_period_narrows_the_board_and_a_bad_one_is_ignored(demo, waiting, clients):
    leader = clients("leader")
    assert leader.get(f"{SITE}/cases/progress?period=999999").status_code == 200
    assert leader.get(f"{SITE}/cases/progress?period=abc").status_code == 200
    with demo.app_context():
        other = db.session.scalar(
            select(ReviewPeriod.id)
            .where(ReviewPeriod.site_id == site_by_slug("demo", "cqi").id)
            .order_by(ReviewPeriod.id.desc())
        )
    page = leader.get(f"{SITE}/cases/progress?period={other}").get_data(as_text=True)
    assert "in one review period" in page


def test_a_one_level_site_has_no_level_2_row(demo, waiting, clients):
    page = clients("leader").get(f"{SITE}/cases/progress").get_data(as_text=True)
    assert "In QA, level 1" in page and "In QA, level 2" not in page
    cfsr = clients("admin").get("/demo/cfsr/cases/progress").get_data(as_text=True)
    assert "In QA, level 2" in cfsr
