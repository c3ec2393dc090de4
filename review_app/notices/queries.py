"""Reads of notices: a person's list and unread count, preferences, and who to tell."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select

from review_app.accounts.models import User
from review_app.extensions import db
from review_app.members.models import Membership
from review_app.members.queries import active_people
from review_app.members.scope_queries import reaching
from review_app.notices.models import Notice, NoticePreference
from review_app.notices.states import DEFAULT_DELIVERY, Delivery
from review_app.sites.models import Site

PAGE_SIZE = 50


def unread_count(user_id: int, site_id: int) -> int:
    """How many of the person's notices on the site are unread: one statement."""
    return (
        db.session.scalar(
            select(func.count(Notice.id)).where(
                Notice.recipient_id == user_id, Notice.site_id == site_id, Notice.read_at.is_(None)
            )
        )
        or 0
    )


def notices_of(user: User, site: Site, page: int = 1) -> tuple[list[Notice], int]:
    """One page of the person's notices on the site, unread first, and how many there are."""
    mine = (Notice.recipient_id == user.id, Notice.site_id == site.id)
    total = db.session.scalar(select(func.count(Notice.id)).where(*mine)) or 0
    notices = list(
        db.session.scalars(
            select(Notice)
            .where(*mine)
            .order_by(Notice.read_at.is_not(None), Notice.created_at.desc(), Notice.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    return notices, total


def notice_of(user: User, site: Site, notice_id: int) -> Notice | None:
    """The person's own notice on the site, or None (another's, another site's, or none)."""
    return db.session.scalar(
        select(Notice).where(
            Notice.id == notice_id, Notice.recipient_id == user.id, Notice.site_id == site.id
        )
    )


def deliveries(user_ids: Iterable[int], site: Site) -> dict[int, Delivery]:
    """Each person's chosen way of being emailed about the site (the default if none)."""
    ids = set(user_ids)
    chosen = dict(
        db.session.execute(
            select(NoticePreference.user_id, NoticePreference.delivery).where(
                NoticePreference.site_id == site.id, NoticePreference.user_id.in_(ids)
            )
        ).all()
    )
    return {user_id: chosen.get(user_id, DEFAULT_DELIVERY) for user_id in ids}


def members_among(
    site: Site, user_ids: Iterable[int], local_site_id: int | None = None
) -> list[User]:
    """The active people of ``user_ids`` who hold an active membership on the site.

    With ``local_site_id``, only those whose access reaches that local site.
    """
    ids = set(user_ids)
    return active_people(site, User.id.in_(ids), *reaching(local_site_id)) if ids else []


def qa_staff(site: Site, level: int, local_site_id: int | None = None) -> list[User]:
    """The people who work the site's QA queue of ``level``.

    On a site of one QA level every QA person works it; on a two-level site, level 1
    staff the first queue (with the Site Leaders) and level 2 staff the second. With
    ``local_site_id``, only those whose access reaches that local site.
    """
    one_level = site.settings.qa_levels == 1
    works = Membership.qa_level.is_not(None) if one_level else Membership.qa_level == level
    if one_level or level == 1:
        works = or_(works, Membership.is_site_leader)  # Site Leaders do first-level QA
    return active_people(site, works, *reaching(local_site_id))


def state_admins(site: Site) -> list[User]:
    """The site's active state administrators."""
    return active_people(site, Membership.is_state_admin.is_(True))


def digest_notices(since: datetime) -> list[Notice]:
    """Every unread notice not yet emailed, made since ``since``, by site and person."""
    return list(
        db.session.scalars(
            select(Notice)
            .where(
                Notice.read_at.is_(None),
                Notice.emailed_at.is_(None),
                Notice.created_at >= since,
            )
            .order_by(Notice.site_id, Notice.recipient_id, Notice.created_at, Notice.id)
        )
    )
