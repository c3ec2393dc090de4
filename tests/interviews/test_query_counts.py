"""Interview and systemic factor pages issue the same number of SQL statements however
many interviews, notes and ratings they show."""

import pytest
from sqlalchemy import select

from review_app.extensions import db
from review_app.interviews.models import Interview
from review_app.systemic.models import SystemicRating
from tests.conftest import login
from tests.core.test_query_counts import counted
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


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("admin", "/interviews"),
        ("reviewer", "/interviews"),
        ("observer", "/systemic/periods/{period}"),
        ("reviewer2", "/systemic/periods/{period}/factors/case_review"),
        ("qa", "/systemic/periods/{period}/items/20"),
    ],
)
def test_page_query_count_does_not_grow_with_interviews(demo, who, path):
    _grow(demo, 2)
    with demo.app_context():
        url = SITE + path.format(period=period_of().id)
    client = demo.test_client()
    login(client, who)
    client.get(url)  # warm up what is cached per process
    with counted(demo) as small:
        assert client.get(url).status_code == 200
    _grow(demo, 20)
    with counted(demo) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), "\n".join(large)
    assert len(small) <= 15
