"""Training site pages: answer keys, practice cases, scores and trainees' progress."""

from collections import Counter

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.accounts.models import User
from review_app.cases import queries as case_queries
from review_app.cases.loaders import load_case
from review_app.cases.models import Case
from review_app.core.access import site_roles
from review_app.core.errors import FieldErrors, OperationError
from review_app.core.forms import ConfirmForm
from review_app.core.once import remember, sent_before
from review_app.core.scope import current_scope
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, int_arg, run_operation
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ITEM_LABELS
from review_app.members.operations import membership_of
from review_app.ratings import queries as rating_queries
from review_app.ratings.completeness import gaps
from review_app.ratings.operations import item_questions
from review_app.training import key_operations, operations, queries
from review_app.training.forms import (
    ExplanationForm,
    KeyImportForm,
    MakeKeyForm,
    field_name,
    read_explanations,
)
from review_app.training.import_job import start_key_import

bp = site_blueprint("training", __name__)


@bp.before_request
def practice_sites_only():
    """Keys, scores and progress exist on practice sites only; elsewhere the pages do not."""
    if g.get("site") is None or not g.site.settings.is_practice:
        abort(404)


def _load_key(key_id: int) -> Case:
    key = case_queries.case_with_details(key_id)
    if key is None or key.site_id != g.site.id or not key.is_key:
        abort(404)
    if not current_scope(g.site).covers(key.local_site_id):
        abort(404)  # outside the person's local sites: as if it did not exist
    return key


@bp.route("/answer-keys")
@site_roles("state_admin")
def keys():
    return render_template(
        "training/keys.html",
        keys=queries.keys(g.site),
        candidates=queries.key_candidates(g.site),
        counts=queries.copy_counts(g.site),
        form=MakeKeyForm(),
    )


@bp.route("/answer-keys", methods=["POST"])
@site_roles("state_admin")
def make_key():
    form = MakeKeyForm()
    if not form.validate_on_submit():
        flash("Choose a practice case to make an answer key of.", "error")
        return redirect(url_for("training.keys"))
    case = case_queries.case_with_details(form.case_id.data)
    if case is None or case.site_id != g.site.id:
        abort(404)
    if not current_scope(g.site).covers(case.local_site_id):
        abort(404)
    if (earlier := sent_before()) is not None:
        return earlier
    remember(url_for("training.key", key_id=case.id))
    run_operation(
        lambda: key_operations.make_key(current_user, case),
        f"Case {case.case_number} is now an answer key draft: record its answers, then publish it.",
    )
    return redirect(url_for("training.key", key_id=case.id))


@bp.route("/answer-keys/<int:key_id>")
@site_roles("state_admin")
def key(key_id: int):
    key = _load_key(key_id)
    instrument = get_instrument(key.period.instrument_version)
    ratings, rows, reviews = rating_queries.case_ratings(key, instrument)
    return render_template(
        "training/key.html",
        key=key,
        instrument=instrument,
        ratings=ratings,
        reviews=reviews,
        gaps=gaps(instrument, ratings, rows, reviews),
        explained_counts=Counter(item_id for item_id, _question in queries.explanations(key)),
        counts=queries.copy_counts(g.site).get(key.id, (0, 0)),
        item_labels=ITEM_LABELS,
        confirm_form=ConfirmForm(),
    )


@bp.route("/answer-keys/<int:key_id>/items/<item_id>", methods=["GET", "POST"])
@site_roles("state_admin")
def explain(key_id: int, item_id: str):
    key = _load_key(key_id)
    instrument = get_instrument(key.period.instrument_version)
    if item_id not in instrument.items:
        abort(404)
    ratings, rows, reviews = rating_queries.case_ratings(key, instrument)
    explained = queries.explanations(key)
    questions = [
        q
        for q in item_questions(instrument, item_id)
        if q.id in ratings.evaluation.asked or (item_id, q.id) in explained
    ]
    form, errors, status = ExplanationForm(), {}, 200
    texts = {qid: text for (iid, qid), text in explained.items() if iid == item_id}
    if form.draft is not None:  # sent after the session ended: what was typed comes back
        texts = read_explanations(form.draft, [q.id for q in questions])
    if request.method == "POST":
        texts = read_explanations(request.form, [q.id for q in questions])
        with attempt(form) as outcome:
            if not form.validate_on_submit():
                raise OperationError("The form expired. Send it again.")
            key_operations.save_explanations(current_user, key, item_id, texts)
        if isinstance(outcome.error, FieldErrors):
            errors = outcome.error.errors
        status = outcome.status
        if outcome.ok:
            flash(f"Explanations of item {instrument.items[item_id].number} saved.", "success")
            return redirect(url_for("training.key", key_id=key.id) + f"#item-{item_id}")
    return render_template(
        "training/explain.html",
        key=key,
        instrument=instrument,
        item=instrument.items[item_id],
        result=ratings.items[item_id],
        review=reviews.get(item_id),
        questions=questions,
        evaluation=ratings.evaluation,
        rows=rows,
        texts=texts,
        errors=errors,
        form=form,
        field_name=field_name,
        item_labels=ITEM_LABELS,
    ), status


