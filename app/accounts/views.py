"""Signing in and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user

from app.extensions import limiter
from app.web import commit

from .forms import LoginForm
from .services import LoginResult, authenticate

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an absolute URL, a scheme or a protocol-relative '//host'."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        outcome, user = authenticate(form.email.data, form.password.data)
        commit()  # failed attempts and lockouts are recorded whatever the outcome
        if outcome == LoginResult.OK:
            session.clear()  # a new session at login: nothing carried over from before
            login_user(user)
            flash(f"Signed in as {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("main.dashboard"))
        message = {
            LoginResult.LOCKED: "Your account is locked after too many failed sign-in attempts. "
                                "Ask your commercial admin to unlock it.",
            LoginResult.INACTIVE: "Your account has been deactivated. Ask your commercial admin.",
        }.get(outcome, "Enter a correct email address and password.")
        form.password.errors = [message]
    return render_template("accounts/login.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("main.home"))
