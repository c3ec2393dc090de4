"""QA pages and actions: status changes, comments, overrides, queues, inbox, history."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from review_app.accounts.queries import names_by_username
from review_app.audit.models import AuditEntry
from review_app.cases import workflow
from review_app.cases.loaders import load_case
from review_app.cases.models import Case
from review_app.cases.queries import reviewers
from review_app.cases.states import CaseStatus
from review_app.core.access import site_roles
from review_app.core.errors import OperationError
from review_app.core.once import remember, sent_before
from review_app.core.roles import roles_of
from review_app.core.scope import current_scope
from review_app.core.sitectx import site_blueprint
from review_app.core.views import (
    attempt,
    form_status,
    int_arg,
    page_parts,
    run_operation,
    show_error,
)
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ITEM_LABELS
from review_app.qa import holding_operations, operations, queries, undo_operations
from review_app.qa.forms import (
    CaseloadForm,
    HandOverForm,
    OverrideForm,
    ThreadForm,
    TransitionForm,
)
from review_app.qa.loaders import load_thread
from review_app.qa.replies import reply_from_form, resolve_from_form, run_and_keep
from review_app.qa.signals import inbox_shown

bp = site_blueprint("qa", __name__)


def _back(case, item_id: str | None = None, anchor: str = ""):
    if item_id:
        return redirect(url_for("ratings.item", case_id=case.id, item_id=item_id) + anchor)
    return redirect(url_for("cases.show", case_id=case.id) + anchor)


# Lists a QA action may be taken from and return to (a form's ``back``); never an address.
LISTS = {"queues": "qa.queues", "mine": "qa.mine", "inbox": "qa.inbox"}


def _list_to_return_to() -> str | None:
    """Return the address of the list the form was sent from, or None (the case page)."""
    endpoint = LISTS.get(request.form.get("back", ""))
    return url_for(endpoint) if endpoint else None


def _run(
    case,
    change,
    success: str,
    item_id: str | None = None,
    anchor: str = "",
    then: str | None = None,
):
    """Call one operation and say how it went; go to ``then`` once done, else back.

    A row of a list (Take on a queue) goes back to that list either way.
    """
    if listed := _list_to_return_to():
        run_operation(change, success)
        return redirect(listed)
    back = _back(case, item_id, anchor)
    if run_and_keep(change, success, back.location) and then:
        return redirect(then)
    return back


@bp.route("/cases/<int:case_id>/status", methods=["GET", "POST"])
@site_roles("reviewer", "qa", "state_admin")
def change_status(case_id: int):
    """Change a case's status; consequential actions first show what they will do.

    GET ``?action=...`` and a POST without ``confirmed`` both show the confirmation
    page (nothing changes); its button posts again with ``confirmed=1``.
    """
    case = load_case(case_id)
    if request.method == "GET":
        # A confirmation sent after the session ended comes back from its draft (the
        # action and the reason typed); it is shown again, never carried out by a GET.
        form = TransitionForm(action=request.args.get("action", ""))
        if not form.restored:
            form.status_version.data = case.status_version
    else:
        form = TransitionForm()
        if not form.validate_on_submit():
            flash("The form was incomplete or expired; nothing was done.", "error")
            return _back(case)
    action = form.action.data
    spec = workflow.ACTIONS.get(action)
    if spec is None:
        flash("That action does not exist; nothing was done.", "error")
        return _back(case)
    # A practice copy is scored on submission and can be reset: no need to ask first.
    asks = spec.needs_confirmation and case.key_case_id is None
    if request.method == "GET" or (asks and form.confirmed.data != "1"):
        return _confirm(case, spec, form)

    def change() -> None:
        operations.transition(
            current_user,
            case,
            action,
            reason=form.reason.data or "",
            reason_code=form.reason_code.data or "",
            expected_version=form.status_version.data,
        )

    done = workflow.done_message(action, case.case_number)
    return _run(
        case,
        change,
        done,
        # A practice copy is scored as it is submitted: the trainee sees the score next.
        then=url_for("training.score", case_id=case.id)
        if action == "submit" and case.key_case_id is not None
        else None,
    )


def _confirm(case, spec: workflow.Action, form: TransitionForm):
    """Show what the action will do, with the button that does it; or why it cannot."""
    try:
        operations.check_allowed(current_user, case, spec.name)
    except OperationError as error:
        flash(error.message, "error")
        return _back(case)
    return render_template(
        "qa/confirm.html",
        case=case,
        action=spec,
        form=form,
        effect=workflow.effect(spec.name, case, g.site.settings.qa_levels),
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
    """The case's history, narrowed by item, person and kind of change (GET form)."""
    case = load_case(case_id)
    instrument = get_instrument(case.period.instrument_version)
    people = queries.history_people(case)
    items = [("face", "Face sheet")] + [
        (item_id, f"Item {item.number}: {item.title}") for item_id, item in instrument.items.items()
    ]
    item = request.args.get("item", "")
    kind = request.args.get("kind", "")
    person = int_arg("person")
    only = queries.HistoryFilter(
        item=item if item in dict(items) else None,
        person=person if person in {user.id for user in people} else None,
        kind=kind if kind in queries.HISTORY_KINDS else None,
    )
    changes, events = queries.history(case, only)
    recorded = [
        value
        for event in events
        for field, before, after in event.changes
        if field == "reviewers"
        for value in (before, after)
    ]
    return render_template(
        "qa/history.html",
        case=case,
        changes=changes,
        events=events,
        # The reviewers' usernames a change recorded, named in one statement.
        reviewer_names=names_by_username(
            name for value in recorded if isinstance(value, list) for name in value
        ),
        instrument=instrument,
        item_labels=ITEM_LABELS,
        only=only,
        filtered=only != queries.HistoryFilter(),
        items=items,
        people=people,
        kinds=queries.HISTORY_KINDS,
    )


