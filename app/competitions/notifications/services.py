"""Telling people: in-app notifications (the inbox), each also emailed as the person chose
(accounts/emailing.py: at once, in the daily digest, or not at all; the required kinds always),
through the mail queue, so an email is sent only if the change that caused it is committed.

Nothing here may carry bid content, or the number of bids, to anyone but the bidder before the
response deadline: callers choose recipients and words with that in mind.
"""
from __future__ import annotations

from typing import Iterable

from app.accounts.emailing import email_user, users_of
from app.accounts.models import User
from app.extensions import db

from .models import Notification


def org_users(organisation_id: int, *roles: str) -> list[User]:
    """The active users of an organisation holding any of the roles."""
    return users_of(organisation_id, *roles)


def notify(users: Iterable[User], subject: str, body: str = "", *, link: str | None = None,
           competition=None, kind: str = "general") -> list[Notification]:
    """Put a notification in each user's inbox and email it to each as they chose (`kind`: see
    accounts/email_kinds.py; `link` a path of this site, made absolute in the email); the caller
    commits."""
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
        email_user(user, kind, subject, body, link=link)
    db.session.flush()
    return made
