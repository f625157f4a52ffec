"""Pages: requests per second under gunicorn (2 workers) driven by wrk from a second process on
loopback, each page beside the very same bytes served two ways:

- by a bare Flask app (bench/bare.py: no hooks, no extensions, no database) under the same
  gunicorn settings — the real limit for a page of that size, which the targets are set against;
- by the trivial endpoint of the app itself (bench/endpoints.py), through every request hook — so
  echo ÷ bare is the app's own per-request overhead.

Each page is saved once (bench/out/pages/<name>.html) so /_bench/echo/<name> serves its bytes on
both; then wrk drives the page, its in-app echo and its bare echo in turn. A page marked `fresh`
is driven on a second app server with the page cache off (made afresh on every request). Pages
that answer an ETag are also driven with a matching If-None-Match (a conditional GET, 304). The
peak RSS of the workers is read from /proc at the end.
"""
from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .endpoints import PAGES
from .measure import ratio

ROOT = Path(__file__).resolve().parent.parent
USER_AGENT = "exemplar-bench"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    public: bool
    cookie: str | None = None
    #: Served with the page cache off: made afresh on every request.
    fresh: bool = False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with 2 workers on the benchmark database, logs to bench/out/gunicorn-<tag>.log."""

    def __init__(self, url: str, tag: str, env: dict[str, str], app: str = "bench.wsgi:app"):
        self.port = free_port()
        self.log = open(ROOT / "bench" / "out" / f"gunicorn-{tag}.log", "w")
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--graceful-timeout", "5", app],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, **env, "BENCH_DATABASE_URL": url})
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if self.get("/_bench/ping")[0] == 204:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see bench/out/gunicorn-{tag}.log")

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request("GET", path, headers={"User-Agent": USER_AGENT, **(headers or {})})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        return r.status, body, {k.lower(): v for k, v in r.getheaders()}

    def error_tail(self, lines: int = 12) -> str:
        """The end of the last traceback in the server's log (why a page answered 500), or ''."""
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace")
        start = text.rfind("Traceback (most recent call last)")
        return "" if start < 0 else "\n".join(text[start:].splitlines()[-lines:])

    def workers(self) -> list[int]:
        pids = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    stat = (d / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    pids.append(int(d.name))
        return pids

    def peak_rss_mb(self) -> dict[str, float]:
        """The workers' peak (VmHWM) and current (VmRSS) resident memory, the largest of each."""
        peak = rss = 0.0
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
            rss = max(rss, int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return {"peak_rss_mb": round(peak, 1), "rss_mb": round(rss, 1)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def wrk(url: str, seconds: int, headers: dict[str, str]) -> dict:
    """Requests/s, p50 latency and non-2xx count of one wrk run (2 threads, 8 connections)."""
    # A slow page's requests are waited for (wrk's default timeout, 2 s, would count them as errors).
    cmd = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}

    def latency(p: int) -> float | None:
        m = re.search(rf"\b{p}%\s+([\d.]+)(us|ms|s)\b", out)
        return round(float(m.group(1)) * scale[m.group(2)], 2) if m else None

    # wrk reports the 50th, 75th, 90th and 99th percentiles; p99 stands in for the targets' p95.
    return {"rps": round(rps, 1), "p50_ms": latency(50), "p90_ms": latency(90), "p99_ms": latency(99),
            "errors": int(bad.group(1)) if bad else 0}


def measure(servers: dict[str, Server], pages: list[Page], seconds: int = 6, rounds: int = 2) -> list[dict]:
    """Each page, its in-app echo and its bare echo, alternately, `rounds` times; the best round of
    each is kept (the least disturbed by other work on the machine). `servers`: "app" (the page
    cache on), "fresh" (off) and "bare" (bench/bare.py)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the page benchmarks: apt-get install wrk")
    PAGES.mkdir(parents=True, exist_ok=True)
    bare = f"http://127.0.0.1:{servers['bare'].port}"
    out = []
    for p in pages:
        server = servers["fresh" if p.fresh else "app"]
        base = f"http://127.0.0.1:{server.port}"
        headers = {"User-Agent": USER_AGENT, **({"Cookie": p.cookie} if p.cookie else {})}
        started = time.perf_counter()
        status, body, resp_headers = server.get(p.path, headers)
        first_ms = round((time.perf_counter() - started) * 1000, 1)
        if status != 200:
            out.append({"page": p.name, "path": p.path, "status": status, "error": server.error_tail()})
            continue
        (PAGES / f"{p.name}.html").write_bytes(body)
        wrk(base + p.path, 1, headers)  # warm both workers
        wrk(f"{base}/_bench/echo/{p.name}", 1, headers)
        wrk(f"{bare}/_bench/echo/{p.name}", 1, headers)
        runs = {"page": [], "echo": [], "bare": [], "conditional": []}
        for _ in range(rounds):
            runs["page"].append(wrk(base + p.path, seconds, headers))
            runs["echo"].append(wrk(f"{base}/_bench/echo/{p.name}", seconds, headers))
            runs["bare"].append(wrk(f"{bare}/_bench/echo/{p.name}", seconds, headers))
            if resp_headers.get("etag") and not p.fresh:
                runs["conditional"].append(wrk(base + p.path, seconds,
                                               {**headers, "If-None-Match": resp_headers["etag"]}))
        best = {k: max(v, key=lambda r: r["rps"]) for k, v in runs.items() if v}
        row = {"page": p.name, "path": p.path, "public": p.public, "fresh": p.fresh, "bytes": len(body),
               "first_request_ms": first_ms, "etag": bool(resp_headers.get("etag")),
               "page_rps": best["page"]["rps"], "page_p50_ms": best["page"]["p50_ms"],
               "page_p90_ms": best["page"]["p90_ms"], "page_p99_ms": best["page"]["p99_ms"],
               "echo_rps": best["echo"]["rps"], "bare_rps": best["bare"]["rps"],
               "errors": sum(r["errors"] for v in runs.values() for r in v),
               "all_rounds": {k: [r["rps"] for r in v] for k, v in runs.items() if v}}
        row["ratio"] = ratio(row["page_rps"], row["echo_rps"])
        row["bare_ratio"] = ratio(row["page_rps"], row["bare_rps"])
        row["echo_over_bare"] = ratio(row["echo_rps"], row["bare_rps"])
        if "conditional" in best:
            row["conditional_rps"] = best["conditional"]["rps"]
            row["conditional_ratio"] = ratio(row["conditional_rps"], row["echo_rps"])
        out.append(row)
        print(f"    {p.name:<26} {row['page_rps']:>8,.0f} req/s vs bare {row['bare_rps']:>8,.0f} "
              f"({row['bare_ratio'] or 0:.0%}), in-app echo {row['echo_rps']:>8,.0f} ({row['ratio'] or 0:.0%}); "
              f"p99 {row['page_p99_ms']} ms; {len(body):,} bytes"
              + (f", 304: {row['conditional_rps']:,.0f}" if "conditional_rps" in row else ""),
              file=sys.stderr, flush=True)
    return out
