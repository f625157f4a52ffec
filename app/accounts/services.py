"""Account changes: creating users, signing in (throttled), passwords, roles, deactivation.

Every change is audited in the caller's transaction. A change that must end the user's sessions
(password, roles, deactivation, signing out) bumps ``User.session_version``: the version travels in
the session cookie with the user id, so every older cookie stops working at once, on every device.
Invitation and password-reset links are in ``invitations.py``.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, or_, select, update

from app.audit.services import record
from app.errors import DomainError
from app.extensions import db
from app.models_base import utcnow
from app.signals import account_locked

from . import throttling
from .models import AccountInvitation, User, UserRole
from .password_policy import MIN_LENGTH as MIN_PASSWORD_LENGTH  # noqa: F401  (kept for callers)
from .password_policy import password_problem
from .passwords import hash_password, needs_rehash, verify_password
from .roles import COMMERCIAL_ADMIN, ROLES
from .throttle_store import throttle_store


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


class SignInAttempt(NamedTuple):
    """What became of a sign-in: the outcome, the user when it is OK, and for LOCKED how long to wait."""

    outcome: str
    user: User | None
    wait: timedelta | None = None


def authenticate(email: str, password: str, *, address: str | None = None,
                 now: datetime | None = None) -> SignInAttempt:
    """Check an email and password, throttled per account, per account and address, and per address.

    While a scope waits (accounts/throttling.py) the attempt is refused without checking the
    password, so waiting gives a guesser nothing. A wrong password is counted atomically in every
    scope; the one that passes a scope's allowance makes that scope wait. A right password clears
    the count of this account from this address. The answer for an unknown email is the same as for
    a wrong password (and it is counted the same way), so accounts cannot be discovered. Every
    outcome on a real account is audited. API tokens are not affected by any of this.
    """
    now = now or utcnow()
    store = throttle_store()
    keys = throttling.keys_for(email, address)
    user = user_by_email(email)
    until = store.locked_until(list(keys.values()), now)
    if until is not None:
        if user is not None:
            record("user.login_refused_locked", user, actor=user,
                   summary=f"Sign-in refused: too many failed attempts for {user.email}, waiting until {until:%H:%M} UTC")
        return SignInAttempt(LoginResult.LOCKED, None, until - now)
    if not verify_password(user.password_hash if user else None, password or ""):
        return _failed_attempt(store, keys, user, now)
    if not user.active:
        return SignInAttempt(LoginResult.INACTIVE, None)
    if throttling.PAIR in keys:
        store.clear([keys[throttling.PAIR]], [])
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.locked_until = None
    user.last_login_at = now
    record("user.login", user, summary=f"{user.email} logged in", actor=user)
    return SignInAttempt(LoginResult.OK, user)


def _failed_attempt(store, keys: dict, user: User | None, now: datetime) -> SignInAttempt:
    """Count a wrong password in every scope; make each scope past its allowance wait."""
    counts = {rule: store.fail(key, rule.forget_after, now) for rule, key in keys.items()}
    waits = {rule: rule.wait_after(n) for rule, n in counts.items()}
    for rule, wait in waits.items():
        if wait:
            store.lock(keys[rule], now + wait)
    wait = max(waits.values())
    if user is not None:
        account_wait = max(waits.get(throttling.PAIR, timedelta(0)), waits[throttling.ACCOUNT])
        summary = f"Failed sign-in for {user.email} (failure {counts[throttling.ACCOUNT]} from any address"
        summary += f", {counts[throttling.PAIR]} from this one)" if throttling.PAIR in counts else ")"
        locked_until = None
        if account_wait:
            locked_until = now + account_wait
            _note_locked(user, locked_until)
            summary += f"; sign-ins wait {throttling.wait_phrase(account_wait)}, until {locked_until:%H:%M} UTC"
        record("user.login_failed", user, actor=user, summary=summary, after={
            "failures": counts[throttling.ACCOUNT], "failures_from_address": counts.get(throttling.PAIR),
            "locked_until": locked_until.isoformat() if locked_until else None})
        if locked_until is not None:
            account_locked.send(user, until=locked_until)
    if wait:
        return SignInAttempt(LoginResult.LOCKED, None, wait)
    return SignInAttempt(LoginResult.BAD, None)


def _note_locked(user: User, until: datetime) -> None:
    """Show the wait on the admin pages: lengthen users.locked_until in one conditional UPDATE (two
    parallel failures must not shorten each other's wait)."""
    db.session.execute(
        update(User).where(User.id == user.id, or_(User.locked_until.is_(None), User.locked_until < until))
        .values(locked_until=until).execution_options(synchronize_session=False))
    db.session.expire(user, ["locked_until"])


def unlock(user: User, *, actor=None) -> User:
    """Let sign-ins to this account go ahead at once: forget its failed attempts from every address.

    Used by the commercial admin (user page, `flask users unlock`) and by a reset or invitation link.
    The hook for a self-service unlock by e-mail: a receiver of `signals.account_locked` sends the
    owner a one-time link, and following it calls this with actor=user.
    """
    before = {"locked": user.is_locked,
              "locked_until": user.locked_until.isoformat() if user.locked_until else None}
    forget_failed_sign_ins(user)
    record("user.unlock", user, before=before, after={"locked": False, "locked_until": None},
           summary=f"Unlocked {user.email}", actor=actor)
    return user


def forget_failed_sign_ins(user: User) -> None:
    """Forget this account's failed sign-ins from every address, and any wait they caused. Not
    audited here: the caller's entry says why (an unlock, a password set through a link)."""
    keys, prefixes = throttling.account_keys(user.email)
    throttle_store().clear(keys, prefixes)  # before the user row is written: the order sign-in uses
    user.locked_until = None


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
