"""competitions: competitions, invitations, clarifications, bids, evaluation, awards, notifications

Revision ID: 20261124_03
Revises: 20261124_02
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_03"
down_revision = "20261124_02"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('requirement', sa.Text(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('budget_pence', sa.BigInteger(), nullable=True),
    sa.Column('quality_weight', sa.Integer(), nullable=False),
    sa.Column('price_weight', sa.Integer(), nullable=False),
    sa.Column('scale_max', sa.Integer(), nullable=False),
    sa.Column('threshold_percent', sa.Integer(), nullable=False),
    sa.Column('abnormally_low_percent', sa.Integer(), nullable=False),
    sa.Column('clarification_days', sa.Integer(), nullable=False),
    sa.Column('response_days', sa.Integer(), nullable=False),
    sa.Column('standstill_days', sa.Integer(), nullable=False),
    sa.Column('deadline_time', sa.String(length=5), nullable=False),
    sa.Column('invitee_justification', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('clarification_deadline', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('response_deadline', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('evaluation_started_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('standstill_ends_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('awarded_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('ended_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'cancelled') OR response_deadline IS NOT NULL", name=op.f('ck_competitions_published_has_deadline')),
    sa.CheckConstraint("status IN ('draft', 'published', 'clarification', 'open', 'closed', 'evaluation', 'standstill', 'standstill_ended', 'awarded', 'cancelled', 'no_award')", name=op.f('ck_competitions_status_known')),
    sa.CheckConstraint('abnormally_low_percent >= 1 AND abnormally_low_percent <= 90', name=op.f('ck_competitions_abnormally_low_range')),
    sa.CheckConstraint('budget_pence IS NULL OR budget_pence >= 0', name=op.f('ck_competitions_budget_non_negative')),
    sa.CheckConstraint('clarification_days >= 0 AND response_days >= 1 AND standstill_days >= 0', name=op.f('ck_competitions_timetable_positive')),
    sa.CheckConstraint('clarification_deadline IS NULL OR response_deadline IS NULL OR clarification_deadline < response_deadline', name=op.f('ck_competitions_clarification_before_response')),
    sa.CheckConstraint('quality_weight >= 0 AND price_weight >= 0 AND quality_weight + price_weight = 100', name=op.f('ck_competitions_weights_sum_to_100')),
    sa.CheckConstraint('scale_max IN (4, 5, 10, 100)', name=op.f('ck_competitions_scale_known')),
    sa.CheckConstraint('threshold_percent >= 0 AND threshold_percent <= 100', name=op.f('ck_competitions_threshold_percent_range')),
    sa.ForeignKeyConstraint(['buyer_id'], ['organisations.id'], name=op.f('fk_competitions_buyer_id_organisations')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_competitions_created_by_id_users')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_competitions_lot_id_lots')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_competitions_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competitions'))
    )

    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competitions_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competitions_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competitions_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_competitions_status', ['status'], unique=False)

    op.create_table('bids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('price_pence', sa.BigInteger(), nullable=False),
    sa.Column('offer_version_id', sa.Integer(), nullable=True),
    sa.Column('documents', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('first_submitted_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('invalidated_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('invalid_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status <> 'invalid' OR invalid_reason IS NOT NULL", name=op.f('ck_bids_invalid_has_reason')),
    sa.CheckConstraint("status IN ('submitted', 'withdrawn', 'invalid')", name=op.f('ck_bids_status_known')),
    sa.CheckConstraint('price_pence >= 0', name=op.f('ck_bids_price_non_negative')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_bids_revision_positive')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_bids_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_version_id'], ['offer_versions.id'], name=op.f('fk_bids_offer_version_id_offer_versions')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_bids_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_bids_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bids')),
    sa.UniqueConstraint('competition_id', 'organisation_id', name=op.f('uq_bids_competition_id_organisation_id'))
    )

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bids_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bids_offer_version_id'), ['offer_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bids_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('clarifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('asked_by_org_id', sa.Integer(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('asked_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('published_question', sa.Text(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', app.models_base.UTCDateTime(), nullable=True),
    sa.CheckConstraint('published_at IS NULL OR (answer IS NOT NULL AND published_question IS NOT NULL)', name=op.f('ck_clarifications_published_has_answer')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_clarifications_answered_by_id_users')),
    sa.ForeignKeyConstraint(['asked_by_id'], ['users.id'], name=op.f('fk_clarifications_asked_by_id_users')),
    sa.ForeignKeyConstraint(['asked_by_org_id'], ['organisations.id'], name=op.f('fk_clarifications_asked_by_org_id_organisations')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_clarifications_competition_id_competitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clarifications'))
    )

    with op.batch_alter_table('clarifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clarifications_asked_by_org_id'), ['asked_by_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clarifications_competition_id'), ['competition_id'], unique=False)

    op.create_table('competition_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('framework_criterion_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.CheckConstraint('weight >= 1 AND weight <= 100', name=op.f('ck_competition_criteria_weight_range')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_criteria_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['framework_criterion_id'], ['framework_criteria.id'], name=op.f('fk_competition_criteria_framework_criterion_id_framework_criteria')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_criteria')),
    sa.UniqueConstraint('competition_id', 'framework_criterion_id', name=op.f('uq_competition_criteria_competition_id_framework_criterion_id'))
    )

    with op.batch_alter_table('competition_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_criteria_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_criteria_framework_criterion_id'), ['framework_criterion_id'], unique=False)

    op.create_table('competition_evaluators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('has_conflict', sa.Boolean(), nullable=True),
    sa.Column('conflict_note', sa.Text(), nullable=True),
    sa.Column('declared_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', app.models_base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_evaluators_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_competition_evaluators_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_evaluators')),
    sa.UniqueConstraint('competition_id', 'user_id', name=op.f('uq_competition_evaluators_competition_id_user_id'))
    )

    with op.batch_alter_table('competition_evaluators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_evaluators_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_evaluators_user_id'), ['user_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('offer_version_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('invited', 'ineligible')", name=op.f('ck_invitations_status_known')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_invitations_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_version_id'], ['offer_versions.id'], name=op.f('fk_invitations_offer_version_id_offer_versions')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_invitations_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('competition_id', 'organisation_id', name=op.f('uq_invitations_competition_id_organisation_id'))
    )

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('read_at', app.models_base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_notifications_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at'], unique=False)

    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('intended_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('intention_note', sa.Text(), nullable=False),
    sa.Column('withdrawn_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('withdrawn_reason', sa.Text(), nullable=True),
    sa.Column('awarded_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('value_pence', sa.BigInteger(), nullable=True),
    sa.Column('contract_starts_on', sa.Date(), nullable=True),
    sa.Column('contract_ends_on', sa.Date(), nullable=True),
    sa.CheckConstraint("status <> 'awarded' OR (value_pence IS NOT NULL AND contract_starts_on IS NOT NULL AND contract_ends_on IS NOT NULL AND awarded_at IS NOT NULL)", name=op.f('ck_awards_awarded_has_contract')),
    sa.CheckConstraint("status IN ('intended', 'awarded', 'withdrawn')", name=op.f('ck_awards_status_known')),
    sa.CheckConstraint('contract_ends_on IS NULL OR contract_starts_on IS NULL OR contract_ends_on >= contract_starts_on', name=op.f('ck_awards_contract_dates_ordered')),
    sa.CheckConstraint('value_pence IS NULL OR value_pence >= 0', name=op.f('ck_awards_value_non_negative')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_awards_bid_id_bids')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_awards_competition_id_competitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards'))
    )

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_bid_id'), ['bid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index('uq_awards_one_per_competition', ['competition_id'], unique=True, sqlite_where=sa.text("status <> 'withdrawn'"), postgresql_where=sa.text("status <> 'withdrawn'"))

    op.create_table('bid_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_bid_answers_bid_id_bids'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['competition_criteria.id'], name=op.f('fk_bid_answers_criterion_id_competition_criteria'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bid_answers')),
    sa.UniqueConstraint('bid_id', 'criterion_id', name=op.f('uq_bid_answers_bid_id_criterion_id'))
    )

    with op.batch_alter_table('bid_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bid_answers_bid_id'), ['bid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bid_answers_criterion_id'), ['criterion_id'], unique=False)

    op.create_table('bid_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('price_pence', sa.BigInteger(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("action IN ('submit', 'withdraw')", name=op.f('ck_bid_revisions_action_known')),
    sa.CheckConstraint('price_pence IS NULL OR price_pence >= 0', name=op.f('ck_bid_revisions_price_non_negative')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_bid_revisions_bid_id_bids'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bid_revisions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bid_revisions')),
    sa.UniqueConstraint('bid_id', 'number', name=op.f('uq_bid_revisions_bid_id_number')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_bid_revisions_idempotency_key'))
    )

    with op.batch_alter_table('bid_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bid_revisions_bid_id'), ['bid_id'], unique=False)

    op.create_table('consensus_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('moderated_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint('mark >= 0', name=op.f('ck_consensus_scores_mark_non_negative')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_consensus_scores_bid_id_bids'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['competition_criteria.id'], name=op.f('fk_consensus_scores_criterion_id_competition_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['users.id'], name=op.f('fk_consensus_scores_moderated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus_scores')),
    sa.UniqueConstraint('bid_id', 'criterion_id', name=op.f('uq_consensus_scores_bid_id_criterion_id'))
    )

    with op.batch_alter_table('consensus_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consensus_scores_bid_id'), ['bid_id'], unique=False)

    op.create_table('evaluator_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint('mark >= 0', name=op.f('ck_evaluator_scores_mark_non_negative')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_evaluator_scores_bid_id_bids'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['competition_criteria.id'], name=op.f('fk_evaluator_scores_criterion_id_competition_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['competition_evaluators.id'], name=op.f('fk_evaluator_scores_evaluator_id_competition_evaluators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluator_scores')),
    sa.UniqueConstraint('evaluator_id', 'bid_id', 'criterion_id', name=op.f('uq_evaluator_scores_evaluator_id_bid_id_criterion_id'))
    )

    with op.batch_alter_table('evaluator_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluator_scores_bid_id'), ['bid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluator_scores_evaluator_id'), ['evaluator_id'], unique=False)

    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('competition_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_partnerships_competition_id'), ['competition_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_partnerships_competition_id_competitions'), 'competitions', ['competition_id'], ['id'])


def downgrade():
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_partnerships_competition_id_competitions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_partnerships_competition_id'))
        batch_op.drop_column('competition_id')

    with op.batch_alter_table('evaluator_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluator_scores_evaluator_id'))
        batch_op.drop_index(batch_op.f('ix_evaluator_scores_bid_id'))

    op.drop_table('evaluator_scores')

    with op.batch_alter_table('consensus_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consensus_scores_bid_id'))

    op.drop_table('consensus_scores')

    with op.batch_alter_table('bid_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_revisions_bid_id'))

    op.drop_table('bid_revisions')

    with op.batch_alter_table('bid_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_answers_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_bid_answers_bid_id'))

    op.drop_table('bid_answers')

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index('uq_awards_one_per_competition', sqlite_where=sa.text("status <> 'withdrawn'"), postgresql_where=sa.text("status <> 'withdrawn'"))
        batch_op.drop_index(batch_op.f('ix_awards_competition_id'))
        batch_op.drop_index(batch_op.f('ix_awards_bid_id'))

    op.drop_table('awards')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
        batch_op.drop_index(batch_op.f('ix_notifications_competition_id'))

    op.drop_table('notifications')

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_competition_id'))

    op.drop_table('invitations')

    with op.batch_alter_table('competition_evaluators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_evaluators_user_id'))
        batch_op.drop_index(batch_op.f('ix_competition_evaluators_competition_id'))

    op.drop_table('competition_evaluators')

    with op.batch_alter_table('competition_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_criteria_framework_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_competition_criteria_competition_id'))

    op.drop_table('competition_criteria')

    with op.batch_alter_table('clarifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clarifications_competition_id'))
        batch_op.drop_index(batch_op.f('ix_clarifications_asked_by_org_id'))

    op.drop_table('clarifications')

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bids_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_bids_offer_version_id'))
        batch_op.drop_index(batch_op.f('ix_bids_competition_id'))

    op.drop_table('bids')

    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_index('ix_competitions_status')
        batch_op.drop_index(batch_op.f('ix_competitions_project_id'))
        batch_op.drop_index(batch_op.f('ix_competitions_lot_id'))
        batch_op.drop_index(batch_op.f('ix_competitions_buyer_id'))

    op.drop_table('competitions')
