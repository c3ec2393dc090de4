"""Error pages: a clear message in the site's layout, never a stack trace."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from review_app.extensions import db

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
    429: (
        "Too many attempts",
        "Too many requests came from your address. Wait a few minutes, then try again.",
    ),
    500: ("Something went wrong on our side", "Nothing was saved. Try again in a moment."),
}


def _render(code: int, detail: str | None = None):
    title, text = MESSAGES.get(code, (f"Error {code}", ""))
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def init_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(
            400,
            "The form expired or was sent from another page. Go back, reload the "
            "page and send it again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # By class, not by code, so a blueprint's own handler (the API's JSON) still wins.
        # A 429 gets its Retry-After from Flask-Limiter.
        if error.code == 413 and (limit := app.config.get("MAX_CONTENT_LENGTH")):
            return _render(413, f"{MESSAGES[413][1]} The limit is {limit // (1024 * 1024)} MB.")
        return _render(error.code or 500)

    @app.errorhandler(IntegrityError)
    def clash(error: IntegrityError):
        # Two requests passed the same checks at once (a double click, two people);
        # the database's unique constraints kept one. Say so instead of failing.
        db.session.rollback()
        return _render(409)

    if app.testing:
        return  # let tests see the real exception

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return _render(500)
