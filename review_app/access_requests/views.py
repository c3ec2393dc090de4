"""Asking for access (any signed-in person) and deciding requests (state administrators)."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.access_requests import operations, queries
from review_app.access_requests.forms import DeclineForm, RequestForm
from review_app.access_requests.models import AccessRequest
from review_app.access_requests.states import RequestStatus
from review_app.core.access import authenticated, site_roles
from review_app.core.forms import ConfirmForm
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, form_status, get_in_site, run_operation
from review_app.extensions import db
from review_app.sites.queries import local_sites, regions, site_by_slug

bp = Blueprint("access_requests", __name__, url_prefix="/access")
admin_bp = site_blueprint("access_admin", __name__, "/admin/access-requests")
# Role errors point at the first role checkbox; scope errors at the first choice of part.
FIELDS = {"roles": "state_admin", "scope": "scope"}
NO_SITE = "There is no such site. Choose one from the list."


@bp.route("/requests")
@authenticated
def mine():
    return render_template(
        "access_requests/mine.html",
        requests=queries.mine(current_user),
        pending=RequestStatus.PENDING,
        confirm_form=ConfirmForm(),
    )


@bp.route("/request")
@authenticated
def choose_site():
    """Choose the site to ask for (a GET form: the choice leads to the request's form)."""
    sites = queries.all_sites()
    chosen = request.args.get("site", "")
    error = ""
    if chosen:
        code, _, kind = chosen.partition("/")
        site = site_by_slug(code, kind) if code and kind else None
        if site is not None:
            return redirect(url_for("access_requests.ask", jurisdiction=code, kind=kind))
        error = NO_SITE
    return render_template(
        "access_requests/choose.html", sites=sites, chosen=chosen, error=error
    ), (422 if error else 200)


@bp.route("/request/<jurisdiction>/<kind>", methods=["GET", "POST"])
@authenticated
def ask(jurisdiction: str, kind: str):
    site = site_by_slug(jurisdiction, kind)
    if site is None:
        flash(NO_SITE, "error")
        return redirect(url_for("access_requests.choose_site"))
    form = RequestForm()
    form.limit_qa_levels(site.settings.qa_levels)
    form.offer_places(regions(site), local_sites(site, active_only=True))
    if form.validate_on_submit():
        with attempt(form, FIELDS) as outcome:
            places = form.places()
            operations.submit_request(
                current_user,
                site,
                form.role_set(),
                places is not None,
                *(places or ([], [])),
                form.reason.data or "",
            )
        if outcome.ok:
            flash(
                f"Your request for access to {site.label} is sent. Its administrators are "
                "told; you are emailed their decision.",
                "success",
            )
            return redirect(url_for("access_requests.mine"))
    return render_template("access_requests/ask.html", form=form, site=site), form_status(form)


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
@authenticated
def withdraw(request_id: int):
    asked = db.session.get(AccessRequest, request_id)
    if asked is None or asked.user_id != current_user.id:
        abort(404)  # another person's request is not shown to exist
    if not ConfirmForm().validate_on_submit():
        flash("The form expired. Please try again.", "error")
    else:
        run_operation(
            lambda: operations.withdraw_request(current_user, asked),
            f"Your request for access to {asked.site.label} is withdrawn.",
        )
    return redirect(url_for("access_requests.mine"))


def _load_decidable(request_id: int) -> AccessRequest:
    """The site's request, if the administrator may decide it; else 404 as if absent."""
    asked = get_in_site(AccessRequest, request_id)
    if not queries.may_decide(current_user, asked):
        abort(404)
    return asked


@admin_bp.route("")
@site_roles("state_admin")
def index():
    return render_template(
        "access_requests/index.html", requests=queries.pending_for(g.site, current_user)
    )


def _show(asked: AccessRequest, decline_form: DeclineForm, status: int = 200):
    return render_template(
        "access_requests/show.html",
        asked=asked,
        pending=asked.status == RequestStatus.PENDING,
        decline_form=decline_form,
        confirm_form=ConfirmForm(),
    ), status


@admin_bp.route("/<int:request_id>")
@site_roles("state_admin")
def show(request_id: int):
    # A reason typed into a form sent after the session ended comes back here.
    form = DeclineForm(draft_action=url_for("access_admin.decline", request_id=request_id))
    return _show(_load_decidable(request_id), form)


@admin_bp.route("/<int:request_id>/approve", methods=["POST"])
@site_roles("state_admin")
def approve(request_id: int):
    asked = _load_decidable(request_id)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired. Please try again.", "error")
        return redirect(url_for("access_admin.show", request_id=asked.id))
    name = asked.user.display_name
    if run_operation(
        lambda: operations.approve_request(current_user, asked),
        f"{name} now has the access they asked for; they are emailed.",
    ):
        return redirect(url_for("access_admin.index"))
    return redirect(url_for("access_admin.show", request_id=asked.id))


@admin_bp.route("/<int:request_id>/decline", methods=["POST"])
@site_roles("state_admin")
def decline(request_id: int):
    asked = _load_decidable(request_id)
    form = DeclineForm()
    if form.validate_on_submit():
        name = asked.user.display_name
        with attempt(form) as outcome:
            operations.decline_request(current_user, asked, form.decision_reason.data or "")
        if outcome.ok:
            flash(f"The request of {name} is declined; they are emailed your reason.", "success")
            return redirect(url_for("access_admin.index"))
        db.session.refresh(asked)
        return _show(asked, form, outcome.status)
    return _show(asked, form, form_status(form))
