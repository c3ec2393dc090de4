"""Helpers for report tests: finalized CQI cases made through the real operations."""

from datetime import date

import pytest
from sqlalchemy import select

from review_app.accounts.models import User
from review_app.cases.facts import CaseFacts
from review_app.cases.operations import create_case
from review_app.demo.cases import rate_fully
from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.qa.operations import set_override, transition
from review_app.ratings import queries as rating_queries
from review_app.sites.queries import site_by_slug

SITE = "/demo/cqi"
OVERRIDE_REASON = "The interviews contradict the file; rated on the interviews."


def cqi_period_id(app) -> int:
    with app.app_context():
        site = site_by_slug("demo", "cqi")
        return db.session.scalar(
            select(ReviewPeriod.id).where(ReviewPeriod.site_id == site.id).order_by(ReviewPeriod.id)
        )


def _person(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def make_finalized(app, count: int, *, first: int = 1, no_rate: float = 0.3) -> list[int]:
    """Add ``count`` foster care cases to the demo CQI period, rated, overridden once, finalized.

    Each is assigned to "reviewer" alone; QA ("qa") overrides its first rated item.
    """
    ids = []
    with app.app_context():
        period = db.session.get(ReviewPeriod, cqi_period_id(app))
        reviewer, qa = _person("reviewer"), _person("qa")
        for number in range(first, first + count):
            case = create_case(
                None,
                period,
                CaseFacts(
                    f"FIN-{number}",
                    "foster_care",
                    period.local_sites[0],
                    "Z.Z.",
                    pur_start=date(2026, 4, 1) if period.pur_start is None else None,
                    reviewers=[reviewer],
                ),
            )
            rate_fully(reviewer, case, seed=1000 + number, no_rate=no_rate)
            transition(reviewer, case, "submit")
            transition(qa, case, "take")
            reviews = rating_queries.item_reviews(case)
            item_id, review = next(
                (i, r) for i, r in reviews.items() if r.rating in ("strength", "ani")
            )
            flipped = "ani" if review.rating == "strength" else "strength"
            set_override(qa, case, item_id, flipped, OVERRIDE_REASON)
            transition(qa, case, "finalize")
            ids.append(case.id)
        db.session.commit()
    return ids


@pytest.fixture
def finalized(demo):
    """Make finalized cases on demand: ``finalized(3)`` returns three new case ids."""
    made = []

    def make(count: int = 1) -> list[int]:
        ids = make_finalized(demo, count, first=len(made) + 1)
        made.extend(ids)
        return ids

    return make


def make_period_pdf(client, period_id: int, site: str = SITE):
    """Press "Make the PDF" for a period; return the job page's answer and the download's.

    The tests run queued tasks at once (JOBS_IMMEDIATE): the job is done when the press
    is answered. The download is None when the job page offers none.
    """
    started = client.post(f"{site}/reports/periods/{period_id}/finalized-pdf")
    if started.status_code != 303:
        return started, None
    page = client.get(started.location)
    html = page.get_data(as_text=True)
    marker = 'data-job-download href="'
    if marker not in html or "/download" not in html:
        return page, None
    link = html.split(marker, 1)[1].split('"', 1)[0]
    return page, client.get(link)
