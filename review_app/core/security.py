"""Security headers, cookie flags and caching rules that every response follows.

flask-talisman writes the headers. The policy allows scripts and styles from this
site's own files only: the templates carry no inline ``<script>``, no ``on*=``
handlers and no ``style=`` attributes (tests/core/test_security_headers.py checks
the templates), so neither ``'unsafe-inline'`` is needed. Images may be ``data:``
URIs (the server-drawn charts and USWDS icons).
"""

from flask import Flask, Response, current_app, request
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from review_app.extensions import limiter

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Nothing here uses these browser features; a framed or injected page cannot either.
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth")
}


def cookies_are_secure(app: Flask) -> bool:
    """Say whether cookies travel over HTTPS only: yes, unless set off or in development."""
    chosen = app.config.get("COOKIE_SECURE")
    if chosen is None:
        return not (app.debug or app.testing)
    return bool(chosen)


def no_store(response: Response) -> Response:
    """Keep every page and download out of browser and proxy caches; static files excepted.

    Pages and downloads carry case data that must not stay on a shared computer.
    """
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def strict_transport(response: Response) -> Response:
    """Send HSTS on requests that came over HTTPS, as the configured proxies tell it."""
    if request.is_secure:
        seconds = current_app.config["HSTS_SECONDS"]
        response.headers["Strict-Transport-Security"] = f"max-age={seconds}"
    return response


def retry_after_only_when_refused(response: Response) -> Response:
    """Drop the Retry-After Flask-Limiter puts on every limited answer, except refusals.

    On a 200 or a 422 it would tell clients to wait when nothing was refused.
    """
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response


def init_request_limits(app: Flask) -> None:
    """Trust the configured number of proxies for the client address; count per address.

    Without proxies (``PROXY_COUNT`` 0) X-Forwarded-For is ignored: anyone can send it.
    """
    if proxies := app.config["PROXY_COUNT"]:
        # Flask's documented way to add WSGI middleware; mypy sees a method replaced.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies
        )
    app.after_request(retry_after_only_when_refused)  # runs after the limiter's own
    limiter.init_app(app)


def init_security(app: Flask) -> None:
    """Set cookie flags, then have every response carry the security headers."""
    secure = cookies_are_secure(app)
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    # One Talisman per app: it keeps its options, and the app, on itself.
    app.extensions["talisman"] = Talisman(
        app,
        # TLS ends at the reverse proxy, which redirects plain HTTP; `make run` is plain HTTP.
        force_https=False,
        # Talisman would also trust an X-Forwarded-Proto header from anyone; strict_transport
        # below trusts only what request.is_secure says (ProxyFix with PROXY_COUNT).
        strict_transport_security=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        feature_policy={},
        document_policy={},
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        x_content_type_options=True,
        x_xss_protection=False,  # obsolete; the CSP protects instead
    )
    app.after_request(no_store)
    app.after_request(strict_transport)
    init_request_limits(app)
