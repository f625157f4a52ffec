"""offers: offers, versions, search index, shortlists

Revision ID: 20261124_02
Revises: 20261124_01

The full-text index is made here for one backend only (the models do not describe it; env.py's
include_name keeps names containing "_fts" out of autogenerate): on SQLite an external-content
FTS5 table over offer_versions, kept in sync by triggers (the layout sqlite-utils makes with
enable_fts(..., create_triggers=True), so its tools work on it); on PostgreSQL a GIN index on a
weighted tsvector expression. app/offers/search.py queries both with the same expressions.
"""
from alembic import op
import sqlalchemy as sa
import app.models_base

revision = "20261124_02"
down_revision = "20261124_01"
branch_labels = None
depends_on = None

#: Copied from app/offers/vocab.py at the time of writing (a migration must not change later).
CATALOGUE = [
    ("epr-deployment", "EPR deployment support", True,
     "Help to procure, configure, test and go live with an electronic patient record."),
    ("epr-optimisation", "EPR optimisation", True,
     "Help to get more from an EPR already live: build, workflows, adoption, benefits."),
    ("clinical-decision-support-ai", "Clinical decision support and AI", False,
     "Decision support, alerts, pathways and assured use of AI in clinical settings."),
    ("ambient-voice", "Ambient voice technology", False,
     "Choosing, governing and rolling out ambient voice and scribe tools."),
    ("federated-data-platform", "Federated data platform use cases", False,
     "Putting federated data platform products to work for operational and population health use cases."),
    ("digital-medicines", "Digital medicines", False,
     "Electronic prescribing and medicines administration, closed-loop medicines, dm+d."),
    ("vcse-support", "VCSE support", False,
     "Working with voluntary, community and social enterprise partners on digital inclusion and services."),
    ("cyber-security", "Cyber security", False,
     "Cyber resilience, DSPT assurance, incident readiness and recovery."),
    ("infrastructure", "Infrastructure", False,
     "Networks, devices, hosting and cloud, identity and access."),
    ("change-management-training", "Change management and training", False,
     "Clinical engagement, training design and delivery, super-user networks, go-live support."),
]

FTS_COLUMNS = ("title", "summary", "search_text", "description")

#: Must stay the same expression as app/offers/search.py PG_VECTOR, or the index is not used.
PG_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(search_text, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')"
)


def _sqlite_fts_up():
    cols = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    new = ", ".join(f"new.[{c}]" for c in FTS_COLUMNS)
    old = ", ".join(f"old.[{c}]" for c in FTS_COLUMNS)
    op.execute(
        f"CREATE VIRTUAL TABLE [offer_versions_fts] USING FTS5 (\n    {cols},\n"
        f"    tokenize='porter unicode61 remove_diacritics 2',\n    content=[offer_versions]\n)"
    )
    op.execute(f"INSERT INTO [offer_versions_fts] (rowid, {cols}) SELECT rowid, {cols} FROM [offer_versions]")
    op.execute(
        f"CREATE TRIGGER [offer_versions_ai] AFTER INSERT ON [offer_versions] BEGIN\n"
        f"  INSERT INTO [offer_versions_fts] (rowid, {cols}) VALUES (new.rowid, {new});\nEND"
    )
    op.execute(
        f"CREATE TRIGGER [offer_versions_ad] AFTER DELETE ON [offer_versions] BEGIN\n"
        f"  INSERT INTO [offer_versions_fts] ([offer_versions_fts], rowid, {cols}) "
        f"VALUES('delete', old.rowid, {old});\nEND"
    )
    op.execute(
        f"CREATE TRIGGER [offer_versions_au] AFTER UPDATE ON [offer_versions] BEGIN\n"
        f"  INSERT INTO [offer_versions_fts] ([offer_versions_fts], rowid, {cols}) "
        f"VALUES('delete', old.rowid, {old});\n"
        f"  INSERT INTO [offer_versions_fts] (rowid, {cols}) VALUES (new.rowid, {new});\nEND"
    )


def _sqlite_fts_down():
    for trigger in ("offer_versions_ai", "offer_versions_ad", "offer_versions_au"):
        op.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
    op.execute("DROP TABLE IF EXISTS [offer_versions_fts]")


