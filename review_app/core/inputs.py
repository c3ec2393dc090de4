"""Checks on raw request input that apply to every route."""

import ipaddress
import re
from typing import Any

from flask import abort, current_app, request
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

# ASCII digits only: str.isdigit() also accepts "²" and other digits int() refuses.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
# The largest id a route accepts: past it an id names nothing (and would overflow the database).
LARGEST_ID = 2**31 - 1


def whole_number(value: str | None) -> int | None:
    """Return ``value`` as a whole number of at most nine digits, or None when it is not one."""
    return int(value) if value and _WHOLE_NUMBER.fullmatch(value) else None


class IdConverter(IntegerConverter):
    """``<int:...>`` in routes: ids from 0 to LARGEST_ID; a larger one is a 404 like any unknown."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """``<name>`` in routes (a jurisdiction, a site's kind): any text but a NUL character,
    which PostgreSQL cannot compare; an address holding one matches no route (a 404)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]", 1)


def refuse_nul_bytes() -> None:
    """Refuse a request whose fields or file names contain NUL characters (PostgreSQL cannot
    store them)."""
    for values in (request.args, request.form):
        if any("\x00" in value for _key, value in values.items(multi=True)):
            abort(400)
    if any("\x00" in (upload.filename or "") for upload in request.files.values()):
        abort(400)


def refuse_json_forms() -> None:
    """Refuse a JSON body sent to a page's form (415): forms read fields, and Flask-WTF would
    read a JSON body as fields of any type. Only the API (read only) speaks JSON."""
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.is_json:
        abort(415)


def refuse_oversized_bodies() -> None:
    """Refuse a declared body over MAX_CONTENT_LENGTH at once, even where no form is read."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        abort(413)


def client_network(address: str | None = None) -> str:
    """Return what limits count by: the IPv4 address, or the IPv6 /64 it belongs to.

    One IPv6 host usually holds a whole /64, so counting single addresses would let it
    pick a fresh one for every attempt.
    """
    address = request.remote_addr if address is None else address
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv4Address):
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
