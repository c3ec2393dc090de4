"""A site's home page, its local sites and their regions."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from review_app.core.access import holds_site_wide, site_roles, site_wide_roles
from review_app.core.forms import ConfirmForm
from review_app.core.once import remember, sent_before
from review_app.core.roles import roles_of
from review_app.core.scope import scope_of
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, form_status, get_in_site, run_operation
from review_app.sites import operations, queries, region_operations
from review_app.sites.forms import LocalSiteForm, PrivacyForm, RegionForm, RegionImportForm
from review_app.sites.models import LocalSite, Region
from review_app.sites.signals import people_limited_to

bp = site_blueprint("sites", __name__)


@bp.route("/")
@site_roles("member")
def home():
    roles = roles_of(current_user, g.site)
    return render_template(
        "sites/home.html",
        roles=roles,
        is_admin=roles.is_state_admin,
        is_site_wide=scope_of(current_user, g.site).is_whole_site,
    )


@bp.route("/local-sites")
@site_roles("member")
def local_sites():
    return render_template(
        "sites/local_sites.html",
        local_sites=queries.local_sites_in_scope(g.site),
        can_edit=holds_site_wide(current_user, g.site, "state_admin"),
    )


@bp.route("/local-sites/new", methods=["GET", "POST"])
@site_wide_roles("state_admin")
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
@site_wide_roles("state_admin")
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
@site_wide_roles("state_admin")
def privacy():
    form = PrivacyForm(obj=g.site)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            operations.set_small_cell_minimum(current_user, g.site, form.small_cell_minimum.data)
        if outcome.ok:
            flash("Privacy setting saved.", "success")
            return redirect(url_for("sites.privacy"))
    return render_template("sites/privacy.html", form=form), form_status(form)


@bp.route("/regions")
@site_wide_roles("state_admin")
def regions():
    return render_template(
        "sites/regions.html",
        regions=queries.regions(g.site),
        outside=[local for local in queries.local_sites(g.site) if local.region_id is None],
        confirm_form=ConfirmForm(),
    )


@bp.route("/regions/new", methods=["GET", "POST"])
@site_wide_roles("state_admin")
def new_region():
    return _region_form(None)


@bp.route("/regions/<int:region_id>", methods=["GET", "POST"])
@site_wide_roles("state_admin")
def edit_region(region_id: int):
    return _region_form(get_in_site(Region, region_id))


def _region_form(region: Region | None):
    form = RegionForm(obj=region)
    local_sites = queries.local_sites(g.site)
    form.offer_local_sites(local_sites, region)
    if region is not None and request.method == "GET" and not form.restored:
        form.local_site_ids.data = [local.id for local in region.local_sites]
    if form.validate_on_submit():
        if region is None and (earlier := sent_before()) is not None:
            return earlier
        chosen = [local for local in local_sites if local.id in set(form.local_site_ids.data or [])]
        moved = [local for local in chosen if local.region_id not in (None, region and region.id)]
        with attempt(form, {"local_sites": "local_site_ids"}) as outcome:
            if region is None:
                region = region_operations.create_region(
                    current_user, g.site, form.code.data, form.name.data, chosen
                )
                remember(url_for("sites.regions"))
            else:
                region_operations.update_region(
                    current_user, region, form.code.data, form.name.data, chosen
                )
        if outcome.ok and region is not None:
            flash(_saved_message(region, moved), "success")
            return redirect(url_for("sites.regions"))
    return render_template(
        "sites/region_form.html",
        form=form,
        region=region,
        limited_people=people_limited_to(region) if region is not None else [],
    ), form_status(form)


def _saved_message(region: Region, moved: list[LocalSite]) -> str:
    message = f"Region {region.name} saved."
    if moved:
        message += (
            " Moved to it from their former region: "
            + ", ".join(local.name for local in moved)
            + "."
        )
    return message


@bp.route("/regions/<int:region_id>/remove", methods=["POST"])
@site_wide_roles("state_admin")
def remove_region(region_id: int):
    region = get_in_site(Region, region_id)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired. Please try again.", "error")
    else:
        name = region.name
        run_operation(
            lambda: region_operations.remove_region(current_user, region),
            f"Region {name} removed; its local sites are in no region now.",
        )
    return redirect(url_for("sites.regions"))


@bp.route("/regions/import", methods=["GET", "POST"])
@site_wide_roles("state_admin")
def import_regions():
    form = RegionImportForm()
    faults: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        with attempt(form) as outcome:
            faults = region_operations.import_regions(
                current_user, g.site, upload.filename or "", upload.read()
            )
        if outcome.ok and not faults:
            flash(f"Regions imported from {upload.filename}.", "success")
            return redirect(url_for("sites.regions"), 303)
    status = 422 if form.errors or faults else 200
    return render_template("sites/region_import.html", form=form, faults=faults), status