@bp.route("/answer-keys/<int:key_id>/import", methods=["GET", "POST"])
@site_roles("state_admin")
def import_key(key_id: int):
    key = _load_key(key_id)
    form = KeyImportForm()
    if form.validate_on_submit():
        if (earlier := sent_before()) is not None:
            return earlier
        upload = form.file.data
        with attempt(form) as outcome:
            job = start_key_import(current_user, key, upload.filename or "", upload.read())
        if outcome.ok:
            # The import runs as a job; its page follows it and lists any bad row.
            remember(url_for("jobs.show", job_id=job.id))
            return redirect(url_for("jobs.show", job_id=job.id), 303)
    status = 422 if form.errors else 200
    return render_template("training/import.html", form=form, key=key), status


@bp.route("/answer-keys/<int:key_id>/publish", methods=["POST"])
@site_roles("state_admin")
def publish(key_id: int):
    key = _load_key(key_id)
    run_operation(
        lambda: key_operations.publish_key(current_user, key),
        f"Answer key {key.case_number} published: trainees can practise on it.",
    )
    return redirect(url_for("training.key", key_id=key.id))


@bp.route("/answer-keys/<int:key_id>/withdraw", methods=["POST"])
@site_roles("state_admin")
def withdraw(key_id: int):
    key = _load_key(key_id)
    run_operation(
        lambda: key_operations.withdraw_key(current_user, key),
        f"Answer key {key.case_number} withdrawn: change it, then publish it again. "
        "Scores already given are kept.",
    )
    return redirect(url_for("training.key", key_id=key.id))


@bp.route("/practice")
@site_roles("reviewer")
def practice():
    copies = queries.copies_of(g.site, current_user)
    keys = [k for k in queries.keys(g.site) if not k.is_key_draft or k.id in copies]
    return render_template(
        "training/practice.html",
        keys=keys,
        copies=copies,
        records=queries.records_of(g.site, current_user),
        confirm_form=ConfirmForm(),
    )


@bp.route("/practice/<int:key_id>/start", methods=["POST"])
@site_roles("reviewer")
def start(key_id: int):
    key = _load_key(key_id)
    with attempt() as outcome:
        copy, is_new = operations.start_copy(current_user, key)
    if outcome.error is not None:
        flash(outcome.error.message, "error")
        return redirect(url_for("training.practice"))
    if is_new:
        flash(
            f"Your practice case {copy.case_number} is ready: rate it, then submit it.", "success"
        )
    return redirect(url_for("cases.show", case_id=copy.id))


@bp.route("/cases/<int:case_id>/score")
@site_roles("member")
def score(case_id: int):
    case = load_case(case_id)
    if case.key_case_id is None:
        return render_template("training/not_scored.html", case=case), 404
    scores = queries.scores_of_copy(case)
    wanted = int_arg("attempt")
    shown = next((s for s in scores if s.attempt == wanted), scores[-1] if scores else None)
    key = db.session.get_one(Case, case.key_case_id)
    instrument = get_instrument(case.period.instrument_version)
    return render_template(
        "training/score.html",
        case=case,
        key=key,
        scores=scores,
        score=shown,
        instrument=instrument,
        explained=queries.explanations(key) if shown else {},
        item_labels=ITEM_LABELS,
        can_reset=g.site.settings.allow_practice_reset
        and case_queries.is_assigned(case, current_user.id),
        confirm_form=ConfirmForm(),
    )


@bp.route("/cases/<int:case_id>/reset", methods=["POST"])
@site_roles("reviewer")
def reset(case_id: int):
    case = load_case(case_id)
    run_operation(
        lambda: operations.reset_copy(current_user, case),
        f"Practice case {case.case_number} cleared: rate it again and submit it for a new score.",
    )
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/progress")
@site_roles("state_admin", "qa", "observer")
def progress():
    people = case_queries.reviewers(g.site)
    return render_template(
        "training/progress.html",
        rows=queries.progress(g.site, people),
        pass_percent=g.site.settings.practice_pass_percent,
    )


@bp.route("/progress/<int:user_id>")
@site_roles("state_admin", "qa", "observer")
def trainee(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or membership_of(user, g.site) is None:
        abort(404)
    attempts = queries.attempts_of(g.site, user)
    latest = attempts[-1] if attempts else None
    instrument = get_instrument(latest.key.period.instrument_version) if latest else None
    return render_template(
        "training/trainee.html",
        trainee=user,
        attempts=attempts,
        key_match=queries.key_match_by_item(g.site, user, latest.id if latest else None),
        instrument=instrument,
        pass_percent=g.site.settings.practice_pass_percent,
    )
