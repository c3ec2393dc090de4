"""A person's API tokens on the current site: list, make (secret shown once), revoke."""

from flask import abort, g, redirect, render_template, url_for
from flask_login import current_user

from review_app.core.access import site_roles
from review_app.core.once import remember, sent_before
from review_app.core.sitectx import site_blueprint
from review_app.core.views import attempt, form_status, run_operation
from review_app.extensions import db
from review_app.tokens import operations, queries
from review_app.tokens.forms import TokenForm
from review_app.tokens.models import ApiToken

bp = site_blueprint("tokens", __name__, "/tokens")

SENT_TWICE = (
    "The form was sent twice; one token was made, and its secret was shown in answer to the "
    "first send only. If you did not copy it, revoke that token and make another."
)


def _page(form: TokenForm, secret: str = "", status: int = 200):
    return (
        render_template(
            "tokens/index.html",
            form=form,
            secret=secret,
            tokens=queries.tokens_of(current_user.id, g.site.id),
        ),
        status,
    )


@bp.route("")
@site_roles("member")
def index():
    return _page(TokenForm())


@bp.route("", methods=["POST"])
@site_roles("member")
def create():
    form = TokenForm()
    if form.validate_on_submit():
        if (earlier := sent_before(SENT_TWICE)) is not None:
            return earlier
        with attempt(form) as outcome:
            _, secret = operations.create_token(
                current_user, current_user, g.site, form.name.data, form.days.data
            )
            remember(url_for("tokens.index"))
        if outcome.ok:
            return _page(TokenForm(formdata=None), secret)
    return _page(form, status=form_status(form))


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@site_roles("member")
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.site_id != g.site.id or token.user_id != current_user.id:
        abort(404)
    run_operation(
        lambda: operations.revoke_token(current_user, token),
        f"Token “{token.name}” revoked; it no longer works.",
    )
    return redirect(url_for("tokens.index"))
