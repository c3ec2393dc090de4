"""Item and outcome performance: the site's figures, drill-downs, and the cases behind each."""

from flask import abort, g, render_template, request, url_for
from flask_login import current_user

from review_app.audit.operations import record_read
from review_app.cases.models import CASE_TYPES
from review_app.core.access import site_roles
from review_app.core.models import utcnow
from review_app.core.pagecache import cached_page
from review_app.core.pdf import download_name, pdf_response, render_pdf
from review_app.core.sitectx import site_blueprint
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.performance import exports, queries
from review_app.performance.cache import cached, site_figures
from review_app.performance.charts import Bar, as_data_uri, bar_chart
from review_app.performance.forms import read_filters, read_target
from review_app.periods.queries import periods as site_periods
from review_app.sites.queries import local_sites

bp = site_blueprint("performance", __name__, "/performance")
READERS = ("state_admin", "qa", "observer")
DIMENSIONS = {"local-sites": "local_site", "reviewers": "reviewer"}
LIST_LIMIT = 500


def _context():
    """Read the filters; return what every performance page shows around its figures."""
    periods = site_periods(g.site)
    people = queries.reviewer_choices(g.site.id)
    places = [(local.id, local.name) for local in local_sites(g.site)]
    place_names: dict[int | None, str] = dict(places)
    filters, problems = read_filters(
        periods, {key for key, _ in places}, {key for key, _ in people}, request.args
    )
    instrument = get_instrument(filters.period.instrument_version) if filters else None
    choices = {
        "period": [(period.id, period.name) for period in periods],
        "local_site": places,
        "type": list(CASE_TYPES.items()),
        "age": [(group, group) for group in queries.AGE_GROUPS],
        "reviewer": people,
        "status": list(queries.STATUSES.items()),
    }
    return {
        "cases_url": url_for("performance.cases"),
        "index_url": url_for("performance.index"),
        "filters": filters,
        "problems": problems,
        "instrument": instrument,
        "choices": choices,
        "local_site_name": place_names.get(filters.local_site_id, "") if filters else "",
        "conformity": instrument.definition.conformity_percent if instrument else None,
    }


def rows(instrument, outcomes: dict, items: dict) -> tuple[list, list]:
    """Return (id, label, split) rows of every outcome and every item, in instrument order."""
    return (
        [
            (o.id, f"{o.id}: {o.label}", outcomes.get(o.id, queries.Split()))
            for o in instrument.definition.outcomes
        ],
        [
            (item.id, f"Item {item.number}: {item.title}", items.get(item.id, queries.Split()))
            for item in instrument.items.values()
        ],
    )


def _charts(context: dict, figures: queries.Performance) -> dict:
    instrument = context["instrument"]
    empty = queries.Split()

    def bar(label: str, split: queries.Split) -> Bar:
        figure = split.overall
        return Bar(label, figure.percent, f"{figure.hits} of {figure.applicable}")

    return {
        "outcome_chart": bar_chart(
            "Share of applicable cases Substantially Achieved, per outcome",
            [bar(o.id, figures.outcomes.get(o.id, empty)) for o in instrument.definition.outcomes],
            context["conformity"],
        ),
        "item_chart": bar_chart(
            "Share of applicable cases rated Strength, per item",
            [
                bar(f"Item {item.number}", figures.items.get(item.id, empty))
                for item in instrument.items.values()
            ],
        ),
    }


@bp.route("")
@site_roles(*READERS)
@cached_page
def index():
    context = _context()
    if context["filters"] is None:
        return render_template("performance/index.html", figures=None, **context)
    figures = site_figures(context["filters"])
    outcome_rows, item_rows = rows(context["instrument"], figures.outcomes, figures.items)
    return render_template(
        "performance/index.html",
        figures=figures,
        outcome_rows=outcome_rows,
        item_rows=item_rows,
        **context,
        **_charts(context, figures),
    )


