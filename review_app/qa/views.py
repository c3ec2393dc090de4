"""QA pages and actions: status changes, comments, overrides, queues, inbox, history."""

from collections.abc import Callable

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from review_app.cases.queries import reviewers
from review_app.cases.views import load_case
from review_app.core.access import has_site_role, site_roles
from review_app.core.errors import OperationError
from review_app.core.once import remember, sent_before
from review_app.core.sitectx import site_blueprint
from review_app.core.views import form_status, run_operation, show_error
from review_app.drafts.hooks import keep_refused_form
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ITEM_LABELS
from review_app.interviews import queries as interview_queries
from review_app.qa import operations, queries, workflow
from review_app.qa.forms import CaseloadForm, OverrideForm, ReplyForm, ThreadForm, TransitionForm
from review_app.qa.models import Thread

bp = site_blueprint("qa", __name__)


def _back(case, item_id: str | None = None, anchor: str = ""):
    if item_id:
        return redirect(url_for("ratings.item", case_id=case.id, item_id=item_id) + anchor)
    return redirect(url_for("cases.show", case_id=case.id) + anchor)


# Shown with the text of a refused comment, reply, override or reason, back in its box.
NOT_SAVED = "Nothing was saved; what you wrote is back in the form."


def keep_if_refused(done: bool, page: str) -> bool:
    """After a refused change, keep the text the person wrote to show again on ``page``."""
    if not done:
        keep_refused_form(page, NOT_SAVED)
    return done


def _run(
    case,
    change,
    success: str,
    item_id: str | None = None,
    anchor: str = "",
    then: str | None = None,
):
    """Call one operation and say how it went; go to ``then`` once done, else back."""
    back = _back(case, item_id, anchor)
    if keep_if_refused(run_operation(change, success), back.location) and then:
        return redirect(then)
    return back


# The thread helpers below serve the interview views too.


