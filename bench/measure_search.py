"""Search: the search page beside the raw ranked full-text query and a naive LIKE scan.

For each term of bench.synth.SEARCH_TERMS (rare to very common), then misspellings of them
(TYPO_TERMS) and other names and spellings (SYNONYM_TERMS), interleaved so that noise on a shared
machine hits all three alike:

- page: GET /offers?q=<term> through the Flask test client (facets, highlighting, rendering),
        as served (page cache) and made afresh (cache emptied first);
- raw:  the backend's ranked full-text match (app/offers/search/backends.py, the very expression
        the page uses, with the term's alternatives: other names, spellings, typo corrections),
        top 20 by relevance, run directly on the database — the limit;
- like: what a simple app would do: a count of the published offers whose current version
        contains, for every word, it or one of its alternatives (LIKE '%word%' over title, summary,
        description and search words; ILIKE on PostgreSQL, where LIKE is case-sensitive) and the
        first page of 20.

Run alone (`python -m bench.measure_search --size gcloud --backend sqlite --backend postgresql`),
it measures the search on its own benchmark databases (PostgreSQL: bench_search_<size>, so a run
never drops a database another benchmark is using) and writes bench/search_results.json.
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


#: Misspellings of the planted words (one or two edits), rare to very common: typo matching.
TYPO_TERMS = ["zygomatc", "telemtry", "interoperabilty", "clincal"]
#: Other names and spellings (app.registry.aliases): an abbreviation, the American spelling of a
#: background word, and a former name given to the most common synthetic supplier (`bench_aliases`).
SYNONYM_TERMS = ["AVT", "optimization", "Cerner"]
ALL_TERMS = [*SEARCH_TERMS, *TYPO_TERMS, *SYNONYM_TERMS]


def _groups(term: str):
    """The term's words with their alternatives, as the page searches them (made once, outside
    the timings: the page's own expansion queries are in its time)."""
    from app.offers.search.engine import expand_query

    return expand_query(tokens(term))


def _raw(expansion):
    fts = backend_for(db.session.get_bind().dialect.name).match(expansion.phrases, expansion.exact_phrases)
    return select(fts.c.version_id, fts.c.score).order_by(fts.c.tier, fts.c.score.desc()).limit(20)


def _like(expansion):
    """LIKE for each group's alternatives (a simple app that knew the same names and corrections)."""
    V, O = OfferVersion, Offer
    pg = db.session.get_bind().dialect.name == "postgresql"
    conds = []
    for phrases in expansion.phrases:
        alts = []
        for w in phrases:
            p = like_pattern(w)
            cols = (V.title, V.summary, V.description, V.search_text)
            alts += [(c.ilike(p, escape="\\") if pg else c.like(p, escape="\\")) for c in cols]
        conds.append(or_(*alts))
    base = select(O.id).join(V, V.id == O.current_version_id).where(O.status == "published", and_(*conds))
    count = select(func.count()).select_from(base.subquery())
    page = base.order_by(O.published_at.desc(), O.id).limit(20)
    return count, page


def measure(app, reps: int = 30, warmup: int = 1, uncached_reps: int = 10, terms=SEARCH_TERMS) -> list[dict]:
    """p50/p95 of each per term, the hit count and the ratios. The page is measured as served
    (from the page cache once made, keyed by the data version) and made afresh (cache emptied
    before each request: what the first visitor after a change waits). `terms`: the planted words
    (what bench/run.py measures), or ALL_TERMS with the typos and other names (run alone)."""
    client = app.test_client()
    out = []
    # A GET request context: SQLite transactions begin as reads (see app/extensions.py).
    with app.test_request_context("/offers"):
        for term in terms:
            expansion = _groups(term)
            raw = _raw(expansion)
            count, page = _like(expansion)
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
            fts = backend_for(db.session.get_bind().dialect.name).match(expansion.phrases, expansion.exact_phrases)
            hits = db.session.execute(select(func.count()).select_from(fts)).scalar_one()
            with counting_queries() as queries:
                get_page()
            row = {"term": term, "kind": "typo" if term in TYPO_TERMS else "synonym" if term in SYNONYM_TERMS else "word",
                   "searched": expansion.phrases, "fts_hits": hits, "page_queries": len(queries),
                   **{k: summary_ms(v) for k, v in samples.items()}}
            row["page_over_raw_p95"] = ratio(row["page"]["p95_ms"], row["raw"]["p95_ms"])
            row["like_over_page_p95"] = ratio(row["like"]["p95_ms"], row["page"]["p95_ms"])
            row["uncached_over_raw_p95"] = ratio(row["uncached"]["p95_ms"], row["raw"]["p95_ms"])
            row["like_over_uncached_p95"] = ratio(row["like"]["p95_ms"], row["uncached"]["p95_ms"])
            out.append(row)
        db.session.rollback()
    return out


def measure_expansion(app, reps: int = 30) -> list[dict]:
    """What forgiving costs: p50/p95 of widening each term (the aliases, which words the offers
    use, the nearest words to those they do not: app.offers.search.engine.expand_query), alone."""
    from app.offers.search.engine import expand_query

    out = []
    with app.test_request_context("/offers"):
        for term in ALL_TERMS:
            words = tokens(term)
            expand_query(words)
            samples = [timed(lambda: expand_query(words)) for _ in range(reps)]
            out.append({"term": term, "expand": summary_ms(samples)})
        db.session.rollback()
    return out


