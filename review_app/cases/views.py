"""Case lists, one case's page, and adding, importing and editing cases."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from review_app.cases import importing, operations, queries
from review_app.cases.demographics import NOT_RECORDED, categories, described
from review_app.cases.facts import CaseFacts, reviewer_reach
from review_app.cases.forms import CaseForm, CaseImportForm
from review_app.cases.import_job import start_case_import
from review_app.cases.loaders import load_case
from review_app.cases.models import CASE_TYPES, ELIMINATION_REASONS, STATUS_LABELS, Case
from review_app.cases.permissions import can_manage, can_rate, why_not_rate
from review_app.cases.signals import case_page_shown
from review_app.core.access import site_roles
from review_app.core.once import remember, sent_before
from review_app.core.pagecache import cached_page
from review_app.core.roles import roles_of
from review_app.core.scope import current_scope
from review_app.core.sitectx import site_blueprint
from review_app.core.views import (
    attempt,
    form_status,
    get_in_site,
    int_arg,
    page_number,
    page_parts,
)
from review_app.extensions import db
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.periods.models import ReviewPeriod
from review_app.periods.queries import periods as site_periods
from review_app.sites.models import LocalSite
from review_app.sites.queries import local_sites, local_sites_in_scope

bp = site_blueprint("cases", __name__, "/cases")
PER_PAGE = 50
FACT_FIELDS = {"local_site": "local_site_id", "reviewers": "reviewer_ids"}


def _filters() -> queries.CaseFilters:
    sees_all = roles_of(current_user, g.site).holds("state_admin", "qa", "observer")
    return queries.CaseFilters(
        period_id=int_arg("period"),
        local_site_id=int_arg("local_site"),
        case_type=request.args.get("type", "") if request.args.get("type") in CASE_TYPES else "",
        status=request.args.get("status", "")
        if request.args.get("status") in STATUS_LABELS
        else "",
        reviewer_id=int_arg("reviewer"),
        only_assigned_to=None if sees_all else current_user.id,
        sort=request.args.get("sort", "case"),
        descending=request.args.get("dir") == "desc",
    )


def _list(template: str, filters: queries.CaseFilters):
    page = page_number()
    rows, total = queries.cases(g.site, filters, page, PER_PAGE)
    return render_template(
        template,
        rows=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        filters=filters,
        periods=site_periods(g.site),
        local_sites=local_sites_in_scope(g.site),
        reviewers=queries.reviewers(g.site),
        case_types=CASE_TYPES,
        statuses=STATUS_LABELS,
        can_add=roles_of(current_user, g.site).holds("state_admin"),
    )


@bp.route("")
@site_roles("member")
def index():
    return _list("cases/index.html", _filters())


@bp.route("/mine")
@site_roles("reviewer")
def mine():
    filters = _filters()
    filters.only_assigned_to = current_user.id
    return _list("cases/mine.html", filters)


@bp.route("/<int:case_id>")
@site_roles("member")
@cached_page
def show(case_id: int):
    case = load_case(case_id)
    instrument = get_instrument(case.period.instrument_version)
    return render_template(
        "cases/show.html",
        case=case,
        instrument=instrument,
        item_labels=ITEM_LABELS,
        outcome_labels=OUTCOME_LABELS,
        editable=can_rate(case, current_user),
        reason=why_not_rate(case, current_user),
        can_manage=can_manage(case, current_user),
        elimination_reasons=ELIMINATION_REASONS,
        demographics=described(case, categories(instrument)),
        # Ratings and QA add their parts (ratings/pages.py, qa/pages.py).
        **page_parts(case_page_shown, case, instrument=instrument, user=current_user, site=g.site),
    )


def _case_form(case: Case | None) -> CaseForm:
    form = CaseForm(obj=case)
    periods = [p for p in site_periods(g.site) if p.is_open or (case and p.id == case.period_id)]
    form.period_id.choices = [SelectChoice(p.id, p.name) for p in periods]
    scope = current_scope(g.site)  # a limited administrator places cases in theirs only
    form.local_site_id.choices = [
        SelectChoice(local.id, f"{local.name} ({local.code})")
        for local in local_sites(g.site)
        if scope.covers(local.id)
    ]
    form.reviewer_ids.choices = _reviewer_choices(case)
    if case is not None and request.method == "GET" and not form.restored:
        form.reviewer_ids.data = [a.user_id for a in case.assignments]
        form.child_race.data = case.child_races
    _demographic_choices(form, case.period if case else _chosen_period(form, periods))
    return form


def _reviewer_choices(case: Case | None) -> list[SelectChoice]:
    """Offer the site's reviewers; for a case, those who reach its local site and its own.

    A reviewer limited to some local sites is named with them. A sent form is checked
    against every reviewer, so that the operation says why one who does not reach the
    local site chosen is refused (cases/facts.py, ``reach_error``).
    """
    reach = reviewer_reach(g.site.id)
    assigned = {a.user_id for a in case.assignments} if case else set()
    local_site_id = None if case is None or request.method == "POST" else case.local_site_id
    return [
        SelectChoice(
            u.id,
            f"{u.display_name} ({u.username})"
            + ("" if reach[u.id].is_whole_site else f", {reach[u.id].label} only"),
        )
        for u in queries.reviewers(g.site)
        if u.id in reach
        and (local_site_id is None or u.id in assigned or reach[u.id].covers(local_site_id))
    ]


def _chosen_period(form: CaseForm, periods: list[ReviewPeriod]) -> ReviewPeriod | None:
    """Return the period the new case's form names, else the first it offers."""
    chosen = {period.id: period for period in periods}.get(form.period_id.data or 0)
    return chosen or (periods[0] if periods else None)


