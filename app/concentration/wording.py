"""The figures in words, the same on every page, in the CLI and in the API: what a figure is, the
range it could take, how far one trust could move it, what it was computed over and what it rests
on. Pure: figures in, sentences out."""
from __future__ import annotations

from app.web.formatting import hhi

from .metrics import Concentration, Figures


def _n(x: float) -> str:
    return hhi(x)  # HHI in whole points, rounded as on every page


def _trusts(n: int) -> str:
    return f"{n} trust" if n == 1 else f"{n} trusts"


def hhi_sentence(c: Concentration) -> str:
    """'HHI 1,425 by supplier, between 1,401 and 1,475 for the 1 trust not known.'"""
    b = c.bounds
    if b.hhi is None:
        if b.unknown:
            return f"HHI not known: no trust in scope has a known system ({_trusts(b.unknown)} not known)."
        return "HHI not known: no trust in scope has a system."
    text = f"HHI {_n(b.hhi)} by {c.nouns[0]}"
    if b.unknown:
        text += (f", between {_n(b.low)} and {_n(b.high)} whatever the {_trusts(b.unknown)} not known {'runs' if b.unknown == 1 else 'run'} "
                 f"(low: spread evenly over the {c.nouns[1]} known; high: all on the largest)")
    else:
        text += ", every trust in scope known"
    return text + "."


def sensitivity_sentence(c: Concentration) -> str:
    """'One trust switching supplier could move the HHI by up to 55 (up 55, down 52).'"""
    if c.bounds.hhi is None:
        return ""
    s = c.sensitivity
    return (f"One trust switching {c.nouns[0]} could move the HHI by up to {_n(s.largest)} "
            f"(up by at most {_n(s.rise)}, down by at most {_n(s.fall)}).")


def leader_sentence(f: Figures) -> str:
    """'The largest supplier, Oracle Health, runs the system of 32 of the 116 trusts with a known system
    (27.6%).'"""
    top = f.suppliers.largest
    if top is None:
        return ""
    return (f"The largest supplier, {top.label}, runs the system of {top.organisations} of the "
            f"{f.orgs_with_system} trusts with a known system ({top.percent:.1f}%).")


def coverage_sentence(f: Figures) -> str:
    """'133 of 134 acute and specialist trusts known: 116 with a system, 17 known to have none,
    1 not known (99% coverage).'"""
    if not f.orgs_in_scope:
        return f"No {f.scope} are in scope on this date."
    return (f"{f.known} of {f.orgs_in_scope} {f.scope} known: {f.orgs_with_system} with a system, "
            f"{f.orgs_without_system} known to have none, {f.unknown} not known ({f.coverage:.0f}% coverage). "
            f"Market shares count only the trusts with a system.")


def sources_sentence(f: Figures) -> str:
    """'Resting on 133 rows of sources dated 2006-09 to 2026-06: 51 of high confidence, 82 of medium,
    low or no stated confidence; 57 rest on NHS England's 2024 FOI list alone.'"""
    s = f.sources
    if not s.rows:
        return "No source row is counted on this date."
    text = f"Resting on {s.rows} source rows"
    if s.dated:
        text += f" dated {s.dated}"
    text += f": {s.high} of high confidence, {s.weaker} of medium, low or no stated confidence"
    if s.foi_2024_only:
        text += f"; {s.foi_2024_only} rest on NHS England's 2024 FOI list of primary EPR suppliers alone"
    return text + "."
