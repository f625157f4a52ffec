"""The "API tokens" pages: a signed-in user makes and revokes their own personal tokens.

These are ordinary pages on the "api" blueprint, with CSRF protection (only the JSON API under
/api/v1 is exempt). A new token's secret is shown once, on the page that answers the form, and
never again: it is not flashed (the flash would travel in the session cookie) nor stored.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from app.web.fields import FlaskForm
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length

from app.accounts.models import ApiToken
from app.accounts.permissions import require
from app.errors import DomainError
from app.extensions import db
from app.web.formerrors import show_on_form
from app.models_base import utcnow
from app.web import commit, dashboard_panel

from . import services
from .blueprint import bp


class TokenForm(FlaskForm):
    name = StringField("Name", description="What the token is for, for example ‘Nightly register sync’",
                       validators=[DataRequired("Enter a name for the token"),
                                   Length(max=100, message="Name must be 100 characters or fewer")])
    scope = RadioField("What can it do?", choices=[SelectChoice(v, label) for v, label in services.SCOPES.items()], default="read",
                       validators=[DataRequired("Choose what the token can do")])
    days = RadioField("How long should it work?", coerce=int, description="It stops working after this; make a new one then.",
                      validators=[DataRequired("Choose how long the token works")])


#: The lifetimes offered, in days (those up to API_TOKEN_MAX_DAYS, and the configured default).
LIFETIMES = (7, 30, 90, 180, 365)


def _token_form(**kwargs) -> TokenForm:
    default, longest = services.token_lifetimes()
    form = TokenForm(**kwargs)
    days = sorted({d for d in LIFETIMES if d <= longest} | {default})
    form.days.choices = [SelectChoice(d, f"{d} days" + (" (usual)" if d == default else "")) for d in days]
    if form.days.data is None:
        form.days.data = default
    return form


class RevokeForm(FlaskForm):
    pass


@dashboard_panel(90)
def _tokens_panel(user):
    if user is None:
        return None
    now = utcnow()
    n = sum(1 for t in services.tokens_of(user) if t.revoked_at is None and not t.expired(now))
    return {"title": "API tokens", "items": [{
        "text": "API tokens", "href": url_for("api.tokens"),
        "hint": f"{n} active token{'' if n == 1 else 's'} for machine clients of the JSON API"}]}


@bp.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
def tokens():
    require("api.tokens")
    form = _token_form()
    secret = None
    if form.validate_on_submit():
        try:
            token, secret = services.create_token(current_user, name=form.name.data, scope=form.scope.data,
                                                  days=form.days.data)
            commit()
            form = _token_form(formdata=None)
            return render_template("api/tokens.html", form=form, tokens=services.tokens_of(current_user),
                                   new_token=token, secret=secret, revoke_form=RevokeForm(), now=utcnow())
        except DomainError as e:
            show_on_form(form, e)
    return render_template("api/tokens.html", form=form, tokens=services.tokens_of(current_user),
                           new_token=None, secret=None, revoke_form=RevokeForm(), now=utcnow())


@bp.route("/account/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None:
        from flask import abort

        abort(404)
    require("api.tokens", token, hide=True)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke_token(token)
            commit()
            flash(f"Token ‘{token.name}’ revoked. It no longer works.", "success")
        except DomainError as e:
            db.session.rollback()
            flash(e.message, "error")
    return redirect(url_for("api.tokens"))
