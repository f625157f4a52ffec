"""jobs and email: the job ledger, email deliveries and preferences, unlock links, stored figures

Revision ID: 20261202_14
Revises: 20261202_11

- job_runs: one row per job event (unique key), its attempts, backoff and outcome (app/jobs).
- email_deliveries: every email, its status and the transport's error (app/mail).
- email_preferences: how often a person wants each kind of email (accounts/email_kinds.py).
- account_unlock_links: one-time self-service unlock links (only the secret's SHA-256).
- concentration_figure_builds: the concentration figures built by a job, signed (services/stored.py).
"""
from alembic import op
import sqlalchemy as sa
import app.models_base


revision = '20261202_14'
down_revision = '20261202_11'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('concentration_figure_builds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('built_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('took_ms', sa.Integer(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concentration_figure_builds'))
    )
    with op.batch_alter_table('concentration_figure_builds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concentration_figure_builds_version'), ['version'], unique=False)

    op.create_table('account_unlock_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('expires_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('used_at', app.models_base.UTCDateTime(), nullable=True),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_account_unlock_links_expires_after_created')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_unlock_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_unlock_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_unlock_links_token_hash'))
    )
    with op.batch_alter_table('account_unlock_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_unlock_links_user_id'), ['user_id'], unique=False)

    op.create_table('email_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('transport', sa.String(length=10), nullable=True),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('sent_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'held', 'sent', 'failed', 'digested')", name=op.f('ck_email_deliveries_status_known')),
    sa.ForeignKeyConstraint(['digest_id'], ['email_deliveries.id'], name=op.f('fk_email_deliveries_digest_id_email_deliveries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_email_deliveries_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_deliveries'))
    )
    with op.batch_alter_table('email_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_email_deliveries_status_user', ['status', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_email_deliveries_user_id'), ['user_id'], unique=False)

    op.create_table('email_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=False),
    sa.CheckConstraint("choice IN ('immediate', 'daily', 'off')", name=op.f('ck_email_preferences_choice_known')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_email_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_email_preferences_user_id_kind'))
    )
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('run_after', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('sent_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('started_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('finished_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_job_runs_status_known')),
    sa.CheckConstraint('attempts >= 0 AND max_attempts >= 1', name=op.f('ck_job_runs_attempts_sane')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_job_runs_started_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('key', name=op.f('uq_job_runs_key'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_started_by_id'), ['started_by_id'], unique=False)
        batch_op.create_index('ix_job_runs_status_run_after', ['status', 'run_after'], unique=False)



def downgrade():
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_job_runs_status_run_after')
        batch_op.drop_index(batch_op.f('ix_job_runs_started_by_id'))

    op.drop_table('job_runs')
    op.drop_table('email_preferences')
    with op.batch_alter_table('email_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_deliveries_user_id'))
        batch_op.drop_index('ix_email_deliveries_status_user')

    op.drop_table('email_deliveries')
    with op.batch_alter_table('account_unlock_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_unlock_links_user_id'))

    op.drop_table('account_unlock_links')
    with op.batch_alter_table('concentration_figure_builds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concentration_figure_builds_version'))

    op.drop_table('concentration_figure_builds')
