"""The errors an operation raises when it refuses a change; nothing of the change is kept.

Three kinds, each answered one way (``review_app/core/unit.py``): a plain refusal with
a message (``field`` names the form field at fault, if any), ``FieldErrors`` (several
fields wrong: the form again with each error, 422) and ``Conflict`` (someone changed
the object since the form was shown: both versions, 409).
"""

from typing import Any


class OperationError(Exception):
    """A change was refused; ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class FieldErrors(OperationError):
    """Some of the fields sent are wrong; nothing was saved.

    ``errors`` maps each field (a question, a note's item, an explanation) to what is
    wrong with it.
    """

    def __init__(self, errors: dict[str, str], message: str = ""):
        super().__init__(message or f"{len(errors)} field(s) need fixing; nothing was saved.")
        self.errors = errors


def refuse_long_texts(texts: dict[str, str], most: int, what: str) -> None:
    """Raise FieldErrors naming each text over ``most`` characters; ``what`` names them."""
    errors = {
        key: f"Use at most {most} characters (this has {len(text)})."
        for key, text in texts.items()
        if len(text) > most
    }
    if errors:
        raise FieldErrors(errors, f"{len(errors)} {what} too long; nothing was saved.")


class Conflict(OperationError):
    """Someone saved the same thing since the form was shown; nothing was saved.

    ``theirs`` is the saved version to show beside what was sent, ``by`` who saved it
    and ``is_self`` whether that was the same person (another tab, a second click).
    """

    def __init__(self, message: str, theirs: Any = None, by: str = "", is_self: bool = False):
        super().__init__(message)
        self.theirs, self.by, self.is_self = theirs, by, is_self


class StateChanged(Conflict):
    """The object moved on meanwhile (a submit, a reassignment); nothing was saved.

    There is no other version to compare: the page says what changed and shows again
    what the person sent.
    """
