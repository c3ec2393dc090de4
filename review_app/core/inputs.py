"""Checks on raw request input that apply to every route."""

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
