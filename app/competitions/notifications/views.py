"""The notification inbox: each signed-in user's messages, newest first."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select, update

from app.accounts.permissions import can, require
from app.extensions import db
from app.web.querying import paginate
from app.web import commit, nav_item

from .. import bp, clock
from .models import Notification

nav_item("competitions.inbox", "Inbox", 95, visible=lambda u: can(u, "competitions.inbox"),
         prefix="/competitions/inbox")


def unread_count(user) -> int:
    """How many unread notifications a user has."""
    return db.session.execute(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))).scalar_one()


@bp.route("/inbox")
def inbox():
    require("competitions.inbox")
    stmt = (select(Notification).where(Notification.user_id == current_user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return render_template("competitions/inbox.html", page=paginate(stmt), unread=unread_count(current_user))


@bp.route("/inbox/<int:notification_id>", methods=["GET", "POST"])
def open_notification(notification_id: int):
    """Mark a notification read and follow its link (only its own user may)."""
    require("competitions.inbox")
    n = db.session.get(Notification, notification_id)
    if n is None or n.user_id != current_user.id:
        abort(404)
    if request.method == "GET":  # a reload or a copied address: the page the button is on
        return redirect(url_for("competitions.inbox"))
    if n.read_at is None:
        n.read_at = clock.now()
        commit()
    link = n.link if n.link and n.link.startswith("/") and not n.link.startswith("//") else None
    return redirect(link or url_for("competitions.inbox"))


@bp.route("/inbox/read-all", methods=["GET", "POST"])
def read_all():
    require("competitions.inbox")
    if request.method == "GET":  # a reload or a copied address: the page the button is on
        return redirect(url_for("competitions.inbox"))
    db.session.execute(update(Notification).where(Notification.user_id == current_user.id,
                                                  Notification.read_at.is_(None)).values(read_at=clock.now()))
    commit()
    flash("Every notification is marked as read.", "success")
    return redirect(url_for("competitions.inbox"))
