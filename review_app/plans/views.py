"""Improvement plans of a site: state administrators record them, readers follow progress."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.audit.operations import record_read
from review_app.core.access import site_roles
from review_app.core.errors import FieldErrors, OperationError
from review_app.core.models import utcnow
from review_app.core.once import remember, sent_before
from review_app.core.pdf import download_name, pdf_response, render_pdf
from review_app.core.roles import roles_of
from review_app.core.scope import current_scope
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, form_status, show_error
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.performance.windows import site_instrument
from review_app.plans import exports, operations, queries
from review_app.plans.forms import Figures, fill_figures, plan_form, read_plan
from review_app.plans.models import Plan
from review_app.plans.states import FigureKind

bp = site_blueprint("plans", __name__, "/plans")
READERS = ("state_admin", "qa", "observer")
LIST_LIMIT = 500


def _kept_here() -> None:
    """Plans measure real reviews: a Training site has none."""
    if g.site.settings.is_practice:
        abort(404)


def _plan(plan_id: int) -> Plan:
    _kept_here()
    plan = queries.load_plan(plan_id)
    if plan is None or plan.site_id != g.site.id:
        abort(404)
    return plan


def _figures(version: str) -> Figures:
    instrument = get_instrument(version)
    return (
        [
            (FigureKind.ITEM, item.id, queries.figure_label(instrument, FigureKind.ITEM, item.id))
            for item in instrument.items.values()
        ]
        + [
            (FigureKind.SUBITEM, ref, queries.figure_label(instrument, FigureKind.SUBITEM, ref))
            for ref in queries.subitems(instrument)
        ]
        + [
            (FigureKind.OUTCOME, o.id, queries.figure_label(instrument, FigureKind.OUTCOME, o.id))
            for o in instrument.definition.outcomes
        ]
    )


def _can_edit() -> bool:
    """A state administrator of the whole site: a plan's baselines are the whole site's."""
    whole = current_scope(g.site).is_whole_site
    return whole and roles_of(current_user, g.site).holds("state_admin")


@bp.route("")
@site_roles(*READERS)
def index():
    practice = g.site.settings.is_practice  # no real reviews to measure: said on the page
    return render_template(
        "plans/index.html",
        plans=[] if practice else queries.plans(g.site),
        can_edit=_can_edit() and not practice,
        practice=practice,
    )


def _save(form, figures: Figures, change) -> bool:
    """Run the change; put each refusal on its field. Return whether it was made."""
    with attempt(form) as outcome:
        change(read_plan(form, figures))
    if isinstance(outcome.error, FieldErrors):
        for name, message in outcome.error.errors.items():
            show_error(form, OperationError(message, name))
        form.form_errors.append(outcome.error.message)
    return outcome.ok


@bp.route("/new", methods=["GET", "POST"])
@site_roles("state_admin")
def new():
    _kept_here()
    instrument = site_instrument(g.site.id)
    if instrument is None:
        abort(404)
    figures = _figures(instrument.version)
    form = plan_form(figures)
    if request.method == "GET" and not form.restored:
        today = utcnow().date()
        form.baseline_month.data, form.baseline_year.data = today.month, today.year - 1
        form.end_month.data, form.end_year.data = today.month, today.year + 2
    made = []
    if form.validate_on_submit():
        if (earlier := sent_before()) is not None:
            return earlier
        if _save(
            form,
            figures,
            lambda data: made.append(
                operations.create_plan(current_user, g.site, instrument.version, data)
            ),
        ):
            location = remember(url_for("plans.show", plan_id=made[0].id))
            flash(f"Plan {made[0].name} recorded; its baselines are computed.", "success")
            return redirect(location)
    return render_template("plans/form.html", form=form, plan=None, figures=figures), form_status(
        form
    )


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@site_roles("state_admin")
def edit(plan_id: int):
    plan = _plan(plan_id)
    figures = _figures(plan.instrument_version)
    form = plan_form(figures, obj=plan)
    if request.method == "GET" and not form.restored:
        form.baseline_month.data, form.baseline_year.data = (
            plan.baseline_start.month,
            plan.baseline_start.year,
        )
        form.end_month.data, form.end_year.data = plan.last_month.month, plan.last_month.year
        fill_figures(form, plan.measures)
    if form.validate_on_submit() and _save(
        form, figures, lambda data: operations.update_plan(current_user, plan, data)
    ):
        flash(f"Plan {plan.name} saved.", "success")
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/form.html", form=form, plan=plan, figures=figures), form_status(
        form
    )


@bp.route("/<int:plan_id>")
@site_roles(*READERS)
def show(plan_id: int):
    plan = _plan(plan_id)
    today = utcnow().date()
    progress, windows = queries.progress(plan, today, g.site.small_cell_minimum)
    upcoming = [window for window in plan.measurements() if window.end > today]
    return render_template(
        "plans/show.html",
        plan=plan,
        progress=progress,
        windows=windows,
        upcoming=upcoming[0] if upcoming else None,
        can_edit=_can_edit(),
        minimum=g.site.small_cell_minimum,
    )


def _chosen(plan: Plan):
    """Read which figure and window a case list is for; None when they name none of the plan's."""
    kind, _, ref = request.args.get("figure", "").partition(":")
    measure = next((m for m in plan.measures if (m.kind, m.ref) == (kind, ref)), None)
    windows = [plan.baseline, *queries.due_windows(plan, utcnow().date())]
    number = request.args.get("window", "")
    index = int(number) if number.isascii() and number.isdigit() and len(number) < 4 else -1
    if measure is None or not 0 <= index < len(windows):
        return None
    return measure, windows[index], index


