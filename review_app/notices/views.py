"""Notifications pages: a person's notices on the site, opening one (a POST marks it
read), marking all read, and how they want to be emailed."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from review_app.core.access import site_roles
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, form_status, is_safe_next, page_number
from review_app.notices import operations, queries
from review_app.notices.forms import PreferencesForm
from review_app.notices.models import Notice

bp = site_blueprint("notices", __name__, "/notifications")


@bp.route("")
@site_roles("member")
def index():
    page = page_number()
    notices, total = queries.notices_of(current_user, g.site, page)
    return render_template(
        "notices/index.html",
        notices=notices,
        page=page,
        per_page=queries.PAGE_SIZE,
        total=total,
        delivery=queries.deliveries([current_user.id], g.site)[current_user.id],
    )


def _mine(notice_id: int) -> Notice:
    notice = queries.notice_of(current_user, g.site, notice_id)
    if notice is None:
        abort(404)
    return notice


def _onward(notice: Notice, code: int):
    return redirect(notice.link if is_safe_next(notice.link) else url_for("notices.index"), code)


@bp.route("/<int:notice_id>")
@site_roles("member")
def open(notice_id: int):  # noqa: A001  (the route's name: opening a notice)
    """Lead to the notice's page (emails link here); a GET marks nothing read."""
    return _onward(_mine(notice_id), 302)


@bp.route("/<int:notice_id>/open", methods=["POST"])
@site_roles("member")
def read(notice_id: int):
    """The list's "Open" button: mark the notice read, then lead to its page."""
    notice = _mine(notice_id)
    operations.mark_read(current_user, notice)
    return _onward(notice, 303)


@bp.route("/read", methods=["POST"])
@site_roles("member")
def mark_all_read():
    count = operations.mark_all_read(current_user, g.site)
    flash(
        f"{count} notification{'s' if count != 1 else ''} marked read."
        if count
        else "Every notification was read already.",
        "success",
    )
    return redirect(url_for("notices.index"), 303)


@bp.route("/preferences", methods=["GET", "POST"])
@site_roles("member")
def preferences():
    form = PreferencesForm()
    if not form.is_submitted():
        form.delivery.data = queries.deliveries([current_user.id], g.site)[current_user.id].value
    if form.validate_on_submit():
        with attempt(form) as outcome:
            operations.set_delivery(current_user, g.site, form.delivery.data)
        if outcome.ok:
            flash("Your choice is saved.", "success")
            return redirect(url_for("notices.preferences"), 303)
    return render_template("notices/preferences.html", form=form), form_status(form)
