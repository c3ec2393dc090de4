"""Reads about review periods."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from review_app.extensions import db
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import Site


def periods(site: Site) -> list[ReviewPeriod]:
    """Return the site's periods, open ones first, newest first, with their local sites."""
    return list(
        db.session.scalars(
            select(ReviewPeriod)
            .where(ReviewPeriod.site_id == site.id)
            .options(selectinload(ReviewPeriod.local_sites))
            .order_by(
                ReviewPeriod.is_open.desc(), ReviewPeriod.pur_end.desc(), ReviewPeriod.id.desc()
            )
        )
    )
