"""Interview pages: the list, recording and editing, notes, the merge, completion, QA comments."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.core.access import site_roles
from review_app.core.errors import Conflict, FieldErrors, OperationError
from review_app.core.once import remember, sent_before
from review_app.core.roles import roles_of
from review_app.core.scope import current_scope
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, form_status, int_arg, page_number
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.interviews import operations, queries
from review_app.interviews import permissions as can
from review_app.interviews.forms import (
    ActionForm,
    InterviewThreads,
    ThreadForm,
    facts_from,
    interview_form,
    notes_form,
    read_texts,
)
from review_app.interviews.models import STATUS_LABELS, Interview, NoteSet
from review_app.interviews.note_operations import limit, merge, save_notes
from review_app.periods.queries import periods as site_periods
from review_app.qa.loaders import load_thread
from review_app.qa.replies import reply_from_form, resolve_from_form, run_and_keep

bp = site_blueprint("interviews", __name__, "/interviews")
PER_PAGE = 50


def load_interview(interview_id: int) -> Interview:
    """Load an interview of the current site that the user may read, or 404/403."""
    interview = queries.interview_with_details(interview_id)
    if interview is None or interview.site_id != g.site.id:
        abort(404)
    if not current_scope(g.site).covers(interview.local_site_id):
        abort(404)  # outside the person's regions: as if it did not exist
    if not can.can_view(interview, current_user):
        abort(403)
    return interview


def _show(interview: Interview, anchor: str = ""):
    return redirect(url_for("interviews.show", interview_id=interview.id) + anchor)


@bp.route("")
@site_roles("member")
def index():
    roles = roles_of(current_user, g.site)
    status = request.args.get("status", "")
    filters = queries.InterviewFilters(
        period_id=int_arg("period"),
        status=status if status in STATUS_LABELS else "",
        only_for=None if can.reads_all(roles) else current_user.id,
    )
    page = page_number()
    rows, total = queries.interviews(g.site, filters, page, PER_PAGE)
    versions = {row.period.instrument_version for row in rows}
    return render_template(
        "interviews/index.html",
        rows=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        filters=filters,
        periods=site_periods(g.site),
        statuses=STATUS_LABELS,
        instruments={version: get_instrument(version) for version in versions},
        can_add=roles.is_reviewer,
    )


@bp.route("/new", methods=["GET", "POST"])
@site_roles("reviewer")
def new():
    open_periods = [p for p in site_periods(g.site) if p.is_open]
    wanted = [p for p in open_periods if p.id == int_arg("period")]
    period = next(iter(wanted or open_periods), None)
    if period is None:
        return render_template("interviews/form.html", form=None, period=None, interview=None)
    people = queries.people_for(g.site, None)
    form = interview_form(period, None, people, current_user)
    if form.validate_on_submit():
        if (earlier := sent_before()) is not None:
            return earlier
        with attempt(form) as outcome:
            interview = operations.create_interview(
                current_user, period, facts_from(form, period, people)
            )
            db.session.flush()
        if outcome.ok:
            remember(url_for("interviews.show", interview_id=interview.id))
            flash("Interview recorded. Each note-taker can now write their notes.", "success")
            return _show(interview)
    return render_template(
        "interviews/form.html",
        form=form,
        period=period,
        open_periods=open_periods,
        interview=None,
    ), form_status(form)


@bp.route("/<int:interview_id>/edit", methods=["GET", "POST"])
@site_roles("reviewer")
def edit(interview_id: int):
    interview = load_interview(interview_id)
    if not can.may_edit_details(interview, current_user):
        abort(403)
    if request.method == "GET" and (locked := can.why_locked(interview)):
        flash(locked, "info")
        return _show(interview)
    period = interview.period
    people = queries.people_for(g.site, interview)
    form = interview_form(period, interview, people, current_user)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            operations.update_interview(current_user, interview, facts_from(form, period, people))
        if outcome.ok:
            flash("Interview details saved.", "success")
            return _show(interview)
    return render_template(
        "interviews/form.html", form=form, period=period, interview=interview
    ), form_status(form)


@bp.route("/<int:interview_id>")
@site_roles("member")
def show(interview_id: int):
    interview = load_interview(interview_id)
    instrument = get_instrument(interview.period.instrument_version)
    roles, me = roles_of(current_user, g.site), current_user
    threads = queries.threads(interview)
    return render_template(
        "interviews/show.html",
        interview=interview,
        instrument=instrument,
        threads=threads,
        open_threads=[t for t in threads if t.is_open],
        locked=can.why_locked(interview),
        can_edit=can.may_edit_details(interview, me),
        can_write=can.may_write_own_notes(interview, me),
        can_finish=can.may_finish(interview, me),
        thread_target=InterviewThreads(interview, instrument),
        is_qa=bool(roles.qa_rank),
        can_comment=bool(roles.qa_rank),
        can_reply=can.may_reply(interview, me),
    )


def _notes_page(interview: Interview, note_set: NoteSet):
    instrument = get_instrument(interview.period.instrument_version)
    form = notes_form(note_set)
    values, errors, conflict, status = dict(note_set.texts), {}, None, 200
    if form.draft is not None:  # what was typed before the session or the form expired
        values = read_texts(form.draft, instrument)
    if form.is_submitted():
        values = read_texts(request.form, instrument)
        is_done = None if note_set.is_final else bool(form.is_done.data)
        with attempt(form) as outcome:
            if not form.validate():
                raise OperationError("The form was incomplete or expired: save again.")
            save_notes(current_user, interview, note_set, values, form.lock_version.data, is_done)
        error = outcome.error
        if isinstance(error, FieldErrors):
            errors, status = error.errors, 422
        elif isinstance(error, Conflict) and error.theirs is not None:
            conflict, status = error, 409
            # The form now carries the saved version: saving again keeps this text.
            form.lock_version.data, form.lock_version.raw_data = note_set.lock_version, None
        elif error is not None:
            status = 409  # refused as the interview stands now (merged, completed, closed)
        else:
            if note_set.is_final:
                flash("Final notes saved.", "success")
            else:
                done = " You are marked as done writing." if note_set.is_done else ""
                flash("Your notes are saved." + done, "success")
            return redirect(request.path)
    return render_template(
        "interviews/notes.html",
        interview=interview,
        instrument=instrument,
        note_set=note_set,
        form=form,
        values=values,
        errors=errors,
        conflict=conflict,
        locked=can.why_notes_locked(interview, note_set) if status == 200 else None,
        limit=limit(note_set, len(interview.note_takers)),
    ), status


@bp.route("/<int:interview_id>/notes", methods=["GET", "POST"])
@site_roles("reviewer")
def notes(interview_id: int):
    interview = load_interview(interview_id)
    note_set = interview.notes_of(current_user.id)
    if not can.may_write_own_notes(interview, current_user) or note_set is None:
        abort(403)
    return _notes_page(interview, note_set)


@bp.route("/<int:interview_id>/final", methods=["GET", "POST"])
@site_roles("reviewer")
def final(interview_id: int):
    interview = load_interview(interview_id)
    if not can.may_finish(interview, current_user):
        abort(403)
    if interview.final_notes is None:
        flash("Merge the note-takers' notes first; then the final notes can be edited.", "info")
        return _show(interview)
    return _notes_page(interview, interview.final_notes)


def _run(interview: Interview, change, success: str, anchor: str = "", to: str | None = None):
    """Call one operation and say how it went; go to ``to`` once done, else to the interview."""
    back = _show(interview, anchor)
    if run_and_keep(change, success, back.location) and to:
        return redirect(to + anchor)
    return back


@bp.route("/<int:interview_id>/actions", methods=["POST"])
@site_roles("reviewer", "qa")
def act(interview_id: int):
    interview = load_interview(interview_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash("The form was incomplete or expired; nothing was done.", "error")
        return _show(interview)
    version, me = form.status_version.data, current_user
    if form.action.data == "merge":
        return _run(
            interview,
            lambda: merge(me, interview, version),
            "The notes are merged. Read and finish the final notes, then complete the interview.",
            to=url_for("interviews.final", interview_id=interview.id),
        )
    if form.action.data == "complete":
        return _run(
            interview,
            lambda: operations.complete(me, interview, version),
            "The interview is complete.",
        )
    if form.action.data == "return":
        return _run(
            interview,
            lambda: operations.return_to_draft(me, interview, form.reason.data or "", version),
            "The interview is back in draft; its official note-taker can change it again.",
        )
    flash("Unknown action; nothing was done.", "error")
    return _show(interview)


@bp.route("/<int:interview_id>/threads", methods=["POST"])
@site_roles("qa")
def new_thread(interview_id: int):
    interview = load_interview(interview_id)
    form = ThreadForm()
    form.validate_on_submit()
    if (earlier := sent_before()) is not None:
        return earlier

    def start() -> None:
        thread = operations.start_thread(
            current_user, interview, form.item_id.data or "", form.body.data or ""
        )
        db.session.flush()
        remember(
            url_for("interviews.show", interview_id=interview.id, _anchor=f"thread-{thread.id}")
        )

    return _run(interview, start, "Comment added.", "#comments")


@bp.route("/<int:interview_id>/threads/<int:thread_id>/replies", methods=["POST"])
@site_roles("qa", "reviewer")
def reply(interview_id: int, thread_id: int):
    interview = load_interview(interview_id)
    thread = load_thread(thread_id, interview_id=interview.id)
    reply_from_form(
        lambda body: operations.reply(current_user, interview, thread, body),
        url_for("interviews.show", interview_id=interview.id, _anchor=f"thread-{thread.id}"),
    )
    return _show(interview, f"#thread-{thread.id}")


@bp.route("/<int:interview_id>/threads/<int:thread_id>/resolve", methods=["POST"])
@site_roles("qa")
def resolve(interview_id: int, thread_id: int):
    interview = load_interview(interview_id)
    thread = load_thread(thread_id, interview_id=interview.id)
    resolve_from_form(
        lambda is_open: operations.set_thread_open(current_user, interview, thread, is_open)
    )
    return _show(interview, f"#thread-{thread.id}")
