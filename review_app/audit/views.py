"""The audit log of a site, for its state administrators."""

from flask import g

from review_app.audit.logpage import render_log
from review_app.core.access import site_wide_roles
from review_app.core.sitectx import site_blueprint

bp = site_blueprint("audit", __name__, "/admin/audit")


@bp.route("")
@site_wide_roles("state_admin")
def index():
    return render_log(g.site.id, "audit/index.html")
