"""Site-scoped URLs: every site page lives under ``/<jurisdiction>/<kind>/``."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, current_app, g

SITE_PREFIX = "/<jurisdiction>/<kind>"
# The sites domain's reader of a site and its version (sites.queries.site_with_version),
# given by the app factory: core does not import the domains above it.
SITE_LOADER = "site_loader"


def site_blueprint(name: str, import_name: str, path: str = "", root: str = "") -> Blueprint:
    """Return a blueprint whose routes belong to the site named in the URL (after ``root``)."""
    blueprint = Blueprint(name, import_name, url_prefix=root + SITE_PREFIX + path)
    blueprint.url_value_preprocessor(_load_site)
    return blueprint


def _load_site(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Put the URL's site in ``g.site`` (None when there is no such site).

    ``g.site_version`` is the site's version as the request began (see
    sites.queries.site_with_version); kept pages and figures are keyed by it.
    """
    values = values or {}
    code, kind = values.pop("jurisdiction", None), values.pop("kind", None)
    load = current_app.extensions[SITE_LOADER]
    g.site, g.site_version = load(code, kind) if code and kind else (None, 0)


def _fill_site(endpoint: str, values: dict[str, Any]) -> None:
    """Let ``url_for`` leave out the current site on any site-scoped endpoint."""
    site = g.get("site")
    if site is None or "jurisdiction" in values:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "jurisdiction"):
        values["jurisdiction"] = site.jurisdiction.code
        values["kind"] = site.kind


def init_site_urls(app: Flask, load_site: Callable[[str, str], tuple[Any, int]]) -> None:
    """Register the site reader and the url_for defaults for site-scoped endpoints."""
    app.extensions[SITE_LOADER] = load_site
    app.url_defaults(_fill_site)
