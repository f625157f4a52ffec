"""governance: admissions, reviews, funding agreements, conditions, check-ins

Revision ID: 20261124_05
Revises: 20261124_04
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_05"
down_revision = "20261124_04"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funding_programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('max_years', sa.Integer(), nullable=False),
    sa.Column('min_match_percent', sa.Integer(), nullable=False),
    sa.Column('checkin_due_days', sa.Integer(), nullable=False),
    sa.CheckConstraint('checkin_due_days BETWEEN 0 AND 120', name=op.f('ck_funding_programmes_due_days_range')),
    sa.CheckConstraint('max_years BETWEEN 1 AND 4', name=op.f('ck_funding_programmes_max_years_range')),
    sa.CheckConstraint('min_match_percent >= 0', name=op.f('ck_funding_programmes_match_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_programmes')),
    sa.UniqueConstraint('slug', name=op.f('uq_funding_programmes_slug'))
    )
    op.create_table('admission_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('minimum', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('text', 'number', 'yes_no')", name=op.f('ck_admission_criteria_kind_known')),
    sa.CheckConstraint("minimum IS NULL OR (kind = 'number' AND minimum >= 0)", name=op.f('ck_admission_criteria_minimum_for_numbers')),
    sa.ForeignKeyConstraint(['framework_id'], ['frameworks.id'], name=op.f('fk_admission_criteria_framework_id_frameworks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admission_criteria')),
    sa.UniqueConstraint('framework_id', 'name', name=op.f('uq_admission_criteria_framework_id_name'))
    )
    with op.batch_alter_table('admission_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admission_criteria_framework_id'), ['framework_id'], unique=False)

    op.create_table('funding_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('central_pence', sa.BigInteger(), nullable=False),
    sa.Column('local_pence', sa.BigInteger(), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('source_note', sa.Text(), nullable=True),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('closed_at', app.models_base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name=op.f('ck_funding_agreements_closed_dated')),
    sa.CheckConstraint("status IN ('active', 'closed')", name=op.f('ck_funding_agreements_status_known')),
    sa.CheckConstraint('central_pence >= 0', name=op.f('ck_funding_agreements_central_non_negative')),
    sa.CheckConstraint('first_year BETWEEN 2000 AND 2100', name=op.f('ck_funding_agreements_first_year_range')),
    sa.CheckConstraint('local_pence >= 0', name=op.f('ck_funding_agreements_local_non_negative')),
    sa.CheckConstraint('years BETWEEN 1 AND 4', name=op.f('ck_funding_agreements_years_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_funding_agreements_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['programme_id'], ['funding_programmes.id'], name=op.f('fk_funding_agreements_programme_id_funding_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_agreements')),
    sa.UniqueConstraint('reference', name=op.f('uq_funding_agreements_reference'))
    )
    with op.batch_alter_table('funding_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_agreements_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_agreements_programme_id'), ['programme_id'], unique=False)

    op.create_table('programme_conditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['funding_programmes.id'], name=op.f('fk_programme_conditions_programme_id_funding_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_conditions')),
    sa.UniqueConstraint('programme_id', 'title', name=op.f('uq_programme_conditions_programme_id_title'))
    )
    with op.batch_alter_table('programme_conditions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_conditions_programme_id'), ['programme_id'], unique=False)

    op.create_table('agreement_conditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['funding_agreements.id'], name=op.f('fk_agreement_conditions_agreement_id_funding_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_conditions')),
    sa.UniqueConstraint('agreement_id', 'title', name=op.f('uq_agreement_conditions_agreement_id_title'))
    )
    with op.batch_alter_table('agreement_conditions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_conditions_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('funding_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('financial_year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('milestone_progress', sa.Text(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.CheckConstraint("status <> 'queried' OR review_comment IS NOT NULL", name=op.f('ck_funding_checkins_query_explained')),
    sa.CheckConstraint("status = 'submitted' OR reviewed_at IS NOT NULL", name=op.f('ck_funding_checkins_review_dated')),
    sa.CheckConstraint("status IN ('submitted', 'accepted', 'queried')", name=op.f('ck_funding_checkins_status_known')),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_funding_checkins_quarter_range')),
    sa.ForeignKeyConstraint(['agreement_id'], ['funding_agreements.id'], name=op.f('fk_funding_checkins_agreement_id_funding_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_funding_checkins_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_funding_checkins_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_checkins')),
    sa.UniqueConstraint('agreement_id', 'financial_year', 'quarter', name=op.f('uq_funding_checkins_agreement_id_financial_year_quarter'))
    )
    with op.batch_alter_table('funding_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_checkins_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('funding_profile_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('year_index', sa.Integer(), nullable=False),
    sa.Column('central_pence', sa.BigInteger(), nullable=False),
    sa.Column('local_pence', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('central_pence >= 0 AND local_pence >= 0', name=op.f('ck_funding_profile_years_amounts_non_negative')),
    sa.CheckConstraint('year_index BETWEEN 0 AND 3', name=op.f('ck_funding_profile_years_year_index_range')),
    sa.ForeignKeyConstraint(['agreement_id'], ['funding_agreements.id'], name=op.f('fk_funding_profile_years_agreement_id_funding_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_profile_years')),
    sa.UniqueConstraint('agreement_id', 'year_index', name=op.f('uq_funding_profile_years_agreement_id_year_index'))
    )
    with op.batch_alter_table('funding_profile_years', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_profile_years_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('admission_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('capacity_followers', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("(status = 'submitted' AND decided_at IS NULL) OR (status <> 'submitted' AND decided_at IS NOT NULL AND decision_reason IS NOT NULL)", name=op.f('ck_admission_applications_decision_complete')),
    sa.CheckConstraint("status IN ('submitted', 'admitted', 'rejected')", name=op.f('ck_admission_applications_status_known')),
    sa.CheckConstraint('capacity_followers IS NULL OR capacity_followers >= 0', name=op.f('ck_admission_applications_capacity_non_negative')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_admission_applications_decided_by_id_users')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_admission_applications_lot_id_lots')),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_admission_applications_membership_id_memberships')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_admission_applications_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_admission_applications_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admission_applications'))
    )
    with op.batch_alter_table('admission_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admission_applications_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admission_applications_membership_id'), ['membership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admission_applications_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ux_admission_applications_open', ['lot_id', 'organisation_id'], unique=True, sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))

    op.create_table('exemplar_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=True),
    sa.Column('status_before', sa.String(length=20), nullable=False),
    sa.Column('status_after', sa.String(length=20), nullable=False),
    sa.Column('partnerships_active', sa.Integer(), nullable=False),
    sa.Column('milestones_met', sa.Integer(), nullable=False),
    sa.Column('milestones_missed', sa.Integer(), nullable=False),
    sa.Column('feedback_count', sa.Integer(), nullable=False),
    sa.Column('feedback_average_tenths', sa.Integer(), nullable=True),
    sa.Column('capacity_declared', sa.Integer(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("decision <> 'suspend' OR conditions IS NOT NULL", name=op.f('ck_exemplar_reviews_suspension_has_conditions')),
    sa.CheckConstraint("decision IN ('continue', 'suspend', 'reinstate', 'remove')", name=op.f('ck_exemplar_reviews_decision_known')),
    sa.CheckConstraint('capacity_declared IS NULL OR capacity_declared >= 0', name=op.f('ck_exemplar_reviews_capacity_non_negative')),
    sa.CheckConstraint('feedback_average_tenths IS NULL OR feedback_average_tenths BETWEEN 10 AND 50', name=op.f('ck_exemplar_reviews_feedback_average_range')),
    sa.CheckConstraint('next_review_on IS NULL OR next_review_on > reviewed_on', name=op.f('ck_exemplar_reviews_next_after_this')),
    sa.CheckConstraint('partnerships_active >= 0 AND milestones_met >= 0 AND milestones_missed >= 0 AND feedback_count >= 0', name=op.f('ck_exemplar_reviews_counts_non_negative')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_exemplar_reviews_decided_by_id_users')),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_exemplar_reviews_membership_id_memberships')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemplar_reviews'))
    )
    with op.batch_alter_table('exemplar_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemplar_reviews_membership_id'), ['membership_id'], unique=False)

    op.create_table('funding_checkin_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkin_id', sa.Integer(), nullable=False),
    sa.Column('condition_id', sa.Integer(), nullable=False),
    sa.Column('condition_title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('rag', sa.String(length=5), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.CheckConstraint("rag = 'green' OR comment <> ''", name=op.f('ck_funding_checkin_ratings_red_amber_explained')),
    sa.CheckConstraint("rag IN ('green', 'amber', 'red')", name=op.f('ck_funding_checkin_ratings_rag_known')),
    sa.ForeignKeyConstraint(['checkin_id'], ['funding_checkins.id'], name=op.f('fk_funding_checkin_ratings_checkin_id_funding_checkins'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['condition_id'], ['agreement_conditions.id'], name=op.f('fk_funding_checkin_ratings_condition_id_agreement_conditions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_checkin_ratings')),
    sa.UniqueConstraint('checkin_id', 'condition_id', name=op.f('uq_funding_checkin_ratings_checkin_id_condition_id'))
    )
    with op.batch_alter_table('funding_checkin_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_checkin_ratings_checkin_id'), ['checkin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_checkin_ratings_condition_id'), ['condition_id'], unique=False)

    op.create_table('funding_tranches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('released_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.Column('released_checkin_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(released_at IS NULL AND released_checkin_id IS NULL) OR (released_at IS NOT NULL AND released_checkin_id IS NOT NULL)', name=op.f('ck_funding_tranches_release_has_checkin')),
    sa.CheckConstraint('amount_pence > 0', name=op.f('ck_funding_tranches_amount_positive')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_funding_tranches_number_positive')),
    sa.ForeignKeyConstraint(['agreement_id'], ['funding_agreements.id'], name=op.f('fk_funding_tranches_agreement_id_funding_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['released_by_id'], ['users.id'], name=op.f('fk_funding_tranches_released_by_id_users')),
    sa.ForeignKeyConstraint(['released_checkin_id'], ['funding_checkins.id'], name=op.f('fk_funding_tranches_released_checkin_id_funding_checkins')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_tranches')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_funding_tranches_agreement_id_number'))
    )
    with op.batch_alter_table('funding_tranches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_tranches_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index('ux_funding_tranches_checkin', ['released_checkin_id'], unique=True, sqlite_where=sa.text('released_checkin_id IS NOT NULL'), postgresql_where=sa.text('released_checkin_id IS NOT NULL'))

    op.create_table('partnership_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('given_by_id', sa.Integer(), nullable=True),
    sa.Column('given_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_partnership_ratings_rating_range')),
    sa.ForeignKeyConstraint(['given_by_id'], ['users.id'], name=op.f('fk_partnership_ratings_given_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_partnership_ratings_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_partnership_ratings_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_ratings'))
    )
    with op.batch_alter_table('partnership_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_ratings_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_ratings_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('admission_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('criterion_name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('assessment', sa.String(length=10), nullable=True),
    sa.Column('assessment_comment', sa.Text(), nullable=True),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('assessed_at', app.models_base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("assessment IS NULL OR assessment IN ('met', 'not_met')", name=op.f('ck_admission_answers_assessment_known')),
    sa.CheckConstraint('assessment IS NULL OR assessed_at IS NOT NULL', name=op.f('ck_admission_answers_assessment_dated')),
    sa.ForeignKeyConstraint(['application_id'], ['admission_applications.id'], name=op.f('fk_admission_answers_application_id_admission_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'], name=op.f('fk_admission_answers_assessed_by_id_users')),
    sa.ForeignKeyConstraint(['criterion_id'], ['admission_criteria.id'], name=op.f('fk_admission_answers_criterion_id_admission_criteria')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admission_answers')),
    sa.UniqueConstraint('application_id', 'criterion_id', name=op.f('uq_admission_answers_application_id_criterion_id'))
    )
    with op.batch_alter_table('admission_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admission_answers_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admission_answers_criterion_id'), ['criterion_id'], unique=False)

    op.create_table('admission_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.CheckConstraint("url LIKE 'http://%' OR url LIKE 'https://%'", name=op.f('ck_admission_links_url_web')),
    sa.ForeignKeyConstraint(['application_id'], ['admission_applications.id'], name=op.f('fk_admission_links_application_id_admission_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admission_links'))
    )
    with op.batch_alter_table('admission_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admission_links_application_id'), ['application_id'], unique=False)

    op.create_table('admission_systems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('live_since', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['admission_applications.id'], name=op.f('fk_admission_systems_application_id_admission_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], name=op.f('fk_admission_systems_system_id_systems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admission_systems')),
    sa.UniqueConstraint('application_id', 'system_id', name=op.f('uq_admission_systems_application_id_system_id'))
    )
    with op.batch_alter_table('admission_systems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admission_systems_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_admission_systems_system_id'), ['system_id'], unique=False)



def downgrade():
    with op.batch_alter_table('admission_systems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admission_systems_system_id'))
        batch_op.drop_index(batch_op.f('ix_admission_systems_application_id'))

    op.drop_table('admission_systems')
    with op.batch_alter_table('admission_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admission_links_application_id'))

    op.drop_table('admission_links')
    with op.batch_alter_table('admission_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admission_answers_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_admission_answers_application_id'))

    op.drop_table('admission_answers')
    with op.batch_alter_table('partnership_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_ratings_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_partnership_ratings_organisation_id'))

    op.drop_table('partnership_ratings')
    with op.batch_alter_table('funding_tranches', schema=None) as batch_op:
        batch_op.drop_index('ux_funding_tranches_checkin', sqlite_where=sa.text('released_checkin_id IS NOT NULL'), postgresql_where=sa.text('released_checkin_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_funding_tranches_agreement_id'))

    op.drop_table('funding_tranches')
    with op.batch_alter_table('funding_checkin_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_checkin_ratings_condition_id'))
        batch_op.drop_index(batch_op.f('ix_funding_checkin_ratings_checkin_id'))

    op.drop_table('funding_checkin_ratings')
    with op.batch_alter_table('exemplar_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exemplar_reviews_membership_id'))

    op.drop_table('exemplar_reviews')
    with op.batch_alter_table('admission_applications', schema=None) as batch_op:
        batch_op.drop_index('ux_admission_applications_open', sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))
        batch_op.drop_index(batch_op.f('ix_admission_applications_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_admission_applications_membership_id'))
        batch_op.drop_index(batch_op.f('ix_admission_applications_lot_id'))

    op.drop_table('admission_applications')
    with op.batch_alter_table('funding_profile_years', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_profile_years_agreement_id'))

    op.drop_table('funding_profile_years')
    with op.batch_alter_table('funding_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_checkins_agreement_id'))

    op.drop_table('funding_checkins')
    with op.batch_alter_table('agreement_conditions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_conditions_agreement_id'))

    op.drop_table('agreement_conditions')
    with op.batch_alter_table('programme_conditions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_conditions_programme_id'))

    op.drop_table('programme_conditions')
    with op.batch_alter_table('funding_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_agreements_programme_id'))
        batch_op.drop_index(batch_op.f('ix_funding_agreements_organisation_id'))

    op.drop_table('funding_agreements')
    with op.batch_alter_table('admission_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admission_criteria_framework_id'))

    op.drop_table('admission_criteria')
    op.drop_table('funding_programmes')