def _demographic_choices(form: CaseForm, period: ReviewPeriod | None) -> None:
    """Offer the demographic categories of the period's instrument (none without one)."""
    declared = categories(get_instrument(period.instrument_version)) if period else {}
    for name, field in (
        ("sex", form.child_sex),
        ("race", form.child_race),
        ("hispanic", form.child_hispanic),
    ):
        category = declared.get(name)
        options = list(category.choices.items()) if category else []
        if name != "race":  # radios: a way back to nothing recorded
            options.insert(0, ("", NOT_RECORDED))
        field.choices = [SelectChoice(value, label) for value, label in options]
        if category is not None:
            field.label.text = category.label
            field.description = category.help


def _facts(form: CaseForm) -> CaseFacts:
    local = db.session.get(LocalSite, form.local_site_id.data)
    reviewers = {u.id: u for u in queries.reviewers(g.site)}
    return CaseFacts(
        case_number=form.case_number.data or "",
        case_type=form.case_type.data or "",
        local_site=local if local is not None and local.site_id == g.site.id else None,
        child_name=form.child_name.data or "",
        child_birth_date=form.child_birth_date.data,
        family_name=form.family_name.data or "",
        opened_on=form.opened_on.data,
        removal_on=form.removal_on.data,
        closed_on=form.closed_on.data,
        pur_start=form.pur_start.data,
        reviewers=[reviewers[i] for i in form.reviewer_ids.data or [] if i in reviewers],
        child_sex=form.child_sex.data or "",
        child_races=list(form.child_race.data or []),
        child_hispanic=form.child_hispanic.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@site_roles("state_admin")
def new():
    form = _case_form(None)
    if form.validate_on_submit():
        if (earlier := sent_before()) is not None:
            return earlier
        with attempt(form, FACT_FIELDS) as outcome:
            case = operations.create_case(
                current_user, get_in_site(ReviewPeriod, form.period_id.data), _facts(form)
            )
        if outcome.ok:
            remember(url_for("cases.show", case_id=case.id))
            flash(f"Case {case.case_number} added.", "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/form.html", form=form, case=None), form_status(form)


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@site_roles("state_admin")
def edit(case_id: int):
    case = load_case(case_id)
    form = _case_form(case)
    if request.method == "GET" and not form.restored:
        form.period_id.data = case.period_id
        form.local_site_id.data = case.local_site_id
    form.period_id.data = case.period_id  # a case stays in its period
    if form.validate_on_submit():
        with attempt(form, FACT_FIELDS) as outcome:
            operations.update_case(current_user, case, _facts(form))
        if outcome.ok:
            flash(f"Case {case.case_number} saved.", "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/form.html", form=form, case=case), form_status(form)


@bp.route("/import", methods=["GET", "POST"])
@site_roles("state_admin")
def import_file():
    form = CaseImportForm()
    open_periods = [p for p in site_periods(g.site) if p.is_open]
    form.period_id.choices = [SelectChoice(p.id, p.name) for p in open_periods]
    if form.validate_on_submit():
        if (earlier := sent_before()) is not None:
            return earlier
        upload = form.file.data
        with attempt(form) as outcome:
            job = start_case_import(
                current_user,
                get_in_site(ReviewPeriod, form.period_id.data),
                upload.filename or "",
                upload.read(),
            )
        if outcome.ok:
            # The import runs as a job; its page follows it and lists any bad row.
            remember(url_for("jobs.show", job_id=job.id))
            return redirect(url_for("jobs.show", job_id=job.id), 303)
    status = 422 if form.errors else 200
    sample = importing.example(open_periods, queries.reviewers(g.site), current_scope(g.site))
    return render_template("cases/import.html", form=form, example=sample), status
