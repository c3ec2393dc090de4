"""Trends: item and outcome figures by quarter and over rolling 12 months, and their cases."""

from dataclasses import replace

from flask import g, render_template, request, url_for

from review_app.cases import demographics
from review_app.cases.demographics import AGE_GROUPS, categories
from review_app.cases.models import CASE_TYPES
from review_app.core.access import site_roles
from review_app.core.pagecache import cached_page
from review_app.core.scope import current_scope
from review_app.core.sitectx import site_blueprint
from review_app.instruments.engine import ITEM_LABELS, OUTCOME_LABELS
from review_app.performance import trends as trend_queries
from review_app.performance.cache import cached
from review_app.performance.charts import Bar, line_chart
from review_app.performance.privacy import HIDDEN, fewer_than, is_hidden, shown_percent
from review_app.performance.queries import Target, local_site_choices
from review_app.performance.trend_forms import (
    SERIES,
    figure_targets,
    read_choices,
    read_window,
    window_args,
)
from review_app.performance.views import READERS
from review_app.performance.windows import site_instrument

bp = site_blueprint("trends", __name__, "/performance/trends")
LIST_LIMIT = 500


def _context():
    """Read the choices; return what both trend pages show around their figures."""
    instrument = site_instrument(g.site.id)
    places = local_site_choices(g.site)
    if instrument is None:
        return None
    choices, problems = read_choices(instrument, {key for key, _ in places}, request.args)
    declared = categories(instrument)
    what = dict(figure_targets(instrument))[f"{choices.target.kind}:{choices.target.id}"]
    measure = "Substantially Achieved" if choices.target.kind == "outcome" else "rated Strength"
    return {
        "instrument": instrument,
        "choices": choices,
        "problems": problems,
        "what": what,
        "measure": measure,
        "noun": {"subitem": "sub-item"}.get(choices.target.kind, choices.target.kind),
        "described": _described(choices, dict(places), declared),
        "narrowed": demographics.conditions(
            choices.age_group, choices.sex, choices.race, choices.hispanic
        ),
        "options": {
            "figure": figure_targets(instrument),
            "local_site": places,
            "type": list(CASE_TYPES.items()),
            "series": list(SERIES.items()),
            "age": [(group, f"{group} years") for group in AGE_GROUPS],
            **{name: list(category.choices.items()) for name, category in declared.items()},
        },
        "demographics": declared,
        "minimum": g.site.small_cell_minimum,
        "conformity": instrument.definition.conformity_percent,
        "cases_url": url_for("trends.cases"),
        "index_url": url_for("trends.index"),
    }


def _described(choices, places: dict, declared: dict) -> str:
    """Return the cases a trend counts, in words ("North, foster care cases, aged 5-9")."""
    described = [places[choices.local_site_id]] if choices.local_site_id else []
    if choices.case_type:
        described.append(CASE_TYPES[choices.case_type].lower() + " cases")
    if choices.age_group:
        described.append(f"children aged {choices.age_group} at the start of the period")
    for name in ("sex", "race", "hispanic"):
        code = getattr(choices, name)
        if code and name in declared:
            category = declared[name]
            described.append(f"{category.label.lower()}: {category.label_of(code)}")
    scope = current_scope(g.site)
    every = "every local site" if scope.is_whole_site else f"every local site of {scope.label}"
    return ", ".join(described) or f"{every}, both case types, every child"


@bp.route("")
@site_roles(*READERS)
@cached_page
def index():
    context = _context()
    if context is None:
        return render_template("performance/trends.html", found=None)
    choices = context["choices"]
    counted = replace(choices, target=Target(), case_type="", series="")  # what trends() reads
    found = cached(
        "trends",
        counted,
        lambda: trend_queries.trends(
            g.site.id, context["instrument"], choices.local_site_id, context["narrowed"]
        ),
    )
    if found is None:
        return render_template("performance/trends.html", found=None, **context)
    kind, key = choices.target.kind, choices.target.id
    by_quarter = found.by_quarter(kind, key, choices.case_type)
    by_year = found.by_year(kind, key, choices.case_type)
    trend_queries.hide_small(by_quarter, by_year, context["minimum"])
    windows = found.rolling if choices.series == "rolling" else found.quarters
    return render_template(
        "performance/trends.html",
        found=found,
        rows=[
            (quarter, year, window_args(quarter.window), window_args(year.window))
            for quarter, year in zip(by_quarter, by_year, strict=True)
        ],
        overview=found.overview(context["options"]["figure"], windows, choices.case_type),
        windows=[(window, window_args(window)) for window in windows],
        **_chart(context, by_year if choices.series == "rolling" else by_quarter),
        **context,
    )


def _chart(context: dict, points: list[trend_queries.Point]) -> dict:
    """Return the chart of the chosen series and its title."""
    rolling = context["choices"].series == "rolling"
    title = f"{context['what']}: share of applicable cases {context['measure']}, " + (
        "rolling 12 months ending each quarter" if rolling else "by quarter"
    )
    minimum = context["minimum"]
    bars = [
        Bar(
            _ending(point.window) if rolling else point.window.label,
            None if point.hidden else shown_percent(point.figure, minimum),
            f"{point_count(point, minimum)} case" + ("s" if point.figure.applicable != 1 else ""),
            "no cases" if not point.figure.applicable else point_count(point, minimum),
        )
        for point in points
    ]
    line = context["conformity"] if context["choices"].target.kind == "outcome" else None
    return {"title": title, "chart": line_chart(title, bars, line)}


def _ending(window) -> str:
    """Name a rolling window by the quarter it ends with."""
    return window_args(window)["quarter"].replace("-", " ")


@bp.route("/cases")
@site_roles(*READERS)
def cases():
    context = _context()
    window = read_window(request.args)
    rows = []
    if context is not None and window is not None:
        choices = context["choices"]
        rows = list(
            trend_queries.cases_behind(
                g.site.id,
                context["instrument"],
                choices.target,
                window,
                choices.case_type,
                choices.local_site_id,
                LIST_LIMIT + 1,
                context["narrowed"],
            )
        )
    return render_template(
        "performance/trend_cases.html",
        window=window,
        rows=rows[:LIST_LIMIT],
        more=len(rows) > LIST_LIMIT,
        limit=LIST_LIMIT,
        item_labels=ITEM_LABELS,
        outcome_labels=OUTCOME_LABELS,
        **(context or {}),
    )


def point_count(point: trend_queries.Point, minimum: int) -> str:
    """Return a point's number of cases as shown: the number, "fewer than N", or "hidden"."""
    if not point.hidden:
        return str(point.figure.applicable)
    return fewer_than(minimum) if is_hidden(point.figure.applicable, minimum) else HIDDEN


bp.add_app_template_global(point_count, "point_count")