@bp.route("/qa")
@site_roles("qa", "state_admin", "observer")
def queues():
    levels = g.site.settings.qa_levels
    lanes = [
        ("Waiting for QA level 1", [CaseStatus.SUBMITTED]),
        ("In QA level 1", [CaseStatus.QA1]),
    ]
    if levels == 2:
        lanes.append(("In QA level 2", [CaseStatus.QA2]))
    lanes.append(("Returned to reviewers", [CaseStatus.RETURNED]))
    return render_template(
        "qa/queues.html",
        lanes=[(title, queries.queue(g.site, statuses)) for title, statuses in lanes],
    )


@bp.route("/inbox")
@site_roles("reviewer", "qa")
def inbox():
    waiting = queries.waiting_threads(g.site, current_user)
    cases = queries.cases_by_id({t.case_id for t in waiting if t.case_id is not None})
    returned = queries.returned_to(g.site, current_user)
    instruments = {
        version: get_instrument(version)
        for version in {case.period.instrument_version for case in cases.values()}
    }
    return render_template(
        "qa/inbox.html",
        returned=returned,
        reasons=queries.return_reasons({case.id for case in returned}),
        threads=waiting,
        thread_cases=cases,
        question_labels={
            t.id: instruments[cases[t.case_id].period.instrument_version].question_label(
                t.question_id
            )
            for t in waiting
            if t.question_id and t.case_id is not None
        },
        submitted=(
            queries.queue(g.site, [CaseStatus.SUBMITTED])
            if roles_of(current_user, g.site).qa_rank
            else []
        ),
        # Interviews adds the threads on interviews that wait for the user.
        **page_parts(inbox_shown, g.site, user=current_user),
    )


@bp.route("/cases/<int:case_id>/qa/take", methods=["POST"])
@site_roles("qa")
def take_case(case_id: int):
    case = load_case(case_id)
    return _run(
        case,
        lambda: holding_operations.take(current_user, case),
        f"You hold case {case.case_number} for QA now.",
        anchor="#qa-hold",
    )


@bp.route("/cases/<int:case_id>/qa/release", methods=["POST"])
@site_roles("qa")
def release_case(case_id: int):
    case = load_case(case_id)
    return _run(
        case,
        lambda: holding_operations.release(current_user, case),
        f"Case {case.case_number} is back in the QA queue for anyone to take.",
        anchor="#qa-hold",
    )


@bp.route("/cases/<int:case_id>/qa/hand-over", methods=["GET", "POST"])
@site_roles("state_admin")
def hand_over(case_id: int):
    """A state administrator gives a case's QA work to another QA person of its level."""
    case = load_case(case_id)
    in_qa = case.status in CaseStatus.HELD_BY_QA
    level = holding_operations.level_of(case) if in_qa else 0
    # Only people whose access reaches the case's local site can hold it.
    people = queries.qa_staff(g.site, level, case.local_site_id) if in_qa else []
    form = HandOverForm()
    form.to_user.choices = [SelectChoice(0, "Nobody: back to the queue")] + [
        SelectChoice(u.id, u.display_name) for u in people
    ]
    if in_qa and form.validate_on_submit():
        by_id = {user.id: user for user in people}
        chosen = form.to_user.data
        with attempt(form) as outcome:
            if chosen and chosen not in by_id:
                raise OperationError(
                    f"Choose a QA person of this case's level who works in {case.local_site.name}.",
                    "to_user",
                )
            holding_operations.hand_over(current_user, case, by_id.get(chosen))
        if outcome.ok:
            flash(f"Case {case.case_number}: QA work handed over.", "success")
            return redirect(url_for("cases.show", case_id=case.id, _anchor="qa-hold"))
    elif request.method == "GET" and case.qa_holder_id:
        form.to_user.data = case.qa_holder_id
    return render_template("qa/hand_over.html", case=case, form=form, in_qa=in_qa), form_status(
        form
    )


