"""Sign in, sign out, change password, and the list of one's sites."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_principal import AnonymousIdentity, Identity, identity_changed

from review_app.accounts import link_operations, operations
from review_app.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    SetPasswordForm,
)
from review_app.accounts.link_operations import LinkProblem, LinkRefused
from review_app.accounts.tasks import answer_reset_request
from review_app.core.access import authenticated, public
from review_app.core.roles import my_memberships
from review_app.core.unit import keep_writes, undo
from review_app.core.views import attempt, form_status, is_safe_next
from review_app.extensions import limiter

bp = Blueprint("accounts", __name__)


@bp.route("/")
@authenticated
def home():
    """List the sites the user works on."""
    memberships = my_memberships()
    if len(memberships) == 1 and not current_user.is_system_admin:
        return redirect(
            url_for(
                "sites.home",
                jurisdiction=memberships[0].site.jurisdiction.code,
                kind=memberships[0].site.kind,
            )
        )
    return render_template("accounts/home.html", memberships=memberships)


@bp.route("/favicon.ico")
@public
def favicon():
    """Serve the site icon where browsers and bookmark tools look for it without a link tag."""
    folder = current_app.static_folder
    assert folder is not None  # the app has its static folder
    return send_from_directory(folder, "favicon.ico", mimetype="image/vnd.microsoft.icon")


def _failed(response) -> bool:
    return request.method == "POST" and response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_ADDRESS_LIMIT"],
    methods=["POST"],
    deduct_when=_failed,
    error_message="Too many failed sign-ins from your address. Wait a few minutes.",
)
def login():
    """Sign in; failures count per address (any username) and per username and address."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = operations.sign_in(
            form.username.data, form.password.data, request.remote_addr or ""
        )
        if result.user is None:
            keep_writes()  # the failure count and its audit entry stand: the answer is a 422
            form.form_errors.append(result.message)
        else:
            operations.start_session(result.user)
            session.clear()
            login_user(result.user)
            identity_changed.send(bp, identity=Identity(result.user.id))
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("accounts.home"))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    operations.end_session(current_user, current_user.session_key)
    logout_user()
    session.clear()
    identity_changed.send(bp, identity=AnonymousIdentity())
    flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@authenticated
@limiter.limit(
    lambda: current_app.config["LOGIN_ADDRESS_LIMIT"],
    methods=["POST"],
    deduct_when=_failed,
    error_message="Too many failed attempts from your address. Wait a few minutes.",
)
def change_password():
    """Change one's password; the current one is checked, so failures count as sign-ins do."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            operations.change_own_password(
                current_user, form.current_password.data, form.new_password.data
            )
        if outcome.ok:
            # Every session of the user ended: give this browser a new one.
            user = current_user._get_current_object()
            operations.start_session(user)
            login_user(user)
            flash("Your password is changed. Other sessions of yours are signed out.", "success")
            return redirect(url_for("accounts.home"))
    return render_template(
        "accounts/change_password.html", form=form
    ), 200 if not form.errors else 422


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["RESET_ADDRESS_LIMIT"],
    methods=["POST"],
    error_message="Too many requests for a new password from your address. Wait a few minutes.",
)
def forgot_password():
    """Send a reset link; the answer is the same whether or not an account matches."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # The worker looks the account up: this answer takes the same time either way.
        answer_reset_request(form.username.data[:254], request.remote_addr or "")
        return redirect(url_for("accounts.forgot_password", asked=1), 303)
    return render_template(
        "accounts/forgot_password.html",
        form=form,
        asked=request.method == "GET" and request.args.get("asked") == "1",
        hours=current_app.config["RESET_HOURS"],
    ), form_status(form)


LINK_PROBLEMS = {
    LinkProblem.MALFORMED: "This link is not complete or not valid. If you copied it from an "
    "email, check that you copied all of it.",
    LinkProblem.USED: "This link has been used already: each link works once.",
    LinkProblem.EXPIRED: "This link has expired, or a newer link was sent after it.",
    LinkProblem.DEACTIVATED: "The account of this link is deactivated. Ask a state "
    "administrator of your site to give you access again.",
}


def _link_problem(problem: LinkProblem):
    status = 404 if problem == LinkProblem.MALFORMED else 410
    return render_template("accounts/link_problem.html", message=LINK_PROBLEMS[problem]), status


@bp.route("/password/set/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    """Set a password from an emailed invitation or reset link, then sign in with it."""
    try:
        checked = link_operations.check_link(token)
    except LinkRefused as refused:
        return _link_problem(refused.problem)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            with attempt(form) as outcome:
                link_operations.use_link(token, form.new_password.data)
        except LinkRefused as refused:  # used by another click a moment ago
            undo()
            return _link_problem(refused.problem)
        if outcome.ok:
            # Whoever this browser was signed in as signs in afresh, as the link's person.
            if current_user.is_authenticated:
                logout_user()
                session.clear()
                identity_changed.send(bp, identity=AnonymousIdentity())
            flash("Your password is set. Sign in with it.", "success")
            return redirect(url_for("accounts.login"))
    page = render_template("accounts/set_password.html", form=form, user=checked.user)
    return page, form_status(form)
