"""The spelling vocabulary of offer search: every word of the published offers' current versions,
with the number of published offers it is in (the table search_terms, model SearchTerm).

Kept as offers change (the offer services call `count_version` when an offer is published,
withdrawn or changed while published) and rebuilt whole by `rebuild_vocabulary` (after a bulk
load, with the full-text index). It answers two questions, each in one query:

- `known(words)`: which of the words (or a plain inflection of them) the offers use;
- `nearest(word)`: the offers' words closest in spelling, for typo matching and "Did you mean …?".
  The candidates come from a trigram index (SQLite: the FTS5 trigram table search_terms_fts;
  PostgreSQL: pg_trgm's similarity operator on a GIN index); `edit_distance` then keeps those
  within one or two edits (a swap of two letters counts as one).
"""
from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import bindparam, delete, func, select, text, update

from app.extensions import db

from ..models import Offer, OfferVersion, SearchTerm
from ..text import STOP_WORDS
from .expand import edit_distance, max_edits

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_TERM, MAX_TERM = 3, 40
#: Candidates read from the trigram index for one word, before edit distances are measured.
CANDIDATES = 40


def words_of(*texts: str | None) -> set[str]:
    """The vocabulary words of some text: letters only, lower-cased, 3 to 40 long, no stop words."""
    out = set()
    for t in texts:
        for w in _WORD.findall(t or ""):
            w = w.lower()
            if MIN_TERM <= len(w) <= MAX_TERM and w not in STOP_WORDS:
                out.add(w)
    return out


def version_words(v: OfferVersion) -> set[str]:
    return words_of(v.title, v.summary, v.description, v.search_text)


def inflections(word: str) -> list[str]:
    """The word and its plain inflections' bases, for `known` (the index stems: "deployments"
    finds "deployment", so it is not a typo)."""
    out = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
                         ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)] + repl)
    return out


# ---------------------------------------------------------------------------
# Keeping the vocabulary
# ---------------------------------------------------------------------------

def _upsert(counts: dict[str, int]) -> None:
    if not counts:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    rows = [{"term": t, "offers": n} for t, n in sorted(counts.items())]
    for i in range(0, len(rows), 500):
        stmt = insert(SearchTerm).values(rows[i:i + 500])
        db.session.execute(stmt.on_conflict_do_update(index_elements=["term"],
                                                      set_={"offers": SearchTerm.offers + stmt.excluded.offers}))


def count_words(words: set[str], delta: int) -> None:
    """Add `delta` (+1 or -1) to each word's count; words no published offer uses any more go."""
    if not words:
        return
    if delta > 0:
        _upsert({w: delta for w in words})
        return
    ordered = sorted(words)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i:i + 500]
        db.session.execute(update(SearchTerm).where(SearchTerm.term.in_(chunk))
                           .values(offers=SearchTerm.offers + delta).execution_options(synchronize_session=False))
        db.session.execute(delete(SearchTerm).where(SearchTerm.term.in_(chunk), SearchTerm.offers <= 0)
                           .execution_options(synchronize_session=False))


def count_version(v: OfferVersion, delta: int) -> None:
    """An offer version came into (+1) or went out of (-1) the published offers."""
    db.session.flush()
    count_words(version_words(v), delta)


def rebuild_vocabulary() -> int:
    """Count every published offer's current version's words afresh; the caller commits.
    Returns the number of words."""
    counts: Counter = Counter()
    rows = db.session.execute(
        select(OfferVersion.title, OfferVersion.summary, OfferVersion.description, OfferVersion.search_text)
        .join(Offer, Offer.current_version_id == OfferVersion.id).where(Offer.status == "published")
    )
    for title, summary, description, search_text in rows:
        counts.update(words_of(title, summary, description, search_text))
    db.session.execute(delete(SearchTerm))
    _upsert(dict(counts))
    return len(counts)


# ---------------------------------------------------------------------------
# Asking it
# ---------------------------------------------------------------------------

def known(words: list[str]) -> set[str]:
    """Those of `words` that the offers use, as written or as a plain inflection (one query)."""
    forms = {f: w for w in words for f in inflections(w)}
    if not forms:
        return set()
    found = db.session.execute(select(SearchTerm.term).where(SearchTerm.term.in_(sorted(forms)))).scalars()
    return {forms[f] for f in found}


def _trigram_match(word: str) -> str:
    """An FTS5 MATCH expression for the rows sharing any trigram with `word` (quoted: no syntax)."""
    grams = sorted({word[i:i + 3] for i in range(len(word) - 2)})
    return " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)


def _candidates(word: str) -> list[tuple[str, int]]:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        # pg_trgm: `%` is true above the similarity threshold (0.3) and uses the GIN index.
        sim = func.similarity(SearchTerm.term, bindparam("w", word))
        stmt = (select(SearchTerm.term, SearchTerm.offers)
                .where(SearchTerm.term.op("%")(bindparam("w", word)))
                .order_by(sim.desc(), SearchTerm.offers.desc()).limit(CANDIDATES))
        return [(t, n) for t, n in db.session.execute(stmt)]
    rows = db.session.execute(text(
        "SELECT search_terms.term, search_terms.offers FROM search_terms_fts "
        "JOIN search_terms ON search_terms.id = search_terms_fts.rowid "
        "WHERE search_terms_fts MATCH :m ORDER BY search_terms_fts.rank LIMIT :n"),
        {"m": _trigram_match(word), "n": CANDIDATES})
    return [(t, n) for t, n in rows]


def nearest(word: str, limit: int = 3, edits: int | None = None) -> list[str]:
    """The offers' words within `edits` (default `max_edits(word)`) of `word`, closest and most
    used first; never the word itself."""
    edits = max_edits(word) if edits is None else edits
    if edits <= 0 or len(word) < MIN_TERM or len(word) > MAX_TERM:
        return []
    scored = []
    for term, n in _candidates(word):
        if term == word:
            continue
        d = edit_distance(word, term, edits)
        if d <= edits:
            scored.append((d, -n, term))
    return [t for _d, _n, t in sorted(scored)[:limit]]
