"""Self-service unlock by email: when failed sign-ins make an account wait, its owner is emailed
a one-time link that lets sign-ins go ahead at once (services.unlock, with the owner as actor).

Whoever typed the wrong passwords learns nothing (the email goes to the owner's address, and the
sign-in page says the same either way). At most one link is sent per LINK_QUIET: a stranger
hammering an account fills its owner's inbox with one email, not hundreds. The link lives an
hour, works once (consumed by one conditional UPDATE, as invitation links are), and only its
SHA-256 is stored; the email's own copy is dropped once sent.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.clock import now as clock_now
from app.errors import DomainError
from app.extensions import db
from app.signals import account_locked
from app.web.formatting import to_london
from app.web.urls import external_url

from .emailing import email_user
from .invitations import hash_token
from .models import UnlockLink, User
from .services import unlock

LINK_LIFETIME = timedelta(hours=1)
#: No second link is sent while one made this recently is still unused.
LINK_QUIET = timedelta(minutes=15)
_USED = "This unlock link has expired or has already been used. Wait a few minutes and sign in, or ask your commercial admin."


def send_unlock_link(user: User, until: datetime, now: datetime | None = None) -> str | None:
    """Email the owner a one-time unlock link (unless one was sent lately). Returns the secret."""
    now = now or clock_now()
    recent = db.session.execute(select(UnlockLink.id).where(
        UnlockLink.user_id == user.id, UnlockLink.used_at.is_(None), UnlockLink.created_at > now - LINK_QUIET,
        UnlockLink.expires_at > now)).first()
    if recent is not None or not user.active:
        return None
    token = secrets.token_urlsafe(32)
    db.session.add(UnlockLink(user_id=user.id, token_hash=hash_token(token), created_at=now,
                              expires_at=now + LINK_LIFETIME))
    db.session.flush()
    body = (f"Someone tried to sign in to your account with a wrong password several times, so sign-ins to it "
            f"wait until {to_london(until):%H:%M} (UK time).\n\nIf it was you, you can use the link below within "
            f"an hour to sign in again at once. It works once.\n\nIf it was not you, you need do nothing: your "
            f"password was not accepted. Tell your commercial admin if it keeps happening.")
    email_user(user, "account", "Unlock your Exemplar Exchange account", body,
               link=external_url("accounts.open_unlock", token=token), secret=True)
    return token


@account_locked.connect
def _on_account_locked(user: User, until: datetime, **_: object) -> None:
    send_unlock_link(user, until)


def unlock_link_for(token: str | None, now: datetime | None = None) -> UnlockLink | None:
    """The usable link with this secret, or None."""
    if not token or len(token) > 200:
        return None
    now = now or clock_now()
    link = db.session.execute(select(UnlockLink).where(UnlockLink.token_hash == hash_token(token))).scalar_one_or_none()
    if link is None or link.used_at is not None or link.expires_at <= now or not link.user.active:
        return None
    return link


def use_unlock_link(link: UnlockLink, now: datetime | None = None) -> User:
    """Consume the link (once, whoever else races for it) and unlock the account; the caller commits."""
    now = now or clock_now()
    consumed = db.session.execute(
        update(UnlockLink).where(UnlockLink.id == link.id, UnlockLink.used_at.is_(None), UnlockLink.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if consumed != 1:
        raise DomainError(_USED)
    db.session.expire(link, ["used_at"])
    return unlock(link.user, actor=link.user)
