"""While the database cannot be reached: a 503 that needs no database, and a readiness check.

Any statement can fail when PostgreSQL restarts, including the ones that load
the signed-in user before the view runs. The answer is rendered from a page
that reads neither the user nor the site, so it still renders; the session is
rolled back and dropped so the next request starts clean (``pool_pre_ping``
replaces the dead pooled connections). Nothing is acknowledged unless its
commit returned, so a write that met the outage is answered 503 and not lost
silently: the user is told to send it again.
"""

from flask import Response, current_app, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from review_app.config import APP_NAME
from review_app.extensions import db

# Seconds a client is asked to wait; a PostgreSQL restart takes a few.
RETRY_AFTER = 15
OUTAGE_ERRORS = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


def is_outage(error: BaseException | None) -> bool:
    """Tell whether ``error`` (or what caused it) means the database cannot be reached."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def forget_session() -> None:
    """Roll back and drop the request's session; its connection may be dead."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the connection is gone; dropping it is all that is left)
        current_app.logger.info("Rollback after a database outage failed", exc_info=True)
    db.session.remove()


def close_session(_error: BaseException | None = None) -> None:
    """End the request's session, even when the server ended its connection meanwhile.

    Registered after Flask-SQLAlchemy's own teardown, so it runs first: a
    connection killed by a restart between the commit and the end of the
    request would otherwise raise from the teardown, after the response was
    made, and the server would answer a bare 500 for a write that was saved.
    """
    try:
        db.session.remove()
    except OUTAGE_ERRORS + (DBAPIError,):
        current_app.logger.info("Closing the session after a database outage failed", exc_info=True)
        db.session.registry.clear()  # the connection was invalidated; drop the session too


def unavailable() -> Response:
    """Return the 503 answer: JSON for the API and the checks, else a page without the database."""
    forget_session()
    current_app.logger.warning("Database unavailable for %s %s", request.method, request.path)
    if request.endpoint == "system.ready":
        response = jsonify({"status": "unavailable", "database": "unavailable"})
        response.status_code = 503
    elif request.path.startswith("/api/"):
        response = jsonify(
            {
                "error": "The service is briefly unavailable. Try again in a moment.",
                "status": 503,
            }
        )
        response.status_code = 503
    else:
        # Rendered without the context processors: they read the user and the site.
        template = current_app.jinja_env.get_template("errors/unavailable.html")
        html = template.render(app_name=APP_NAME, retry_after=RETRY_AFTER)
        response = Response(html, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


def readiness() -> Response:
    """Return 200 when the database answers a trivial statement, else the readiness 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except DBAPIError:
        return unavailable()
    return jsonify({"status": "ready", "database": "ok"})
