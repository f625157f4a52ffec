"""The two full-text backends of offer search, behind one small interface.

`backend_for(dialect).match(words)` answers a subquery of (version_id, score) for the offer
versions containing every word, higher score for a better match:

- SQLite: the external-content FTS5 table offer_versions_fts (rowid = offer_versions.id, kept in
  sync by triggers made in the migration), ranked by bm25 with the title weighted most. The MATCH
  expression is built from the words, each quoted as a phrase (app.offers.text.fts5_match).
- PostgreSQL: a weighted tsvector over offer_versions (PG_VECTOR), stored in the generated column
  search_fts with a GIN index on it, ranked by ts_rank_cd; the words go through plainto_tsquery.

No user text reaches either query language as typed.
"""
from __future__ import annotations

from sqlalchemy import bindparam, func, literal_column, select, table, text

from app.extensions import db

from ..models import OfferVersion
from ..text import fts5_match

#: The PostgreSQL document vector: what the generated column offer_versions.search_fts stores
#: (migration 20261124_09; the GIN index ix_offer_versions_fts is on that column).
PG_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(offer_versions.title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(offer_versions.summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(offer_versions.search_text, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(offer_versions.description, '')), 'C')"
)

#: bm25 weights of the FTS5 columns: title, summary, search_text, description.
FTS5_WEIGHTS = (10.0, 5.0, 4.0, 1.0)


# ---------------------------------------------------------------------------
# The two full-text backends
# ---------------------------------------------------------------------------

class Fts5Backend:
    """SQLite: the external-content FTS5 table offer_versions_fts (rowid = offer_versions.id)."""

    name = "sqlite"

    def match(self, words: list[str]):
        """A subquery of (version_id, score) for the versions matching every word."""
        fts = literal_column("offer_versions_fts")
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        # bm25 is lower for better matches; negate so that higher is better on both backends.
        sub = (
            select(literal_column("offer_versions_fts.rowid").label("version_id"),
                   literal_column(f"-bm25(offer_versions_fts, {weights})").label("score"))
            .select_from(table("offer_versions_fts"))
            .where(fts.op("MATCH")(bindparam("fts_match", fts5_match(words))))
            .subquery("fts")
        )
        return sub


class PostgresBackend:
    """PostgreSQL: a weighted tsvector expression over offer_versions with a GIN index."""

    name = "postgresql"

    def match(self, words: list[str]):
        # The stored vector (migration 20261124_09): ranking from PG_VECTOR itself made PostgreSQL
        # recompute every match's vector from the text, tens of seconds for common words at scale.
        vector = literal_column("offer_versions.search_fts")
        # plainto_tsquery takes any text and ANDs its words: no operator the user types survives.
        query = func.plainto_tsquery(literal_column("'english'::regconfig"), bindparam("pg_query", " ".join(words)))
        sub = (
            select(OfferVersion.id.label("version_id"), func.ts_rank_cd(vector, query).label("score"))
            .where(vector.op("@@")(query))
            .subquery("fts")
        )
        return sub


def backend_for(dialect: str):
    """The full-text backend for a database dialect."""
    if dialect == "sqlite":
        return Fts5Backend()
    if dialect == "postgresql":
        return PostgresBackend()
    raise LookupError(f"no full-text search backend for {dialect}")


def rebuild_index() -> str:
    """Rebuild the full-text index from offer_versions (after a bulk load or a restore); the
    caller commits. Returns what was done, for the command line."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        # The FTS5 'rebuild' command re-reads every row of the external content table.
        db.session.execute(text("INSERT INTO offer_versions_fts(offer_versions_fts) VALUES('rebuild')"))
        return "Rebuilt the SQLite FTS5 index offer_versions_fts."
    if dialect == "postgresql":
        db.session.execute(text("REINDEX INDEX ix_offer_versions_fts"))
        return "Rebuilt the PostgreSQL index ix_offer_versions_fts."
    raise LookupError(f"no full-text search backend for {dialect}")
