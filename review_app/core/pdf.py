"""Printable documents: an HTML template rendered to PDF bytes with xhtml2pdf.

The renderer fetches nothing over the network and reads no file outside the
application's static folder: the link callback maps ``/static/...`` addresses
to files there and points everything else at a name that does not exist, and
the resource policy (where the installed xhtml2pdf has one) refuses remote
fetches and confines local reads to the same folder.
"""

import re
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template
from werkzeug.security import safe_join
from xhtml2pdf import pisa

try:  # releases with a resource policy (0.2.28 has one)
    from xhtml2pdf.config.resources import ResourceAccessPolicy
except ImportError:  # pragma: no cover - older releases have only the link callback
    ResourceAccessPolicy = None

REFUSED = "refused-resource"  # never a file: a refused address renders as nothing


INLINE_IMAGE = "data:image/svg+xml;base64,"


class PdfError(Exception):
    """The document could not be turned into a PDF."""


def _static_folder() -> Path:
    return Path(current_app.static_folder or "").resolve()


def static_only(uri: str, rel: str | None = None) -> str:
    """Resolve a ``/static/...`` address to its file on disk; refuse every other address.

    An inline SVG image (a ``data:`` address) is let through: it fetches nothing.
    """
    if isinstance(uri, str) and uri.startswith(INLINE_IMAGE):
        return uri  # an image carried in the document itself (server-drawn charts)
    prefix = (current_app.static_url_path or "/static").rstrip("/") + "/"
    folder = _static_folder()
    if isinstance(uri, str) and uri.startswith(prefix):
        path = safe_join(str(folder), uri.removeprefix(prefix).split("?", 1)[0])
        if path is not None and Path(path).is_file():
            return path
    return str(folder / REFUSED)


def html_to_pdf(html: str) -> bytes:
    """Return the PDF of an HTML document (xhtml2pdf's subset of CSS applies)."""
    output = BytesIO()
    options = {}
    if ResourceAccessPolicy is not None:
        options["resource_policy"] = ResourceAccessPolicy(
            allow_remote=False, base_dir=_static_folder()
        )
    result = pisa.CreatePDF(
        html, dest=output, encoding="utf-8", link_callback=static_only, **options
    )
    if result.err:
        raise PdfError(f"the PDF could not be made ({result.err} error(s))")
    return output.getvalue()


def render_pdf(template: str, **context: Any) -> bytes:
    """Render a template to HTML, then to PDF bytes."""
    return html_to_pdf(render_template(template, **context))


def download_name(*parts: str) -> str:
    """Return a PDF file name of letters, digits, dots and dashes only."""
    stem = "-".join(re.sub(r"[^A-Za-z0-9.]+", "-", part).strip("-.") for part in parts)
    return (stem.strip("-") or "document")[:120] + ".pdf"


def pdf_response(data: bytes, name: str) -> Response:
    """Send PDF bytes as a download named ``name`` (from ``download_name``)."""
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            # Case details: kept out of shared caches and the browser's disk cache.
            "Cache-Control": "no-store",
        },
    )
