"""QA reports and inter-rater agreement, per review period."""

from typing import Any

from flask import g, render_template, request

from review_app.accounts.queries import display_names
from review_app.cases.models import STATUS_LABELS
from review_app.core.access import site_roles
from review_app.core.sitectx import site_blueprint
from review_app.instruments.catalog import get_instrument
from review_app.periods.queries import periods as site_periods
from review_app.quality import queries, report
from review_app.quality.figures import agreement_figure

bp = site_blueprint("quality", __name__, "/quality")
READERS = ("state_admin", "qa", "observer")
bp.add_app_template_global(agreement_figure, "agreement_figure")


def _render(template: str, report):
    """Render a report of the period chosen in the query string (the latest by default).

    ``report(period, instrument)`` returns what the page shows of a period; with no period
    yet, the page shows only that.
    """
    periods = site_periods(g.site)
    wanted = request.args.get("period", "")
    chosen = next((p for p in periods if str(p.id) == wanted), None)
    message = (
        "There is no such review period here; the latest one is shown."
        if (wanted and chosen is None)
        else ""
    )
    period = chosen or (periods[-1] if periods else None)
    context: dict[str, Any] = {"periods": periods, "period": period, "message": message}
    if period is not None:
        instrument = get_instrument(period.instrument_version)
        context |= {"instrument": instrument, **report(period, instrument)}
    return render_template(template, **context)


@bp.route("")
@site_roles(*READERS)
def index():
    return _render("quality/index.html", _qa_report)


def _qa_report(period, instrument) -> dict:
    by_reviewer = queries.qa_changes(g.site.id, period.id, instrument, by_reviewer=True)
    return {
        "waiting": queries.waiting(g.site.id, period.id),
        "statuses": STATUS_LABELS,
        "threads": queries.open_threads(g.site.id, period.id),
        "limit": queries.OPEN_LIMIT,
        "by_item": queries.qa_changes(g.site.id, period.id, instrument, by_reviewer=False),
        "by_reviewer": by_reviewer,
        "names": display_names(key for key in by_reviewer if key is not None),
    }


@bp.route("/agreement")
@site_roles(*READERS)
def agreement_page():
    return _render("quality/agreement.html", _agreement)


def _agreement(period, instrument) -> dict:
    forced_na = request.args.get("forced_na") == "include"
    figures = report.period_figures(g.site.id, period.id, instrument, forced_na)
    names = display_names(key for key in figures["people"] if key is not None)
    instruments = {}
    for each in site_periods(g.site):
        try:
            instruments[each.id] = get_instrument(each.instrument_version)
        except LookupError:  # a period whose instrument file is gone: left out of the trend
            continue
    return figures | {
        "people": sorted(
            (
                (names.get(key or 0, report.UNKNOWN_REVIEWER), a)
                for key, a in figures["people"].items()
            ),
            key=lambda row: row[0].lower(),
        ),
        "forced_na": forced_na,
        "forced_items": report.forced_items(instrument),
        "categories": {
            item.id: report.item_categories(instrument, item, forced_na)
            for item in instrument.items.values()
        },
        "trend": report.over_time(g.site.id, instruments, forced_na),
        "keep_args": {"forced_na": "include"} if forced_na else {},
    }
