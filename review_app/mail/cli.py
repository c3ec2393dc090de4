"""``flask mailbox``: the messages the local SMTP server of `make run` received."""

import mailbox
from email.message import Message
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def _text_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", "replace")
    return ""


@click.command("mailbox")
@click.option("--last", default=5, show_default=True, help="How many of the newest messages.")
@with_appcontext
def show_mailbox(last: int) -> None:
    """Print the newest messages sent on this machine (development; `make run` keeps them)."""
    folder = Path(current_app.instance_path) / "mail"
    if not folder.exists():
        raise click.ClickException(f"No mail has been received yet ({folder} does not exist).")
    box = mailbox.Maildir(folder, create=False)
    messages = sorted(box, key=lambda message: message.get_date())[-last:]
    if not messages:
        click.echo("The mailbox is empty.")
    for message in messages:
        click.echo(f"To: {message['To']}\nSubject: {message['Subject']}\n\n{_text_of(message)}")
        click.echo("-" * 72)
