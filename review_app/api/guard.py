"""Who is calling the API: the user of a personal access token, on the token's site only.

The token is read by flask-login's request loader, so ``current_user`` and the
site roles are the token user's and every object check of the pages applies
unchanged. A session cookie is not accepted here: the API knows tokens only.
"""

from flask import Request, Response, g, jsonify
from flask_login import current_user

from review_app.core.roles import keep_request_roles, roles_of
from review_app.extensions import login_manager
from review_app.members.identity import site_roles_of
from review_app.tokens import operations
from review_app.tokens.queries import from_header

API_ROOT = "/api/"


def error(status: int, message: str) -> Response:
    """Return a JSON error; a 401 says how to authenticate."""
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="review-app"'
    return response


@login_manager.request_loader
def load_token_user(request: Request):
    """On API paths, return the user of a usable token sent in the Authorization header."""
    if not request.path.startswith(API_ROOT):
        return None
    token = from_header(request.headers.get("Authorization"))
    g.api_token = token
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    keep_request_roles(token.user_id, site_roles_of(token.user_id))
    return token.user


def check_token(allowed: tuple[str, ...]) -> Response | None:
    """Apply a token rule: a usable token, for this site, whose user holds one of ``allowed``."""
    authenticated = current_user.is_authenticated  # runs the request loader
    token = g.get("api_token")
    if token is None:
        if authenticated:
            return error(401, "The API takes a personal access token only, not a session.")
        return error(401, "Send a personal access token: Authorization: Bearer <token>.")
    if token.revoked_at is not None:
        return error(401, "This token was revoked.")
    if not token.is_usable:
        return error(401, "This token has expired.")
    if not authenticated:
        return error(401, "This token's user is deactivated.")
    site = g.get("site")
    if site is None:
        return error(404, "There is no such site.")
    roles = roles_of(current_user, site)
    if site.id != token.site_id and not roles.holds("member"):
        return error(404, "There is no such site.")  # as on the pages: no hint it exists
    if token.site_id != site.id:
        return error(403, f"This token is for {token.site.label}, not {site.label}.")
    if not roles.holds("member"):
        return error(403, "The token's user no longer has a role on this site.")
    if not roles.holds(*allowed):
        return error(403, "The token's user may not read this with their role on this site.")
    operations.touch(token)
    return None
