"""Multi-item analysis: any question against any other, the cases behind each cell, saved."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.analysis import exports, operations, queries
from review_app.analysis.filters import FILTERS, case_conditions, described, known_values
from review_app.analysis.forms import Asked, SaveForm, read_asked
from review_app.analysis.sources import Axis
from review_app.audit.operations import record_read
from review_app.cases.models import CASE_TYPES
from review_app.core.access import site_roles
from review_app.core.roles import roles_of
from review_app.core.sitectx import site_blueprint
from review_app.core.views import run_operation
from review_app.performance.queries import reviewer_choices
from review_app.periods.queries import periods as site_periods
from review_app.sites.queries import local_sites_in_scope

bp = site_blueprint("analysis", __name__, "/analysis")
READERS = ("state_admin", "qa", "observer")
# Saving changes no case, but observers change nothing at all.
SAVERS = ("state_admin", "qa")
LIST_LIMIT = 500


def _asked(args: Mapping[str, str]) -> Asked:
    """Read the analysis asked; a person limited to some local sites is offered only those
    (every count is inside their scope: performance.windows)."""
    places = local_sites_in_scope(g.site)
    return read_asked(g.site, site_periods(g.site), places, reviewer_choices(g.site.id), args)


@dataclass(frozen=True)
class Ready:
    """A complete analysis: its two questions and the conditions that pick its cases."""

    rows: Axis
    columns: Axis
    conditions: list


def _ready(asked: Asked) -> Ready | None:
    """Return the analysis when it is complete (two questions, a time), else None."""
    if asked.rows is None or asked.columns is None or asked.when is None:
        return None
    return Ready(asked.rows, asked.columns, case_conditions(asked.scope, asked.when, asked.chosen))


def _table(ready: Ready) -> queries.Crosstab:
    """Count the analysis, hiding the counts under the site's small-cell minimum."""
    return queries.crosstab(ready.rows, ready.columns, ready.conditions, g.site.small_cell_minimum)


def _page_context(asked: Asked) -> dict:
    return {
        "asked": asked,
        "filters": FILTERS,
        "choices": known_values(asked.scope),
        "described": described(asked.scope, asked.when, asked.chosen),
        "case_types": CASE_TYPES,
    }


@bp.route("")
@site_roles(*READERS)
def index():
    asked = _asked(request.args)
    ready = _ready(asked)
    table = _table(ready) if ready else None
    return render_template(
        "analysis/index.html",
        table=table,
        notes=exports.notes(table) if table else [],
        form=SaveForm(draft_action=url_for("analysis.save")),  # a name typed as the session ended
        may_save=roles_of(current_user, g.site).holds(*SAVERS),
        **_page_context(asked),
    )


def _cell(asked: Asked, ready: Ready) -> queries.Cell:
    """Read which cell a case list is for; an answer a question does not know is left out."""
    chosen = []
    for name, axis in (("row", ready.rows), ("col", ready.columns)):
        code = request.args.get(name)
        if code is not None and code not in dict(axis.codes()):
            asked.problems.append(
                f"That answer is not one of “{axis.label}”; every answer is listed."
            )
            code = None
        chosen.append(code)
    return queries.Cell(*chosen)


@bp.route("/cases")
@site_roles(*READERS)
def cases():
    asked = _asked(request.args)
    ready = _ready(asked)
    if ready is None:
        return render_template("analysis/cases.html", rows=[], cell=None, **_page_context(asked))
    cell = _cell(asked, ready)
    rows = list(queries.cases_in(ready.rows, ready.columns, ready.conditions, cell, LIST_LIMIT + 1))
    return render_template(
        "analysis/cases.html",
        rows=rows[:LIST_LIMIT],
        more=len(rows) > LIST_LIMIT,
        limit=LIST_LIMIT,
        cell=cell,
        **_page_context(asked),
    )


def _download_details(asked: Asked, ready: Ready, fmt: str, **more: str) -> dict:
    """What a download's audit entry records: the questions, which cases, the format."""
    return {
        "rows": ready.rows.label,
        "columns": ready.columns.label,
        "filters": described(asked.scope, asked.when, asked.chosen),
        **more,
        "format": fmt,
    }


def _choose_first(asked: Asked):
    """Send a download asked without two questions back to the page, saying why."""
    flash("Choose two different questions before downloading.", "error")
    return redirect(url_for("analysis.index", **asked.as_args()))


@bp.route("/table.<any(csv, xlsx):fmt>")
@site_roles(*READERS)
def table_download(fmt: str):
    asked = _asked(request.args)
    ready = _ready(asked)
    if ready is None:
        return _choose_first(asked)
    table = _table(ready)
    record_read(
        current_user,
        "download.analysis",
        g.site,
        f"Downloaded the analysis table ({fmt.upper()})",
        site=g.site,
        details=_download_details(asked, ready, fmt),
    )
    return exports.table_download(fmt, f"{g.site.slug}-analysis", table)


@bp.route("/cases.<any(csv, xlsx):fmt>")
@site_roles(*READERS)
def cases_download(fmt: str):
    asked = _asked(request.args)
    ready = _ready(asked)
    if ready is None:
        return _choose_first(asked)
    rows, columns, conditions, cell = (
        ready.rows,
        ready.columns,
        ready.conditions,
        _cell(asked, ready),
    )
    which = "every case counted"
    if cell.row is not None or cell.column is not None:
        which = ", ".join(
            f"{axis.label}: {axis.label_of(code)}"
            for axis, code in ((rows, cell.row), (columns, cell.column))
            if code is not None
        )
    record_read(
        current_user,
        "download.analysis_cases",
        g.site,
        f"Downloaded the cases of an analysis ({fmt.upper()})",
        site=g.site,
        details=_download_details(asked, ready, fmt, cases=which),
    )
    return exports.cases_download(
        fmt,
        f"{g.site.slug}-analysis-cases",
        rows,
        columns,
        lambda: queries.cases_in(rows, columns, conditions, cell),
    )


@bp.route("/saved")
@site_roles(*READERS)
def saved():
    return render_template(
        "analysis/saved.html",
        analyses=queries.saved_analyses(g.site.id),
        may_save=roles_of(current_user, g.site).holds(*SAVERS),
    )


@bp.route("/saved", methods=["POST"])
@site_roles(*SAVERS)
def save():
    asked = _asked(request.form)
    back = url_for("analysis.index", **asked.as_args())
    ready = _ready(asked)
    if ready is None:
        flash("Choose two different questions before saving the analysis.", "error")
        return redirect(back)
    form = SaveForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(errors[0], "error")
        return redirect(back)
    words = {
        "rows": ready.rows.label,
        "columns": ready.columns.label,
        "cases": described(asked.scope, asked.when, asked.chosen),
    }
    name = form.name.data or ""
    run_operation(
        lambda: operations.save_analysis(current_user, g.site, name, asked.as_args(), words),
        f"Analysis saved as “{' '.join(name.split())}”; find it under Saved analyses.",
    )
    return redirect(back)


@bp.route("/saved/<int:analysis_id>/delete", methods=["POST"])
@site_roles(*SAVERS)
def delete(analysis_id: int):
    analysis = queries.saved_analysis(g.site.id, analysis_id)
    if analysis is None:
        abort(404)
    if analysis.owner_id != current_user.id:
        abort(403)
    name = analysis.name
    run_operation(
        lambda: operations.delete_analysis(current_user, analysis, g.site),
        f"Saved analysis “{name}” deleted.",
    )
    return redirect(url_for("analysis.saved"))
