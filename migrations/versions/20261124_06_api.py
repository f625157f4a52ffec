"""api: open data and interchange (files uploaded for import)

Revision ID: 20261124_06
Revises: 20261124_05
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_06"
down_revision = "20261124_05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('applied_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.Column('skipped_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('organisations', 'deployments')", name=op.f('ck_import_runs_kind_known')),
    sa.CheckConstraint('size >= 0 AND created_count >= 0 AND updated_count >= 0 AND unchanged_count >= 0 AND skipped_count >= 0 AND error_count >= 0', name=op.f('ck_import_runs_counts_non_negative')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_import_runs_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs'))
    )
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_runs_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_runs_uploaded_by_id'))

    op.drop_table('import_runs')
