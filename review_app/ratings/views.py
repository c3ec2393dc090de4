"""Rating pages: the face sheet and each item of a case, and submitting the case."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.cases.loaders import load_case
from review_app.cases.permissions import can_rate, why_not_rate
from review_app.core.access import site_roles
from review_app.core.errors import Conflict, FieldErrors
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, page_parts
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import INCOMPLETE, ITEM_LABELS
from review_app.ratings import followups, operations, queries
from review_app.ratings.completeness import item_gaps
from review_app.ratings.demographics import case_answers
from review_app.ratings.forms import ItemForm, read_answers
from review_app.ratings.models import FACE_SHEET
from review_app.ratings.signals import item_page_shown

bp = site_blueprint("ratings", __name__, "/cases/<int:case_id>")


def _page(
    case,
    instrument,
    item_id,
    form,
    *,
    values=None,
    errors=None,
    conflict=None,
    refused=None,
    status=200,
):
    ratings, rows, reviews = queries.case_ratings(case, instrument)
    item = instrument.items.get(item_id)
    questions = operations.item_questions(instrument, item_id)
    review = reviews[item_id]
    # A restored draft keeps the version it was typed on: a save made since is a conflict.
    if (not form.is_submitted() and not form.restored) or conflict is not None:
        form.lock_version.data = review.lock_version
        form.lock_version.raw_data = None  # render the new version, not the one sent
    if not form.is_submitted() and not form.restored:
        form.rationale.data = review.rationale
    shown = [q for q in questions if q.id in ratings.evaluation.asked]
    on_page = followups.page_questions(instrument, questions, case.case_type)
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
        # The face sheet shows the case's own demographics (the case holds them).
        case_answers=case_answers(case, instrument) if item_id == FACE_SHEET else {},
        posted=form.draft if form.restored else request.form,
        errors=errors or {},
        conflict=conflict,
        refused=refused,
        editable=can_rate(case, current_user),
        reason=why_not_rate(case, current_user),
        item_labels=ITEM_LABELS,
        hidden_count=len(questions) - len(shown),
        all_questions=questions,
        page_questions=on_page,
        logic={
            **followups.client_logic(instrument, on_page, ratings.evaluation),
            **followups.client_needs(instrument, item, on_page),
        },
        override_by=queries.override_author(review),
        needs=item_gaps(instrument, ratings, rows, reviews, item_id),
        question_labels={q.id: followups.question_label(q) for q in questions},
        # QA adds its part (qa/pages.py).
        **page_parts(item_page_shown, case, item_id=item_id, user=current_user, site=g.site),
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
        if not can_rate(case, current_user):
            abort(403)
        data = read_answers(request.form, operations.item_questions(instrument, item_id))
        if not form.validate_on_submit():
            return _page(case, instrument, item_id, form, status=422, values=data.answers)
        with attempt() as outcome:
            ratings = operations.save_item(current_user, case, instrument, item_id, data)
        if (error := outcome.error) is not None:
            # Undone; the page shows the item as saved now and what was sent, so nothing
            # typed is lost: the wrong answers, the version saved meanwhile, or (submitted,
            # reassigned or closed since the page was shown) why it was refused.
            fields = error.errors if isinstance(error, FieldErrors) else None
            both = isinstance(error, Conflict) and error.theirs is not None
            return _page(
                case,
                instrument,
                item_id,
                form,
                values=data.answers,
                errors=fields,
                conflict=error if both else None,
                refused=error if not (fields or both) else None,
                status=outcome.status,
            )
        if item_id == FACE_SHEET:
            flash("Face sheet saved.", "success")
        else:
            rating = ITEM_LABELS[ratings.items[item_id].rating]
            why = (
                " The list “What this item still needs” says what is missing."
                if ratings.items[item_id].rating == INCOMPLETE
                else ""
            )
            flash(
                f"Item {instrument.items[item_id].number} saved. Its rating is now: {rating}.{why}",
                "success",
            )
        return redirect(url_for("ratings.item", case_id=case.id, item_id=item_id))
    if form.draft is not None:  # what was typed before the session or the form expired
        questions = operations.item_questions(instrument, item_id)
        values = read_answers(form.draft, questions).answers
        return _page(case, instrument, item_id, form, values=values)
    return _page(case, instrument, item_id, form)