@bp.route("/<int:plan_id>/cases")
@site_roles(*READERS)
def cases(plan_id: int):
    plan = _plan(plan_id)
    chosen = _chosen(plan)
    if chosen is None:
        flash("That figure is not in this plan; choose one of its figures.", "error")
        return redirect(url_for("plans.show", plan_id=plan.id))
    measure, window, index = chosen
    instrument = get_instrument(plan.instrument_version)
    rows = queries.cases_behind(
        plan.site_id, instrument, window, [(measure.kind, measure.ref)], LIST_LIMIT + 1
    )
    return render_template(
        "plans/cases.html",
        plan=plan,
        label=queries.figure_label(instrument, measure.kind, measure.ref),
        window=window,
        is_baseline=index == 0,
        rows=rows[:LIST_LIMIT],
        more=len(rows) > LIST_LIMIT,
        limit=LIST_LIMIT,
        labels=OUTCOME_LABELS if measure.kind == FigureKind.OUTCOME else ITEM_LABELS,
        what=measure.kind.words,
    )


def _report(plan: Plan, fmt: str) -> exports.Report:
    report = exports.report(plan, utcnow().date(), g.site.small_cell_minimum)
    record_read(
        current_user,
        "download.pip_progress",
        plan,
        f"Downloaded the progress report of plan {plan.name} ({fmt.upper()})",
        site=g.site,
        details={"plan": plan.name, "format": fmt, "cases": report.case_count},
    )
    return report


@bp.route("/<int:plan_id>/progress.pdf")
@site_roles(*READERS)
def progress_pdf(plan_id: int):
    plan = _plan(plan_id)
    report = _report(plan, "pdf")
    data = render_pdf(
        "plans/pdf.html",
        plan=plan,
        report=report,
        printed=utcnow(),
        minimum=g.site.small_cell_minimum,
    )
    return pdf_response(data, download_name(g.site.slug, plan.name, "progress"))


@bp.route("/<int:plan_id>/progress.xlsx")
@site_roles(*READERS)
def progress_xlsx(plan_id: int):
    plan = _plan(plan_id)
    return exports.workbook(plan, _report(plan, "xlsx"), g.site)
