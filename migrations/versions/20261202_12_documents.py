"""documents: uploaded files and the links that attach them, as versions, to their owners

Revision ID: 20261202_12
Revises: 20261202_11

- documents: one row per uploaded file (its SHA-256 names its bytes in the store, app/storage).
- competition_documents (the pack, clarification answers' and contract documents), bid_documents
  (sealed with the bids), offer_documents and application_documents (admission evidence): each a
  link to one version of a document, in a series that later uploads replace.
"""
from alembic import op
import sqlalchemy as sa
import app.models_base


revision = '20261202_12'
down_revision = '20261202_11'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('file_type', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('uploaded_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("file_type IN ('pdf', 'docx', 'xlsx', 'odt', 'ods', 'csv', 'png', 'jpg')", name=op.f('ck_documents_file_type_known')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_documents_sha256_length')),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_documents_size_positive')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_sha256'), ['sha256'], unique=False)

    op.create_table('offer_documents',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('added_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', app.models_base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('service_definition', 'pricing_document', 'blueprint')", name=op.f('ck_offer_documents_kind_known')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_offer_documents_version_positive')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_offer_documents_added_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_offer_documents_document_id_documents')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_offer_documents_offer_id_offers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_documents')),
    sa.UniqueConstraint('offer_id', 'series', 'version', name=op.f('uq_offer_documents_offer_id_series_version'))
    )
    with op.batch_alter_table('offer_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_documents_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_documents_offer_id'), ['offer_id'], unique=False)

    op.create_table('application_documents',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('added_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', app.models_base.UTCDateTime(), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_application_documents_version_positive')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_application_documents_added_by_id_users')),
    sa.ForeignKeyConstraint(['application_id'], ['admission_applications.id'], name=op.f('fk_application_documents_application_id_admission_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_application_documents_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_documents')),
    sa.UniqueConstraint('application_id', 'series', 'version', name=op.f('uq_application_documents_application_id_series_version'))
    )
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_documents_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_documents_document_id'), ['document_id'], unique=False)

    op.create_table('bid_documents',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('added_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', app.models_base.UTCDateTime(), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_bid_documents_version_positive')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_bid_documents_added_by_id_users')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_bid_documents_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['competition_criteria.id'], name=op.f('fk_bid_documents_criterion_id_competition_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_bid_documents_document_id_documents')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_bid_documents_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bid_documents')),
    sa.UniqueConstraint('competition_id', 'organisation_id', 'series', 'version', name=op.f('uq_bid_documents_competition_id_organisation_id_series_version'))
    )
    with op.batch_alter_table('bid_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bid_documents_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bid_documents_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bid_documents_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('competition_documents',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('clarification_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('added_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', app.models_base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("(kind = 'clarification') = (clarification_id IS NOT NULL)", name=op.f('ck_competition_documents_clarification_kind')),
    sa.CheckConstraint("kind IN ('specification', 'pricing_schedule', 'terms', 'clarification', 'contract')", name=op.f('ck_competition_documents_kind_known')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_competition_documents_version_positive')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_competition_documents_added_by_id_users')),
    sa.ForeignKeyConstraint(['clarification_id'], ['clarifications.id'], name=op.f('fk_competition_documents_clarification_id_clarifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_documents_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_competition_documents_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_documents')),
    sa.UniqueConstraint('competition_id', 'series', 'version', name=op.f('uq_competition_documents_competition_id_series_version'))
    )
    with op.batch_alter_table('competition_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_documents_clarification_id'), ['clarification_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_documents_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_documents_document_id'), ['document_id'], unique=False)



def downgrade():
    with op.batch_alter_table('competition_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_documents_document_id'))
        batch_op.drop_index(batch_op.f('ix_competition_documents_competition_id'))
        batch_op.drop_index(batch_op.f('ix_competition_documents_clarification_id'))

    op.drop_table('competition_documents')
    with op.batch_alter_table('bid_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_documents_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_bid_documents_document_id'))
        batch_op.drop_index(batch_op.f('ix_bid_documents_competition_id'))

    op.drop_table('bid_documents')
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_documents_document_id'))
        batch_op.drop_index(batch_op.f('ix_application_documents_application_id'))

    op.drop_table('application_documents')
    with op.batch_alter_table('offer_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_documents_offer_id'))
        batch_op.drop_index(batch_op.f('ix_offer_documents_document_id'))

    op.drop_table('offer_documents')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_sha256'))

    op.drop_table('documents')
