"""Review periods of a site: everyone on the site reads them, state administrators change them."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from review_app.core.access import holds_site_wide, site_roles, site_wide_roles
from review_app.core.forms import ConfirmForm
from review_app.core.once import remember, sent_before
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, form_status, get_in_site, run_operation
from review_app.instruments.catalog import available_versions
from review_app.periods import operations, queries
from review_app.periods.forms import PeriodForm
from review_app.periods.models import ReviewPeriod
from review_app.sites.queries import local_sites

bp = site_blueprint("periods", __name__, "/periods")


def _form(period: ReviewPeriod | None) -> tuple[PeriodForm, dict]:
    form = PeriodForm(obj=period)
    choices = local_sites(g.site)
    by_id = {local.id: local for local in choices}
    form.local_site_ids.choices = [
        SelectChoice(local.id, f"{local.name} ({local.code})") for local in choices
    ]
    form.instrument_version.choices = [
        SelectChoice(v.version, v.title) for v in available_versions()
    ]
    if period is not None and request.method == "GET" and not form.restored:
        form.local_site_ids.data = [local.id for local in period.local_sites]
    return form, by_id


def _values(form: PeriodForm, by_id: dict) -> tuple:
    return (
        form.name.data,
        form.pur_start.data,
        form.pur_end.data,
        form.instrument_version.data,
        [by_id[i] for i in form.local_site_ids.data or []],
    )


@bp.route("")
@site_roles("member")
def index():
    return render_template(
        "periods/index.html",
        periods=queries.periods(g.site),
        can_edit=holds_site_wide(current_user, g.site, "state_admin"),
        confirm_form=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@site_wide_roles("state_admin")
def new():
    form, by_id = _form(None)
    if form.validate_on_submit():
        if (earlier := sent_before()) is not None:
            return earlier
        with attempt(form) as outcome:
            period = operations.create_period(current_user, g.site, *_values(form, by_id))
        if outcome.ok:
            remember(url_for("periods.index"))
            flash(f"Review period {period.name} created.", "success")
            return redirect(url_for("periods.index"))
    return render_template("periods/form.html", form=form, period=None), form_status(form)


@bp.route("/<int:period_id>", methods=["GET", "POST"])
@site_wide_roles("state_admin")
def edit(period_id: int):
    period = get_in_site(ReviewPeriod, period_id)
    form, by_id = _form(period)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            operations.update_period(current_user, period, *_values(form, by_id))
        if outcome.ok:
            flash(f"Review period {period.name} saved.", "success")
            return redirect(url_for("periods.index"))
    return render_template("periods/form.html", form=form, period=period), form_status(form)


def _set_open(period_id: int, is_open: bool):
    period = get_in_site(ReviewPeriod, period_id)
    if ConfirmForm().validate_on_submit():
        run_operation(
            lambda: operations.set_period_open(current_user, period, is_open),
            f"Review period {period.name} {'reopened' if is_open else 'closed'}.",
        )
    return redirect(url_for("periods.index"))


@bp.route("/<int:period_id>/close", methods=["POST"])
@site_wide_roles("state_admin")
def close(period_id: int):
    return _set_open(period_id, False)


@bp.route("/<int:period_id>/reopen", methods=["POST"])
@site_wide_roles("state_admin")
def reopen(period_id: int):
    return _set_open(period_id, True)
