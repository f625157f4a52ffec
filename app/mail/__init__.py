"""Email: one interface for every message the app sends, whatever carries it.

    from app import mail
    mail.queue_email(to, subject, body, kind="award", user_id=u.id)       # sent by a job, with retries
    mail.queue_email(..., hold=True)                                       # kept for the daily digest

A message is a row (models.EmailDelivery) added in the caller's transaction, and a `mail.send` job
keyed by that row, so a rolled-back change sends nothing and a message is sent by one worker
once, retried with backoff when the transport fails (the failures shown to the admins). The
transport is the configuration's (transports.py): GOV.UK Notify, SMTP, or a folder in development.
Who wants what, and how often, is the accounts' business (accounts/emailing.py), not this one's.
"""
from __future__ import annotations

from flask import Flask, current_app

from app.clock import now as clock_now
from app.extensions import db
from app import jobs

from .models import REDACTED, EmailDelivery
from .transports import Message, make_transport

__all__ = ["EmailDelivery", "Message", "init_app", "queue_email", "send_now", "transport"]


def init_app(app: Flask) -> None:
    app.extensions["mail"] = make_transport(app.config, app.instance_path)


def transport():
    return current_app.extensions["mail"]


def queue_email(to: str, subject: str, body: str, *, kind: str, user_id: int | None = None,
                hold: bool = False, secret: bool = False) -> EmailDelivery:
    """Add a message to send (or, with `hold`, to gather into the recipient's daily digest); the
    caller commits. `secret`: the body holds a one-time link, not kept once sent."""
    d = EmailDelivery(to_address=to, subject=subject[:200], body=body, kind=kind, user_id=user_id,
                      status="held" if hold else "queued", secret=secret, created_at=clock_now())
    db.session.add(d)
    db.session.flush()
    if not hold:
        jobs.enqueue("mail.send", f"mail.send:{d.id}", delivery_id=d.id)
    return d


def send_now(d: EmailDelivery) -> None:
    """Send one queued message through the transport and record it (the caller commits)."""
    t = transport()
    d.attempts += 1
    reference = t.send(Message(d.to_address, d.subject, d.body, reference=f"exx-{d.id}"))
    d.status, d.sent_at, d.transport, d.reference, d.error = "sent", clock_now(), t.name, reference[:200], None
    if d.secret:
        d.body = REDACTED


def _record_failure(error: str, final: bool, delivery_id: int) -> None:
    d = db.session.get(EmailDelivery, delivery_id)
    if d is None:
        return
    d.attempts += 1
    d.error = error
    if final:
        d.status = "failed"
        if d.secret:
            d.body = REDACTED


@jobs.job("mail.send", max_attempts=5, on_failure=_record_failure)
def _send(delivery_id: int) -> str:
    d = db.session.get(EmailDelivery, delivery_id)
    if d is None or d.status != "queued":
        return "nothing to send"
    send_now(d)
    return f"sent to {d.to_address} by {d.transport}"
