"""The daily run: reminders of cases waiting too long for QA, and one digest a day each."""

from datetime import datetime, time, timedelta

from sqlalchemy import select, update

from review_app.cases.models import Case
from review_app.core.models import utcnow
from review_app.core.unit import command_unit
from review_app.extensions import db
from review_app.notices.daily import remind_waiting, run_daily, send_digests
from review_app.notices.models import DigestSent, Notice
from review_app.notices.operations import notify, set_delivery
from review_app.notices.states import Delivery, NoticeKind
from review_app.qa.operations import transition
from review_app.sites.queries import site_by_slug
from tests.interviews.conftest import user
from tests.notices.conftest import told, who
from tests.smtpserver import html_of, text_of


def _tell(app, username: str, message: str, kind: str = "cqi") -> None:
    with app.app_context(), command_unit():
        site = site_by_slug("demo", kind)
        notify([user(username)], site, NoticeKind.CASE_ASSIGNED, message, "/")


def _run(app, function, **kwargs):
    with app.app_context(), command_unit():
        return function(**kwargs)


def test_a_digest_is_sent_once_a_day_with_the_unread_notices(demo, mailbox):
    _tell(demo, "reviewer", "Case A-1 was assigned to you.")
    _tell(demo, "reviewer", "Case A-2 was assigned to you.")
    assert mailbox == []  # the default is the daily digest
    assert _run(demo, send_digests) == 1
    (message,) = mailbox
    assert message["To"] == "reviewer@demo.example"
    assert message["Subject"] == "[Demo State CQI] 2 new notifications"
    assert "Case A-1" in text_of(message) and "Case A-2" in html_of(message)
    assert "/demo/cqi/notifications/" in text_of(message)
    # A second run the same day sends nothing, even with a new notice meanwhile.
    _tell(demo, "reviewer", "Case A-3 was assigned to you.")
    assert _run(demo, send_digests) == 0
    assert len(mailbox) == 1
    with demo.app_context():
        assert db.session.scalar(select(DigestSent.notice_count)) == 2
    # The next day, the notice not yet emailed goes out.
    tomorrow = datetime.combine(utcnow().date() + timedelta(days=1), time(0, 30))
    assert _run(demo, send_digests, now=tomorrow) == 1
    assert "Case A-3" in text_of(mailbox[1]) and "Case A-1" not in text_of(mailbox[1])


def test_no_digest_of_read_notices_or_for_people_who_chose_never(demo, mailbox):
    _tell(demo, "reviewer", "Case B-1 was assigned to you.")
    _tell(demo, "reviewer2", "Case B-2 was assigned to you.")
    with demo.app_context(), command_unit():
        set_delivery(user("reviewer2"), site_by_slug("demo", "cqi"), Delivery.NEVER.value)
        db.session.execute(update(Notice).values(read_at=utcnow()).where(Notice.id > 0))
    _tell(demo, "reviewer2", "Case B-3 was assigned to you.")
    assert _run(demo, send_digests) == 0
    assert mailbox == []


def test_one_digest_per_site_for_a_person_on_two_sites(demo, mailbox):
    _tell(demo, "reviewer", "Case C-1 was assigned to you.")
    _tell(demo, "reviewer", "Case C-2 was assigned to you.", kind="cfsr")
    assert _run(demo, send_digests) == 2
    assert sorted(m["Subject"] for m in mailbox) == [
        "[Demo State CFSR] 1 new notification",
        "[Demo State CQI] 1 new notification",
    ]


def _submitted_days_ago(app, case_id: int, days: int) -> str:
    with app.app_context(), command_unit():
        case = db.session.get(Case, case_id)
        transition(user("reviewer"), case, "submit")
    with app.app_context(), command_unit():
        db.session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(status_changed_at=utcnow() - timedelta(days=days))
        )
        return db.session.get(Case, case_id).case_number


def test_cases_waiting_too_long_remind_the_queue_staff_once_a_day(demo, complete_case, mailbox):
    number = _submitted_days_ago(demo, complete_case, 6)  # the default is 5 days
    with demo.app_context(), command_unit():
        db.session.execute(update(Notice).values(read_at=utcnow()).where(Notice.id > 0))
    assert _run(demo, remind_waiting) == 1
    assert told(demo, NoticeKind.QA_WAITING) == [
        ("qa", f"1 case has waited more than 5 days in the QA level 1 queue: {number}.")
    ]
    assert _run(demo, remind_waiting) == 0  # the same day: no second reminder
    # The daily run puts the reminder into qa's digest: one message.
    _run(demo, run_daily)
    (message,) = mailbox
    assert message["To"] == "qa@demo.example" and number in text_of(message)


