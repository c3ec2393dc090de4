"""Small helpers every view uses."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeGuard, TypeVar
from urllib.parse import urlsplit

from flask import abort, flash, g, request
from flask_wtf import FlaskForm

from review_app.core.errors import Conflict, FieldErrors, OperationError
from review_app.core.inputs import whole_number
from review_app.core.unit import answer_status, undo
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


@dataclass
class Outcome:
    """How the change in an ``attempt`` went: ``error`` is the refusal, if any."""

    error: OperationError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int:
        """Return the status to answer with: 200, or the refusal's (422 field errors, 409)."""
        return 200 if self.error is None else answer_status(self.error)


@contextmanager
def attempt(
    form: FlaskForm | None = None, aliases: dict[str, str] | None = None
) -> Iterator[Outcome]:
    """Run the change in the ``with`` block; when an operation refuses it, undo it.

    The refusal is kept in the yielded ``Outcome`` for the page to show, and with
    ``form`` its message is put on its field (``show_error``), except field errors
    and a conflict's two versions, which the page shows in its own way. What the
    request writes after the block (a draft of what was typed) is committed with
    the request.
    """
    outcome = Outcome()
    try:
        yield outcome
    except OperationError as error:
        undo()
        outcome.error = error
        shown_apart = isinstance(error, FieldErrors) or (
            isinstance(error, Conflict) and error.theirs is not None
        )
        if form is not None and not shown_apart:
            show_error(form, error, aliases)


def run_operation(change: Callable[[], object], success: str) -> bool:
    """Call one operation; flash ``success``, or undo it and flash why not.

    Return whether the change was made.
    """
    with attempt() as outcome:
        change()
    if outcome.error is not None:
        flash(outcome.error.message, "error")
        return False
    flash(success, "success")
    return True


def form_status(form: FlaskForm) -> int:
    """Return 422 when the form is shown again with errors, else 200."""
    return 422 if form.errors else 200


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Accept only a path of this site as a place to go after signing in.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    ``/%09/evil.example`` becomes ``//evil.example``: any character outside printable
    ASCII (controls, spaces, Unicode look-alikes) and any backslash refuse the target,
    and what is left must parse with neither a scheme nor a host.
    """
    if not target or len(target) > 2000 or not target.startswith("/") or target[1:2] == "/":
        return False
    if any(not ("!" <= ch <= "~") for ch in target) or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not parts.path.startswith("//")


def int_arg(name: str, below: int = 10**9) -> int | None:
    """Return a query argument as a whole number under ``below``, or None when absent or wrong."""
    value = whole_number(request.args.get(name))
    return value if value is not None and value < below else None


def page_number() -> int:
    """Return the ``page`` query argument as a positive number (1 when absent or wrong)."""
    return int_arg("page", 100_000) or 1


def page_parts(signal: Any, sender: Any, **details: Any) -> dict[str, Any]:
    """Send a page's signal and merge what each receiver adds to the page's template.

    A page of a lower domain shows parts that belong to domains above it (the case
    page shows QA's threads); those domains listen and return their part.
    """
    parts: dict[str, Any] = {}
    for _receiver, part in signal.send(sender, **details):
        parts.update(part)
    return parts
