"""Interview forms: the record, the notes, status actions, and QA comments with their targets."""

from dataclasses import dataclass

from flask import url_for
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from review_app.accounts.models import User
from review_app.core.forms import DraftForm, version_field
from review_app.core.scope import scope_of
from review_app.instruments.catalog import get_instrument
from review_app.instruments.model import Instrument
from review_app.interviews.facts import MAX_TITLE, InterviewFacts
from review_app.interviews.models import Interview, NoteSet
from review_app.periods.forms import MultiCheckboxField
from review_app.periods.models import ReviewPeriod
from review_app.qa.models import Thread
from review_app.qa.thread_operations import MAX_COMMENT

NOTE_PREFIX = "note-"


class InterviewForm(DraftForm):
    # Choices are filled in by the view from the period and the site's reviewers.
    held_on = DateField("Date of the interview", validators=[InputRequired()])
    local_site_id = SelectField("Local site", coerce=int, validate_choice=False)
    title = StringField(
        "Setting",
        description="For example “Focus group with foster parents” or “Juvenile court, "
        "Adams County”. Never the names of the people interviewed.",
        validators=[Length(max=MAX_TITLE)],
    )
    stakeholder_types = MultiCheckboxField("Stakeholders present", validate_choice=False)
    interviewer_id = SelectField("Interviewer", coerce=int, validate_choice=False)
    official_note_taker_id = SelectField(
        "Official note-taker",
        description="Merges everyone's notes into the final notes, edits them and marks "
        "the interview complete.",
        coerce=int,
        validate_choice=False,
    )
    supporting_ids = MultiCheckboxField(
        "Supporting note-takers",
        description="Each writes their own notes; leave all unchecked when there is none.",
        coerce=int,
        validate_choice=False,
    )


def interview_form(
    period: ReviewPeriod, interview: Interview | None, people: dict[int, User], user: User
) -> InterviewForm:
    """Return the form with the period's local sites, its stakeholder types and these people.

    It offers only the local sites ``user`` reaches (core/scope.py); the operations refuse
    the others. A new interview names ``user`` interviewer and official note-taker to begin.
    """
    form = InterviewForm(obj=interview)
    scope = scope_of(user, period.site_id)
    form.local_site_id.choices = [
        SelectChoice(local.id, f"{local.name} ({local.code})")
        for local in period.local_sites
        if scope.covers(local.id)
    ]
    instrument = get_instrument(period.instrument_version)
    form.stakeholder_types.choices = list(instrument.stakeholder_types.items())
    choices = [SelectChoice(u.id, f"{u.display_name} ({u.username})") for u in people.values()]
    form.interviewer_id.choices = form.official_note_taker_id.choices = choices
    form.supporting_ids.choices = choices
    if not form.is_submitted() and not form.restored:
        if interview is None:
            form.interviewer_id.data = form.official_note_taker_id.data = user.id
        else:
            form.supporting_ids.data = [u.id for u in interview.supporting_note_takers]
    return form


def facts_from(
    form: InterviewForm, period: ReviewPeriod, people: dict[int, User]
) -> InterviewFacts:
    """Look up what the form names; anything not offered becomes None (and is refused)."""
    local = next((ls for ls in period.local_sites if ls.id == form.local_site_id.data), None)
    return InterviewFacts(
        held_on=form.held_on.data,
        local_site=local,
        title=form.title.data or "",
        stakeholder_types=list(form.stakeholder_types.data or []),
        interviewer=people.get(form.interviewer_id.data),
        official_note_taker=people.get(form.official_note_taker_id.data),
        supporting=[people[i] for i in form.supporting_ids.data or [] if i in people],
    )


class NotesForm(DraftForm):
    """The fixed part of a notes form; one text per systemic item is read by ``read_texts``."""

    lock_version = version_field()
    is_done = BooleanField("I have finished writing my notes")


def notes_form(note_set: NoteSet) -> NotesForm:
    """Return the notes form; until it is sent, it holds the saved version and done mark."""
    form = NotesForm()
    if not form.is_submitted() and not form.restored:
        form.lock_version.data, form.is_done.data = note_set.lock_version, note_set.is_done
    return form


def read_texts(form: MultiDict, instrument: Instrument) -> dict[str, str]:
    """Return the text typed for each systemic item of the instrument."""
    return {
        item_id: form.get(f"{NOTE_PREFIX}{item_id}", "") for item_id in instrument.systemic_items
    }


class ActionForm(DraftForm):
    action = HiddenField(validators=[DataRequired()])
    status_version = version_field()
    reason = TextAreaField("Reason", validators=[Length(max=1000)])


class ThreadForm(DraftForm):
    item_id = SelectField("About", validate_choice=False)
    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=MAX_COMMENT)])


@dataclass
class InterviewThreads:
    """What ``qa/_threads.html`` needs to show an interview's threads (cases use defaults)."""

    interview: Interview
    instrument: Instrument
    whole: str = "interview"
    closed: bool = False

    def label(self, thread: Thread) -> str:
        return self.instrument.systemic_label(thread.item_id)

    def anchor(self, thread: Thread) -> str:
        return f"item-{thread.item_id}"

    def reply_url(self, thread: Thread) -> str:
        return url_for("interviews.reply", interview_id=self.interview.id, thread_id=thread.id)

    def resolve_url(self, thread: Thread) -> str:
        return url_for("interviews.resolve", interview_id=self.interview.id, thread_id=thread.id)

    @property
    def new_url(self) -> str:
        return url_for("interviews.new_thread", interview_id=self.interview.id)

    @property
    def about(self) -> list[tuple[str, str]]:
        return [(i, self.instrument.systemic_label(i)) for i in self.instrument.systemic_items]
