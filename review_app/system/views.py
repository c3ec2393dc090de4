"""Pages for system administrators; they see structure and accounts, never case data."""

import tempfile

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from review_app.accounts import operations as accounts
from review_app.accounts.models import User
from review_app.audit.logpage import render_log
from review_app.backup import operations as backup
from review_app.core.access import public, system_admin_only
from review_app.core.errors import OperationError
from review_app.core.forms import ConfirmForm
from review_app.core.once import remember, sent_before
from review_app.core.outage import readiness
from review_app.core.views import attempt, form_status, page_number
from review_app.extensions import db
from review_app.members import operations as members
from review_app.members.queries import user_by_username
from review_app.sites import operations as sites
from review_app.sites.queries import jurisdiction_by_code
from review_app.system import queries
from review_app.system.forms import JurisdictionForm, StateAdminForm

bp = Blueprint("system", __name__, url_prefix="/system")


@bp.route("/")
@system_admin_only
def index():
    return render_template(
        "system/index.html",
        jurisdictions=queries.jurisdictions(),
        form=JurisdictionForm(draft_action=url_for("system.new_jurisdiction")),
    )


@bp.route("/jurisdictions", methods=["POST"])
@system_admin_only
def new_jurisdiction():
    form = JurisdictionForm()
    if form.validate_on_submit():
        if (earlier := sent_before()) is not None:
            return earlier
        with attempt(form) as outcome:
            jurisdiction = sites.create_jurisdiction(current_user, form.code.data, form.name.data)
        if outcome.ok:
            remember(url_for("system.jurisdiction", code=jurisdiction.code))
            flash(
                f"{jurisdiction.name} and its three sites are created. Name its state "
                "administrators next.",
                "success",
            )
            return redirect(url_for("system.jurisdiction", code=jurisdiction.code))
    return render_template(
        "system/index.html", jurisdictions=queries.jurisdictions(), form=form
    ), 422


@bp.route("/jurisdictions/<code>", methods=["GET", "POST"])
@system_admin_only
def jurisdiction(code: str):
    found = jurisdiction_by_code(code)
    if found is None:
        abort(404)
    form = StateAdminForm()
    if form.validate_on_submit():
        user = user_by_username(form.username.data)
        with attempt(form) as outcome:
            if user is None:
                raise OperationError(
                    "There is no account with that username. Create it first "
                    "with 'flask users add'.",
                    "username",
                )
            for site in found.sites:
                if site.kind in form.kinds.data:
                    members.name_state_admin(current_user, site, user)
        if outcome.ok:
            flash(f"{user.display_name} is a state administrator there now.", "success")
            return redirect(url_for("system.jurisdiction", code=code))
    return render_template(
        "system/jurisdiction.html",
        jurisdiction=found,
        form=form,
        admins=queries.state_admins(found),
        export_form=ConfirmForm(),
    ), form_status(form)


@bp.route("/jurisdictions/<code>/export", methods=["POST"])
@system_admin_only
def export_jurisdiction(code: str):
    """Send every row of the jurisdiction as a zip of CSV files (written to a temporary file)."""
    found = jurisdiction_by_code(code)
    if found is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        flash("The export was not made: the form expired. Try again.", "error")
        return redirect(url_for("system.jurisdiction", code=code))
    # Not a with-block: send_file closes it once the response is sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        manifest = backup.export_jurisdiction(current_user, found, spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    stamp = manifest["created_at"][:10]
    response = send_file(
        spool,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{found.code}-export-{stamp}.zip",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/accounts")
@system_admin_only
def accounts_index():
    search = request.args.get("q", "").strip()[:80]
    page = page_number()
    rows, total = queries.accounts(search, page, 50)
    return render_template(
        "system/accounts.html",
        rows=rows,
        total=total,
        page=page,
        per_page=50,
        search=search,
        confirm_form=ConfirmForm(),
    )


@bp.route("/accounts/<int:user_id>/active", methods=["POST"])
@system_admin_only
def set_active(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        active = request.form.get("active") == "1"
        if user.id == current_user.id and not active:
            flash("You cannot deactivate your own account.", "error")
        else:
            accounts.set_account_active(current_user, user, active)
            state = "active" if active else "deactivated"
            flash(f"{user.display_name} ({user.username}) is {state}.", "success")
    return redirect(url_for("system.accounts_index"))


@bp.route("/audit")
@system_admin_only
def audit():
    return render_log(None, "system/audit.html")


@bp.route("/health")
@public
def health():
    """Answer that the application is up (liveness, for load balancers; touches no data)."""
    return {"status": "ok"}


@bp.route("/ready")
@public
def ready():
    """Answer whether requests can be served: the database answers (readiness)."""
    return readiness()
