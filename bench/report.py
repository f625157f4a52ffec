"""The results section of docs/performance.md, written from bench/results.json.

Only the text between the two markers is replaced; the analysis around it is kept as written.
"""
from __future__ import annotations

from pathlib import Path

START = "<!-- bench:results:start (written by bench/run.py; edit outside these markers) -->"
END = "<!-- bench:results:end -->"
SIZES = ("national", "10x", "gcloud")
BACKENDS = ("sqlite", "postgresql")
#: Targets, as shares of the bare Flask app's requests/s for the same bytes (issue 20): cached public
#: pages; signed-in pages and pages made afresh. Latency (wrk's p99 standing in for p95) and size.
PUBLIC_TARGET, SIGNED_IN_TARGET = 0.8, 0.15
CACHED_P95_MS, AFRESH_P95_MS, MAX_BYTES = 300, 1000, 300_000


def _f(v, fmt="{:,.1f}") -> str:
    return "–" if v is None else fmt.format(v)


def _pct(v) -> str:
    return "–" if v is None else f"{v:.0%}"


def _runs(results: dict):
    runs = results.get("runs", {})
    for backend in BACKENDS:
        for size in SIZES:
            r = runs.get(f"{size}/{backend}")
            if r:
                yield size, backend, r


def data_table(results: dict) -> list[str]:
    lines = ["| size | backend | organisations | deployments | offers (versions) | competitions | bids | all rows "
             "| generated in | insert |", "|---|---|--:|--:|--:|--:|--:|--:|--:|---|"]
    for size, backend, r in _runs(results):
        c = r.get("data", {}).get("counts", {})
        lines.append(f"| {size} | {backend} | {c.get('organisations', 0):,} | {c.get('deployments', 0):,} | "
                     f"{c.get('offers', 0):,} ({c.get('offer_versions', 0):,}) | {c.get('competitions', 0):,} | "
                     f"{c.get('bids', 0):,} | {r['data'].get('rows', 0):,} | {r['data'].get('seconds', 0):,.0f} s | "
                     f"{r['data'].get('method', '')} |")
    return lines


