"""accounts security: sign-in throttling instead of lock-outs, expiring API tokens

Revision ID: 20261202_11
Revises: 20261202_10

- sign_in_throttles: counts of failed sign-ins per scope, used when no Redis is configured.
- users: locked_at and failed_logins (a lock-out until an admin unlocked it) give way to
  locked_until (a wait that ends by itself). Accounts locked under the old rule are released.
- api_tokens.expires_at: tokens made before this revision expire 90 days after it.
"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261202_11"
down_revision = "20261202_10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_throttles",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", app.models_base.UTCDateTime(), nullable=True),
        sa.Column("expires_at", app.models_base.UTCDateTime(), nullable=False),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_sign_in_throttles_failures_non_negative")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttles")),
    )
    with op.batch_alter_table("sign_in_throttles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_throttles_expires_at"), ["expires_at"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked_until", app.models_base.UTCDateTime(), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_users_failed_logins_non_negative"), type_="check")
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("locked_at")

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", app.models_base.UTCDateTime(), nullable=True))
    expires = (datetime.now(timezone.utc) + timedelta(days=90)).replace(tzinfo=None)  # stored naive UTC
    op.get_bind().execute(sa.text("UPDATE api_tokens SET expires_at = :expires"), {"expires": expires})
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("expires_at", existing_type=app.models_base.UTCDateTime(), nullable=False)
        batch_op.create_check_constraint(batch_op.f("ck_api_tokens_expires_after_created"), "expires_at > created_at")


def downgrade():
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_api_tokens_expires_after_created"), type_="check")
        batch_op.drop_column("expires_at")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked_at", app.models_base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_check_constraint(batch_op.f("ck_users_failed_logins_non_negative"), "failed_logins >= 0")
        batch_op.drop_column("locked_until")

    with op.batch_alter_table("sign_in_throttles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_throttles_expires_at"))
    op.drop_table("sign_in_throttles")
