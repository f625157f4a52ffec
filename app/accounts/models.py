"""Users, their roles and their API tokens."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from .roles import ROLES


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Until when sign-ins to this account wait after failed attempts (at its own address or from
    # anywhere), for the admin pages. The counts themselves are in the throttle store
    # (accounts/throttle_store.py); the wait ends by itself.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped to end every session of this user (logout everywhere, deactivation).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation = relationship("Organisation", lazy="joined")
    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    @property
    def is_locked(self) -> bool:
        """Whether sign-ins to this account are waiting now (see accounts/throttling.py)."""
        return self.locked_until is not None and self.locked_until > utcnow()

    def get_id(self) -> str:
        # The session version travels with the id, so bumping it ends existing sessions.
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="role_rows")

    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint(check_in("role", ROLES), name="role_known"),
    )


class ApiToken(db.Model):
    """A personal API token. Only a hash of the secret is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(12), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint(check_in("scope", ("read", "write")), name="scope_known"),
                      CheckConstraint("expires_at > created_at", name="expires_after_created"))

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


class AccountInvitation(db.Model):
    """A one-time link that lets a person set their password (a new user's first, or a reset).

    Only a SHA-256 hash of the link's secret is kept, so a copy of the database opens no account.
    A link works once (used_at), until expires_at, and not after it is revoked (a newer link was
    made, or the user was deactivated). At most one link per user is open at a time.
    """

    __tablename__ = "account_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    __table_args__ = (
        CheckConstraint(check_in("purpose", ("invite", "reset")), name="purpose_known"),
        CheckConstraint("expires_at > created_at", name="expires_after_created"),
        Index("uq_account_invitations_open_per_user", "user_id", unique=True,
              sqlite_where=text("used_at IS NULL AND revoked_at IS NULL"),
              postgresql_where=text("used_at IS NULL AND revoked_at IS NULL")),
    )

    def usable(self, now: datetime) -> bool:
        """Whether the link still opens: not used, not revoked, not expired."""
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


class SignInThrottle(db.Model):
    """A count of failed sign-ins in one scope (an account from an address, an account, an address),
    and until when sign-ins in that scope wait. Used when no Redis is configured; rows are
    forgotten at expires_at (see accounts/throttling.py and accounts/throttle_store.py)."""

    __tablename__ = "sign_in_throttles"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column()
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    __table_args__ = (CheckConstraint("failures >= 0", name="failures_non_negative"),)


class EmailPreference(db.Model):
    """How often a person wants email of one kind (accounts/email_kinds.py); no row: at once."""

    __tablename__ = "email_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    choice: Mapped[str] = mapped_column(String(10))

    __table_args__ = (UniqueConstraint("user_id", "kind"),
                      CheckConstraint(check_in("choice", ("immediate", "daily", "off")), name="choice_known"))


class UnlockLink(db.Model):
    """A one-time link e-mailed to the owner of an account whose sign-ins wait after failed
    attempts: following it lets sign-ins go ahead at once. Only the secret's SHA-256 is kept; kept
    apart from invitation and reset links so a stranger's wrong passwords never revoke those."""

    __tablename__ = "account_unlock_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint("expires_at > created_at", name="expires_after_created"),)
