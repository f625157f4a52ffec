"""Forms for signing in, passwords and account management."""
from app.web.fields import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from .password_policy import MAX_LENGTH, MIN_LENGTH
from .roles import ROLES

PASSWORD_HINT = (f"At least {MIN_LENGTH} characters. Three or four random words make a strong password that is "
                 "easy to remember. Common passwords and your email name are refused.")


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"),
        Email("Enter an email address in the correct format, like name@nhs.net"),
        Length(max=254, message="Email address must be 254 characters or fewer"),
    ])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password"),
        Length(max=1000, message="Password must be 1,000 characters or fewer"),
    ])


def _new_password(label: str = "New password"):
    return PasswordField(label, description=PASSWORD_HINT, validators=[
        DataRequired("Enter a new password"),
        Length(max=MAX_LENGTH, message=f"Password must be {MAX_LENGTH:,} characters or fewer"),
    ])


def _confirm():
    return PasswordField("Confirm the new password", validators=[
        DataRequired("Enter the new password again"),
        EqualTo("password", message="The two passwords do not match"),
    ])


class SetPasswordForm(FlaskForm):
    """The page an invitation or reset link opens."""
    password = _new_password("Password")
    confirm = _confirm()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[
        DataRequired("Enter your current password"),
        Length(max=MAX_LENGTH, message=f"Password must be {MAX_LENGTH:,} characters or fewer"),
    ])
    password = _new_password()
    confirm = _confirm()


def _roles_field():
    return SelectMultipleField("Roles", choices=[SelectChoice(value, label) for value, label in ROLES.items()],
                               description="What the person may see and do. Choose at least one.",
                               validators=[DataRequired("Choose at least one role")])


class InviteForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter the person's full name"), Length(max=200)])
    email = EmailField("Email address", description="The person's work email address.", validators=[
        DataRequired("Enter an email address"),
        Email("Enter an email address in the correct format, like name@nhs.net"),
        Length(max=254, message="Email address must be 254 characters or fewer"),
    ])
    ods_code = StringField("Organisation ODS code", description="For example RBL or X24 (NHS England).",
                           validators=[DataRequired("Enter the organisation's ODS code"),
                                       Length(max=10, message="ODS code must be 10 characters or fewer"),
                                       Regexp(r"^\s*[A-Za-z0-9]+\s*$",
                                              message="ODS code must be letters and numbers only, like RBL")])
    roles = _roles_field()


class RolesForm(FlaskForm):
    roles = _roles_field()


class DeactivateForm(FlaskForm):
    reason = TextAreaField("Reason", description="Kept in the audit log, for example 'Left the trust'.",
                           validators=[DataRequired("Enter a reason"), Length(max=500)])


class ConfirmForm(FlaskForm):
    """No fields: a button that posts with its CSRF token."""


def email_preferences_form(current: dict[str, str], formdata=None):
    """A form with one radio question per kind of email a person may choose for (the required
    kinds are listed on the page instead: they cannot be changed)."""
    from wtforms import RadioField

    from .email_kinds import CHOICE_LABELS, KINDS

    class EmailPreferencesForm(FlaskForm):
        pass

    for name, k in KINDS.items():
        if k.required:
            continue
        setattr(EmailPreferencesForm, name, RadioField(
            k.label, choices=[SelectChoice(c, CHOICE_LABELS[c]) for c in k.choices], default=current.get(name)))
    return EmailPreferencesForm(formdata=formdata)
