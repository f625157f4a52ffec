"""search names: other names and spellings, the spelling vocabulary, locked searches

Revision ID: 20261202_15
Revises: 20261202_14

- name_aliases: suppliers' and systems' former and other names, abbreviations, synonyms and
  spellings, each with its source (loaded from seed/search_aliases.csv).
- search_terms: the published offers' words with the number of offers using each (typo matching,
  "Did you mean …?"), filled here from the offers already published. Trigram-indexed, by hand
  like the other full-text objects (names containing "_fts" are left out of autogenerate and of
  the drift test): on SQLite the external-content FTS5 table search_terms_fts with the trigram
  tokenizer and triggers; on PostgreSQL the pg_trgm extension and a GIN index.
- locked_searches, locked_search_rows: a project's ended search (query, filters, date, and the
  offer versions returned with their rank); project_outcomes: what the project then did;
  frameworks.direct_award_allowed (existing frameworks: no).
"""
import re
from collections import Counter

from alembic import op
import sqlalchemy as sa
import app.models_base


revision = '20261202_15'
down_revision = '20261202_14'
branch_labels = None
depends_on = None

#: The vocabulary's words, as app.offers.search.vocabulary.words_of cuts them (copied: a migration
#: must not change later).
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOP = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own s same she should
so some such t than that the their theirs them themselves then there these they this those through to
too under until up very was we were what when where which while who whom why will with you your yours
yourself yourselves
""".split())


def _fill_search_terms():
    bind = op.get_bind()
    counts = Counter()
    rows = bind.execute(sa.text(
        "SELECT v.title, v.summary, v.description, v.search_text FROM offers o "
        "JOIN offer_versions v ON v.id = o.current_version_id WHERE o.status = 'published'"))
    for texts in rows:
        words = set()
        for t in texts:
            for w in _WORD.findall(t or ""):
                w = w.lower()
                if 3 <= len(w) <= 40 and w not in _STOP:
                    words.add(w)
        counts.update(words)
    if counts:
        terms = sa.table("search_terms", sa.column("term", sa.String), sa.column("offers", sa.Integer))
        op.bulk_insert(terms, [{"term": t, "offers": n} for t, n in sorted(counts.items())])


def _sqlite_trigram_up():
    op.execute("CREATE VIRTUAL TABLE [search_terms_fts] USING FTS5 ([term], tokenize='trigram', "
               "content=[search_terms], content_rowid=[id])")
    op.execute("INSERT INTO [search_terms_fts] (rowid, [term]) SELECT id, term FROM [search_terms]")
    op.execute("CREATE TRIGGER [search_terms_fts_ai] AFTER INSERT ON [search_terms] BEGIN\n"
               "  INSERT INTO [search_terms_fts] (rowid, [term]) VALUES (new.id, new.term);\nEND")
    op.execute("CREATE TRIGGER [search_terms_fts_ad] AFTER DELETE ON [search_terms] BEGIN\n"
               "  INSERT INTO [search_terms_fts] ([search_terms_fts], rowid, [term]) VALUES('delete', old.id, old.term);\nEND")
    op.execute("CREATE TRIGGER [search_terms_fts_au] AFTER UPDATE OF [term] ON [search_terms] BEGIN\n"
               "  INSERT INTO [search_terms_fts] ([search_terms_fts], rowid, [term]) VALUES('delete', old.id, old.term);\n"
               "  INSERT INTO [search_terms_fts] (rowid, [term]) VALUES (new.id, new.term);\nEND")


def _sqlite_trigram_down():
    for trigger in ("search_terms_fts_ai", "search_terms_fts_ad", "search_terms_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
    op.execute("DROP TABLE IF EXISTS [search_terms_fts]")


def _locked_searches_up():
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direct_award_allowed', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.alter_column('direct_award_allowed', server_default=None)
    op.create_table('locked_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('query_string', sa.Text(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('locked_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('locked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['locked_by_id'], ['users.id'], name=op.f('fk_locked_searches_locked_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_locked_searches_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locked_searches')),
    sa.UniqueConstraint('project_id', name=op.f('uq_locked_searches_project_id'))
    )
    op.create_table('locked_search_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('locked_search_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('offer_version_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_locked_search_rows_rank_positive')),
    sa.ForeignKeyConstraint(['locked_search_id'], ['locked_searches.id'], name=op.f('fk_locked_search_rows_locked_search_id_locked_searches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_locked_search_rows_offer_id_offers')),
    sa.ForeignKeyConstraint(['offer_version_id'], ['offer_versions.id'], name=op.f('fk_locked_search_rows_offer_version_id_offer_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locked_search_rows')),
    sa.UniqueConstraint('locked_search_id', 'rank', name=op.f('uq_locked_search_rows_locked_search_id_rank'))
    )
    with op.batch_alter_table('locked_search_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locked_search_rows_locked_search_id'), ['locked_search_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_locked_search_rows_offer_id'), ['offer_id'], unique=False)
    op.create_table('project_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=True),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('offer_version_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', app.models_base.UTCDateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(outcome = 'competition') = (competition_id IS NOT NULL)", name=op.f('ck_project_outcomes_competition_linked')),
    sa.CheckConstraint("(outcome = 'direct_award') = (offer_id IS NOT NULL)", name=op.f('ck_project_outcomes_award_names_offer')),
    sa.CheckConstraint("outcome IN ('competition', 'direct_award', 'no_suitable_offer', 'cancelled')", name=op.f('ck_project_outcomes_outcome_known')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_project_outcomes_competition_id_competitions')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_project_outcomes_offer_id_offers')),
    sa.ForeignKeyConstraint(['offer_version_id'], ['offer_versions.id'], name=op.f('fk_project_outcomes_offer_version_id_offer_versions')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_outcomes_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_project_outcomes_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_outcomes')),
    sa.UniqueConstraint('project_id', name=op.f('uq_project_outcomes_project_id'))
    )
    with op.batch_alter_table('project_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_outcomes_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_outcomes_offer_id'), ['offer_id'], unique=False)


def _locked_searches_down():
    with op.batch_alter_table('project_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_outcomes_offer_id'))
        batch_op.drop_index(batch_op.f('ix_project_outcomes_competition_id'))
    op.drop_table('project_outcomes')
    with op.batch_alter_table('locked_search_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locked_search_rows_offer_id'))
        batch_op.drop_index(batch_op.f('ix_locked_search_rows_locked_search_id'))
    op.drop_table('locked_search_rows')
    op.drop_table('locked_searches')
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.drop_column('direct_award_allowed')


def upgrade():
    dialect = op.get_bind().dialect.name
    op.create_table('name_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('term', sa.String(length=120), nullable=False),
    sa.Column('means', sa.String(length=200), nullable=False),
    sa.Column('term_key', sa.String(length=120), nullable=False),
    sa.Column('means_key', sa.String(length=200), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('system_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('former_name', 'other_name', 'abbreviation', 'synonym', 'spelling')", name=op.f('ck_name_aliases_kind_known')),
    sa.CheckConstraint("source <> ''", name=op.f('ck_name_aliases_source_given')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_name_aliases_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], name=op.f('fk_name_aliases_system_id_systems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_name_aliases')),
    sa.UniqueConstraint('kind', 'term_key', 'means_key', name=op.f('uq_name_aliases_kind_term_key_means_key'))
    )
    with op.batch_alter_table('name_aliases', schema=None) as batch_op:
        batch_op.create_index('ix_name_aliases_means_key', ['means_key'], unique=False)
        batch_op.create_index('ix_name_aliases_term_key', ['term_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_name_aliases_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_name_aliases_system_id'), ['system_id'], unique=False)

    op.create_table('search_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=40), nullable=False),
    sa.Column('offers', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_terms')),
    sa.UniqueConstraint('term', name=op.f('uq_search_terms_term'))
    )
    _fill_search_terms()
    _locked_searches_up()
    if dialect == "sqlite":
        _sqlite_trigram_up()
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_search_terms_fts_trgm ON search_terms USING gin (term gin_trgm_ops)")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_trigram_down()
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_terms_fts_trgm")
        # pg_trgm stays: other databases' objects may use it, and dropping an extension is the DBA's call.
    op.drop_table('search_terms')
    _locked_searches_down()
    with op.batch_alter_table('name_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_name_aliases_system_id'))
        batch_op.drop_index(batch_op.f('ix_name_aliases_supplier_id'))
        batch_op.drop_index('ix_name_aliases_term_key')
        batch_op.drop_index('ix_name_aliases_means_key')
    op.drop_table('name_aliases')
