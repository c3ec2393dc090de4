"""Links in email: full addresses that always start with ``PUBLIC_URL``."""

from typing import Any

from flask import current_app, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """The full address of ``endpoint``, starting with ``PUBLIC_URL``, in a request or not.

    Never the request's host: the Host header is the sender's to choose, and a link
    built from a forged one would lead the message's reader to that host.
    """
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)
