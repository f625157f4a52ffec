"""performance: the page cache's data version, and indexes for queries that grow with the data

Revision ID: 20261124_08
Revises: 20261124_07
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_08"
down_revision = "20261124_07"
branch_labels = None
depends_on = None


def upgrade():
    versions = op.create_table(
        "page_cache_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", app.models_base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_cache_versions")),
    )
    op.bulk_insert(versions, [{"id": 1, "version": 0, "changed_at": datetime.now(timezone.utc)}])
    # The register's list and filters read one kind of organisation in name order: without it,
    # every page of the register scanned all organisations twice (10,000 at G-Cloud scale).
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index("ix_organisations_kind_name", ["kind", "name"], unique=False)


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index("ix_organisations_kind_name")
    op.drop_table("page_cache_versions")
