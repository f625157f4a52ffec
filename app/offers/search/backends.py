"""The two full-text backends of offer search, behind one small interface.

`backend_for(dialect).match(groups)` answers a subquery of (version_id, score, tier) for the
offer versions containing, for every group, one of its phrases (app.offers.search.expand makes the
groups: a word or name and its other names, spellings and typo corrections), higher score for a
better match, tier 1 for a match only through a typo's correction:

- SQLite: the external-content FTS5 table offer_versions_fts (rowid = offer_versions.id, kept in
  sync by triggers made in the migration), ranked by bm25 with the title weighted most. The MATCH
  expression is built from the groups, each phrase quoted (app.offers.text.fts5_any_of).
- PostgreSQL: a weighted tsvector over offer_versions (PG_VECTOR), stored in the generated column
  search_fts with a GIN index on it, ranked by ts_rank_cd; each phrase goes through phraseto_tsquery, joined with || and &&.

No user text reaches either query language as typed.
"""
from __future__ import annotations

from sqlalchemy import bindparam, case, func, literal, literal_column, select, table, text

from app.extensions import db

from ..models import OfferVersion
from .vocabulary import rebuild_vocabulary
from ..text import fts5_any_of

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

    def match(self, groups: list[list[str]], exact: list[list[str]] | None = None):
        """A subquery of (version_id, score, tier) for the versions matching, in every group, one
        of its phrases; tier is 1 for a version that matches only with `exact`'s phrases left
        out (a typo's correction), else 0."""
        fts = literal_column("offer_versions_fts")
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        tier = literal(0)
        if exact is not None:
            exact_rows = (select(literal_column("rowid")).select_from(table("offer_versions_fts"))
                          .where(fts.op("MATCH")(bindparam("fts_exact", fts5_any_of(exact)))).correlate(None))
            tier = case((literal_column("offer_versions_fts.rowid").in_(exact_rows), 0), else_=1)
        # bm25 is lower for better matches; negate so that higher is better on both backends.
        sub = (
            select(literal_column("offer_versions_fts.rowid").label("version_id"),
                   literal_column(f"-bm25(offer_versions_fts, {weights})").label("score"),
                   tier.label("tier"))
            .select_from(table("offer_versions_fts"))
            .where(fts.op("MATCH")(bindparam("fts_match", fts5_any_of(groups))))
            .subquery("fts")
        )
        return sub


def pg_tsquery(groups: list[list[str]], prefix: str):
    """The tsquery for `groups`: AND of groups, each an OR of phraseto_tsquery of its phrases
    (each phrase a bound parameter: no operator the user types survives)."""
    config = literal_column("'english'::regconfig")
    query = None
    for i, phrases in enumerate(groups):
        alts = None
        for j, phrase in enumerate(phrases):
            q = func.phraseto_tsquery(config, bindparam(f"{prefix}_{i}_{j}", phrase))
            alts = q if alts is None else alts.op("||")(q)
        if alts is None:
            continue
        query = alts if query is None else query.op("&&")(alts)
    return query if query is not None else func.plainto_tsquery(config, "")


class PostgresBackend:
    """PostgreSQL: a weighted tsvector expression over offer_versions with a GIN index."""

    name = "postgresql"

    def match(self, groups: list[list[str]], exact: list[list[str]] | None = None):
        # The stored vector (migration 20261124_09): ranking from PG_VECTOR itself made PostgreSQL
        # recompute every match's vector from the text, tens of seconds for common words at scale.
        vector = literal_column("offer_versions.search_fts")
        query = pg_tsquery(groups, "pg_q")
        tier = literal(0)
        if exact is not None:
            tier = case((vector.op("@@")(pg_tsquery(exact, "pg_x")), 0), else_=1)
        sub = (
            select(OfferVersion.id.label("version_id"), func.ts_rank_cd(vector, query).label("score"),
                   tier.label("tier"))
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
        n = rebuild_vocabulary()
        return f"Rebuilt the SQLite FTS5 index offer_versions_fts and the spelling vocabulary ({n:,} words)."
    if dialect == "postgresql":
        db.session.execute(text("REINDEX INDEX ix_offer_versions_fts"))
        n = rebuild_vocabulary()
        return f"Rebuilt the PostgreSQL index ix_offer_versions_fts and the spelling vocabulary ({n:,} words)."
    raise LookupError(f"no full-text search backend for {dialect}")
