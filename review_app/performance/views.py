"""Item and outcome performance: the site's figures, drill-downs, and the cases behind each."""

from flask import abort, g, render_template, request, url_for
from flask_login import current_user

from review_app.audit.operations import record_read
from review_app.cases.demographics import categories
from review_app.cases.models import CASE_TYPES
from review_app.core.access import site_roles
from review_app.core.models import utcnow
from review_app.core.pagecache import cached_page
from review_app.core.pdf import download_name, pdf_response, render_pdf
from review_app.core.sitectx import site_blueprint
from review_app.instruments.catalog import get_instrument
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.performance import exports, privacy, queries
from review_app.performance.cache import cached, site_figures
from review_app.performance.charts import Bar, as_data_uri, bar_chart
from review_app.performance.forms import read_filters, read_target
from review_app.periods.queries import periods as site_periods

bp = site_blueprint("performance", __name__, "/performance")
READERS = ("state_admin", "qa", "observer")
DIMENSIONS = {
    "local-sites": "local_site",
    "reviewers": "reviewer",
    "age-groups": "age",
    "races": "race",
    "sexes": "sex",
    "ethnicity": "hispanic",
}
# How a breakdown's page names one row's kind, and the filter its rows link with.
NOUNS = {
    "local_site": ("local site", "local_site"),
    "reviewer": ("reviewer", "reviewer"),
    "age": ("age group", "age"),
    "race": ("race", "race"),
    "sex": ("sex", "sex"),
    "hispanic": ("ethnicity", "hispanic"),
}
# Pages and exports of figures write counts and shares through these (privacy.py).
bp.add_app_template_global(privacy.shown, "shown_share")
bp.add_app_template_global(privacy.shown_count, "shown_count")
bp.add_app_template_global(privacy.is_hidden, "hides_count")
LIST_LIMIT = 500


def _context():
    """Read the filters; return what every performance page shows around its figures."""
    periods = site_periods(g.site)
    people = queries.reviewer_choices(g.site.id)
    places = queries.local_site_choices(g.site)
    place_names: dict[int | None, str] = dict(places)
    filters, problems = read_filters(
        periods, {key for key, _ in places}, {key for key, _ in people}, request.args
    )
    instrument = get_instrument(filters.period.instrument_version) if filters else None
    declared = categories(instrument)
    choices = {
        "period": [(period.id, period.name) for period in periods],
        "local_site": places,
        "type": list(CASE_TYPES.items()),
        "age": [(group, group) for group in queries.AGE_GROUPS],
        "reviewer": people,
        "status": list(queries.STATUSES.items()),
        **{name: list(category.choices.items()) for name, category in declared.items()},
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
        "demographics": declared,
        "minimum": g.site.small_cell_minimum,
    }


def rows(instrument, outcomes: dict, items: dict, subitems: dict | None = None):
    """Return (kind, id, label, split) rows of every outcome, and of every item.

    An item's sub-items (12A, 12B, 12C) follow it, each with its own figure.
    """
    item_rows = []
    for item in instrument.items.values():
        item_rows.append(
            (
                "item",
                item.id,
                f"Item {item.number}: {item.title}",
                items.get(item.id, queries.Split()),
            )
        )
        item_rows += [
            (
                "subitem",
                sub.id,
                f"Sub-item {sub.id}: {sub.title}",
                (subitems or {}).get(sub.id, queries.Split()),
            )
            for sub in item.subitems
        ]
    return (
        [
            ("outcome", o.id, f"{o.id}: {o.label}", outcomes.get(o.id, queries.Split()))
            for o in instrument.definition.outcomes
        ],
        item_rows,
    )


def columns(instrument) -> list[tuple[str, str, str, str]]:
    """Return (kind, id, short name, title) of every item and sub-item: a breakdown's columns."""
    found = []
    for item in instrument.items.values():
        found.append(("item", item.id, f"Item {item.number}", item.title))
        found += [("subitem", sub.id, sub.id, sub.title) for sub in item.subitems]
    return found


def _charts(context: dict, figures: queries.Performance) -> dict:
    instrument = context["instrument"]
    empty = queries.Split()
    minimum = context["minimum"]

    def bar(label: str, split: queries.Split) -> Bar:
        figure = split.overall
        percent = privacy.shown_percent(figure, minimum)
        note = privacy.shown(figure, minimum) if percent is None else ""
        return Bar(label, percent, f"{figure.hits} of {figure.applicable}", note)

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
    outcome_rows, item_rows = rows(
        context["instrument"], figures.outcomes, figures.items, figures.subitems
    )
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
    for name in ("sex", "race", "hispanic"):
        value = getattr(filters, name)
        if value and name in context["demographics"]:
            category = context["demographics"][name]
            parts.append(f"{category.label.rstrip('?')}: {category.label_of(value)}")
    return "; ".join(parts)


@bp.route("/figures.pdf")
@site_roles(*READERS)
def pdf():
    context = _context()
    if context["filters"] is None:
        abort(404)
    figures = site_figures(context["filters"])
    outcome_rows, item_rows = rows(
        context["instrument"], figures.outcomes, figures.items, figures.subitems
    )
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
    noun, group_arg = NOUNS[DIMENSIONS[dimension]]
    # A child of several races counts in each race: those rows add up to no shown figure.
    parts = DIMENSIONS[dimension] != "race"
    return render_template(
        "performance/breakdown.html",
        rows=rows,
        withheld=privacy.withheld(rows, g.site.small_cell_minimum) if parts else set(),
        dimension=DIMENSIONS[dimension],
        noun=noun,
        group_arg=group_arg,
        columns=columns(context["instrument"]) if context["instrument"] else [],
        outcome_columns=[
            ("outcome", o.id, o.id, o.label)
            for o in (context["instrument"].definition.outcomes if context["instrument"] else [])
        ],
        **context,
    )


def _cases_context():
    context = _context()
    instrument = context["instrument"]
    target = (
        read_target(
            request.args,
            instrument.items,
            {o.id for o in instrument.definition.outcomes},
            {sub.id for item in instrument.items.values() for sub in item.subitems},
        )
        if instrument
        else queries.Target()
    )
    if target is None:
        context["problems"].append(
            "There is no such item, sub-item or outcome; every case is listed."
        )
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
    elif target.kind == "subitem":
        figure = f"sub-item {target.id}"
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
