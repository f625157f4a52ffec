"""One-time links: an invitation to a new user, or a password reset made by a commercial admin.

The secret in the link is 32 random bytes; only its SHA-256 hash is stored, so neither a copy of
the database nor the audit log can open an account. A link works once, for seven days, and a newer
link or a deactivation revokes the older one. The secret is shown once, to the admin who made it.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.audit.services import record
from app.errors import DomainError
from app.extensions import db
from app.models_base import utcnow

from .models import AccountInvitation, User
from .services import check_new_password, create_user, forget_failed_sign_ins, revoke_open_links
from .passwords import hash_password
from app.web.formatting import to_london
from app.web.urls import external_url

LINK_LIFETIME = timedelta(days=7)
_USED = "This link has expired or has already been used. Ask your commercial admin for a new one."


def hash_token(token: str) -> str:
    """The stored form of a link's secret."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _issue(user: User, purpose: str, *, actor=None, now: datetime | None = None) -> tuple[AccountInvitation, str]:
    now = now or utcnow()
    revoke_open_links(user, now=now)
    token = secrets.token_urlsafe(32)
    link = AccountInvitation(user=user, token_hash=hash_token(token), purpose=purpose, created_at=now,
                             expires_at=now + LINK_LIFETIME, invited_by_id=getattr(actor, "id", None))
    db.session.add(link)
    what = "Invitation" if purpose == "invite" else "Password reset link"
    record(f"user.{purpose}_link", user, after={"purpose": purpose, "expires_at": link.expires_at.isoformat()},
           summary=f"{what} made for {user.email}, valid until {link.expires_at:%Y-%m-%d %H:%M} UTC", actor=actor)
    _email_link(user, purpose, token, link.expires_at)
    return link, token


def _email_link(user: User, purpose: str, token: str, expires_at: datetime) -> None:
    """Email the person their link (its copy in the message is dropped once sent)."""
    from .emailing import email_user

    if purpose == "invite":
        subject, body = ("You are invited to Exemplar Exchange",
                         f"You have been given an account on Exemplar Exchange, the NHS exemplar framework and "
                         f"marketplace, for {user.organisation.display_name}. Use the link below to choose your password.")
    else:
        subject, body = ("Reset your Exemplar Exchange password",
                         "Your commercial admin made you a link to choose a new password. Use the link below.")
    body += f" It works once, until {to_london(expires_at):%d %B %Y at %H:%M} (UK time)."
    email_user(user, "account", subject, body, link=external_url("accounts.open_link", token=token), secret=True)


def invite_user(*, email: str, name: str, organisation, roles: list[str], actor=None,
                now: datetime | None = None) -> tuple[User, str]:
    """Create a user with no password and a one-time link for them to set it. Returns (user, secret)."""
    if not (name or "").strip():
        raise DomainError("Enter the person's name.", field="name")
    if not roles:
        raise DomainError("Choose at least one role.", field="roles")
    user = create_user(email=email, name=name, organisation=organisation, roles=roles, actor=actor)
    _, token = _issue(user, "invite", actor=actor, now=now)
    return user, token


def reissue_link(user: User, *, actor=None, now: datetime | None = None) -> str:
    """A new link for an existing user: a fresh invitation if they never set a password, else a reset.
    Any older open link stops working. Returns the secret."""
    if not user.active:
        raise DomainError("Reactivate the account before sending a link.")
    _, token = _issue(user, "invite" if user.password_hash is None else "reset", actor=actor, now=now)
    return token


def link_for_token(token: str | None, *, now: datetime | None = None) -> AccountInvitation | None:
    """The usable link with this secret, or None (unknown, used, revoked, expired or user inactive)."""
    if not token or len(token) > 200:
        return None
    link = db.session.execute(
        select(AccountInvitation).where(AccountInvitation.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if link is None or not link.usable(now or utcnow()) or not link.user.active:
        return None
    return link


def accept_link(link: AccountInvitation, password: str, *, now: datetime | None = None) -> User:
    """Set the user's password through the link, once. Clears a lockout (they proved they hold the
    link) and ends any other session.

    The link is consumed by one conditional UPDATE (… WHERE used_at IS NULL AND revoked_at IS NULL
    AND expires_at > now) whose row count says whether this request won: checking the loaded object
    and then writing let two parallel requests both see it unused, and on PostgreSQL 2 of 4
    parallel posts of one link were accepted. The loser waits for the winner's row lock, then
    finds the link used. (On SQLite a writing request holds the database's write lock from its
    first statement, BEGIN IMMEDIATE, so the race could not happen there.)
    """
    now = now or utcnow()
    user = link.user
    if not user.active:
        raise DomainError(_USED)
    check_new_password(user, password)
    consumed = db.session.execute(
        update(AccountInvitation)
        .where(AccountInvitation.id == link.id, AccountInvitation.used_at.is_(None),
               AccountInvitation.revoked_at.is_(None), AccountInvitation.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if consumed != 1:
        raise DomainError(_USED)
    db.session.expire(link, ["used_at"])
    forget_failed_sign_ins(user)
    user.password_hash = hash_password(password)
    user.session_version += 1
    record(f"user.{link.purpose}_accept", user, after={"link_id": link.id},
           summary=f"{user.email} set their password with a{'n invitation' if link.purpose == 'invite' else ' reset'} link",
           actor=user)
    return user
