"""Load a case named in a URL, for the pages of every domain (cases, ratings, QA, reports ...)."""

from flask import abort, g
from flask_login import current_user

from review_app.cases import queries
from review_app.cases.models import Case
from review_app.cases.permissions import can_view
from review_app.core.scope import current_scope


def load_case(case_id: int) -> Case:
    """Load a case of the current site that the user may read, or 404/403."""
    case = queries.case_with_details(case_id)
    if case is None or case.site_id != g.site.id:
        abort(404)
    if not current_scope(g.site).covers(case.local_site_id):
        abort(404)  # outside the person's regions: as if it did not exist
    if not can_view(case, current_user):
        abort(403)
    return case
