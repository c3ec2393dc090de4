"""Errors an operation raises for bad input, shown to the user next to the field."""


class OperationError(Exception):
    """A change was refused; ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StateChanged(OperationError):
    """Someone changed the object meanwhile (a submit, a reassignment); nothing was saved.

    Views answer 409 and show again what the person sent.
    """