def test_a_case_waiting_less_than_the_setting_reminds_nobody(demo, complete_case):
    _submitted_days_ago(demo, complete_case, 4)
    assert _run(demo, remind_waiting) == 0
    assert who(demo, NoticeKind.QA_WAITING) == []


def test_the_daily_task_is_scheduled_at_six_utc(demo):
    from review_app.notices.tasks import daily_notices

    assert daily_notices.task_class().validate_datetime(datetime(2026, 12, 2, 6, 0))
    assert not daily_notices.task_class().validate_datetime(datetime(2026, 12, 2, 7, 0))


def _cqi_period(app):
    from review_app.periods.models import ReviewPeriod

    with app.app_context():
        site = site_by_slug("demo", "cqi")
        period = db.session.scalar(select(ReviewPeriod).where(ReviewPeriod.site_id == site.id))
        return period.id, period.name, period.pur_end, site.id


def _closing_notices(app, site_id: int) -> list[tuple[str, str]]:
    from review_app.accounts.models import User

    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(User.username, Notice.message)
                .join(User, User.id == Notice.recipient_id)
                .where(Notice.kind == NoticeKind.PERIOD_CLOSING, Notice.site_id == site_id)
                .order_by(User.username)
            )
        ]


def test_a_period_ending_within_a_week_reminds_its_reviewers_and_admins(demo):
    from review_app.notices.daily import remind_closing

    _, name, pur_end, site_id = _cqi_period(demo)
    week_before = datetime.combine(pur_end - timedelta(days=6), time(6, 0))
    assert _run(demo, remind_closing, now=week_before) > 0
    notices = dict(_closing_notices(demo, site_id))
    assert set(notices) <= {"admin", "reviewer", "reviewer2"} and "admin" in notices
    assert notices["admin"].startswith(f"Review period {name} ends on {pur_end.isoformat()} with")
    assert "of your cases not submitted yet" in notices.get("reviewer", "")
    # Once a day: a second run the same day tells nobody again.
    assert _run(demo, remind_closing, now=week_before) == 0
    # Too early, or the period closed: nobody.
    with demo.app_context(), command_unit():
        db.session.execute(update(Notice).values(read_at=utcnow()).where(Notice.id > 0))
    month_before = datetime.combine(pur_end - timedelta(days=30), time(6, 0))
    assert _run(demo, remind_closing, now=month_before) == 0


def test_a_closed_period_reminds_nobody(demo):
    from review_app.notices.daily import remind_closing
    from review_app.periods.models import ReviewPeriod

    period_id, _, pur_end, site_id = _cqi_period(demo)
    with demo.app_context(), command_unit():
        db.session.get(ReviewPeriod, period_id).is_open = False
    _run(demo, remind_closing, now=datetime.combine(pur_end - timedelta(days=2), time(6, 0)))
    assert _closing_notices(demo, site_id) == []


def test_the_days_run_is_taken_once_however_many_schedulers_start_it(demo, complete_case, mailbox):
    _submitted_days_ago(demo, complete_case, 6)
    assert _run(demo, run_daily) is True
    assert _run(demo, run_daily) is False  # a second scheduler, or a second start
    assert len(told(demo, NoticeKind.QA_WAITING)) == 1
    assert len(mailbox) == 1


def test_a_digest_skips_people_no_longer_on_the_site(demo, mailbox):
    from review_app.accounts.operations import set_account_active

    _tell(demo, "reviewer", "Case C-1 was assigned to you.")
    with demo.app_context(), command_unit():
        set_account_active(None, user("reviewer"), False)
    assert _run(demo, send_digests) == 0
    assert mailbox == []


def test_a_notice_left_out_of_a_late_run_goes_in_the_next_digest(demo, mailbox):
    _tell(demo, "reviewer", "Case D-1 was assigned to you.")
    with demo.app_context(), command_unit():  # made more than a day before the next run
        db.session.execute(
            update(Notice).values(created_at=utcnow() - timedelta(hours=30)).where(Notice.id > 0)
        )
    assert _run(demo, send_digests) == 1
    assert "Case D-1" in text_of(mailbox[0])


def test_the_daily_run_can_be_started_from_the_command_line_once_a_day(
    demo, complete_case, mailbox
):
    _submitted_days_ago(demo, complete_case, 6)
    runner = demo.test_cli_runner()
    first = runner.invoke(args=["notices", "daily"])
    assert first.exit_code == 0 and "digests sent" in first.output
    assert [m["To"] for m in mailbox] == ["qa@demo.example"]
    again = runner.invoke(args=["notices", "daily"])
    assert "done already" in again.output and len(mailbox) == 1
