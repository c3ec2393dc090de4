"""Checks on raw request input that apply to every route."""

from flask import abort, request


def refuse_nul_bytes() -> None:
    """Refuse a request whose fields contain NUL characters (PostgreSQL cannot store them)."""
    for values in (request.args, request.form):
        if any("\x00" in value for _key, value in values.items(multi=True)):
            abort(400)
