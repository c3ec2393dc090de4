"""Site-scoped URLs: every site page lives under ``/<jurisdiction>/<kind>/``."""

from typing import Any

from flask import Blueprint, Flask, current_app, g

from review_app.sites.queries import site_with_version

SITE_PREFIX = "/<jurisdiction>/<kind>"


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
    g.site, g.site_version = site_with_version(code, kind) if code and kind else (None, 0)


def _fill_site(endpoint: str, values: dict[str, Any]) -> None:
    """Let ``url_for`` leave out the current site on any site-scoped endpoint."""
    site = g.get("site")
    if site is None or "jurisdiction" in values:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "jurisdiction"):
        values["jurisdiction"] = site.jurisdiction.code
        values["kind"] = site.kind


def init_site_urls(app: Flask) -> None:
    """Register the url_for defaults for site-scoped endpoints."""
    app.url_defaults(_fill_site)
