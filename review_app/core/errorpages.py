"""Error pages: a clear message in the site's layout, never a stack trace."""

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from review_app.core.outage import OUTAGE_ERRORS, close_session, is_outage, unavailable
from review_app.extensions import db

# What the drafts domain gives to answer an expired form (drafts.hooks.form_expired):
# the same form again, or None. Core does not import the domains above it.
KEEP_EXPIRED_FORM = "keep_expired_form"

MESSAGES = {
    400: ("Something in the request was wrong", "Go back, check what you entered and try again."),
    403: (
        "You do not have access to this page",
        "Your roles on this site do not allow it. Ask a state administrator if you need access.",
    ),
    404: (
        "Page not found",
        "The address may be mistyped, or the page is not on a site you work on.",
    ),
    405: ("That action is not available here", "Use the buttons and links on the page."),
    409: (
        "Someone else saved the same thing at the same moment",
        "Nothing of yours was saved. Go back, reload the page to see what is there now, "
        "and try again.",
    ),
    413: (
        "What you sent is too large",
        "Files and forms have a size limit. Go back and choose a smaller file or send less text.",
    ),
    415: (
        "That kind of request is not taken here",
        "Send the form from its page in the browser.",
    ),
    429: (
        "Too many attempts",
        "Too many requests came from your address. Wait a few minutes, then try again.",
    ),
    500: ("Something went wrong on our side", "Nothing was saved. Try again in a moment."),
}


API_ROOT = "/api/"


def _render(code: int, detail: str | None = None) -> Response | tuple[str, int]:
    title, text = MESSAGES.get(code, (f"Error {code}", ""))
    if request.path.startswith(API_ROOT):
        # Scripts read the API: every answer under it is JSON, errors included.
        response = jsonify({"error": detail or title, "status": code})
        response.status_code = code
        return response
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def error_answer(code: int, detail: str | None = None) -> Response:
    """Answer ``code`` as the error page, or as JSON under the API."""
    return make_response(_render(code, detail))


def conflict_answer() -> Response:
    """Answer 409: someone else saved the same thing at the same moment; nothing was saved."""
    return error_answer(409)


def init_error_pages(app: Flask) -> None:
    def outage(error: Exception) -> ResponseReturnValue:
        if request.endpoint == "system.health":
            return {"status": "ok"}  # liveness: the process answers, whatever the database does
        return unavailable()

    for kind in OUTAGE_ERRORS:
        app.register_error_handler(kind, outage)
    # Runs before Flask-SQLAlchemy's teardown (registered earlier; teardowns run in reverse).
    app.teardown_appcontext(close_session)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        keep = app.extensions.get(KEEP_EXPIRED_FORM)
        kept: ResponseReturnValue | None = keep() if keep is not None else None
        if kept is not None:
            return kept  # the same form again, with what was typed and a fresh token
        return _render(
            400,
            "The form expired or was sent from another page. Go back, reload the "
            "page and send it again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if is_outage(getattr(error, "original_exception", None)):
            return unavailable()
        detail = None
        if error.code == 413 and (limit := app.config.get("MAX_CONTENT_LENGTH")):
            detail = f"{MESSAGES[413][1]} The limit is {limit // (1024 * 1024)} MB."
        try:
            answer = _render(error.code or 500, detail)
        except OUTAGE_ERRORS:
            # The layout reads the user and their sites: the database went away meanwhile.
            return unavailable()
        if not isinstance(answer, tuple):  # JSON for the API: keep Allow, Retry-After ...
            for name, value in error.get_headers():
                if name.lower() != "content-type":
                    answer.headers[name] = value
        return answer

    @app.errorhandler(IntegrityError)
    def clash(error: IntegrityError) -> ResponseReturnValue:
        # Two requests passed the same checks at once (a double click, two people);
        # the database's unique constraints kept one. Say so instead of failing.
        db.session.rollback()
        return _render(409)

    if app.testing:
        return  # let tests see the real exception

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        if is_outage(error):
            return unavailable()
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return _render(500)
