"""Access rules: every route declares one, and a request without one is refused.

A view is marked with one of the decorators below. ``enforce_access`` runs
before every request, looks up the rule of the matched view and applies it, so
a route added without a rule is denied (403) rather than left open.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from flask import abort, current_app, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_principal import Permission, RoleNeed

from review_app.core.roles import ROLE_CODES, roles_of
from review_app.core.scope import scope_of
from review_app.extensions import login_manager

View = TypeVar("View", bound=Callable[..., Any])

SystemAdminNeed = RoleNeed("system_admin")
# The key under which the API registers how a token rule is applied (api/guard.py):
# core does not import the API; a token route with nothing registered is refused.
TOKEN_CHECK = "access_token_check"

SITE_ROLES = ("member", *ROLE_CODES)  # "member": any role on the site

# Pages a user who must change their password may still reach.
_PASSWORD_CHANGE_ENDPOINTS = {"accounts.change_password", "accounts.logout", "static"}


@dataclass(frozen=True)
class AccessRule:
    """Who may call a view: anyone, any signed-in user, system admins, or site roles."""

    kind: Literal["public", "authenticated", "system_admin", "site", "token"]
    roles: tuple[str, ...] = ()
    # Site settings (regions, local sites, periods, privacy): for people whose access
    # reaches the whole site; someone limited to some local sites is refused (403).
    whole_site: bool = False


def _mark(rule: AccessRule) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorate


public = _mark(AccessRule("public"))
authenticated = _mark(AccessRule("authenticated"))
system_admin_only = _mark(AccessRule("system_admin"))


def site_roles(*roles: str) -> Callable[[View], View]:
    """Allow members of the URL's site holding any of ``roles`` ('member': any role)."""
    unknown = set(roles) - set(SITE_ROLES)
    if unknown or not roles:
        raise ValueError(f"site_roles needs roles from {SITE_ROLES}, got {roles}")
    return _mark(AccessRule("site", tuple(roles)))


def site_wide_roles(*roles: str) -> Callable[[View], View]:
    """As ``site_roles``, for people whose access reaches the whole site (not limited)."""
    site_roles(*roles)  # the same check of the roles named
    return _mark(AccessRule("site", tuple(roles), whole_site=True))


def holds_site_wide(user: Any, site: Any, *roles: str) -> bool:
    """Tell whether ``user`` holds one of ``roles`` on ``site`` and reaches all of it.

    For pages that show links to routes of ``site_wide_roles``.
    """
    return roles_of(user, site).holds(*roles) and scope_of(user, site).is_whole_site


def token_roles(*roles: str) -> Callable[[View], View]:
    """Allow API calls with a token of the URL's site whose user holds any of ``roles``."""
    unknown = set(roles) - set(SITE_ROLES)
    if unknown or not roles:
        raise ValueError(f"token_roles needs roles from {SITE_ROLES}, got {roles}")
    return _mark(AccessRule("token", tuple(roles)))


def enforce_access() -> ResponseReturnValue | None:
    """Apply the matched view's access rule; deny when it has none."""
    if request.endpoint is None:
        return None  # routing already failed: 404 or 405 follows
    if request.endpoint == "static":
        return None
    view = current_app.view_functions[request.endpoint]
    rule: AccessRule | None = getattr(view, "access_rule", None)
    if rule is None:
        abort(403)
    if rule.kind == "public":
        return None
    if rule.kind == "token":
        check_token = current_app.extensions.get(TOKEN_CHECK)
        if check_token is None:
            abort(403)
        answer: ResponseReturnValue | None = check_token(rule.roles)  # the API's; JSON answers
        return answer
    if not current_user.is_authenticated:
        return cast(ResponseReturnValue, login_manager.unauthorized())  # flask-login is untyped
    if current_user.must_change_password and request.endpoint not in _PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("accounts.change_password"))
    if rule.kind == "system_admin" and not Permission(SystemAdminNeed).can():
        abort(403)
    if rule.kind == "site":
        site = g.get("site")
        roles = roles_of(current_user, site) if site is not None else None
        # Not a member: the site is not shown to exist at all.
        if roles is None or not roles.holds("member"):
            abort(404)
        if not roles.holds(*rule.roles):
            abort(403)
        if rule.whole_site and not scope_of(current_user, site).is_whole_site:
            abort(403)
    return None
