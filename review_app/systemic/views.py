"""Systemic factor pages: a period's overview, rating an item, and a summary per factor."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from review_app.core.access import site_roles
from review_app.core.errors import Conflict
from review_app.core.roles import roles_of
from review_app.core.scope import current_scope
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, get_in_site
from review_app.instruments.catalog import get_instrument
from review_app.interviews import permissions as can
from review_app.periods.models import ReviewPeriod
from review_app.periods.queries import periods as site_periods
from review_app.systemic import operations, queries
from review_app.systemic.forms import RatingForm
from review_app.systemic.models import RATING_LABELS

bp = site_blueprint("systemic", __name__, "/systemic")


def _reads_all() -> bool:
    return can.reads_all(roles_of(current_user, g.site))


def _may_rate(period: ReviewPeriod) -> bool:
    """State administrators and QA rate the systemic items of an open period."""
    return roles_of(current_user, g.site).holds("state_admin", "qa") and period.is_open


def _visible(period: ReviewPeriod) -> set[int] | None:
    """Return the ids of the interviews the user may open (None: all of them)."""
    return None if _reads_all() else queries.interviews_of(period, current_user)


@bp.route("")
@site_roles("member")
def index():
    periods = site_periods(g.site)
    if periods:
        return redirect(url_for("systemic.overview", period_id=periods[0].id))
    return render_template("systemic/overview.html", period=None, periods=[])


@bp.route("/periods/<int:period_id>")
@site_roles("member")
def overview(period_id: int):
    period = get_in_site(ReviewPeriod, period_id)
    ratings = queries.ratings(period)
    return render_template(
        "systemic/overview.html",
        period=period,
        periods=site_periods(g.site),
        instrument=get_instrument(period.instrument_version),
        ratings=ratings,
        cited=queries.cited_in_scope(ratings, current_scope(g.site)),
        counts=queries.interview_counts(period),
        labels=RATING_LABELS,
        can_open_items=_reads_all(),
        may_rate=_may_rate(period),
    )


def _item_page(period: ReviewPeriod, item_id: str, form: RatingForm, conflict=None, status=200):
    instrument = get_instrument(period.instrument_version)
    item = instrument.systemic_items.get(item_id)
    if item is None:
        abort(404)
    rating = queries.rating(period, item_id)
    interviews = queries.complete_interviews(period)
    scope = current_scope(g.site)
    # The rating is the whole site's; the interviews it cites are shown inside the scope.
    cited = [i for i in rating.interviews if scope.covers(i.local_site_id)] if rating else []
    # A restored draft keeps the version it was typed on: a save made since is a conflict.
    if (not form.is_submitted() and not form.restored) or conflict is not None:
        # After a conflict the form carries the saved version: saving again keeps yours.
        form.lock_version.data = rating.lock_version if rating else 0
        form.lock_version.raw_data = None
    if not form.is_submitted() and not form.restored and rating is not None:
        form.rating.data, form.rationale.data = rating.rating, rating.rationale
        form.interview_ids.data = [interview.id for interview in cited]
    form.interview_ids.choices = [
        (i.id, f"{i.held_on.isoformat()}, {i.local_site.name}{': ' + i.title if i.title else ''}")
        for i in interviews
    ]
    return render_template(
        "systemic/item.html",
        period=period,
        instrument=instrument,
        item=item,
        factor=instrument.factor_of(item_id),
        rating=rating,
        cited=cited,
        interviews=interviews,
        texts=queries.final_texts([i.id for i in interviews]),
        form=form,
        conflict=conflict,
        labels=RATING_LABELS,
        may_rate=_may_rate(period),
    ), status


@bp.route("/periods/<int:period_id>/items/<item_id>")
@site_roles("state_admin", "qa", "observer")
def item(period_id: int, item_id: str):
    return _item_page(get_in_site(ReviewPeriod, period_id), item_id, RatingForm())


@bp.route("/periods/<int:period_id>/items/<item_id>", methods=["POST"])
@site_roles("state_admin", "qa")
def rate(period_id: int, item_id: str):
    period = get_in_site(ReviewPeriod, period_id)
    form = RatingForm()
    if not form.validate_on_submit():
        return _item_page(period, item_id, form, status=422)
    with attempt(form) as outcome:
        operations.rate(
            current_user,
            period,
            item_id,
            form.rating.data or "",
            form.rationale.data or "",
            form.interview_ids.data or [],
            form.lock_version.data,
        )
    if (error := outcome.error) is not None:
        both = isinstance(error, Conflict) and error.theirs is not None
        conflict = error if both else None
        return _item_page(period, item_id, form, conflict=conflict, status=outcome.status)
    flash("Rating saved.", "success")
    factor = get_instrument(period.instrument_version).factor_of(item_id)
    return redirect(url_for("systemic.factor", period_id=period.id, factor_id=factor.id))


@bp.route("/periods/<int:period_id>/factors/<factor_id>")
@site_roles("member")
def factor(period_id: int, factor_id: str):
    period = get_in_site(ReviewPeriod, period_id)
    instrument = get_instrument(period.instrument_version)
    if factor_id not in instrument.factors:
        abort(404)
    chosen = instrument.factors[factor_id]
    ratings = queries.ratings(period)
    given = [ratings[i.id].rating for i in chosen.items if i.id in ratings]
    return render_template(
        "systemic/factor.html",
        period=period,
        instrument=instrument,
        factor=chosen,
        ratings=ratings,
        cited=queries.cited_in_scope(ratings, current_scope(g.site)),
        counts={
            "strength": given.count("strength"),
            "ani": given.count("ani"),
            "unrated": len(chosen.items) - len(given),
        },
        labels=RATING_LABELS,
        visible=_visible(period),
        can_open_items=_reads_all(),
        may_rate=_may_rate(period),
    )
