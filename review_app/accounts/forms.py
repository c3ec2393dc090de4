"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from review_app.accounts.passwords import RULES


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField(
        "New password",
        description=RULES,
        validators=[DataRequired(), Length(max=200)],
    )
    confirm_password = PasswordField(
        "New password again",
        validators=[
            DataRequired(),
            EqualTo("new_password", message="The two new passwords differ."),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    username = StringField(
        "Username or email address",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )


class SetPasswordForm(FlaskForm):
    # Named new_password: password managers offer to make and keep a new password.
    new_password = PasswordField(
        "New password", description=RULES, validators=[DataRequired(), Length(max=200)]
    )
    confirm_password = PasswordField(
        "New password again",
        validators=[
            DataRequired(),
            EqualTo("new_password", message="The two passwords differ."),
        ],
    )
