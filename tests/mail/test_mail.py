"""Email goes out over real SMTP when the change it tells of commits, and never if undone."""

import pytest

from review_app.core.unit import command_unit
from review_app.extensions import db
from review_app.mail.operations import send_mail
from tests.smtpserver import html_of, text_of


def _send(app, **overrides):
    values = {
        "to": ["person@example.org"],
        "subject": "A test",
        "template": "test_message",
        "site_name": "Demo State CQI",
        "body": "Hello & welcome",
    }
    values.update(overrides)
    with app.app_context(), command_unit():
        send_mail(**values)
        db.session.info["unit_wrote"] = True


@pytest.fixture
def with_template(app, tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "test_message.txt").write_text(
        '{% extends "mail/_layout.txt" %}{% block body %}{{ body }}{% endblock %}'
    )
    (folder / "test_message.html").write_text(
        '{% extends "mail/_layout.html" %}{% block body %}<p>{{ body }}</p>{% endblock %}'
    )
    from jinja2 import ChoiceLoader, FileSystemLoader

    before = app.jinja_loader
    app.jinja_env.loader = ChoiceLoader([FileSystemLoader(str(tmp_path)), before])
    yield app
    app.jinja_env.loader = before


def test_a_message_has_a_text_and_an_html_part_and_names_the_site(with_template, mailbox):
    _send(with_template)
    assert len(mailbox) == 1
    message = mailbox[0]
    assert message["Subject"] == "[Demo State CQI] A test"
    assert message["To"] == "person@example.org"
    assert "Hello & welcome" in text_of(message)
    assert "<p>Hello &amp; welcome</p>" in html_of(message)  # escaped in HTML, not in text


def test_nothing_is_sent_when_the_change_is_undone(with_template, mailbox):
    with pytest.raises(RuntimeError), with_template.app_context(), command_unit():
        send_mail(["person@example.org"], "A test", "test_message", body="x")
        raise RuntimeError("the operation failed after queueing its message")
    assert mailbox == []


def test_no_recipient_sends_nothing(with_template, mailbox):
    _send(with_template, to=["", None])
    assert mailbox == []


def test_a_message_the_smtp_server_refuses_is_queued_again_and_the_change_stands(
    with_template, mailbox
):
    from review_app.core.queue import huey
    from tests.smtpserver import free_port

    mailer_state = with_template.extensions["mailman"]
    port, mailer_state.port = mailer_state.port, free_port()  # nothing listens there
    try:
        huey.storage.flush_schedule()
        _send(with_template)  # the change commits; delivery fails
        retries = huey.scheduled()
        assert [task.name for task in retries] == ["deliver"]
        assert retries[0].retries == 11  # one of its twelve tries used
    finally:
        mailer_state.port = port
    assert mailbox == []
    huey.storage.flush_schedule()


def test_a_message_the_queue_cannot_take_is_sent_at_once(with_template, mailbox, monkeypatch):
    from review_app.core.queue import huey

    def queue_away(task):
        raise ConnectionError("Error 111 connecting to the queue")

    monkeypatch.setattr(huey, "enqueue", queue_away)
    _send(with_template)
    assert [m["Subject"] for m in mailbox] == ["[Demo State CQI] A test"]
