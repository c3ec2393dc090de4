"""The queued delivery of a message; huey tries again when the SMTP server is away."""

from flask_mailman import EmailMultiAlternatives

from review_app.core.queue import task

# An SMTP server away for up to about two hours loses no message.
RETRIES = 12
RETRY_SECONDS = 600


@task(retries=RETRIES, retry_delay=RETRY_SECONDS)
def deliver(to: list[str], subject: str, text: str, html: str, sender: str) -> None:
    """Send one message with a plain and an HTML part; raise (and be retried) on failure."""
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=sender, to=to)
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
