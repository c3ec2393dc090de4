"""Checks on raw request input that apply to every route."""

import ipaddress

from flask import abort, current_app, request


def refuse_nul_bytes() -> None:
    """Refuse a request whose fields contain NUL characters (PostgreSQL cannot store them)."""
    for values in (request.args, request.form):
        if any("\x00" in value for _key, value in values.items(multi=True)):
            abort(400)


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
