"""procurement act: the sealed bid box, conflicts, exclusions, notices, contract management

Revision ID: 20261202_14
Revises: 20261202_13

- sealed_journals, sealed_audit_entries: audit entries about objects sealed for a while (a
  competition's bids before its deadline), chained per journal and joined to the main chain when
  the journal is opened. Entries written before this revision stay where they are.
- frameworks: standstill_rule (none / fixed / flexible; existing frameworks keep a fixed one) and
  over_budget_may_win; organisations.parent_id; partnerships.ended_for_cause.
- exclusion_entries (the register), exclusion_checks (at intention to award and at award).
- conflict_declarations and competitions.conflicts_confirmed_at/by (the conflicts assessment);
  competitions.standstill_reason.
- notices (UK6, UK7, UK9, UK10, UK11); contract_kpis, kpi_ratings, contract_changes; awards: the
  published copy's address and how the contract ended.
"""
from alembic import op
import sqlalchemy as sa
import app.models_base


revision = '20261202_14'
down_revision = '20261202_13'
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
    op.create_table('exclusion_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ground_kind', sa.String(length=20), nullable=False),
    sa.Column('ground', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('ended_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("ground_kind IN ('mandatory', 'discretionary')", name=op.f('ck_exclusion_entries_ground_kind_known')),
    sa.CheckConstraint("kind IN ('excluded', 'debarred')", name=op.f('ck_exclusion_entries_kind_known')),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_exclusion_entries_dates_ordered')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_exclusion_entries_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_exclusion_entries_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exclusion_entries'))
    )
    with op.batch_alter_table('exclusion_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exclusion_entries_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('conflict_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('added_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('has_interest', sa.Boolean(), nullable=True),
    sa.Column('interest', sa.Text(), nullable=True),
    sa.Column('declared_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('declared_by_id', sa.Integer(), nullable=True),
    sa.Column('conflict', sa.Boolean(), nullable=True),
    sa.Column('mitigation', sa.Text(), nullable=True),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.Column('assessed_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('buyer', 'evaluator', 'approver', 'adviser')", name=op.f('ck_conflict_declarations_role_known')),
    sa.CheckConstraint('conflict IS NULL OR conflict = false OR mitigation IS NOT NULL', name=op.f('ck_conflict_declarations_conflict_mitigated')),
    sa.CheckConstraint('has_interest IS NULL OR declared_at IS NOT NULL', name=op.f('ck_conflict_declarations_declared_is_dated')),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'], name=op.f('fk_conflict_declarations_assessed_by_id_users')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_conflict_declarations_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['declared_by_id'], ['users.id'], name=op.f('fk_conflict_declarations_declared_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_conflict_declarations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_declarations')),
    sa.UniqueConstraint('competition_id', 'user_id', name=op.f('uq_conflict_declarations_competition_id_user_id'))
    )
    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflict_declarations_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflict_declarations_user_id'), ['user_id'], unique=False)

    op.create_table('exclusion_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(length=10), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('checked_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("result IN ('clear', 'excluded')", name=op.f('ck_exclusion_checks_result_known')),
    sa.CheckConstraint("stage IN ('intention', 'award')", name=op.f('ck_exclusion_checks_stage_known')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_exclusion_checks_bid_id_bids')),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_exclusion_checks_checked_by_id_users')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_exclusion_checks_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_exclusion_checks_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['parent_id'], ['organisations.id'], name=op.f('fk_exclusion_checks_parent_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exclusion_checks'))
    )
    with op.batch_alter_table('exclusion_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exclusion_checks_competition_id'), ['competition_id'], unique=False)

    op.create_table('contract_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('value_before_pence', sa.BigInteger(), nullable=False),
    sa.Column('value_after_pence', sa.BigInteger(), nullable=False),
    sa.Column('ends_on_before', sa.Date(), nullable=False),
    sa.Column('ends_on_after', sa.Date(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint('value_before_pence >= 0 AND value_after_pence >= 0', name=op.f('ck_contract_changes_values_non_negative')),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_contract_changes_award_id_awards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_contract_changes_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_changes')),
    sa.UniqueConstraint('award_id', 'number', name=op.f('uq_contract_changes_award_id_number'))
    )
    with op.batch_alter_table('contract_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_changes_award_id'), ['award_id'], unique=False)

    op.create_table('contract_kpis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('added_at', app.models_base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_contract_kpis_award_id_awards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_kpis')),
    sa.UniqueConstraint('award_id', 'position', name=op.f('uq_contract_kpis_award_id_position'))
    )
    with op.batch_alter_table('contract_kpis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_kpis_award_id'), ['award_id'], unique=False)

    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=5), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('published_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', app.models_base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('UK6', 'UK7', 'UK9', 'UK10', 'UK11')", name=op.f('ck_notices_kind_known')),
    sa.CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name=op.f('ck_notices_published_is_dated')),
    sa.CheckConstraint("status IN ('draft', 'published', 'withdrawn')", name=op.f('ck_notices_status_known')),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_notices_award_id_awards')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_notices_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_notices_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('competition_id', 'kind', 'subject', name=op.f('uq_notices_competition_id_kind_subject'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_competition_id'), ['competition_id'], unique=False)

    op.create_table('kpi_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('rating', sa.String(length=30), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('rated_by_id', sa.Integer(), nullable=True),
    sa.Column('rated_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("rating IN ('good', 'approaching', 'requires_improvement', 'inadequate')", name=op.f('ck_kpi_ratings_rating_known')),
    sa.CheckConstraint('round >= 1', name=op.f('ck_kpi_ratings_round_positive')),
    sa.ForeignKeyConstraint(['kpi_id'], ['contract_kpis.id'], name=op.f('fk_kpi_ratings_kpi_id_contract_kpis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rated_by_id'], ['users.id'], name=op.f('fk_kpi_ratings_rated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_ratings')),
    sa.UniqueConstraint('kpi_id', 'round', name=op.f('uq_kpi_ratings_kpi_id_round'))
    )
    with op.batch_alter_table('kpi_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_ratings_kpi_id'), ['kpi_id'], unique=False)

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('copy_url', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('end_ground', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_awards_end_ground_known'),
            "end_ground IS NULL OR end_ground IN ('expired', 'completed_early', 'breach', 'excluded', 'buyer_convenience')")
        batch_op.create_check_constraint(batch_op.f('ck_awards_ended_has_ground'), "(ended_on IS NULL) = (end_ground IS NULL)")

    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standstill_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('conflicts_confirmed_at', app.models_base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('conflicts_confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_competitions_conflicts_confirmed_by_id_users'), 'users', ['conflicts_confirmed_by_id'], ['id'])

    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standstill_rule', sa.String(length=10), nullable=False, server_default='fixed'))
        batch_op.add_column(sa.Column('over_budget_may_win', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.alter_column('standstill_rule', server_default=None)
        batch_op.alter_column('over_budget_may_win', server_default=None)
        batch_op.create_check_constraint(batch_op.f('ck_frameworks_standstill_rule_known'),
                                         "standstill_rule IN ('none', 'fixed', 'flexible')")

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_organisations_parent_id_organisations'), 'organisations', ['parent_id'], ['id'])

    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_for_cause', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.alter_column('ended_for_cause', server_default=None)


def downgrade():
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.drop_column('ended_for_cause')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organisations_parent_id_organisations'), type_='foreignkey')
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_frameworks_standstill_rule_known'), type_='check')
        batch_op.drop_column('over_budget_may_win')
        batch_op.drop_column('standstill_rule')

    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_competitions_conflicts_confirmed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('conflicts_confirmed_by_id')
        batch_op.drop_column('conflicts_confirmed_at')
        batch_op.drop_column('standstill_reason')

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_awards_ended_has_ground'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_awards_end_ground_known'), type_='check')
        batch_op.drop_column('end_reason')
        batch_op.drop_column('end_ground')
        batch_op.drop_column('ended_on')
        batch_op.drop_column('copy_url')

    with op.batch_alter_table('kpi_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_ratings_kpi_id'))

    op.drop_table('kpi_ratings')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_competition_id'))

    op.drop_table('notices')
    with op.batch_alter_table('contract_kpis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_kpis_award_id'))

    op.drop_table('contract_kpis')
    with op.batch_alter_table('contract_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_changes_award_id'))

    op.drop_table('contract_changes')
    with op.batch_alter_table('exclusion_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exclusion_checks_competition_id'))

    op.drop_table('exclusion_checks')
    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflict_declarations_user_id'))
        batch_op.drop_index(batch_op.f('ix_conflict_declarations_competition_id'))

    op.drop_table('conflict_declarations')
    with op.batch_alter_table('exclusion_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exclusion_entries_organisation_id'))

    op.drop_table('exclusion_entries')
    op.drop_table('sealed_audit_entries')
    op.drop_table('sealed_journals')
