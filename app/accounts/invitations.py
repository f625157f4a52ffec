"""One-time links: an invitation to a new user, or a password reset made by a commercial admin.

The secret in the link is 32 random bytes; only its SHA-256 hash is stored, so neither a copy of
the database nor the audit log can open an account. A link works once, for seven days, and a newer
link or a deactivation revokes the older one. The secret is shown once, to the admin who made it.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from app.audit.services import record
from app.errors import DomainError
from app.extensions import db
from app.models_base import utcnow

from .models import AccountInvitation, User
from .services import check_new_password, create_user, revoke_open_links
from .passwords import hash_password

LINK_LIFETIME = timedelta(days=7)


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
    return link, token


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
    link) and ends any other session."""
    now = now or utcnow()
    if not link.usable(now) or not link.user.active:
        raise DomainError("This link has expired or has already been used. Ask your commercial admin for a new one.")
    user = link.user
    check_new_password(user, password)
    link.used_at = now
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins = 0
    user.locked_at = None
    record(f"user.{link.purpose}_accept", user, after={"link_id": link.id},
           summary=f"{user.email} set their password with a{'n invitation' if link.purpose == 'invite' else ' reset'} link",
           actor=user)
    return user
