from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


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
