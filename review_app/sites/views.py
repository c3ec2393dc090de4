"""A site's home page and its local sites."""

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from review_app.core.access import site_roles
from review_app.core.once import remember, sent_before
from review_app.core.roles import roles_of
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, form_status, get_in_site
from review_app.sites import operations, queries
from review_app.sites.forms import LocalSiteForm, PrivacyForm
from review_app.sites.models import LocalSite

bp = site_blueprint("sites", __name__)


@bp.route("/")
@site_roles("member")
def home():
    roles = roles_of(current_user, g.site)
    return render_template("sites/home.html", roles=roles, is_admin=roles.is_state_admin)


@bp.route("/local-sites")
@site_roles("member")
def local_sites():
    return render_template(
        "sites/local_sites.html",
        local_sites=queries.local_sites(g.site),
        can_edit=roles_of(current_user, g.site).holds("state_admin"),
    )


@bp.route("/local-sites/new", methods=["GET", "POST"])
@site_roles("state_admin")
def new_local_site():
    form = LocalSiteForm()
    if form.validate_on_submit():
        if (earlier := sent_before()) is not None:
            return earlier
        with attempt(form) as outcome:
            local_site = operations.create_local_site(
                current_user, g.site, form.code.data, form.name.data, form.is_active.data
            )
        if outcome.ok:
            remember(url_for("sites.local_sites"))
            flash(f"Local site {local_site.name} added.", "success")
            return redirect(url_for("sites.local_sites"))
    return render_template("sites/local_site_form.html", form=form, local_site=None), form_status(
        form
    )


@bp.route("/local-sites/<int:local_site_id>", methods=["GET", "POST"])
@site_roles("state_admin")
def edit_local_site(local_site_id: int):
    local_site = get_in_site(LocalSite, local_site_id)
    form = LocalSiteForm(obj=local_site)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            operations.update_local_site(
                current_user, local_site, form.code.data, form.name.data, form.is_active.data
            )
        if outcome.ok:
            flash(f"Local site {local_site.name} saved.", "success")
            return redirect(url_for("sites.local_sites"))
    return render_template(
        "sites/local_site_form.html", form=form, local_site=local_site
    ), form_status(form)


@bp.route("/privacy", methods=["GET", "POST"])
@site_roles("state_admin")
def privacy():
    form = PrivacyForm(obj=g.site)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            operations.set_small_cell_minimum(current_user, g.site, form.small_cell_minimum.data)
        if outcome.ok:
            flash("Privacy setting saved.", "success")
            return redirect(url_for("sites.privacy"))
    return render_template("sites/privacy.html", form=form), form_status(form)
