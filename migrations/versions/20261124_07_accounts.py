"""accounts: invitations and account management

Revision ID: 20261124_07
Revises: 20261124_06
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_07"
down_revision = "20261124_06"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("created_at", app.models_base.UTCDateTime(), nullable=False),
        sa.Column("expires_at", app.models_base.UTCDateTime(), nullable=False),
        sa.Column("used_at", app.models_base.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", app.models_base.UTCDateTime(), nullable=True),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("purpose IN ('invite', 'reset')", name=op.f("ck_account_invitations_purpose_known")),
        sa.CheckConstraint("expires_at > created_at", name=op.f("ck_account_invitations_expires_after_created")),
        sa.ForeignKeyConstraint(["invited_by_id"], ["users.id"],
                                name=op.f("fk_account_invitations_invited_by_id_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_account_invitations_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_invitations_token_hash")),
    )
    with op.batch_alter_table("account_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_invitations_user_id"), ["user_id"], unique=False)
        batch_op.create_index("uq_account_invitations_open_per_user", ["user_id"], unique=True,
                              sqlite_where=sa.text("used_at IS NULL AND revoked_at IS NULL"),
                              postgresql_where=sa.text("used_at IS NULL AND revoked_at IS NULL"))


def downgrade():
    with op.batch_alter_table("account_invitations", schema=None) as batch_op:
        batch_op.drop_index("uq_account_invitations_open_per_user",
                            sqlite_where=sa.text("used_at IS NULL AND revoked_at IS NULL"),
                            postgresql_where=sa.text("used_at IS NULL AND revoked_at IS NULL"))
        batch_op.drop_index(batch_op.f("ix_account_invitations_user_id"))
    op.drop_table("account_invitations")
