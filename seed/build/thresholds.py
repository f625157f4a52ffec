"""The default concentration alert rules and the published thresholds they come from.

The rules are chosen by hand (alert_rules_reviewed.csv: which band of which regime, which of its
sources, which metric and severity); everything said about their source is taken from
hhi_thresholds.csv, never typed again: the regime, the published wording, and the kind of source.

Kinds of source: *primary* (the regulator's own page), *secondary* (a law firm's summary) or
*other* (a blog, a copy of a document, a figure from memory). "Verified" means the primary text was
read; the thresholds file says none was, so no rule is verified, and the build refuses a rule that
cites a discussion forum.
"""
from __future__ import annotations

import re

from .common import F_RULES_REVIEWED, F_THRESHOLDS, BuildError, flag, join_urls, urls_in

METRICS = ("hhi", "delta_hhi", "cr1", "supplier_share")
SEVERITIES = ("info", "warning", "high")
#: The competition authorities' own sites.
REGULATOR_HOSTS = ("justice.gov", "ftc.gov", "gov.uk", "europa.eu")
#: Discussion forums: never a source of a rule.
FORUM_HOSTS = ("news.ycombinator.com", "reddit.com", "stackexchange.com", "quora.com")


def _host(url: str) -> str:
    m = re.match(r"https?://([^/]+)", url)
    return (m.group(1) if m else "").lower()


def _on(url: str, hosts: tuple[str, ...]) -> bool:
    host = _host(url)
    return any(host == h or host.endswith("." + h) for h in hosts)


def source_kind(urls: list[str], kind_text: str) -> str:
    """primary when a regulator's own page is cited; secondary for a law firm's summary; else other."""
    if any(_on(u, REGULATOR_HOSTS) for u in urls):
        return "primary"
    if "law firm" in kind_text.lower():
        return "secondary"
    return "other"


def primary_read(kind: str, kind_text: str) -> bool:
    """Verified: only a primary source whose text the compiler says was read."""
    text = kind_text.lower()
    return kind == "primary" and "primary" in text and not re.search(r"not read|unverified|from memory", text)


def build_regimes(threshold_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """hhi_regimes.csv: every published threshold (or the absence of one, as for the UK CMA since
    2021) with its sources and their kind."""
    rows = []
    for t in threshold_rows:
        urls = urls_in(t["source_urls"])
        if not urls:
            raise BuildError(f"{F_THRESHOLDS}: {t['regime']} / {t['band_or_test']} has no source")
        kind = source_kind(urls, t["source_kind"])
        rows.append({"regime": t["regime"], "band_or_test": t["band_or_test"], "published_threshold": t["threshold"],
                     "notes": t["notes"], "source_urls": join_urls(t["source_urls"]), "source_kind": kind,
                     "source_kind_text": t["source_kind"], "verified": flag(primary_read(kind, t["source_kind"]))})
    return rows


def _number(text: str, where: str, *, required: bool) -> str:
    text = text.strip()
    if not text and not required:
        return ""
    try:
        value = float(text)
    except ValueError:
        raise BuildError(f"{where}: {text!r} is not a number") from None
    if value < 0:
        raise BuildError(f"{where}: {text!r} is negative")
    return text


def build_rules(reviewed: list[dict[str, str]], threshold_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """concentration_alert_rules.csv: the reviewed rules with their published wording and source
    kind from hhi_thresholds.csv. Fails on a rule whose regime or band is not in that file, whose
    sources are not that row's, or that cites a forum."""
    published = {(t["regime"], t["band_or_test"]): t for t in threshold_rows}
    rows, slugs = [], set()
    for r in reviewed:
        where = f"{F_RULES_REVIEWED}: {r['slug']}"
        if r["slug"] in slugs:
            raise BuildError(f"{where}: listed twice")
        slugs.add(r["slug"])
        if r["metric"] not in METRICS or r["severity"] not in SEVERITIES:
            raise BuildError(f"{where}: unknown metric or severity")
        t = published.get((r["regime"], r["band_or_test"]))
        if t is None:
            raise BuildError(f"{where}: ({r['regime']!r}, {r['band_or_test']!r}) is not a row of {F_THRESHOLDS}")
        urls = urls_in(r["source_urls"])
        if not urls:
            raise BuildError(f"{where}: no source")
        forums = [u for u in urls if _on(u, FORUM_HOSTS)]
        if forums:
            raise BuildError(f"{where}: a discussion forum is not a source ({forums[0]}): cite the regulator's page")
        extra = set(urls) - set(urls_in(t["source_urls"]))
        if extra:
            raise BuildError(f"{where}: sources not given for this threshold in {F_THRESHOLDS}: {sorted(extra)}")
        kind = source_kind(urls, t["source_kind"])
        rows.append({
            "slug": r["slug"], "name": r["name"], "metric": r["metric"],
            "threshold": _number(r["threshold"], where, required=True),
            "delta_threshold": _number(r["delta_threshold"], where, required=False),
            "severity": r["severity"], "active": flag(r["active"].strip().lower() == "true"),
            "regime": t["regime"], "band_or_test": t["band_or_test"], "published_threshold": t["threshold"],
            "source_urls": " ; ".join(urls), "source_kind": kind, "source_kind_text": t["source_kind"],
            "verified": flag(primary_read(kind, t["source_kind"])), "notes": r["notes"].strip(),
        })
    return sorted(rows, key=lambda x: x["slug"])
