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
from . import emailing, unlocking
from .email_kinds import KINDS
from .forms import ChangePasswordForm, ConfirmForm, LoginForm, SetPasswordForm, email_preferences_form
from .invitations import accept_link, link_for_token
from .services import LoginResult, authenticate, change_password, sign_out
from .throttle_store import ThrottleUnavailable
from .throttling import wait_phrase


#: Where the secret of an opened link waits while the person chooses a password (see open_link).
_LINK_KEY = "account_link"
#: Where the secret of an opened unlock link waits for the person to press the button.
_UNLOCK_KEY = "unlock_link"


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
            message = (f"Too many failed sign-in attempts. Wait {wait_phrase(wait)} and try again. If this is your "
                       "account, check your email for a link that unlocks it at once. If you have forgotten your "
                       "password, ask your organisation's commercial admin for a reset link.")
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


@bp.route("/account/unlock/<token>")
def open_unlock(token: str):
    """The link from an unlock email: the secret moves into the session (so it is not left in
    history or logs) and the page asks for a button press, so a mail scanner that fetches every
    link unlocks nothing."""
    if unlocking.unlock_link_for(token) is None:
        return render_template("accounts/unlock_invalid.html"), 404
    session[_UNLOCK_KEY] = token
    return redirect(url_for("accounts.unlock_page"))


@bp.route("/account/unlock", methods=["GET", "POST"])
def unlock_page():
    link = unlocking.unlock_link_for(session.get(_UNLOCK_KEY))
    if link is None:
        return render_template("accounts/unlock_invalid.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            unlocking.use_unlock_link(link)
            commit()
        except DomainError:
            db.session.rollback()
            return render_template("accounts/unlock_invalid.html"), 404
        session.pop(_UNLOCK_KEY, None)
        flash("Your account is unlocked. You can sign in now.", "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/unlock.html", form=form, user=link.user)


@bp.route("/account/email", methods=["GET", "POST"])
def email_preferences():
    require("accounts.signed_in")
    user = current_user._get_current_object()
    form = email_preferences_form(emailing.choices_of(user), request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        emailing.set_choices(user, {f.name: f.data for f in form if f.type == "RadioField"})
        commit()
        flash("Your email choices are saved.", "success")
        return redirect(url_for("accounts.email_preferences"))
    required = [k.label for k in KINDS.values() if k.required]
    return render_template("accounts/email_preferences.html", form=form, required=required)


@dashboard_panel(900)
def _account_panel(user):
    return {"title": "Your account", "items": [
        {"text": "Change your password", "href": url_for("accounts.password"),
         "hint": "Changing it signs you out everywhere else."},
        {"text": "Choose which emails you get", "href": url_for("accounts.email_preferences"),
         "hint": "Straight away, in one email a day, or not at all."},
    ]}


from . import admin  # noqa: E402,F401  (account management routes on the same blueprint)
