"""The queue's daily run of reminders and digests (huey's scheduler, in the worker)."""

from huey import crontab

from review_app.core.queue import periodic
from review_app.notices.daily import run_daily


@periodic(crontab(hour="6", minute="0"))
def daily_notices() -> None:
    """Every day at 06:00 UTC: reminders, then each person's digest."""
    run_daily()
