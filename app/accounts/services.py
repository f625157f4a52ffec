"""Account changes: creating users, logging in with lockout, roles."""
from __future__ import annotations

from sqlalchemy import func, select

from app.audit.services import record
from app.errors import DomainError
from app.extensions import db
from app.models_base import utcnow

from .models import User, UserRole
from .passwords import hash_password, needs_rehash, verify_password
from .roles import ROLES

LOCKOUT_THRESHOLD = 5
MIN_PASSWORD_LENGTH = 12


def user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == (email or "").strip().lower())
    ).scalar_one_or_none()


def create_user(*, email: str, name: str, organisation, roles: list[str], password: str | None = None,
                actor=None) -> User:
    """Create a user in an organisation with the given roles."""
    email = email.strip().lower()
    if user_by_email(email) is not None:
        raise DomainError("A user with this email address already exists.", field="email")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise DomainError(f"Unknown role: {', '.join(sorted(unknown))}.", field="roles")
    user = User(email=email, name=name.strip(), organisation=organisation,
                password_hash=hash_password(password) if password else None)
    user.role_rows = [UserRole(role=r) for r in sorted(set(roles))]
    db.session.add(user)
    record("user.create", user, after={"email": email, "name": user.name, "organisation": organisation.ods_code,
                                       "roles": sorted(set(roles))},
           summary=f"Created user {email}", actor=actor)
    return user


class LoginResult:
    OK = "ok"
    BAD = "bad"
    LOCKED = "locked"
    INACTIVE = "inactive"


def authenticate(email: str, password: str) -> tuple[str, User | None]:
    """Check an email and password.

    Five wrong passwords in a row lock the account until an administrator unlocks it. The answer
    for an unknown email is the same as for a wrong password, so accounts cannot be discovered.
    Every outcome on a real account is audited.
    """
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password or "")
    if user is None:
        return LoginResult.BAD, None
    if user.is_locked:
        record("user.login_refused_locked", user, summary=f"Login refused: {user.email} is locked", actor=user)
        return LoginResult.LOCKED, None
    if not ok:
        user.failed_logins += 1
        summary = f"Failed login {user.failed_logins} for {user.email}"
        if user.failed_logins >= LOCKOUT_THRESHOLD:
            user.locked_at = utcnow()
            summary += "; account locked"
        record("user.login_failed", user, after={"failed_logins": user.failed_logins,
                                                  "locked": user.is_locked}, summary=summary, actor=user)
        return (LoginResult.LOCKED if user.is_locked else LoginResult.BAD), None
    if not user.active:
        return LoginResult.INACTIVE, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.last_login_at = utcnow()
    record("user.login", user, summary=f"{user.email} logged in", actor=user)
    return LoginResult.OK, user


def unlock(user: User, *, actor=None) -> User:
    before = {"locked": user.is_locked, "failed_logins": user.failed_logins}
    user.locked_at = None
    user.failed_logins = 0
    record("user.unlock", user, before=before, after={"locked": False, "failed_logins": 0},
           summary=f"Unlocked {user.email}", actor=actor)
    return user


def set_password(user: User, password: str, *, actor=None) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.", field="password")
    user.password_hash = hash_password(password)
    user.session_version += 1
    record("user.set_password", user, summary=f"Password set for {user.email}", actor=actor)
    return user


def end_sessions(user: User, *, actor=None) -> None:
    """End every session of this user (logout everywhere)."""
    user.session_version += 1
    record("user.end_sessions", user, summary=f"Sessions ended for {user.email}", actor=actor)
