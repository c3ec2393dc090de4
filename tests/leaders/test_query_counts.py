"""The Site Leader's pages send the same number of statements however many cases they count."""

from dataclasses import replace

from sqlalchemy import select, update

from review_app.accounts.models import User
from review_app.accounts.operations import create_user
from review_app.cases.models import Case
from review_app.cases.operations import create_case
from review_app.cases.states import CaseStatus
from review_app.core.roles import RoleSet
from review_app.demo.cases import case_facts
from review_app.extensions import db
from review_app.members.operations import grant_access
from review_app.periods.models import ReviewPeriod
from review_app.qa.models import Comment, Thread
from review_app.sites.models import LocalSite
from review_app.sites.queries import site_by_slug
from tests.core.test_query_counts import statements_by_page, unbounded
from tests.leaders.conftest import SITE

STATUSES = [CaseStatus.IN_PROGRESS, CaseStatus.SUBMITTED, CaseStatus.QA1, CaseStatus.RETURNED]


def _grow(app, n: int, start: int) -> None:
    """Add n cases in every local site, each with its own reviewer, QA holder and thread."""
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        period = db.session.scalar(
            select(ReviewPeriod).where(ReviewPeriod.site_id == site.id).order_by(ReviewPeriod.id)
        )
        qa = db.session.scalar(select(User).where(User.username == "qa"))
        places = list(db.session.scalars(select(LocalSite).where(LocalSite.site_id == site.id)))
        for i in range(start, start + n):
            user = create_user(None, f"grow{i}", f"Grow {i}", "a-long-password")
            grant_access(None, site, user, RoleSet(is_reviewer=True, qa_level=1))
            for local in places:
                facts = replace(
                    case_facts(period, i, [user]),
                    case_number=f"G-{i}-{local.code}",
                    local_site=local,
                )
                case = create_case(None, period, facts)
                status = STATUSES[i % len(STATUSES)]
                db.session.execute(
                    update(Case)
                    .where(Case.id == case.id)
                    .values(status=status, qa_holder_id=qa.id if status == CaseStatus.QA1 else None)
                )
                thread = Thread(
                    case_id=case.id, item_id="1", created_by_id=qa.id, case_status=status
                )
                thread.comments.append(Comment(author_id=qa.id, body="A question."))
                db.session.add(thread)
        db.session.commit()


def test_the_pages_query_count_does_not_grow_with_cases(demo, both_regions, clients):
    """The board and the assignment page, for a Site Leader and an administrator, counted
    with 4 cases per local site and again with 16 (the cases are made once for all)."""
    pages = {
        f"{who} {page}": (clients(who), SITE + page)
        for who in ("leader", "admin")
        for page in ("/cases/progress", "/cases/assign")
    }
    _grow(demo, 4, 0)
    for client, url in pages.values():
        client.get(url)  # warm up what is cached per process
    small = statements_by_page(demo, pages)
    _grow(demo, 12, 4)
    faults = unbounded(small, statements_by_page(demo, pages), limit=18)
    assert not faults, "\n\n".join(faults)
