"""The daily run: reminders (cases waiting too long for QA, review periods ending within
a week with unfinished cases), then each person's digest.

Run by the worker's scheduler at 06:00 UTC (notices/tasks.py). Reminders are
notices like any other, made once a day at most per person and site: people who
chose "a daily digest" get them in the digest that follows at once, people who
chose "at once" get each as its own message, so nobody gets more than one
reminder email a day per site. The digest is sent at most once a day per person
and site: a second run the same day sends nothing (``notice_digests``).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from review_app.accounts.models import User
from review_app.audit.operations import record
from review_app.cases.models import Assignment, Case
from review_app.cases.states import CaseStatus
from review_app.core.models import utcnow
from review_app.core.scope import Scope
from review_app.extensions import db
from review_app.mail.links import external_url
from review_app.mail.operations import send_mail
from review_app.members.scope_queries import scopes_of
from review_app.notices import queries
from review_app.notices.models import DailyRun, DigestSent, Notice
from review_app.notices.operations import notice_url, notify, site_path
from review_app.notices.states import Delivery, NoticeKind
from review_app.notices.words import case_numbers, cases_count
from review_app.periods.models import ReviewPeriod
from review_app.sites.models import Site

# Periods ending within this many days, with unfinished cases, are reminded of daily.
CLOSING_DAYS = 7
# How far back a digest looks for unread notices not yet emailed.
DIGEST_DAYS = 7


def _day_start(now: datetime) -> datetime:
    return datetime(now.year, now.month, now.day)


def waiting_cases(site: Site, now: datetime) -> dict[int, list[Case]]:
    """Cases nobody holds that have waited in a QA queue longer than the site allows, by level."""
    limit = now - timedelta(days=site.settings.qa_waiting_days)
    cases = db.session.scalars(
        select(Case)
        .where(
            Case.site_id == site.id,
            Case.key_case_id.is_(None),
            Case.is_key.is_(False),
            Case.status.in_([CaseStatus.SUBMITTED, CaseStatus.QA1, CaseStatus.QA2]),
            Case.qa_holder_id.is_(None),
            Case.status_changed_at < limit,
        )
        .order_by(Case.status_changed_at, Case.id)
    )
    by_level: dict[int, list[Case]] = defaultdict(list)
    for case in cases:
        by_level[2 if case.status == CaseStatus.QA2 else 1].append(case)
    return by_level


def _dated(now: datetime, notices: list[Notice]) -> int:
    """Date reminders by the run that made them (the day a second run looks for)."""
    for notice in notices:
        notice.created_at = now
    return len(notices)


def _by_scope(site: Site, people: list[User]) -> list[tuple[Scope, list[User]]]:
    """Group people by the scope of their access to the site (a few statements for all).

    Each group is told of the cases inside its scope: one notice text per group, so
    the notices made do not grow with the cases, and nobody hears of a case outside
    their local sites.
    """
    scopes = scopes_of(site.id, [user.id for user in people])
    groups: dict[Scope, list[User]] = {}
    for user in people:
        if user.id in scopes:
            groups.setdefault(scopes[user.id], []).append(user)
    return list(groups.items())


def _reminded_today(site: Site, kind: NoticeKind, now: datetime) -> set[int]:
    return set(
        db.session.scalars(
            select(Notice.recipient_id).where(
                Notice.site_id == site.id,
                Notice.kind == kind,
                Notice.created_at >= _day_start(now),
                Notice.created_at < _day_start(now) + timedelta(days=1),
            )
        )
    )


def remind_waiting(now: datetime | None = None) -> int:
    """Tell each site's QA staff of the cases waiting too long in their queue; return notices."""
    now = now or utcnow()
    made = 0
    for site in db.session.scalars(select(Site).order_by(Site.id)):
        days = site.settings.qa_waiting_days
        done = _reminded_today(site, NoticeKind.QA_WAITING, now)
        for level, waiting in sorted(waiting_cases(site, now).items()):
            people = [user for user in queries.qa_staff(site, level) if user.id not in done]
            for scope, group in _by_scope(site, people):
                cases = [case for case in waiting if scope.covers(case.local_site_id)]
                if not cases:
                    continue
                numbers = case_numbers([case.case_number for case in cases])
                waited = "has" if len(cases) == 1 else "have"
                made += _dated(
                    now,
                    notify(
                        group,
                        site,
                        NoticeKind.QA_WAITING,
                        f"{cases_count(len(cases))} {waited} waited more than {days} days in "
                        f"the QA level {level} queue: {numbers}.",
                        site_path(site, "qa.queues"),
                    ),
                )
    return made


def _unfinished(period: ReviewPeriod) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .where(
                Case.period_id == period.id,
                Case.key_case_id.is_(None),
                Case.is_key.is_(False),
                Case.status.not_in(list(CaseStatus.CLOSED)),
            )
            .options(selectinload(Case.assignments).selectinload(Assignment.user))
            .order_by(Case.case_number)
        )
    )