def search_table(results: dict) -> list[str]:
    lines = ["| size | backend | query | hits | page as served p50 / p95 ms | page made afresh p50 / p95 ms "
             "| raw FTS top-20 p50 / p95 ms | LIKE count+page p50 / p95 ms | served ÷ raw (p95) "
             "| afresh ÷ raw (p95) | LIKE ÷ afresh (p95) |",
             "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for size, backend, r in _runs(results):
        for row in r.get("search", []):
            un = row.get("uncached", {})
            lines.append(
                f"| {size} | {backend} | `{row['term']}` | {row['fts_hits']:,} | "
                f"{row['page']['p50_ms']:.1f} / {row['page']['p95_ms']:.1f} | "
                f"{_f(un.get('p50_ms'))} / {_f(un.get('p95_ms'))} | "
                f"{row['raw']['p50_ms']:.2f} / {row['raw']['p95_ms']:.2f} | "
                f"{row['like']['p50_ms']:.1f} / {row['like']['p95_ms']:.1f} | "
                f"{_f(row['page_over_raw_p95'], '{:.1f}×')} | {_f(row.get('uncached_over_raw_p95'), '{:.1f}×')} | "
                f"{_f(row.get('like_over_uncached_p95'), '{:.2f}×')} |")
    return lines


def pages_table(results: dict) -> list[str]:
    lines = ["| size | backend | page | bytes | SQL statements | page req/s | p50 / p99 ms | bare Flask req/s "
             "| in-app echo req/s | page ÷ bare (target) | page ÷ echo | echo ÷ bare (overhead) "
             "| conditional GET (304) req/s |", "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for size, backend, r in _runs(results):
        queries = r.get("queries", {})
        for p in r.get("pages", []):
            if "page_rps" not in p:
                error = (p.get("error") or "").strip().splitlines()
                why = f" ({error[-1][:120].replace('|', '/')})" if error else ""
                lines.append(f"| {size} | {backend} | {p['page']} | – | – | status {p.get('status')}{why} | | | | | | | |")
                continue
            cached = p["public"] and not p.get("fresh")
            target = PUBLIC_TARGET if cached else SIGNED_IN_TARGET
            limit_ms = CACHED_P95_MS if cached else AFRESH_P95_MS
            bare = p.get("bare_ratio")
            mark = "" if bare is None else (" ✓" if bare >= target else " ✗")
            late = " ✗" if (p.get("page_p99_ms") or 0) > limit_ms else ""
            big = " ✗" if p["bytes"] > MAX_BYTES else ""
            name = p["page"] + (" (made afresh)" if p.get("fresh") else "")
            lines.append(
                f"| {size} | {backend} | {name} | {p['bytes']:,}{big} | {queries.get(p['page'], '–')} | "
                f"{p['page_rps']:,.0f} | {_f(p.get('page_p50_ms'))} / {_f(p.get('page_p99_ms'))}{late} | "
                f"{_f(p.get('bare_rps'), '{:,.0f}')} | {p['echo_rps']:,.0f} | {_pct(bare)}{mark} (≥ {target:.0%}) | "
                f"{_pct(p['ratio'])} | {_pct(p.get('echo_over_bare'))} | {_f(p.get('conditional_rps'), '{:,.0f}')} |")
    return lines


def concentration_table(results: dict) -> list[str]:
    lines = ["| size | backend | deployments | graph build ms | all metrics, all categories ms | cold total ms "
             "| cold µs per deployment | cached ms | cached ÷ cold | 20-quarter series (one category) ms "
             "| what-if cold / cached ms |", "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for size, backend, r in _runs(results):
        c = r.get("concentration")
        if not c:
            continue
        lines.append(f"| {size} | {backend} | {c['deployments']:,} | {c['build_ms']:,.0f} | {c['metrics_ms']:,.0f} | "
                     f"{c['cold_ms']:,.0f} | {c['cold_us_per_deployment']:.0f} | {c['cached_ms']:.2f} | "
                     f"{_pct(c['cached_over_cold'])} | {c['series_20q_ms']:,.0f} | "
                     f"{c['what_if_cold_ms']:.1f} / {c['what_if_cached_ms']:.3f} |")
    return lines


def memory_table(results: dict) -> list[str]:
    lines = ["| size | backend | worker peak RSS MB | worker RSS after the runs MB |", "|---|---|--:|--:|"]
    for size, backend, r in _runs(results):
        m = r.get("memory")
        if m:
            lines.append(f"| {size} | {backend} | {m['peak_rss_mb']:,.0f} | {m['rss_mb']:,.0f} |")
    return lines


def render(results: dict) -> str:
    m = results.get("machine", {})
    when = results.get("written_at", "")
    parts = [
        START,
        "",
        f"Written {when} on {m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('memory_gib', '?')} GiB; "
        f"{m.get('os', '')}; Python {m.get('python', '')}, SQLite {m.get('sqlite', '')}, "
        f"PostgreSQL {m.get('postgresql', '')}. Load average when the last run began: "
        f"{', '.join(f'{x:.1f}' for x in m.get('load_average', ()))} (other work shared the machine: "
        f"figures are noisy). Each size/backend row carries its own date in bench/results.json.",
        "",
        *([f"**Code changed during the run of {', '.join(changed)}**: those rows may mix two versions of the "
           "code; measure them again.", ""] if (changed := [f"{size}/{backend}" for size, backend, r in
                                                          _runs(results) if r.get("code_changed_during_run")])
          else []),
        *([f"Measured again afterwards (those parts only): {'; '.join(again)}.", ""] if (again := [
            f"{size}/{backend} {', '.join(run['parts'])} at {run['measured_at']}"
            for size, backend, r in _runs(results) for run in r.get("partial_runs", [])]) else []),
        "### Data", "", *data_table(results), "",
        "### Search", "", *search_table(results), "",
        "### Pages (gunicorn, 2 workers; wrk, 2 threads, 8 connections, loopback)", "",
        f"Targets: a cached public page ≥ {PUBLIC_TARGET:.0%} of the bare Flask app serving the same bytes, a "
        f"signed-in page or one made afresh ≥ {SIGNED_IN_TARGET:.0%}; p99 (wrk reports no p95) within "
        f"{CACHED_P95_MS} ms cached and {AFRESH_P95_MS:,} ms made afresh; no page over {MAX_BYTES // 1000} KB. "
        "✗ marks a figure that misses its target.", "", *pages_table(results), "",
        "### Concentration", "", *concentration_table(results), "",
    ]
    s = results.get("scoring")
    if s:
        parts += ["### Competition evaluation (pure scoring module)", "",
                  f"{s['bids']} bids × {s['questions']} questions × {s['evaluators']} evaluators: averaging, "
                  f"consensus and ranking take p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms ({s['n']} runs).", ""]
    parts += ["### Worker memory", "", *memory_table(results), "", END]
    return "\n".join(parts)


def write_doc(results: dict, path: Path) -> None:
    """Replace the results section of the document (or append one)."""
    text = path.read_text() if path.exists() else "# Performance\n\n"
    block = render(results)
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n## Results\n\n" + block + "\n"
    path.write_text(text)