@bp.route("/cases/<int:case_id>/undo-return", methods=["POST"])
@site_roles("qa")
def undo_return(case_id: int):
    case = load_case(case_id)
    return _run(
        case,
        lambda: undo_operations.undo_return(current_user, case),
        f"The return of case {case.case_number} is undone: it is back in QA with you.",
        anchor="#actions",
    )


@bp.route("/qa/mine")
@site_roles("qa")
def mine():
    return render_template(
        "qa/mine.html",
        cases=queries.held_by(g.site, current_user),
    )


@bp.route("/admin/caseload", methods=["GET", "POST"])
@site_roles("state_admin")
def caseload():
    """Move a reviewer's open cases to another: first list them, then move on confirmation."""
    form = CaseloadForm()
    people = reviewers(g.site)
    by_id = {user.id: user for user in people}
    choices = [SelectChoice(u.id, u.display_name) for u in people]
    form.from_user.choices, form.to_user.choices = choices, choices
    if form.validate_on_submit():
        source, dest = by_id.get(form.from_user.data), by_id.get(form.to_user.data)
        if source is None or dest is None:
            show_error(form, OperationError("Choose two reviewers of this site.", "to_user"))
        elif source.id == dest.id:
            show_error(form, OperationError("Choose two different reviewers.", "to_user"))
        elif form.confirmed.data != "1":
            return render_template(
                "qa/caseload_confirm.html",
                form=form,
                source=source,
                dest=dest,
                cases=queries.caseload_of(g.site, source, current_scope(g.site)),
            )
        else:
            shown = {int(v) for v in request.form.getlist("case") if v.isdigit()}
            with attempt(form) as outcome:
                moved, entry = operations.move_caseload(current_user, g.site, source, dest, shown)
            if outcome.ok:
                flash(
                    f"{len(moved)} case(s) moved from {source.display_name} "
                    f"to {dest.display_name}.",
                    "success",
                )
                return redirect(url_for("qa.caseload_move", entry_id=entry.id))
    return render_template("qa/caseload.html", form=form), form_status(form)


@bp.route("/admin/caseload/moves/<int:entry_id>")
@site_roles("state_admin")
def caseload_move(entry_id: int):
    """The result of a caseload move: the cases moved, and a button to undo it."""
    entry, cases = _load_move(entry_id)
    details = entry.after or {}
    return render_template(
        "qa/caseload_move.html",
        entry=entry,
        cases=cases,
        source=undo_operations.user_of(details.get("from")),
        dest=undo_operations.user_of(details.get("to")),
        undone=undo_operations.undone_by(entry),
        mover=entry.actor,
    )


def _load_move(entry_id: int) -> tuple[AuditEntry, list[Case]]:
    """Load a caseload move of the site and its cases inside the person's scope, or 404.

    A limited administrator sees the cases of their local sites; a move of none of
    them answers as if it did not exist.
    """
    entry = undo_operations.move_entry(g.site, entry_id) or abort(404)
    moved = (entry.after or {}).get("cases") or []
    scope = current_scope(g.site)
    cases = queries.cases_in_order(moved, scope)
    if moved and not cases and not scope.is_whole_site:
        abort(404)
    return entry, cases


@bp.route("/admin/caseload/moves/<int:entry_id>/undo", methods=["POST"])
@site_roles("state_admin")
def undo_move(entry_id: int):
    entry, _ = _load_move(entry_id)
    result: dict = {}

    def change() -> None:
        result["moved"], result["left"] = undo_operations.undo_move(current_user, g.site, entry)

    if run_operation(change, "The move is undone."):
        left = result["left"]
        if left:
            flash(
                f"{len(left)} case(s) stayed where they are because they changed after the "
                "move: " + ", ".join(case.case_number for case in left) + ".",
                "info",
            )
    return redirect(url_for("qa.caseload_move", entry_id=entry_id))