def load_thread(
    thread_id: int, *, case_id: int | None = None, interview_id: int | None = None
) -> Thread:
    """Load a thread of the case or the interview named, or 404."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or (thread.case_id, thread.interview_id) != (case_id, interview_id):
        abort(404)
    return thread


def reply_from_form(reply: Callable[[str], object], location: str) -> None:
    """Give the posted reply to ``reply``, an operation taking its text; once per form sent."""
    form = ReplyForm()
    form.validate_on_submit()
    if sent_before("This reply was sent twice; it was added once.") is not None:
        return

    def add() -> None:
        reply(form.body.data or "")
        remember(location)

    keep_if_refused(run_operation(add, "Reply added."), location)


def resolve_from_form(set_open: Callable[[bool], object]) -> bool:
    """Give ``set_open`` the posted choice: resolve the thread, or open it again."""
    is_open = request.form.get("open") == "1"  # the app-wide CSRF check covers this form
    return run_operation(
        lambda: set_open(is_open), "Comment reopened." if is_open else "Comment resolved."
    )


@bp.route("/cases/<int:case_id>/status", methods=["POST"])
@site_roles("reviewer", "qa", "state_admin")
def change_status(case_id: int):
    case = load_case(case_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        flash("The form was incomplete or expired; nothing was done.", "error")
        return _back(case)
    action = form.action.data
    return _run(
        case,
        lambda: operations.transition(
            current_user,
            case,
            action,
            reason=form.reason.data or "",
            reason_code=form.reason_code.data or "",
            expected_version=form.status_version.data,
        ),
        workflow.done_message(action, case.case_number),
        # A practice copy is scored as it is submitted: the trainee sees the score next.
        then=url_for("training.score", case_id=case.id)
        if action == "submit" and case.key_case_id is not None
        else None,
    )


@bp.route("/cases/<int:case_id>/items/<item_id>/threads", methods=["POST"])
@site_roles("qa")
def new_thread(case_id: int, item_id: str):
    case = load_case(case_id)
    form = ThreadForm()
    form.validate_on_submit()
    if (earlier := sent_before()) is not None:
        return earlier  # a double click: one thread, and this shows it

    def start() -> None:
        thread = operations.start_thread(
            current_user, case, item_id, form.question_id.data or None, form.body.data or ""
        )
        db.session.flush()
        remember(
            url_for("ratings.item", case_id=case.id, item_id=item_id, _anchor=f"thread-{thread.id}")
        )

    return _run(case, start, "Comment added.", item_id, "#comments")


@bp.route("/cases/<int:case_id>/threads/<int:thread_id>/replies", methods=["POST"])
@site_roles("qa", "reviewer")
def reply(case_id: int, thread_id: int):
    case = load_case(case_id)
    thread = load_thread(thread_id, case_id=case.id)
    back = url_for("ratings.item", case_id=case.id, item_id=thread.item_id)
    reply_from_form(
        lambda body: operations.reply(current_user, case, thread, body),
        f"{back}#thread-{thread.id}",
    )
    return _back(case, thread.item_id, f"#thread-{thread.id}")


@bp.route("/cases/<int:case_id>/threads/<int:thread_id>/resolve", methods=["POST"])
@site_roles("qa")
def resolve(case_id: int, thread_id: int):
    case = load_case(case_id)
    thread = load_thread(thread_id, case_id=case.id)
    resolve_from_form(
        lambda is_open: operations.set_thread_open(current_user, case, thread, is_open)
    )
    return _back(case, thread.item_id, f"#thread-{thread.id}")


@bp.route("/cases/<int:case_id>/items/<item_id>/override", methods=["POST"])
@site_roles("qa")
def override(case_id: int, item_id: str):
    case = load_case(case_id)
    form = OverrideForm()
    form.validate_on_submit()
    return _run(
        case,
        lambda: operations.set_override(
            current_user, case, item_id, form.rating.data or None, form.reason.data or ""
        ),
        "Override saved.",
        item_id,
    )


@bp.route("/cases/<int:case_id>/history")
@site_roles("member")
def history(case_id: int):
    case = load_case(case_id)
    changes, events = queries.history(case)
    instrument = get_instrument(case.period.instrument_version)
    return render_template(
        "qa/history.html",
        case=case,
        changes=changes,
        events=events,
        instrument=instrument,
        item_labels=ITEM_LABELS,
    )


@bp.route("/qa")
@site_roles("qa", "state_admin", "observer")
def queues():
    levels = g.site.settings.qa_levels
    lanes = [("Waiting for QA level 1", ["submitted"]), ("In QA level 1", ["qa1"])]
    if levels == 2:
        lanes.append(("In QA level 2", ["qa2"]))
    lanes.append(("Returned to reviewers", ["returned"]))
    return render_template(
        "qa/queues.html",
        lanes=[(title, queries.queue(g.site, statuses)) for title, statuses in lanes],
    )


@bp.route("/inbox")
@site_roles("reviewer", "qa")
def inbox():
    waiting = queries.waiting_threads(g.site, current_user)
    cases = queries.cases_by_id({t.case_id for t in waiting})
    returned = queries.returned_to(g.site, current_user)
    on_interviews = interview_queries.waiting_threads(g.site, current_user)
    return render_template(
        "qa/inbox.html",
        returned=returned,
        reasons=queries.return_reasons({case.id for case in returned}),
        threads=waiting,
        thread_cases=cases,
        question_labels={
            t.id: get_instrument(cases[t.case_id].period.instrument_version).question_label(
                t.question_id
            )
            for t in waiting
            if t.question_id
        },
        interview_threads=on_interviews,
        thread_interviews=interview_queries.interviews_by_id(
            {t.interview_id for t in on_interviews}
        ),
        submitted=queries.queue(g.site, ["submitted"]) if has_site_role(g.site.id, "qa") else [],
    )


@bp.route("/admin/caseload", methods=["GET", "POST"])
@site_roles("state_admin")
def caseload():
    form = CaseloadForm()
    people = reviewers(g.site)
    by_id = {user.id: user for user in people}
    choices = [SelectChoice(u.id, f"{u.display_name} ({u.username})") for u in people]
    form.from_user.choices, form.to_user.choices = choices, choices
    if form.validate_on_submit():
        source, dest = by_id.get(form.from_user.data), by_id.get(form.to_user.data)
        try:
            if source is None or dest is None:
                raise OperationError("Choose two reviewers of this site.", "to_user")
            moved = operations.move_caseload(current_user, g.site, source, dest)
        except OperationError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(
                f"{len(moved)} case(s) moved from {source.display_name} to {dest.display_name}.",
                "success",
            )
            return redirect(url_for("qa.caseload"))
    return render_template("qa/caseload.html", form=form), form_status(form)
