"""Small helpers every view uses."""

from typing import TypeVar

from flask import abort, g, request
from flask_wtf import FlaskForm

from review_app.core.errors import OperationError
from review_app.extensions import db

M = TypeVar("M")


def get_in_site(model: type[M], object_id: int) -> M:
    """Load an object of the current site by id, or 404 (also when it is another site's)."""
    obj = db.session.get(model, object_id)
    if obj is None or getattr(obj, "site_id", None) != g.site.id:
        abort(404)
    return obj


def show_error(
    form: FlaskForm, error: OperationError, aliases: dict[str, str] | None = None
) -> None:
    """Attach an operation's error to its field (``aliases`` renames fields), or to the form."""
    name = (aliases or {}).get(error.field, error.field) if error.field else None
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def is_safe_next(target: str | None) -> bool:
    """Accept only a local path as a place to go after signing in."""
    return (
        bool(target)
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
    )


def page_number() -> int:
    """Return the ``page`` query argument as a positive number (1 when absent or wrong)."""
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1
