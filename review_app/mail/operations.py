"""Sending email. A message is queued when the change it tells of commits, and a worker
delivers it over SMTP, trying again while the server is away (mail/tasks.py)."""

from collections.abc import Sequence

from flask import current_app, render_template

from review_app.core.unit import after_commit
from review_app.mail.tasks import deliver


def compose(template: str, **context: object) -> tuple[str, str]:
    """Render ``mail/<template>.txt`` and ``.html``: the plain part and the HTML part."""
    return (
        render_template(f"mail/{template}.txt", **context),
        render_template(f"mail/{template}.html", **context),
    )


def subject_line(subject: str, site_name: str | None) -> str:
    """Every subject names the site it is about, so a person on several sites can tell.

    One line: a line break (from an imported name) would make every try to send fail.
    """
    line = f"[{site_name}] {subject}" if site_name else subject
    return " ".join(line.split())[:200]


def send_mail(
    to: Sequence[str], subject: str, template: str, site_name: str | None = None, **context: object
) -> None:
    """Queue a message to ``to`` once the current change commits (never if it is undone).

    The message says no more than its recipient may read on the site: a link, a case
    number, the event. Never a child's name.
    """
    recipients = [address for address in to if address]
    if not recipients:
        return
    text, html = compose(template, site_name=site_name, **context)
    line = subject_line(subject, site_name)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    after_commit(lambda: _hand_over(recipients, line, text, html, sender))


def _hand_over(to: list[str], subject: str, text: str, html: str, sender: str) -> None:
    """Queue the message; with the queue away, send it at once rather than lose it."""
    try:
        deliver(to, subject, text, html, sender)
    except Exception:
        current_app.logger.exception("The job queue did not take a message; sending it now")
        deliver.call_local(to, subject, text, html, sender)
