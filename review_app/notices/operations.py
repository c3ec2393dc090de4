"""Every change to notices: telling people, marking read, choosing how to be emailed.

``notify`` is the one way in. It adds the notices to the current unit of work, so
a change that is undone tells nobody, and queues an email to each person who
chose "at once" for the site (sent only when the change commits; mail/operations.py).
"""

from collections.abc import Iterable
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import update

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.core.errors import OperationError
from review_app.core.models import utcnow
from review_app.extensions import db
from review_app.mail.links import external_url
from review_app.mail.operations import send_mail
from review_app.notices import queries
from review_app.notices.models import Notice, NoticePreference
from review_app.notices.states import Delivery, NoticeKind
from review_app.sites.models import Site

MAX_MESSAGE = 300


def site_path(site: Site, endpoint: str, **values: Any) -> str:
    """The path of a page of ``site`` (for a notice's link), also outside a request."""
    values = {"jurisdiction": site.jurisdiction.code, "kind": site.kind, **values}
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, **values)


def notify(
    recipients: Iterable[User],
    site: Site,
    kind: NoticeKind,
    message: str,
    link: str,
    *,
    actor: User | None = None,
    local_site_id: int | None = None,
) -> list[Notice]:
    """Tell ``recipients`` about something on ``site``; return the notices made.

    ``message`` says the event in words with the case number, never a child's name
    (e.g. "Case 1234 was returned to you."); ``link`` is the path of the page it is
    about (``site_path(site, "cases.show", case_id=...)``). The actor, people without
    an active membership of the site and deactivated accounts are left out, and so,
    for a notice about one case or interview (``local_site_id``: its local site), are
    people whose access does not reach its local site. Each person who chose "at
    once" for the site is emailed when the change commits.
    """
    wanted = {user.id for user in recipients if actor is None or user.id != actor.id}
    people = queries.members_among(site, wanted, local_site_id)
    if not people:
        return []
    notices = [
        Notice(
            recipient_id=user.id,
            site_id=site.id,
            kind=kind,
            message=message[:MAX_MESSAGE],
            link=link,
        )
        for user in people
    ]
    db.session.add_all(notices)
    db.session.flush()
    how = queries.deliveries(wanted, site)
    for user, notice in zip(people, notices, strict=True):
        if how[user.id] == Delivery.AT_ONCE and user.email:
            send_mail(
                [user.email],
                notice.message,
                "notice",
                site_name=site.label,
                notice=notice,
                kind_label=kind.label,
                url=notice_url(site, notice),
            )
            notice.emailed_at = utcnow()
    return notices


def notice_url(site: Site, notice: Notice) -> str:
    """The full address of the notice: it leads to its page (marking nothing read)."""
    return external_url(
        "notices.open", jurisdiction=site.jurisdiction.code, kind=site.kind, notice_id=notice.id
    )


def mark_read(actor: User, notice: Notice) -> None:
    """Mark one of the person's notices read (its "Open" button does)."""
    if notice.recipient_id != actor.id:
        raise OperationError("This notification is not yours.")
    if notice.read_at is not None:
        return
    notice.read_at = utcnow()
    record(
        actor,
        "notice.read",
        notice,
        f"Notification read: {notice.message}",
        site=db.session.get(Site, notice.site_id),
        before={"read": False},
        after={"read": True},
    )


def mark_all_read(actor: User, site: Site) -> int:
    """Mark every unread notice of the person on the site read; return how many."""
    result = db.session.execute(
        update(Notice)
        .where(Notice.recipient_id == actor.id, Notice.site_id == site.id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        record(
            actor,
            "notice.read_all",
            site,
            f"{count} notification(s) marked read",
            site=site,
            after={"count": count},
        )
    return count


def set_delivery(actor: User, site: Site, delivery: str) -> None:
    """Choose how the person is emailed about the site's notices."""
    try:
        chosen = Delivery(delivery)
    except ValueError:
        raise OperationError("Choose how to be emailed.", "delivery") from None
    preference = db.session.scalar(
        db.select(NoticePreference).where(
            NoticePreference.user_id == actor.id, NoticePreference.site_id == site.id
        )
    )
    before = queries.deliveries([actor.id], site)[actor.id]
    if preference is None:
        preference = NoticePreference(user_id=actor.id, site_id=site.id)
        db.session.add(preference)
    preference.delivery = chosen
    if before != chosen:
        record(
            actor,
            "notice.preferences",
            preference,
            f"Email about notifications: {chosen.label}",
            site=site,
            before={"delivery": before.value},
            after={"delivery": chosen.value},
        )
