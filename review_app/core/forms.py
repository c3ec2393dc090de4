"""Forms shared by several domains."""

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """An empty form: its CSRF token guards a button that changes something."""
