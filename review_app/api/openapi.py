"""The OpenAPI 3.1 description of the read API, served at /api/v1/openapi.json."""

from review_app.cases.models import CASE_TYPES, STATUS_LABELS
from review_app.performance.queries import AGE_GROUPS, STATUSES

SITE_PARAMS = [
    {
        "name": "jurisdiction",
        "in": "path",
        "required": True,
        "description": "The jurisdiction's code, e.g. demo.",
        "schema": {"type": "string"},
    },
    {
        "name": "kind",
        "in": "path",
        "required": True,
        "description": "The site: training, cqi or cfsr.",
        "schema": {"type": "string", "enum": ["training", "cqi", "cfsr"]},
    },
]
ERRORS = {
    code: {
        "description": text,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for code, text in {
        "400": "A query parameter is wrong; the message says which.",
        "401": "No token, or a revoked or expired one.",
        "403": "The token is for another site, or its user's role does not allow this.",
        "404": "No such site or object.",
        "405": "Only GET is answered.",
        "500": "Something went wrong on the server; nothing was changed.",
    }.items()
}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties}


def _list_of(item: dict) -> dict:
    return {"type": "array", "items": item}


def _json(ref: str, description: str) -> dict:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": _ref(ref)}}},
        **ERRORS,
    }


def _schemas() -> dict:
    text, integer = {"type": "string"}, {"type": "integer"}
    day = {"type": ["string", "null"], "format": "date"}
    figure = _object(
        {"applicable": integer, "count": integer, "percent": {"type": ["number", "null"]}}
    )
    split = _object({"all": figure, "foster_care": figure, "in_home": figure})
    summary = _object(
        {
            "id": integer,
            "case_number": text,
            "case_type": {"type": "string", "enum": list(CASE_TYPES)},
            "period_id": integer,
            "local_site": _object({"code": text, "name": text}),
            "status": text,
            "reviewers": _list_of(text),
            "submitted_at": {"type": ["string", "null"]},
            "finalized_at": {"type": ["string", "null"]},
        }
    )
    item = {"item": integer, "id": text, "title": text}
    return {
        "Error": _object({"error": text, "status": integer}),
        "Period": _object(
            {
                "id": integer,
                "name": text,
                "pur_start": day,
                "pur_end": day,
                "instrument_version": text,
                "is_open": {"type": "boolean"},
            }
        ),
        "Periods": _object({"periods": _list_of(_ref("Period"))}),
        "CaseSummary": summary,
        "CaseList": _object(
            {
                "cases": _list_of(_ref("CaseSummary")),
                "page": integer,
                "per_page": integer,
                "total": integer,
            }
        ),
        "Case": {
            "allOf": [
                _ref("CaseSummary"),
                _object(
                    {
                        "items": _list_of(
                            _object(
                                {
                                    **item,
                                    "rating": text,
                                    "calculated_rating": text,
                                    "override": {"type": ["object", "null"]},
                                    "rationale": text,
                                }
                            )
                        ),
                        "outcomes": _list_of(_object({"id": text, "label": text, "rating": text})),
                    }
                ),
            ]
        },
        "Performance": _object(
            {
                "cases": integer,
                "conformity_percent": {"type": "number"},
                "outcomes": _list_of(
                    _object({"id": text, "label": text, "substantially_achieved": split})
                ),
                "items": _list_of(_object({**item, "strength": split})),
                "filters": {"type": "object"},
            }
        ),
    }


def document() -> dict:
    """Return the API description."""
    site = "/{jurisdiction}/{kind}"
    period = _query(
        "period", "A review period's id; one of another site is refused (400).", {"type": "integer"}
    )
    local_site = _query(
        "local_site",
        "A local site's id; one of another site is refused (400).",
        {"type": "integer"},
    )
    case_type = _query("type", "Case type.", {"type": "string", "enum": list(CASE_TYPES)})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Case review read API",
            "version": "1",
            "description": (
                "Read one site's review periods, cases, ratings and performance figures with "
                "a personal access token (made on the site's API tokens page, or with "
                "`flask tokens create`). A token carries its user's role on its one site: "
                "reviewers read their own cases; administrators, QA and observers read all."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"token": []}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(),
        },
        "paths": {
            f"{site}/periods": {
                "get": {
                    "summary": "The site's review periods",
                    "operationId": "listPeriods",
                    "parameters": SITE_PARAMS,
                    "responses": _json("Periods", "The periods, oldest first."),
                }
            },
            f"{site}/cases": {
                "get": {
                    "summary": "Cases the token's user may read, a page of 100 at a time",
                    "operationId": "listCases",
                    "parameters": [
                        *SITE_PARAMS,
                        period,
                        local_site,
                        case_type,
                        _query(
                            "status",
                            "Case status.",
                            {"type": "string", "enum": list(STATUS_LABELS)},
                        ),
                        _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
                    ],
                    "responses": _json("CaseList", "One page of cases."),
                }
            },
            f"{site}/cases/{{case_id}}": {
                "get": {
                    "summary": "One case with every item and outcome rating",
                    "operationId": "getCase",
                    "parameters": [
                        *SITE_PARAMS,
                        {
                            "name": "case_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                    ],
                    "responses": _json("Case", "The case."),
                }
            },
            f"{site}/performance": {
                "get": {
                    "summary": "Item and outcome performance (administrators, QA, observers)",
                    "operationId": "getPerformance",
                    "parameters": [
                        *SITE_PARAMS,
                        period,
                        local_site,
                        case_type,
                        _query(
                            "age",
                            "Child's age group on the first day of the period under review.",
                            {"type": "string", "enum": list(AGE_GROUPS)},
                        ),
                        _query(
                            "sex",
                            "Child's sex: a code of the instrument's demographics.",
                            {"type": "string"},
                        ),
                        _query(
                            "race",
                            "One of the child's races: a code of the instrument's demographics.",
                            {"type": "string"},
                        ),
                        _query(
                            "hispanic",
                            "Hispanic or Latino: a code of the instrument's demographics.",
                            {"type": "string"},
                        ),
                        _query("reviewer", "A reviewer's user id.", {"type": "integer"}),
                        _query(
                            "status",
                            "Which cases count.",
                            {"type": "string", "enum": list(STATUSES)},
                        ),
                    ],
                    "responses": _json("Performance", "The figures for the chosen cases."),
                }
            },
        },
    }
