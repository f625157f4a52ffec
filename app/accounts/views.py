"""Signing in and out, one's own account, and the one-time links that set a password."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts.permissions import require
from app.errors import DomainError
from app.extensions import db, limiter
from app.web.formerrors import show_on_form
from app.web.urls import safe_next
from app.web import commit, dashboard_panel

from . import bp
from .forms import ChangePasswordForm, ConfirmForm, LoginForm, SetPasswordForm
from .invitations import accept_link, link_for_token
from .services import LoginResult, authenticate, change_password, sign_out
from .throttle_store import ThrottleUnavailable
from .throttling import wait_phrase


#: Where the secret of an opened link waits while the person chooses a password (see open_link).
_LINK_KEY = "account_link"


def _start_session(user) -> None:
    """A brand-new session for this user: nothing from the old one is carried over."""
    session.clear()
    login_user(user)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            outcome, user, wait = authenticate(form.email.data, form.password.data, address=request.remote_addr)
        except ThrottleUnavailable:
            db.session.rollback()
            form.password.errors = ["Signing in is not available at the moment. Try again in a few minutes."]
            return render_template("accounts/login.html", form=form), 503
        commit()  # failed attempts and waits are recorded whatever the outcome
        if outcome == LoginResult.OK:
            _start_session(user)
            flash(f"Signed in as {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))
        if outcome == LoginResult.LOCKED:
            message = (f"Too many failed sign-in attempts. Wait {wait_phrase(wait)} and try again. If you have "
                       "forgotten your password, ask your organisation's commercial admin for a reset link.")
            status, headers = 429, {"Retry-After": str(int(wait.total_seconds()) + 1)}
        elif outcome == LoginResult.INACTIVE:
            message = "Your account has been deactivated. Ask your commercial admin."
        else:
            message = "Enter a correct email address and password."
        form.password.errors = [message]
    return render_template("accounts/login.html", form=form), status, headers


@bp.route("/sign-out", methods=["GET", "POST"])
@login_required
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():  # the address typed or reloaded: ask, do not sign out on a GET
        return render_template("accounts/sign_out.html", form=form)
    sign_out(current_user._get_current_object())
    commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("main.home"))


@bp.route("/account")
def account():
    require("accounts.signed_in")
    tokens = url_for("api.tokens") if "api.tokens" in current_app.view_functions else None
    return render_template("accounts/account.html", user=current_user, tokens_href=tokens)


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def password():
    require("accounts.signed_in")
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(user, form.current_password.data, form.password.data)
            commit()
            _start_session(user)  # this device stays signed in with the new session version
            flash("Your password has been changed. Any other place you were signed in has been signed out.",
                  "success")
            return redirect(url_for("accounts.account"))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("accounts/change_password.html", form=form)


@bp.route("/invite/<token>")
def open_link(token: str):
    """The link from an invitation or reset. The secret is moved into the session and the browser sent
    to a page whose address holds no secret, so it does not linger in history, logs or Referer headers."""
    link = link_for_token(token)
    if link is None:
        return render_template("accounts/link_invalid.html"), 404
    logout_user()
    session.clear()
    session[_LINK_KEY] = token
    return redirect(url_for("accounts.set_password"))


@bp.route("/invite/set-password", methods=["GET", "POST"])
def set_password():
    link = link_for_token(session.get(_LINK_KEY))
    if link is None:
        return render_template("accounts/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accept_link(link, form.password.data)
            commit()
            _start_session(user)
            flash("Your password is set and you are signed in.", "success")
            return redirect(url_for("main.dashboard"))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("accounts/set_password.html", form=form, user=link.user, purpose=link.purpose)


@dashboard_panel(900)
def _account_panel(user):
    return {"title": "Your account", "items": [
        {"text": "Change your password", "href": url_for("accounts.password"),
         "hint": "Changing it signs you out everywhere else."},
    ]}


from . import admin  # noqa: E402,F401  (account management routes on the same blueprint)
