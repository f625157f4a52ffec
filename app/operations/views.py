"""Jobs and email, as the admins see them."""
from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from app.web.fields import FlaskForm
from sqlalchemy import func, select, update

from app.accounts.permissions import can, require
from app.audit.services import record
from app.clock import now as clock_now
from app.extensions import db
from app.jobs.models import JobRun
from app.mail.models import EmailDelivery
from app.web import commit, dashboard_panel, nav_item

from . import bp

nav_item("operations.jobs", "Jobs and email", 92, visible=lambda u: can(u, "operations.view"), prefix="/admin/jobs")
#: How many recent rows each page lists.
RECENT = 50


class ConfirmForm(FlaskForm):
    pass


@bp.route("/jobs")
def jobs():
    require("operations.view")
    failed = db.session.execute(select(JobRun).where(JobRun.status == "failed")
                                .order_by(JobRun.finished_at.desc()).limit(RECENT)).scalars().all()
    retrying = db.session.execute(select(JobRun).where(JobRun.status == "queued", JobRun.attempts > 0)
                                  .order_by(JobRun.run_after).limit(RECENT)).scalars().all()
    recent = db.session.execute(select(JobRun).order_by(JobRun.id.desc()).limit(RECENT)).scalars().all()
    backend = current_app.extensions["jobs"].name
    return render_template("operations/jobs.html", failed=failed, retrying=retrying, recent=recent, backend=backend,
                           form=ConfirmForm())


@bp.route("/jobs/<int:run_id>/retry", methods=["GET", "POST"])
def retry(run_id: int):
    """Try a failed run once more (after the cause was fixed: a mail server back, a setting corrected)."""
    require("operations.view")
    run = db.session.get(JobRun, run_id) or abort(404)
    if request.method == "GET":  # a reload or a copied address: the page the button is on
        return redirect(url_for("operations.jobs"))
    if not ConfirmForm().validate_on_submit() or run.status != "failed":
        abort(400)
    db.session.execute(update(JobRun).where(JobRun.id == run.id, JobRun.status == "failed")
                       .values(status="queued", run_after=clock_now(), max_attempts=JobRun.attempts + 1,
                               finished_at=None, sent_at=None))
    if run.name == "mail.send":
        db.session.execute(update(EmailDelivery).where(EmailDelivery.id == _delivery_id(run), EmailDelivery.status == "failed")
                           .values(status="queued"))
    record("job.retry", object_type="JobRun", object_id=run.id, summary=f"Asked job {run.key} to try again")
    commit()
    flash(f"Job {run.key} will be tried again.", "success")
    return redirect(url_for("operations.jobs"))


def _delivery_id(run: JobRun) -> int | None:
    import json

    return json.loads(run.params or "{}").get("delivery_id")


@bp.route("/email")
def email():
    require("operations.view")
    failed = db.session.execute(select(EmailDelivery).where(EmailDelivery.status == "failed")
                                .order_by(EmailDelivery.id.desc()).limit(RECENT)).scalars().all()
    recent = db.session.execute(select(EmailDelivery).order_by(EmailDelivery.id.desc()).limit(RECENT)).scalars().all()
    counts = dict(db.session.execute(select(EmailDelivery.status, func.count()).group_by(EmailDelivery.status)).all())
    transport = current_app.extensions["mail"].name
    return render_template("operations/email.html", failed=failed, recent=recent, counts=counts, transport=transport)


def _mail_folder() -> Path:
    t = current_app.extensions["mail"]
    if t.name != "folder":
        abort(404)
    return t.folder


@bp.route("/email/mailbox")
def mailbox():
    """Every message the development mail folder holds, newest first."""
    require("operations.view")
    folder = _mail_folder()
    files = sorted(folder.glob("*.eml"), reverse=True)[:200] if folder.exists() else []
    messages = []
    for f in files:
        m = message_from_bytes(f.read_bytes(), policy=policy.default)
        messages.append({"name": f.name, "to": m["To"], "subject": m["Subject"], "date": m["Date"]})
    return render_template("operations/mailbox.html", messages=messages, folder=folder)


@bp.route("/email/mailbox/<name>")
def mailbox_message(name: str):
    require("operations.view")
    folder = _mail_folder()
    path = folder / name
    if "/" in name or "\\" in name or not name.endswith(".eml") or not path.is_file():
        abort(404)
    m = message_from_bytes(path.read_bytes(), policy=policy.default)
    return render_template("operations/message.html", m=m, body=m.get_body(("plain",)).get_content(), name=name)


@dashboard_panel(25)
def _attention(user):
    """Failed jobs and emails on the commercial admins' dashboard: someone must look."""
    if not can(user, "operations.view"):
        return None
    jobs_failed = db.session.execute(select(func.count(JobRun.id)).where(JobRun.status == "failed")).scalar_one()
    mail_failed = db.session.execute(select(func.count(EmailDelivery.id))
                                     .where(EmailDelivery.status == "failed")).scalar_one()
    items = []
    if jobs_failed:
        items.append({"text": f"{jobs_failed} background job{'s' if jobs_failed != 1 else ''} failed",
                      "href": url_for("operations.jobs"), "hint": "See the errors and try them again."})
    if mail_failed:
        items.append({"text": f"{mail_failed} email{'s' if mail_failed != 1 else ''} could not be delivered",
                      "href": url_for("operations.email"), "hint": "See who did not get what, and why."})
    return {"title": "Jobs and email", "items": items, "empty": "Every job and email went through."}