# ---------------------------------------------------------------------------
# Run alone
# ---------------------------------------------------------------------------

def bench_aliases() -> int:
    """The reviewed aliases that name no supplier or system (abbreviations, synonyms, spellings),
    and one former name, "Cerner", for the synthetic supplier with the most systems: the benchmark
    data has no real supplier for the real former names to point at."""
    import csv
    from pathlib import Path

    from app.registry.aliases import NameAlias, name_key
    from app.registry.models import Supplier, System

    db.session.query(NameAlias).delete()
    rows = list(csv.DictReader((Path(__file__).resolve().parents[1] / "seed" / "search_aliases.csv").open(encoding="utf-8")))
    n = 0
    for r in rows:
        if r["supplier_slug"] or r["system_slug"]:
            continue
        db.session.add(NameAlias(kind=r["kind"], term=r["term"], means=r["means"], term_key=name_key(r["term"]),
                                 means_key=name_key(r["means"]), source=r["source"], source_url=r["source_url"],
                                 note=r["note"]))
        n += 1
    top = db.session.execute(select(Supplier).join(System, System.supplier_id == Supplier.id)
                             .group_by(Supplier.id).order_by(func.count(System.id).desc(), Supplier.id).limit(1)).scalar_one()
    db.session.add(NameAlias(kind="former_name", term="Cerner", means=top.name, term_key="cerner",
                             means_key=name_key(top.name), supplier_id=top.id,
                             source="Benchmark only: a former name given to the synthetic supplier with the most systems"))
    db.session.commit()
    return n + 1


def _own_databases(prefix: str = "bench_search_") -> None:
    """Point bench.generate at databases of the search benchmark's own (PostgreSQL: prefix+size)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from bench import generate

    def database_url(size, backend):
        if backend == "postgresql":
            return make_url(generate.PG_ADMIN_URL).set(database=prefix + size).render_as_string(hide_password=False)
        return f"sqlite:///{generate.OUT / f'search-{size}.db'}"

    def fresh_database(size, backend):
        generate.OUT.mkdir(parents=True, exist_ok=True)
        generate.note_path(size, backend).unlink(missing_ok=True)
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                (generate.OUT / f"search-{size}.db{suffix}").unlink(missing_ok=True)
        else:
            admin = create_engine(generate.PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{prefix + size}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{prefix + size}"'))
            admin.dispose()
        return database_url(size, backend)

    def exists(size, backend):
        if backend == "sqlite":
            return (generate.OUT / f"search-{size}.db").exists()
        admin = create_engine(generate.PG_ADMIN_URL)
        with admin.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": prefix + size}).first()
        admin.dispose()
        return found is not None

    generate.database_url, generate.fresh_database, generate._exists = database_url, fresh_database, exists
    generate.note_path = lambda size, backend: generate.OUT / f"search-{size}-{backend}.json"


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import os
    from datetime import datetime, timezone
    from pathlib import Path

    parser = argparse.ArgumentParser(description="The search benchmark alone, on its own databases.")
    parser.add_argument("--size", action="append", help="national, 10x or gcloud (repeatable; default gcloud)")
    parser.add_argument("--backend", action="append", help="sqlite or postgresql (repeatable; default both)")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--uncached-reps", type=int, default=10)
    parser.add_argument("--expansion-only", action="store_true",
                        help="only the cost of widening each term, added to the stored results")
    args = parser.parse_args(argv)
    _own_databases()
    from bench.generate import bench_app, ensure

    out_path = Path(__file__).resolve().parent / "search_results.json"
    results = json.loads(out_path.read_text()) if out_path.exists() else {}
    for size in args.size or ["gcloud"]:
        for backend in args.backend or ["sqlite", "postgresql"]:
            note = ensure(size, backend, echo=lambda m: print(m, flush=True))
            app = bench_app(note["url"])
            with app.app_context():
                from flask_migrate import upgrade

                upgrade()
                from app.offers.search.backends import rebuild_index

                print(rebuild_index(), flush=True)
                print(f"{bench_aliases()} aliases loaded", flush=True)
            load = os.getloadavg()
            if args.expansion_only:
                stored = results.get(f"{size}/{backend}", {}).get("search", [])
                expansion = {r["term"]: r["expand"] for r in measure_expansion(app)}
                for r in stored:
                    r["expand"] = expansion.get(r["term"])
                out_path.write_text(json.dumps(results, indent=1))
                print(json.dumps(expansion), flush=True)
                continue
            rows = measure(app, reps=args.reps, uncached_reps=args.uncached_reps, terms=ALL_TERMS)
            expansion = {r["term"]: r["expand"] for r in measure_expansion(app)}
            for r in rows:
                r["expand"] = expansion[r["term"]]
            with app.app_context():
                db.engine.dispose()
            results[f"{size}/{backend}"] = {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                            "load_average_before": load, "offers": note["counts"].get("offers"),
                                            "search": rows}
            out_path.write_text(json.dumps(results, indent=1))
            for r in rows:
                print(f"{size}/{backend} {r['term']:<18} hits {r['fts_hits']:>6}  page afresh p95 {r['uncached']['p95_ms']:>8} ms"
                      f"  raw p95 {r['raw']['p95_ms']:>7} ms  like p95 {r['like']['p95_ms']:>8} ms", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
