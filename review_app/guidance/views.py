"""The glossary page: every member of a site reads the instrument's guidance and searches it."""

from flask import g, render_template, request

from review_app.core.access import site_roles
from review_app.core.sitectx import site_blueprint
from review_app.guidance import queries
from review_app.instruments.catalog import get_instrument
from review_app.instruments.loader import InstrumentError

bp = site_blueprint("guidance", __name__, "/glossary")

MAX_QUERY = 200


@bp.route("")
@site_roles("member")
def glossary():
    versions = queries.glossary_versions(g.site)
    names = [v for v, _title in versions]
    asked = request.args.get("version", "")
    version = asked if asked in names else (names[0] if names else None)
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    try:
        instrument = get_instrument(version) if version else None
    except InstrumentError:
        instrument = None  # `flask instruments check` names the fault; show no guidance
    entries = queries.search(instrument, query) if instrument else []
    return render_template(
        "guidance/glossary.html",
        instrument=instrument,
        versions=versions,
        version=version,
        query=query,
        entries=entries,
        found=sum(len(e.terms) + len(e.questions) + e.purpose for e in entries),
    )
