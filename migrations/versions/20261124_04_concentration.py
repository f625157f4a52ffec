"""concentration: concentration alert rules and figures cache

Revision ID: 20261124_04
Revises: 20261124_03
"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_04"
down_revision = "20261124_03"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "concentration_data_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", app.models_base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concentration_data_versions")),
    )
    # The one row whose counter the data_changed receiver bumps.
    versions = sa.table("concentration_data_versions", sa.column("id", sa.Integer), sa.column("version", sa.Integer),
                        sa.column("changed_at", sa.DateTime))
    op.bulk_insert(versions, [{"id": 1, "version": 0, "changed_at": datetime(2026, 11, 24)}])
    op.create_table(
        "concentration_alert_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("delta_threshold", sa.Float(), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("regime", sa.String(length=200), nullable=False),
        sa.Column("published_threshold", sa.Text(), nullable=False),
        sa.Column("source_urls", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", app.models_base.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("metric IN ('hhi', 'delta_hhi', 'cr1', 'supplier_share')",
                           name=op.f("ck_concentration_alert_rules_metric_known")),
        sa.CheckConstraint("severity IN ('info', 'warning', 'high')",
                           name=op.f("ck_concentration_alert_rules_severity_known")),
        sa.CheckConstraint("delta_threshold IS NULL OR delta_threshold >= 0",
                           name=op.f("ck_concentration_alert_rules_delta_non_negative")),
        sa.CheckConstraint("threshold >= 0", name=op.f("ck_concentration_alert_rules_threshold_non_negative")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_concentration_alert_rules_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concentration_alert_rules")),
        sa.UniqueConstraint("slug", name=op.f("uq_concentration_alert_rules_slug")),
    )


def downgrade():
    op.drop_table("concentration_alert_rules")
    op.drop_table("concentration_data_versions")
