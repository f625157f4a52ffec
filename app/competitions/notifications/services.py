"""Telling people: in-app notifications (the inbox) and email through a pluggable sender.

Emails are queued on the database session and sent only after the transaction commits, so a
rolled-back change never sends mail. The default sender writes to the log (development); a
deployment sets another with `set_email_sender(fn)` where fn(to, subject, body) sends it.

Nothing here may carry bid content, or the number of bids, to anyone but the bidder before the
response deadline: callers choose recipients and words with that in mind.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.accounts.models import User, UserRole
from app.extensions import db

from .models import Notification

log = logging.getLogger("exemplar.email")

EmailSender = Callable[[str, str, str], None]
_OUTBOX = "competitions_email_outbox"


def log_email(to: str, subject: str, body: str) -> None:
    """The development sender: write the email to the log."""
    log.info("email to=%s subject=%r body=%r", to, subject, body)


_sender: EmailSender = log_email


def set_email_sender(sender: EmailSender | None) -> None:
    """Send emails with `sender` from now on (None: back to the log)."""
    global _sender
    _sender = sender or log_email


def org_users(organisation_id: int, *roles: str) -> list[User]:
    """The active users of an organisation holding any of the roles."""
    stmt = (select(User).join(UserRole, UserRole.user_id == User.id)
            .where(User.organisation_id == organisation_id, User.active.is_(True), UserRole.role.in_(roles))
            .order_by(User.id))
    return list(db.session.execute(stmt).unique().scalars())


def notify(users: Iterable[User], subject: str, body: str = "", *, link: str | None = None,
           competition=None) -> list[Notification]:
    """Put a notification in each user's inbox and queue an email to each; the caller commits."""
    made = []
    seen: set[int] = set()
    for user in users:
        if user.id in seen:
            continue
        seen.add(user.id)
        n = Notification(user_id=user.id, subject=subject[:200], body=body, link=link,
                         competition_id=getattr(competition, "id", None))
        db.session.add(n)
        made.append(n)
        db.session.info.setdefault(_OUTBOX, []).append((user.email, subject, body + (f"\n\n{link}" if link else "")))
    db.session.flush()
    return made


@event.listens_for(Session, "after_commit")
def _send_queued(session: Session) -> None:
    outbox = session.info.pop(_OUTBOX, None) or []
    for to, subject, body in outbox:
        try:
            _sender(to, subject, body)
        except Exception:  # an email failure must not undo a committed change
            log.exception("email to %s failed", to)


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(_OUTBOX, None)
