"""The read API: periods, cases, one case's ratings, and performance figures, as JSON."""

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from review_app.api import serialize
from review_app.api.guard import error
from review_app.api.openapi import document
from review_app.audit.operations import record_read
from review_app.cases import queries as case_queries
from review_app.cases.models import CASE_TYPES, STATUS_LABELS
from review_app.cases.permissions import can_view
from review_app.core.access import public, token_roles
from review_app.core.inputs import whole_number
from review_app.core.roles import roles_of
from review_app.core.scope import current_scope
from review_app.core.sitectx import site_blueprint
from review_app.extensions import limiter
from review_app.instruments.catalog import get_instrument
from review_app.performance import queries as performance_queries
from review_app.performance.cache import site_figures
from review_app.performance.forms import read_filters
from review_app.periods.queries import periods as site_periods
from review_app.ratings import queries as rating_queries

bp = site_blueprint("api", __name__, root="/api/v1")
docs = Blueprint("api_docs", __name__, url_prefix="/api/v1")
PER_PAGE = 100
READERS = ("state_admin", "qa", "observer")
TOO_MANY = "Too many requests from your address; wait and try again (see Retry-After)."

# Per client address: every request, and apart the ones refused for a bad token, so
# one address cannot try many tokens. The 429 answers JSON, as every error here.
limiter.limit(lambda: current_app.config["API_ADDRESS_LIMIT"], error_message=TOO_MANY)(bp)
limiter.limit(
    lambda: current_app.config["LOGIN_ADDRESS_LIMIT"],
    deduct_when=lambda response: response.status_code == 401,
    scope="api-token",
    error_message=TOO_MANY,
)(bp)


@bp.errorhandler(HTTPException)
def _json_error(exc: HTTPException):
    return error(exc.code or 500, exc.description or exc.name)


def _number(name: str, minimum: int = 0) -> int | None:
    value = request.args.get(name, "")
    if value == "":
        return None
    number = whole_number(value)
    if number is None:
        abort(400, f"“{name}” must be a whole number.")
    if number < minimum:
        abort(400, f"“{name}” must be {minimum} or more.")
    return number


def _one_of_site(name: str, ids) -> int | None:
    """Read an id parameter that must name one of the site's objects (``ids``, read lazily)."""
    value = _number(name)
    if value is not None and value not in ids():
        abort(400, f"“{name}” is not one of this site's.")
    return value


def _local_site_ids() -> set[int]:
    """The site's local sites the token user reaches: any other is not one of this site's."""
    return {key for key, _ in performance_queries.local_site_choices(g.site)}


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    if value and value not in allowed:
        abort(400, f"“{name}” must be one of: {', '.join(allowed)}.")
    return value


@docs.route("/openapi.json")
@public
def openapi():
    return jsonify(document())


@bp.route("/periods")
@token_roles("member")
def periods():
    return jsonify({"periods": [serialize.period(p) for p in site_periods(g.site)]})


@bp.route("/cases")
@token_roles("member")
def cases():
    page = _number("page", minimum=1) or 1
    sees_all = roles_of(current_user, g.site).holds(*READERS)
    filters = case_queries.CaseFilters(
        period_id=_one_of_site("period", lambda: {p.id for p in site_periods(g.site)}),
        local_site_id=_one_of_site("local_site", _local_site_ids),
        case_type=_choice("type", CASE_TYPES),
        status=_choice("status", STATUS_LABELS),
        only_assigned_to=None if sees_all else current_user.id,
    )
    rows, total = case_queries.cases(g.site, filters, page, PER_PAGE)
    asked = {
        "period_id": filters.period_id,
        "local_site_id": filters.local_site_id,
        "type": filters.case_type,
        "status": filters.status,
    }
    _record_read(
        "api.cases",
        None,
        f"Listed cases through the API (page {page}: {len(rows)} of {total})",
        filters={key: value for key, value in asked.items() if value},
        page=page,
        case_numbers=[case.case_number for case in rows],
    )
    return jsonify(
        {
            "cases": [serialize.case_summary(case) for case in rows],
            "page": page,
            "per_page": PER_PAGE,
            "total": total,
        }
    )


@bp.route("/cases/<int:case_id>")
@token_roles("member")
def case(case_id: int):
    found = case_queries.case_with_details(case_id)
    if found is None or found.site_id != g.site.id:
        abort(404, "There is no such case on this site.")
    if not current_scope(g.site).covers(found.local_site_id):
        abort(404, "There is no such case on this site.")  # outside the token user's regions
    if not can_view(found, current_user):
        abort(403, "Your role on this site does not let you read this case.")
    instrument = get_instrument(found.period.instrument_version)
    reviews = rating_queries.item_reviews(found)
    outcomes = rating_queries.outcome_ratings(found)
    body = serialize.case_detail(found, instrument, reviews, outcomes)
    _record_read(
        "api.case",
        found,
        f"Read case {found.case_number} through the API",
        case_number=found.case_number,
        period=found.period.name,
    )
    return jsonify(body)


def _record_read(action: str, obj, summary: str, **details) -> None:
    """Audit a read of case data: who, with which token, what, with which filters."""
    token = g.api_token
    details |= {"token": f"{token.name} ({token.prefix}…)", "format": "json"}
    record_read(current_user, action, obj, summary, site=g.site, details=details)


@bp.route("/performance")
@token_roles(*READERS)
def performance():
    people = performance_queries.reviewer_choices(g.site.id)
    places = _local_site_ids()
    filters, problems = read_filters(
        site_periods(g.site), places, {key for key, _ in people}, request.args
    )
    if problems:
        abort(400, " ".join(problems))
    if filters is None:
        abort(404, "There is no review period on this site yet.")
    instrument = get_instrument(filters.period.instrument_version)
    figures = site_figures(filters)
    body = serialize.performance(figures, instrument, instrument.definition.conformity_percent)
    body["filters"] = filters.as_args()
    return jsonify(body)
