"""Account changes: creating users, signing in with lockout, passwords, roles, deactivation.

Every change is audited in the caller's transaction. A change that must end the user's sessions
(password, roles, deactivation, signing out) bumps ``User.session_version``: the version travels in
the session cookie with the user id, so every older cookie stops working at once, on every device.
Invitation and password-reset links are in ``invitations.py``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.audit.services import record
from app.errors import DomainError
from app.extensions import db
from app.models_base import utcnow

from .models import AccountInvitation, User, UserRole
from .password_policy import MIN_LENGTH as MIN_PASSWORD_LENGTH  # noqa: F401  (kept for callers)
from .password_policy import password_problem
from .passwords import hash_password, needs_rehash, verify_password
from .roles import COMMERCIAL_ADMIN, ROLES

LOCKOUT_THRESHOLD = 5


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
    """Let a user locked out by failed sign-ins try again (and reset the count of failures)."""
    before = {"locked": user.is_locked, "failed_logins": user.failed_logins}
    user.locked_at = None
    user.failed_logins = 0
    record("user.unlock", user, before=before, after={"locked": False, "failed_logins": 0},
           summary=f"Unlocked {user.email}", actor=actor)
    return user


def check_new_password(user: User, password: str) -> None:
    """Refuse a password that is too short, too common or contains the user's email name."""
    problem = password_problem(password, email=user.email)
    if problem:
        raise DomainError(problem + ".", field="password")


def set_password(user: User, password: str, *, actor=None) -> User:
    """Give the user a new password (checked against the policy) and end all their sessions."""
    check_new_password(user, password)
    user.password_hash = hash_password(password)
    user.session_version += 1
    record("user.set_password", user, summary=f"Password set for {user.email}", actor=actor)
    return user


def change_password(user: User, current_password: str, new_password: str) -> User:
    """The user changes their own password: the current one is required, and every other session ends."""
    if not verify_password(user.password_hash, current_password or ""):
        raise DomainError("Your current password is not correct.", field="current_password")
    if current_password == new_password:
        raise DomainError("Choose a password different from your current one.", field="password")
    check_new_password(user, new_password)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    record("user.change_password", user, summary=f"{user.email} changed their password", actor=user)
    return user


def end_sessions(user: User, *, actor=None) -> None:
    """End every session of this user (logout everywhere)."""
    user.session_version += 1
    record("user.end_sessions", user, summary=f"Sessions ended for {user.email}", actor=actor)


def sign_out(user: User) -> None:
    """The user signs out: the session cookie is cleared and, since a copy of a signed cookie would
    otherwise still work, every session of the user ends."""
    user.session_version += 1
    record("user.logout", user, summary=f"{user.email} signed out", actor=user)


def _active_admins_other_than(user: User) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(User.id))).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == COMMERCIAL_ADMIN, User.active.is_(True), User.id != user.id)
    ) or 0


def change_roles(user: User, roles: list[str], *, actor=None) -> User:
    """Replace the user's roles. Their sessions end so no page keeps serving the old permissions.

    Refused: no role at all, an unknown role, taking the commercial admin role from oneself, and
    taking it from the last active commercial admin (nobody could manage accounts any more).
    """
    wanted = sorted(set(roles or []))
    if not wanted:
        raise DomainError("Choose at least one role.", field="roles")
    unknown = set(wanted) - set(ROLES)
    if unknown:
        raise DomainError(f"Unknown role: {', '.join(sorted(unknown))}.", field="roles")
    before = sorted(user.roles)
    if before == wanted:
        raise DomainError("The roles are unchanged.", field="roles")
    if COMMERCIAL_ADMIN in before and COMMERCIAL_ADMIN not in wanted:
        if actor is not None and actor.id == user.id:
            raise DomainError("You cannot remove your own commercial admin role; ask another commercial admin.",
                              field="roles")
        if user.active and _active_admins_other_than(user) == 0:
            raise DomainError("This is the last active commercial admin: give another user the role first.",
                              field="roles")
    keep = {r.role: r for r in user.role_rows if r.role in wanted}
    user.role_rows = [keep.get(r) or UserRole(role=r) for r in wanted]
    user.session_version += 1
    record("user.change_roles", user, before={"roles": before}, after={"roles": wanted},
           summary=f"Roles of {user.email}: {', '.join(wanted)}", actor=actor)
    return user


def revoke_open_links(user: User, *, now: datetime | None = None) -> int:
    """Revoke the user's unused links; returns how many. Audited by the caller's own entry."""
    now = now or utcnow()
    links = db.session.execute(
        select(AccountInvitation).where(AccountInvitation.user_id == user.id, AccountInvitation.used_at.is_(None),
                                        AccountInvitation.revoked_at.is_(None))
    ).scalars().all()
    for link in links:
        link.revoked_at = now
    db.session.flush()  # before a new link is added: one open link per user (partial unique index)
    return len(links)


def deactivate(user: User, *, reason: str, actor=None) -> User:
    """Stop the user signing in or using the API; their sessions and open links end at once."""
    if not user.active:
        raise DomainError("This account is already deactivated.")
    if not (reason or "").strip():
        raise DomainError("Enter a reason for deactivating the account.", field="reason")
    if actor is not None and actor.id == user.id:
        raise DomainError("You cannot deactivate your own account.")
    if user.has_role(COMMERCIAL_ADMIN) and _active_admins_other_than(user) == 0:
        raise DomainError("This is the last active commercial admin and cannot be deactivated.")
    user.active = False
    user.session_version += 1
    revoke_open_links(user)
    record("user.deactivate", user, before={"active": True}, after={"active": False},
           summary=f"Deactivated {user.email}: {reason.strip()}", actor=actor)
    return user


def reactivate(user: User, *, actor=None) -> User:
    """Let a deactivated user sign in again (with the password they had)."""
    if user.active:
        raise DomainError("This account is already active.")
    user.active = True
    user.session_version += 1
    record("user.reactivate", user, before={"active": False}, after={"active": True},
           summary=f"Reactivated {user.email}", actor=actor)
    return user
