"""Personal API tokens: create, revoke, and find the token behind a secret.

A token is shown once, when it is made. Only the SHA-256 of the secret is kept, with a short
visible prefix so its owner can tell tokens apart. A secret carries 256 bits of randomness, so a
plain (unsalted) hash is enough: it cannot be guessed or looked up.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts.models import ApiToken
from app.audit.services import record
from app.errors import DomainError
from app.extensions import db
from app.models_base import utcnow

TOKEN_PREFIX = "exx_"
SCOPES = {"read": "Read only", "write": "Read and write"}
MAX_ACTIVE_TOKENS = 20
#: last_used_at is written at most this often, so reading with a token rarely writes.
TOUCH_INTERVAL = timedelta(minutes=5)


def hash_secret(secret: str) -> str:
    """The stored form of a token secret."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_lifetimes() -> tuple[int, int]:
    """(default, longest) lifetime of a new token in days, from the configuration."""
    longest = current_app.config.get("API_TOKEN_MAX_DAYS", 365)
    return min(current_app.config.get("API_TOKEN_DEFAULT_DAYS", 90), longest), longest


def create_token(user, *, name: str, scope: str, days: int | None = None, actor=None) -> tuple[ApiToken, str]:
    """Make a token for `user` that works for `days` (default 90, at most the configured longest);
    returns the token and its secret (shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name for the token, so you can tell it apart later.", field="name")
    if len(name) > 100:
        raise DomainError("The name must be 100 characters or fewer.", field="name")
    if scope not in SCOPES:
        raise DomainError("Choose read or write.", field="scope")
    if scope == "write" and not user.roles:
        raise DomainError("You have no role that can change anything: choose read.", field="scope")
    default_days, longest = token_lifetimes()
    days = default_days if days is None else days
    if not 1 <= days <= longest:
        raise DomainError(f"Choose how long the token works: from 1 to {longest} days.", field="days")
    now = utcnow()
    active = db.session.scalar(
        select(db.func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                                                            ApiToken.expires_at > now))
    if active >= MAX_ACTIVE_TOKENS:
        raise DomainError(f"You already have {MAX_ACTIVE_TOKENS} tokens: revoke one you no longer use first.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:12], token_hash=hash_secret(secret), scope=scope,
                     created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(token)
    record("api_token.create", token, after={"user": user.email, "name": name, "scope": scope, "prefix": token.prefix,
                                             "expires_at": token.expires_at.isoformat()},
           summary=f"API token ‘{name}’ ({scope}) created for {user.email}, expires {token.expires_at:%Y-%m-%d}",
           actor=actor or user)
    return token, secret


def revoke_token(token: ApiToken, *, actor=None) -> ApiToken:
    """Revoke a token: it stops working at once."""
    if token.revoked_at is not None:
        raise DomainError("This token has already been revoked.")
    token.revoked_at = utcnow()
    record("api_token.revoke", token, before={"revoked": False}, after={"revoked": True, "prefix": token.prefix},
           summary=f"API token ‘{token.name}’ revoked for {token.user.email}", actor=actor or token.user)
    return token


def tokens_of(user) -> list[ApiToken]:
    return list(db.session.execute(
        select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).scalars())


def token_for_secret(secret: str, *, now=None) -> ApiToken | None:
    """The live token with this secret, or None (unknown, revoked, expired, or its user inactive).
    Failed sign-ins do not stop a token: they throttle the password, not the owner's programs."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == hash_secret(secret))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None or token.expired(now or utcnow()):
        return None
    if not token.user.active:
        return None
    return token


def touch_token(token: ApiToken) -> None:
    """Note when a token was last used (at most every few minutes), in its own small commit."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    token.last_used_at = now
    db.session.commit()