def upgrade():
    dialect = op.get_bind().dialect.name
    categories = op.create_table('capability_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('system_specific', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capability_categories')),
    sa.UniqueConstraint('name', name=op.f('uq_capability_categories_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_capability_categories_slug'))
    )
    op.bulk_insert(categories, [
        {"slug": slug, "name": name, "description": description, "system_specific": specific,
         "position": i, "active": True}
        for i, (slug, name, specific, description) in enumerate(CATALOGUE, start=1)
    ])
    # offers and offer_versions refer to each other. SQLite takes the forward reference inline;
    # PostgreSQL gets the key once offer_versions exists (below).
    current_version_fk = ([sa.ForeignKeyConstraint(['current_version_id'], ['offer_versions.id'],
                                                   name=op.f('fk_offers_current_version_id_offer_versions'))]
                          if dialect == "sqlite" else [])
    op.create_table('offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('published_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('withdrawn_at', app.models_base.UTCDateTime(), nullable=True),
    sa.Column('updated_at', app.models_base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published', 'withdrawn')", name=op.f('ck_offers_status_known')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_offers_lot_id_lots')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_offers_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers')),
    *current_version_fk
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offers_current_version_id'), ['current_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_offers_status', ['status'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('search_query', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.models_base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_projects_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_projects_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_projects_organisation_id_name'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('offer_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('pricing_model', sa.String(length=20), nullable=False),
    sa.Column('price_pence', sa.BigInteger(), nullable=False),
    sa.Column('vat', sa.String(length=20), nullable=False),
    sa.Column('capacity_per_quarter', sa.Integer(), nullable=False),
    sa.Column('capacity_committed', sa.Integer(), nullable=False),
    sa.Column('lead_time_weeks', sa.Integer(), nullable=False),
    sa.Column('evidence_links', sa.Text(), nullable=False),
    sa.Column('blueprint_links', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("pricing_model IN ('day_rate', 'fixed_price', 'per_bed')", name=op.f('ck_offer_versions_pricing_model_known')),
    sa.CheckConstraint("vat IN ('exclusive', 'inclusive', 'exempt', 'outside_scope')", name=op.f('ck_offer_versions_vat_known')),
    sa.CheckConstraint('capacity_committed >= 0 AND capacity_committed <= capacity_per_quarter', name=op.f('ck_offer_versions_committed_within_capacity')),
    sa.CheckConstraint('capacity_per_quarter >= 0', name=op.f('ck_offer_versions_capacity_non_negative')),
    sa.CheckConstraint('lead_time_weeks >= 0', name=op.f('ck_offer_versions_lead_time_non_negative')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_offer_versions_number_positive')),
    sa.CheckConstraint('price_pence >= 0', name=op.f('ck_offer_versions_price_non_negative')),
    sa.ForeignKeyConstraint(['category_id'], ['capability_categories.id'], name=op.f('fk_offer_versions_category_id_capability_categories')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_offer_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_offer_versions_offer_id_offers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_versions')),
    sa.UniqueConstraint('offer_id', 'number', name=op.f('uq_offer_versions_offer_id_number'))
    )
    with op.batch_alter_table('offer_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_versions_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_versions_offer_id'), ['offer_id'], unique=False)

    if dialect != "sqlite":
        op.create_foreign_key(op.f('fk_offers_current_version_id_offer_versions'), 'offers', 'offer_versions',
                              ['current_version_id'], ['id'])

    op.create_table('offer_version_regions',
    sa.Column('offer_version_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['offer_version_id'], ['offer_versions.id'], name=op.f('fk_offer_version_regions_offer_version_id_offer_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['organisations.id'], name=op.f('fk_offer_version_regions_region_id_organisations')),
    sa.PrimaryKeyConstraint('offer_version_id', 'region_id', name=op.f('pk_offer_version_regions'))
    )
    with op.batch_alter_table('offer_version_regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_version_regions_region_id'), ['region_id'], unique=False)

    op.create_table('offer_version_systems',
    sa.Column('offer_version_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['offer_version_id'], ['offer_versions.id'], name=op.f('fk_offer_version_systems_offer_version_id_offer_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], name=op.f('fk_offer_version_systems_system_id_systems')),
    sa.PrimaryKeyConstraint('offer_version_id', 'system_id', name=op.f('pk_offer_version_systems'))
    )
    with op.batch_alter_table('offer_version_systems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_version_systems_system_id'), ['system_id'], unique=False)

    op.create_table('shortlist_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('offer_version_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', app.models_base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_shortlist_entries_added_by_id_users')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_shortlist_entries_offer_id_offers')),
    sa.ForeignKeyConstraint(['offer_version_id'], ['offer_versions.id'], name=op.f('fk_shortlist_entries_offer_version_id_offer_versions')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_shortlist_entries_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shortlist_entries')),
    sa.UniqueConstraint('project_id', 'offer_id', name=op.f('uq_shortlist_entries_project_id_offer_id'))
    )
    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shortlist_entries_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shortlist_entries_offer_version_id'), ['offer_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shortlist_entries_project_id'), ['project_id'], unique=False)

    # Full-text search, one backend at a time.
    if dialect == "sqlite":
        _sqlite_fts_up()
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_offer_versions_fts ON offer_versions USING gin (({PG_VECTOR}))")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_fts_down()
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_offer_versions_fts")

    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shortlist_entries_project_id'))
        batch_op.drop_index(batch_op.f('ix_shortlist_entries_offer_version_id'))
        batch_op.drop_index(batch_op.f('ix_shortlist_entries_offer_id'))

    op.drop_table('shortlist_entries')
    with op.batch_alter_table('offer_version_systems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_version_systems_system_id'))

    op.drop_table('offer_version_systems')
    with op.batch_alter_table('offer_version_regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_version_regions_region_id'))

    op.drop_table('offer_version_regions')
    if dialect != "sqlite":
        op.drop_constraint(op.f('fk_offers_current_version_id_offer_versions'), 'offers', type_='foreignkey')
    with op.batch_alter_table('offer_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_versions_offer_id'))
        batch_op.drop_index(batch_op.f('ix_offer_versions_category_id'))

    op.drop_table('offer_versions')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_organisation_id'))

    op.drop_table('projects')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index('ix_offers_status')
        batch_op.drop_index(batch_op.f('ix_offers_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_offers_lot_id'))
        batch_op.drop_index(batch_op.f('ix_offers_current_version_id'))

    op.drop_table('offers')
    op.drop_table('capability_categories')
