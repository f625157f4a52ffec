"""The commercial admin's account pages: the list of users, a user's page, invitations, roles,
deactivation, reactivation and unlocking (all on the accounts blueprint, under /admin/users)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from sqlalchemy import and_, or_, select

from app.accounts.permissions import can, require
from app.audit.models import AuditEvent
from app.errors import DomainError
from app.web.exports import csv_response
from app.extensions import db
from app.web.formatting import london_datetime
from app.web.formerrors import show_on_form
from app.models_base import utcnow
from app.web.querying import like_pattern, paginate
from app.registry.models import Organisation
from app.registry.queries import organisation_by_ods_code
from app.web.urls import external_url
from app.web import commit, dashboard_panel, nav_item

from . import bp, services
from .forms import ConfirmForm, DeactivateForm, InviteForm, RolesForm
from .invitations import LINK_LIFETIME, invite_user, reissue_link
from .models import AccountInvitation, User, UserRole
from .roles import ROLES
from .throttle_store import ThrottleUnavailable, throttle_store
from .throttling import account_keys

nav_item("accounts.users", "Users", 85, visible=lambda u: can(u, "accounts.manage"), prefix="/admin/users")

#: status → (tag colour key, words on screen)
STATUSES = {
    "active": ("active", "Active"),
    "invited": ("invited", "Invited"),
    "locked": ("suspended", "Locked"),
    "deactivated": ("inactive", "Deactivated"),
}


def user_status(user: User) -> str:
    if not user.active:
        return "deactivated"
    if user.is_locked:
        return "locked"
    if user.password_hash is None:
        return "invited"
    return "active"


def _status_where(status: str):
    """The condition for users of this status now (a wait after failed sign-ins ends by itself)."""
    now = utcnow()
    waiting = and_(User.locked_until.is_not(None), User.locked_until > now)
    return {
        "deactivated": User.active.is_(False),
        "locked": and_(User.active.is_(True), waiting),
        "invited": and_(User.active.is_(True), ~waiting, User.password_hash.is_(None)),
        "active": and_(User.active.is_(True), ~waiting, User.password_hash.is_not(None)),
    }.get(status)


def _filtered_users():
    q = request.args.get("q", "").strip()[:200]
    org = request.args.get("org", "").strip().upper()[:10]
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    stmt = select(User).join(Organisation, Organisation.id == User.organisation_id)
    if q:
        p = like_pattern(q)
        stmt = stmt.where(or_(User.name.ilike(p, escape="\\"), User.email.ilike(p, escape="\\")))
    if org:
        stmt = stmt.where(Organisation.ods_code == org)
    if role in ROLES:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if status in STATUSES:
        stmt = stmt.where(_status_where(status))
    filters = {"q": q, "org": org, "role": role if role in ROLES else "",
               "status": status if status in STATUSES else ""}
    return stmt.order_by(User.name, User.id), {k: v for k, v in filters.items() if v}


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _actor() -> User:
    return current_user._get_current_object()


@bp.app_context_processor
def _account_helpers():
    return {"user_status": user_status, "user_statuses": STATUSES}


@bp.route("/admin/users")
def users():
    require("accounts.manage")
    stmt, filters = _filtered_users()
    if request.args.get("format") == "csv":
        rows = db.session.execute(stmt).unique().scalars()
        return csv_response("users.csv", ["email", "name", "organisation", "roles", "status", "last_sign_in"],
                            ([u.email, u.name, u.organisation.ods_code, ";".join(sorted(u.roles)),
                              user_status(u), u.last_login_at] for u in rows))
    return render_template("accounts/users.html", page=paginate(stmt), filters=filters, roles=ROLES)


@bp.route("/admin/users/invite", methods=["GET", "POST"])
def invite():
    require("accounts.manage")
    form = InviteForm()
    if form.validate_on_submit():
        org = organisation_by_ods_code(form.ods_code.data)
        if org is None:
            form.ods_code.errors = ["No organisation has this ODS code"]
        else:
            try:
                user, token = invite_user(email=form.email.data, name=form.name.data, organisation=org,
                                          roles=form.roles.data, actor=_actor())
                commit()
                # Shown once, on this response: the secret is never stored, flashed or redirected with.
                return _link_page(user, token, "invite")
            except DomainError as e:
                show_on_form(form, e)
    return render_template("accounts/invite.html", form=form)


def _link_page(user: User, token: str, purpose: str):
    link = external_url("accounts.open_link", token=token)
    return render_template("accounts/link_made.html", user=user, link=link, purpose=purpose,
                           days=LINK_LIFETIME.days)


@bp.route("/admin/users/<int:user_id>")
def user(user_id: int):
    require("accounts.manage")
    u = _user_or_404(user_id)
    last_link = db.session.execute(
        select(AccountInvitation).where(AccountInvitation.user_id == u.id)
        .order_by(AccountInvitation.id.desc()).limit(1)
    ).scalar_one_or_none()
    events = db.session.execute(
        select(AuditEvent).where(AuditEvent.object_type == "User", AuditEvent.object_id == str(u.id))
        .order_by(AuditEvent.id.desc()).limit(10)
    ).scalars().all()
    try:
        failures = throttle_store().failures(account_keys(u.email)[0][0], utcnow())
    except ThrottleUnavailable:
        failures = None  # Redis is down: the page still shows everything else
    return render_template("accounts/user.html", u=u, status=user_status(u), last_link=last_link,
                           events=events, form=ConfirmForm(), failures=failures)


@bp.route("/admin/users/<int:user_id>/roles", methods=["GET", "POST"])
def roles(user_id: int):
    require("accounts.manage")
    u = _user_or_404(user_id)
    form = RolesForm()
    if request.method == "GET":
        # Only on GET: with all boxes unticked a POST sends no value, and a default would hide that.
        form.roles.data = sorted(u.roles)
    if form.validate_on_submit():
        try:
            services.change_roles(u, form.roles.data, actor=_actor())
            commit()
            if u.id == current_user.id:
                login_user(u)  # one's own session version moved on with the change: keep this session
            flash(f"Roles of {u.name} changed. They have been signed out and see the new roles at their next sign-in.",
                  "success")
            return redirect(url_for("accounts.user", user_id=u.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("accounts/roles.html", form=form, u=u)


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id: int):
    require("accounts.manage")
    u = _user_or_404(user_id)
    form = DeactivateForm()
    if form.validate_on_submit():
        try:
            services.deactivate(u, reason=form.reason.data, actor=_actor())
            commit()
            flash(f"{u.name}'s account is deactivated and every session of it has ended.", "success")
            return redirect(url_for("accounts.user", user_id=u.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("accounts/deactivate.html", form=form, u=u)


def _post_action(user_id: int, action, message: str):
    require("accounts.manage")
    u = _user_or_404(user_id)
    if request.method == "GET":  # a reload or a copied address: the page the button is on
        return redirect(url_for("accounts.user", user_id=u.id))
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("Your form expired. Try again.", "error")
        return redirect(url_for("accounts.user", user_id=u.id))
    try:
        action(u, actor=_actor())
        commit()
        flash(message.format(name=u.name), "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
    return redirect(url_for("accounts.user", user_id=u.id))


@bp.route("/admin/users/<int:user_id>/reactivate", methods=["GET", "POST"])
def reactivate(user_id: int):
    return _post_action(user_id, services.reactivate, "{name}'s account is active again.")


@bp.route("/admin/users/<int:user_id>/unlock", methods=["GET", "POST"])
def unlock(user_id: int):
    return _post_action(user_id, services.unlock, "{name}'s account is unlocked.")


@bp.route("/admin/users/<int:user_id>/link", methods=["GET", "POST"])
def new_link(user_id: int):
    require("accounts.manage")
    u = _user_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.user", user_id=u.id))
    try:
        purpose = "invite" if u.password_hash is None else "reset"
        token = reissue_link(u, actor=_actor())
        commit()
        return _link_page(u, token, purpose)
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return redirect(url_for("accounts.user", user_id=u.id))


@dashboard_panel(800)
def _admin_panel(user):
    if not can(user, "accounts.manage"):
        return None
    locked = db.session.execute(
        select(User).where(_status_where("locked")).order_by(User.name).limit(20)
    ).unique().scalars().all()
    return {"title": "Locked accounts", "empty": "No account is locked.",
            "items": [{"text": f"{u.name} ({u.email})", "href": url_for("accounts.user", user_id=u.id),
                       "hint": f"Failed sign-ins: signing in waits until {london_datetime(u.locked_until)}"}
                      for u in locked]}
