"""Rating pages: the face sheet and each item of a case, and submitting the case."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.cases import operations as case_operations
from review_app.cases.permissions import can_rate, why_not_rate
from review_app.cases.views import load_case
from review_app.core.access import site_roles
from review_app.core.errors import OperationError
from review_app.core.forms import ConfirmForm
from review_app.core.sitectx import site_blueprint
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ITEM_LABELS, rate_case
from review_app.ratings import operations, queries
from review_app.ratings.completeness import gaps
from review_app.ratings.forms import ItemForm, read_answers
from review_app.ratings.models import FACE_SHEET

bp = site_blueprint("ratings", __name__, "/cases/<int:case_id>")


def _page(case, instrument, item_id, form, *, values=None, errors=None, conflict=None, status=200):
    rows = queries.answers(case)
    reviews = queries.item_reviews(case)
    ratings = rate_case(instrument, case.case_type, queries.answer_values(rows))
    item = instrument.items.get(item_id)
    questions = operations.item_questions(instrument, item_id)
    review = reviews[item_id]
    if not form.is_submitted() or conflict is not None:
        form.lock_version.data = review.lock_version
    if not form.is_submitted():
        form.rationale.data = review.rationale
    shown = [q for q in questions if q.id in ratings.evaluation.asked]
    form.shown.data = ",".join(q.id for q in shown)
    return render_template(
        "ratings/item.html",
        case=case,
        instrument=instrument,
        item=item,
        item_id=item_id,
        form=form,
        questions=shown,
        rows=rows,
        reviews=reviews,
        ratings=ratings,
        values=values,
        errors=errors or {},
        conflict=conflict,
        editable=can_rate(case),
        reason=why_not_rate(case),
        item_labels=ITEM_LABELS,
        hidden_count=len(questions) - len(shown),
    ), status


@bp.route("/items/<item_id>", methods=["GET", "POST"])
@site_roles("member")
def item(case_id: int, item_id: str):
    case = load_case(case_id)
    instrument = get_instrument(case.period.instrument_version)
    if item_id != FACE_SHEET and item_id not in instrument.items:
        abort(404)
    form = ItemForm()
    if request.method == "POST":
        if not can_rate(case):
            abort(403)
        if not form.validate_on_submit():
            return _page(
                case,
                instrument,
                item_id,
                form,
                status=422,
                values=read_answers(request.form, []).answers,
            )
        data = read_answers(request.form, operations.item_questions(instrument, item_id))
        try:
            ratings = operations.save_item(current_user, case, instrument, item_id, data)
        except operations.AnswerErrors as error:
            db.session.rollback()
            return _page(
                case,
                instrument,
                item_id,
                form,
                values=data.answers,
                errors=error.errors,
                status=422,
            )
        except operations.EditConflict as conflict:
            db.session.rollback()
            return _page(
                case, instrument, item_id, form, values=data.answers, conflict=conflict, status=409
            )
        db.session.commit()
        if item_id == FACE_SHEET:
            flash("Face sheet saved.", "success")
        else:
            rating = ITEM_LABELS[ratings.items[item_id].rating]
            flash(
                f"Item {instrument.items[item_id].number} saved. Its rating is now: {rating}.",
                "success",
            )
        return redirect(url_for("ratings.item", case_id=case.id, item_id=item_id))
    return _page(case, instrument, item_id, form)


@bp.route("/submit", methods=["POST"])
@site_roles("reviewer")
def submit(case_id: int):
    case = load_case(case_id)
    if not can_rate(case):
        abort(403)
    if ConfirmForm().validate_on_submit():
        instrument = get_instrument(case.period.instrument_version)
        rows, reviews = queries.answers(case), queries.item_reviews(case)
        ratings = rate_case(instrument, case.case_type, queries.answer_values(rows))
        try:
            case_operations.submit_case(
                current_user, case, gaps(instrument, ratings, rows, reviews)
            )
        except OperationError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"Case {case.case_number} is submitted for QA.", "success")
    return redirect(url_for("cases.show", case_id=case.id))
