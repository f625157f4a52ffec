"""national picture: deployments keep the pipeline date, the source's status code and whether they rest
on the 2024 FOI list alone; "known to have no system" findings; alert rules name their kind of source

A rule may be called verified only when its source is primary (the regulator's own page) and was
read: existing rules become "other" and unverified until the seed's defaults refresh their sources
(`flask seed` or `flask concentration load-rules`), so the CHECK holds from the start.

Revision ID: 20261202_10
Revises: 20261124_09
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261202_10"
down_revision = "20261124_09"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("source_status_code", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("foi_2024_only", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        "no_system_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("known_from", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("status_as_of", sa.String(length=40), nullable=True),
        sa.Column("source_text", sa.String(length=300), nullable=True),
        sa.Column("source_status_text", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("confidence", sa.String(length=10), nullable=False),
        sa.Column("historical", sa.Boolean(), nullable=False),
        sa.Column("foi_2024_only", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", app.models_base.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "category IN ('acute_epr', 'mental_health_epr', 'community_epr', 'ambulance_epr', 'pas', "
            "'eprescribing', 'shared_care_record')",
            name=op.f("ck_no_system_findings_category_known")),
        sa.CheckConstraint("confidence IN ('high', 'medium', 'low', 'unrated')",
                           name=op.f("ck_no_system_findings_confidence_known")),
        sa.CheckConstraint("until IS NULL OR until >= known_from",
                           name=op.f("ck_no_system_findings_until_after_known_from")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_no_system_findings_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_no_system_findings")),
    )
    with op.batch_alter_table("no_system_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_no_system_findings_organisation_id"), ["organisation_id"], unique=False)

    op.execute("UPDATE concentration_alert_rules SET verified = false")
    with op.batch_alter_table("concentration_alert_rules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_kind", sa.String(length=20), server_default="other", nullable=False))
        batch_op.create_check_constraint("source_kind_known", "source_kind IN ('primary', 'secondary', 'other')")
        batch_op.create_check_constraint("verified_only_primary", "NOT verified OR source_kind = 'primary'")


def downgrade():
    with op.batch_alter_table("concentration_alert_rules", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_concentration_alert_rules_verified_only_primary"), type_="check")
        batch_op.drop_constraint(op.f("ck_concentration_alert_rules_source_kind_known"), type_="check")
        batch_op.drop_column("source_kind")
    with op.batch_alter_table("no_system_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_no_system_findings_organisation_id"))
    op.drop_table("no_system_findings")
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.drop_column("foi_2024_only")
        batch_op.drop_column("source_status_code")
        batch_op.drop_column("expected_on")