def _described(context: dict) -> str:
    """Say in words which cases the filters count."""
    filters = context["filters"]
    names = {key: dict(options) for key, options in context["choices"].items()}
    parts = [queries.STATUSES[filters.status].lower()]
    if filters.local_site_id:
        parts.append(f"local site {names['local_site'].get(filters.local_site_id, '?')}")
    if filters.case_type:
        parts.append(names["type"][filters.case_type].lower())
    if filters.age_group:
        parts.append(f"children aged {filters.age_group}")
    if filters.reviewer_id:
        parts.append(f"reviewer {names['reviewer'].get(filters.reviewer_id, '?')}")
    return "; ".join(parts)


@bp.route("/figures.pdf")
@site_roles(*READERS)
def pdf():
    context = _context()
    if context["filters"] is None:
        abort(404)
    figures = site_figures(context["filters"])
    outcome_rows, item_rows = rows(context["instrument"], figures.outcomes, figures.items)
    charts = _charts(context, figures)
    data = render_pdf(
        "performance/pdf.html",
        figures=figures,
        outcome_rows=outcome_rows,
        item_rows=item_rows,
        described=_described(context),
        printed=utcnow(),
        outcome_chart_uri=as_data_uri(charts["outcome_chart"]),
        item_chart_uri=as_data_uri(charts["item_chart"]),
        **context,
    )
    period = context["filters"].period
    _record_download("download.performance", context, "performance figures", "pdf")
    return pdf_response(data, download_name(g.site.slug, period.name, "performance"))


def _record_download(action: str, context: dict, what: str, fmt: str, **details) -> None:
    """Audit a download of figures or cases: who, which period, which filters, which format."""
    period = context["filters"].period
    record_read(
        current_user,
        action,
        period,
        f"Downloaded {what} of {period.name} ({fmt.upper()})",
        site=g.site,
        details={"period": period.name, "filters": _described(context), **details, "format": fmt},
    )


@bp.route("/by/<dimension>")
@site_roles(*READERS)
@cached_page
def breakdown(dimension: str):
    if dimension not in DIMENSIONS:
        abort(404)
    context = _context()
    rows = (
        cached(
            dimension,
            context["filters"],
            lambda: queries.breakdown(g.site.id, context["filters"], DIMENSIONS[dimension]),
        )
        if context["filters"]
        else []
    )
    return render_template(
        "performance/breakdown.html", rows=rows, dimension=DIMENSIONS[dimension], **context
    )


def _cases_context():
    context = _context()
    instrument = context["instrument"]
    target = (
        read_target(request.args, instrument.items, {o.id for o in instrument.definition.outcomes})
        if instrument
        else queries.Target()
    )
    if target is None:
        context["problems"].append("There is no such item or outcome; every case is listed.")
        target = queries.Target()
    return context, target


@bp.route("/cases")
@site_roles(*READERS)
def cases():
    context, target = _cases_context()
    rows = (
        list(queries.cases_behind(g.site.id, context["filters"], target, LIST_LIMIT + 1))
        if context["filters"]
        else []
    )
    return render_template(
        "performance/cases.html",
        rows=rows[:LIST_LIMIT],
        more=len(rows) > LIST_LIMIT,
        limit=LIST_LIMIT,
        target=target,
        item_labels=ITEM_LABELS,
        outcome_labels=OUTCOME_LABELS,
        **context,
    )


@bp.route("/cases.<any(csv, xlsx):fmt>")
@site_roles(*READERS)
def cases_download(fmt: str):
    context, target = _cases_context()
    if context["filters"] is None:
        abort(404)
    site_id, filters = g.site.id, context["filters"]
    figure = "every counted case"
    if target.kind == "item":
        figure = f"item {context['instrument'].items[target.id].number}"
    elif target.kind == "outcome":
        figure = f"outcome {target.id}"
    _record_download(
        "download.performance_cases", context, f"the cases behind {figure}", fmt, figure=figure
    )
    return exports.case_list(
        fmt,
        lambda: queries.cases_behind(site_id, filters, target),
        target,
        context["instrument"],
        g.site,
        filters.period,
    )
