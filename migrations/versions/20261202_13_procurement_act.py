"""procurement act: the sealed bid box

Revision ID: 20261202_13
Revises: 20261202_11

- sealed_journals, sealed_audit_entries: audit entries about objects sealed for a while (a
  competition's bids before its deadline), chained per journal and joined to the main chain when
  the journal is opened. Entries written before this revision stay where they are.
"""
from alembic import op
import sqlalchemy as sa
import app.models_base


revision = '20261202_13'
down_revision = '20261202_11'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sealed_journals',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('opened_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('opening_event_id', sa.Integer(), nullable=True),
    sa.Column('entries_at_opening', sa.Integer(), nullable=True),
    sa.Column('head_hash_at_opening', sa.String(length=64), nullable=True),
    sa.CheckConstraint('(opened_at IS NULL) = (opening_event_id IS NULL)', name=op.f('ck_sealed_journals_opened_has_event')),
    sa.ForeignKeyConstraint(['opening_event_id'], ['audit_events.id'], name=op.f('fk_sealed_journals_opening_event_id_audit_events')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sealed_journals')),
    sa.UniqueConstraint('opening_event_id', name=op.f('uq_sealed_journals_opening_event_id'))
    )
    op.create_table('sealed_audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journal_key', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('occurred_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=300), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=60), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('position >= 1', name=op.f('ck_sealed_audit_entries_position_positive')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_sealed_audit_entries_actor_id_users')),
    sa.ForeignKeyConstraint(['journal_key'], ['sealed_journals.key'], name=op.f('fk_sealed_audit_entries_journal_key_sealed_journals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_audit_entries')),
    sa.UniqueConstraint('hash', name=op.f('uq_sealed_audit_entries_hash')),
    sa.UniqueConstraint('journal_key', 'position', name=op.f('uq_sealed_audit_entries_journal_key_position'))
    )



def downgrade():
    op.drop_table('sealed_audit_entries')
    op.drop_table('sealed_journals')
