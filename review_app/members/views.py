"""State administrators manage the people of their site."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.core.access import site_roles
from review_app.core.errors import OperationError
from review_app.core.forms import ConfirmForm
from review_app.core.once import remember, sent_before
from review_app.core.roles import ROLE_LABELS
from review_app.core.scope import scope_of
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, form_status, get_in_site, page_number, run_operation
from review_app.members import departure_operations, operations, queries
from review_app.members.forms import (
    LIMITED,
    EditMemberForm,
    GrantAccessForm,
    ImportForm,
    NewMemberForm,
    RolesMixin,
)
from review_app.members.identity import membership_scope
from review_app.members.import_job import start_people_import
from review_app.members.models import Membership
from review_app.members.scope_queries import reaches_all_of
from review_app.members.signals import qualification
from review_app.sites import queries as site_queries

bp = site_blueprint("members", __name__, "/admin/users")
NEW_INVITATION = "A new invitation is on its way to {name}; earlier links no longer work."
TWICE = "This form was sent twice; the account was created and invited once."
# Role errors point at the first role checkbox, so the summary link lands in the role group.
ROLE_FIELDS = {"roles": "state_admin"}


def _offer(form: RolesMixin) -> None:
    """Offer the site's QA levels, regions and local sites; limited people start limited."""
    form.limit_qa_levels(g.site.settings.qa_levels)
    form.offer_places(
        site_queries.regions_in_scope(g.site), site_queries.local_sites_in_scope(g.site)
    )
    restored = getattr(form, "restored", False)
    if (
        request.method == "GET"
        and not restored
        and not scope_of(current_user, g.site).is_whole_site
    ):
        form.scope.data = LIMITED


def load_membership(membership_id: int) -> Membership:
    """Load a membership of the site inside the administrator's scope, or 404.

    A state administrator limited to some local sites manages only people whose access
    lies inside theirs; the others answer as if they did not exist.
    """
    membership = get_in_site(Membership, membership_id)
    if not reaches_all_of(current_user, membership):
        abort(404)
    return membership


@bp.route("")
@site_roles("state_admin")
def index():
    filters = {
        "search": request.args.get("q", "").strip()[:80],
        "role": request.args.get("role", ""),
        "status": request.args.get("status", "active"),
        "region": request.args.get("region", ""),
    }
    per_page = 50
    page = page_number()
    rows, total = queries.members(
        g.site, page=page, per_page=per_page, within=scope_of(current_user, g.site), **filters
    )
    return render_template(
        "members/index.html",
        rows=rows,
        total=total,
        page=page,
        per_page=per_page,
        filters=filters,
        role_labels=ROLE_LABELS,
        regions=site_queries.regions_in_scope(g.site),
        scope_label=lambda m: membership_scope(m).label or "Whole site",
        confirm_form=ConfirmForm(),
        qualification=qualification(g.site, [m.user_id for m in rows]),
    )


@bp.route("/new", methods=["GET", "POST"])
@site_roles("state_admin")
def new():
    form = NewMemberForm()
    _offer(form)
    if form.validate_on_submit():
        # The first send made the account and sent its invitation, once.
        if (earlier := sent_before(TWICE)) is not None:
            return earlier
        with attempt(form, ROLE_FIELDS) as outcome:
            user = operations.create_member(
                current_user,
                g.site,
                form.username.data,
                form.display_name.data,
                form.email.data or "",
                form.role_set(),
                form.places(),
            )
        if outcome.ok:
            flash(
                f"{user.display_name} is added. An invitation to choose a password is on its "
                f"way to {user.email}.",
                "success",
            )
            return redirect(remember(url_for("members.index")))
    return render_template("members/new.html", form=form), form_status(form)


@bp.route("/grant", methods=["GET", "POST"])
@site_roles("state_admin")
def grant():
    form = GrantAccessForm()
    _offer(form)
    if form.validate_on_submit():
        user = queries.user_in_jurisdiction(form.username.data, g.site.jurisdiction)
        with attempt(form, ROLE_FIELDS) as outcome:
            if user is None:  # the same answer for an account of another state
                raise OperationError(operations.NOT_IN_STATE, "username")
            operations.grant_access(current_user, g.site, user, form.role_set(), form.places())
        if outcome.ok:
            flash(f"{user.display_name} now has access to this site.", "success")
            return redirect(url_for("members.index"))
    return render_template("members/grant.html", form=form), form_status(form)


