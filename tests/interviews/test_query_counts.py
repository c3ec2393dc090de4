"""Interview and systemic factor pages issue the same number of SQL statements however
many interviews, notes and ratings they show."""

from sqlalchemy import select

from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.systemic.models import SystemicRating
from tests.conftest import login
from tests.core.test_query_counts import statements_by_page, unbounded
from tests.interviews.conftest import SITE, make_interview, period_of, user


def _grow(app, n: int) -> None:
    """Add n complete interviews, each with three note-takers' notes, all cited by ratings."""
    from review_app.systemic.operations import rate

    for i in range(n):
        make_interview(
            app,
            supporting=("reviewer2",),
            notes={
                "reviewer": {"20": f"Note {i}", "29": "Long waits."},
                "reviewer2": {"20": "Yes"},
            },
            complete=True,
            title=f"Group {i}",
        )
    with app.app_context():
        period = period_of()
        ids = list(db.session.scalars(select(Interview.id).where(Interview.status == "complete")))
        for item in ("20", "21", "29"):
            current = db.session.scalar(
                select(SystemicRating.lock_version).where(
                    SystemicRating.period_id == period.id, SystemicRating.item_id == item
                )
            )
            rate(user("admin"), period, item, "ani", f"Rationale {item}", ids, current or 0)
        db.session.commit()


PAGES = [
    ("admin", "/interviews"),
    ("reviewer", "/interviews"),
    ("observer", "/systemic/periods/{period}"),
    ("reviewer2", "/systemic/periods/{period}/factors/case_review"),
    ("qa", "/systemic/periods/{period}/items/20"),
]


def test_page_query_count_does_not_grow_with_interviews(demo):
    """Each page counted with 2 interviews and again with 22 (made once for all pages)."""
    _grow(demo, 2)
    with demo.app_context():
        period_id = period_of().id
    pages = {}
    for who, path in PAGES:
        client = demo.test_client()
        login(client, who)
        pages[f"{who} {path}"] = (client, SITE + path.format(period=period_id))
    for client, url in pages.values():
        client.get(url)  # warm up what is cached per process
    small = statements_by_page(demo, pages)
    _grow(demo, 20)
    faults = unbounded(small, statements_by_page(demo, pages), limit=15)
    assert not faults, "\n\n".join(faults)
