"""Search: the search page beside the raw ranked full-text query and a naive LIKE scan.

For each term of bench.synth.SEARCH_TERMS (rare to very common), interleaved so that noise on a
shared machine hits all three alike:

- page: GET /offers?q=<term> through the Flask test client (facets, highlighting, rendering),
        as served (page cache) and made afresh (cache emptied first);
- raw:  the backend's ranked full-text match (app/offers/search_backends.py, the very expression
        the page uses), top 20 by relevance, run directly on the database — the limit;
- like: what a simple app would do: a count of the published offers whose current version
        contains every word (LIKE '%word%' over title, summary, description and search words;
        ILIKE on PostgreSQL, where LIKE is case-sensitive) and the first page of 20.
"""
from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from app.extensions import db
from app.offers.models import Offer, OfferVersion
from app.offers.search.backends import backend_for
from app.offers.text import tokens
from app.web.querying import like_pattern

from .measure import counting_queries, ratio, summary_ms, timed
from .synth import SEARCH_TERMS


def _raw(words: list[str]):
    fts = backend_for(db.session.get_bind().dialect.name).match(words)
    return select(fts.c.version_id, fts.c.score).order_by(fts.c.score.desc()).limit(20)


def _like(words: list[str]):
    V, O = OfferVersion, Offer
    pg = db.session.get_bind().dialect.name == "postgresql"
    conds = []
    for w in words:
        p = like_pattern(w)
        cols = (V.title, V.summary, V.description, V.search_text)
        conds.append(or_(*((c.ilike(p, escape="\\") if pg else c.like(p, escape="\\")) for c in cols)))
    base = select(O.id).join(V, V.id == O.current_version_id).where(O.status == "published", and_(*conds))
    count = select(func.count()).select_from(base.subquery())
    page = base.order_by(O.published_at.desc(), O.id).limit(20)
    return count, page


def measure(app, reps: int = 30, warmup: int = 1, uncached_reps: int = 10) -> list[dict]:
    """p50/p95 of each per term, the hit count and the ratios. The page is measured as served
    (from the page cache once made, keyed by the data version) and made afresh (cache emptied
    before each request: what the first visitor after a change waits)."""
    client = app.test_client()
    out = []
    # A GET request context: SQLite transactions begin as reads (see app/extensions.py).
    with app.test_request_context("/offers"):
        for term in SEARCH_TERMS:
            words = tokens(term)
            raw = _raw(words)
            count, page = _like(words)
            url = "/offers?q=" + term.replace(" ", "+")

            def get_page():
                r = client.get(url)
                assert r.status_code == 200, (url, r.status_code)

            def get_page_uncached():
                app.extensions["pagecache"].clear()  # made afresh: the first request at a data version
                get_page()

            def run_raw():
                db.session.execute(raw).all()

            def run_like():
                db.session.execute(count).scalar_one()
                db.session.execute(page).all()

            for _ in range(warmup):
                get_page(), run_raw(), run_like()
            samples: dict[str, list[float]] = {"page": [], "uncached": [], "raw": [], "like": []}
            for i in range(reps):
                samples["page"].append(timed(get_page))
                if i < uncached_reps:
                    samples["uncached"].append(timed(get_page_uncached))
                samples["raw"].append(timed(run_raw))
                samples["like"].append(timed(run_like))
            fts = backend_for(db.session.get_bind().dialect.name).match(words)
            hits = db.session.execute(select(func.count()).select_from(fts)).scalar_one()
            with counting_queries() as queries:
                get_page()
            row = {"term": term, "fts_hits": hits, "page_queries": len(queries),
                   **{k: summary_ms(v) for k, v in samples.items()}}
            row["page_over_raw_p95"] = ratio(row["page"]["p95_ms"], row["raw"]["p95_ms"])
            row["like_over_page_p95"] = ratio(row["like"]["p95_ms"], row["page"]["p95_ms"])
            row["uncached_over_raw_p95"] = ratio(row["uncached"]["p95_ms"], row["raw"]["p95_ms"])
            row["like_over_uncached_p95"] = ratio(row["like"]["p95_ms"], row["uncached"]["p95_ms"])
            out.append(row)
        db.session.rollback()
    return out