@bp.route("/<int:membership_id>", methods=["GET", "POST"])
@site_roles("state_admin")
def edit(membership_id: int):
    membership = load_membership(membership_id)
    user = membership.user
    can_manage = operations.can_manage_account(current_user, user)
    form = EditMemberForm(obj=user)
    if not can_manage:
        # Managed on the account's other sites: neither shown nor checked here, so that
        # an address another site accepted does not block a change of roles.
        del form.display_name
        del form.email
    _offer(form)
    if request.method == "GET" and not form.restored:
        form.fill_roles(membership.roles)
        form.fill_places(operations.places_of(membership))
    elif "scope" not in request.form:  # a post without the scope field keeps the scope
        form.fill_places(operations.places_of(membership))
    if form.validate_on_submit():
        with attempt(form, ROLE_FIELDS) as outcome:
            if can_manage:
                operations.edit_member_account(
                    current_user, membership, form.display_name.data, form.email.data or ""
                )
            operations.set_access(current_user, membership, form.role_set(), form.places())
        if outcome.ok:
            flash(f"{user.display_name} saved.", "success")
            return redirect(url_for("members.index"))
    return render_template(
        "members/edit.html",
        form=form,
        membership=membership,
        can_manage=can_manage,
        confirm_form=ConfirmForm(),
        qualification=qualification(g.site, [membership.user_id]),
    ), form_status(form)


def _confirmed_action(membership_id: int, action, message: str, back_to_edit: bool = False):
    membership = load_membership(membership_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("The form expired. Please try again.", "error")
        return redirect(url_for("members.edit", membership_id=membership_id))
    if not run_operation(
        lambda: action(current_user, membership),
        message.format(name=membership.user.display_name),
    ):
        return redirect(url_for("members.edit", membership_id=membership_id))
    if back_to_edit:
        return redirect(url_for("members.edit", membership_id=membership_id))
    return redirect(url_for("members.index"))


@bp.route("/<int:membership_id>/remove", methods=["POST"])
@site_roles("state_admin")
def remove(membership_id: int):
    return _confirmed_action(
        membership_id, operations.remove_access, "{name} no longer has access to this site."
    )


@bp.route("/<int:membership_id>/depart", methods=["GET", "POST"])
@site_roles("state_admin")
def depart(membership_id: int):
    """Departure: end every access of the person this administrator can end, in one step."""
    membership = load_membership(membership_id)
    user = membership.user
    form = ConfirmForm()
    status = 200
    if form.validate_on_submit():
        with attempt(form) as outcome:
            done = departure_operations.depart(current_user, user, g.site)
        if outcome.ok:
            ended = ", ".join(m.site.label for m in done.ending) or "no site"
            flash(f"Departure of {user.display_name} recorded: access ended on {ended}.", "success")
            return redirect(url_for("members.index"))
        status = outcome.status
    elif request.method == "POST":
        form.form_errors.append("The form expired. Please try again.")
        status = 422
    departure = departure_operations.plan_departure(current_user, user, g.site)
    return render_template(
        "members/depart.html",
        membership=membership,
        departure=departure,
        form=form,
        is_self=user.id == current_user.id,
    ), status


@bp.route("/<int:membership_id>/restore", methods=["POST"])
@site_roles("state_admin")
def restore(membership_id: int):
    return _confirmed_action(
        membership_id, operations.restore_access, "{name} has access to this site again."
    )


@bp.route("/<int:membership_id>/password", methods=["POST"])
@site_roles("state_admin")
def reset_password(membership_id: int):
    """Email the member a link to choose a new password (or their invitation again)."""
    invited = load_membership(membership_id).user.is_invited
    return _confirmed_action(
        membership_id,
        operations.send_password_link,
        NEW_INVITATION if invited else "A link to choose a new password is on its way to {name}.",
        back_to_edit=True,
    )


@bp.route("/<int:membership_id>/invite", methods=["POST"])
@site_roles("state_admin")
def resend_invitation(membership_id: int):
    """Email an invited member a new invitation; the earlier links stop working."""
    return _confirmed_action(
        membership_id,
        operations.resend_invitation,
        NEW_INVITATION,
        back_to_edit=True,
    )


@bp.route("/import", methods=["GET", "POST"])
@site_roles("state_admin")
def import_csv():
    form = ImportForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            upload = form.file.data
            job = start_people_import(current_user, g.site, upload.filename or "", upload.read())
        if outcome.ok:
            # The import runs as a job; its page follows it and lists any bad row.
            return redirect(url_for("jobs.show", job_id=job.id), 303)
    status = 422 if form.errors else 200
    return render_template(
        "members/import.html",
        form=form,
        invite_days=current_app.config["INVITE_DAYS"],
        limited_to=scope_of(current_user, g.site).label,
    ), status