def remind_closing(now: datetime | None = None) -> int:
    """Tell of open periods ending within a week that still have unfinished cases.

    A period ends on its ``pur_end``. Each reviewer is told of their own cases they
    can still work on (in progress or returned); the site's administrators of the
    count. Each counts only cases inside their access's scope. Return how many
    notices were made.
    """
    now = now or utcnow()
    today = now.date()
    periods = db.session.scalars(
        select(ReviewPeriod)
        .where(
            ReviewPeriod.is_open.is_(True),
            ReviewPeriod.pur_end >= today,
            ReviewPeriod.pur_end <= today + timedelta(days=CLOSING_DAYS),
        )
        .order_by(ReviewPeriod.site_id, ReviewPeriod.id)
    )
    made = 0
    done: dict[int, set[int]] = {}
    for period in periods:
        site = period.site
        if site.id not in done:
            done[site.id] = _reminded_today(site, NoticeKind.PERIOD_CLOSING, now)
        cases = _unfinished(period)
        if not cases:
            continue
        ends = f"Review period {period.name} ends on {period.pur_end.isoformat()}"
        mine: dict[int, tuple[User, list[Case]]] = {}
        for case in cases:
            if case.status in CaseStatus.EDITABLE:
                for reviewer in case.reviewers:
                    mine.setdefault(reviewer.id, (reviewer, []))[1].append(case)
        scopes = scopes_of(site.id, mine)
        for reviewer, theirs in mine.values():
            scope = scopes.get(reviewer.id)
            numbers = [c.case_number for c in theirs if scope and scope.covers(c.local_site_id)]
            if reviewer.id in done[site.id] or not numbers:
                continue
            made += _dated(
                now,
                notify(
                    [reviewer],
                    site,
                    NoticeKind.PERIOD_CLOSING,
                    f"{ends}: {len(numbers)} of your cases not submitted yet: "
                    f"{case_numbers(numbers)}.",
                    site_path(site, "cases.mine"),
                ),
            )
        admins = [user for user in queries.state_admins(site) if user.id not in done[site.id]]
        for scope, group in _by_scope(site, admins):
            count = sum(1 for case in cases if scope.covers(case.local_site_id))
            if count:
                made += _dated(
                    now,
                    notify(
                        group,
                        site,
                        NoticeKind.PERIOD_CLOSING,
                        f"{ends} with {cases_count(count)} unfinished.",
                        site_path(site, "cases.index"),
                    ),
                )
    return made


def send_digests(now: datetime | None = None) -> int:
    """Email each person, per site, their unread notices not yet emailed (a week at most).

    Return how many digests were sent. People who chose "never" get none; a
    person already sent a digest about the site today gets no second one.
    """
    now = now or utcnow()
    today = now.date()
    groups: dict[tuple[int, int], list[Notice]] = defaultdict(list)
    # Not only the past day: notices of a day the worker was down, or of the hours
    # between a late run and an early one, go in the next digest.
    for notice in queries.digest_notices(now - timedelta(days=DIGEST_DAYS)):
        groups[(notice.site_id, notice.recipient_id)].append(notice)
    sent_by_site: dict[int, int] = defaultdict(int)
    for site_id in sorted({site_id for site_id, _ in groups}):
        site = db.session.get(Site, site_id)
        assert site is not None
        people = [user_id for (s, user_id) in groups if s == site_id]
        how = queries.deliveries(people, site)
        already = _digested(site, today)
        # Only people still active with a role on the site: a removed one is told nothing.
        for user in queries.members_among(site, people):
            if how[user.id] == Delivery.NEVER or user.id in already or not user.email:
                continue
            _send_digest(user, site, groups[(site_id, user.id)], today, now)
            sent_by_site[site_id] += 1
    for site_id, count in sent_by_site.items():
        site = db.session.get(Site, site_id)
        record(
            None,
            "notice.digest",
            site,
            f"Daily digest of notifications emailed to {count} person(s)",
            site=site,
            after={"people": count, "day": today.isoformat()},
        )
    return sum(sent_by_site.values())


def _digested(site: Site, today: date) -> set[int]:
    return set(
        db.session.scalars(
            select(DigestSent.user_id).where(
                DigestSent.site_id == site.id, DigestSent.sent_on == today
            )
        )
    )


def _send_digest(user: User, site: Site, notices: list[Notice], today: date, now: datetime):
    count = len(notices)
    send_mail(
        [user.email],
        f"{count} new notification{'s' if count != 1 else ''}",
        "digest",
        site_name=site.label,
        items=[(notice, notice_url(site, notice)) for notice in notices],
        inbox_url=external_url(
            "notices.index", jurisdiction=site.jurisdiction.code, kind=site.kind
        ),
    )
    for notice in notices:
        notice.emailed_at = now
    db.session.add(DigestSent(user_id=user.id, site_id=site.id, sent_on=today, notice_count=count))


def run_daily(now: datetime | None = None) -> bool:
    """Reminders first, so that they go into the digest sent right after.

    Return False, doing nothing, when the day's run was already taken (a second
    scheduler, or a run again the same day).
    """
    now = now or utcnow()
    if not _take_the_day(now.date()):
        return False
    remind_waiting(now)
    remind_closing(now)
    send_digests(now)
    return True


def _take_the_day(today: date) -> bool:
    """Claim today's run; another run's claim, even one not yet committed, makes this fail."""
    try:
        with db.session.begin_nested():
            db.session.add(DailyRun(run_on=today))
    except IntegrityError:  # PostgreSQL waits for the other run's commit, then clashes
        return False
    return True
