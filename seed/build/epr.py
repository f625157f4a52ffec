"""Deployments and "known to have no EPR" findings from the 2026 EPR map.

The map's reviewed `status_code` decides what a row becomes:

    live       → a live deployment (since: the go-live the text states, else the date the source
                 shows it live by)
    contracted → a planned deployment: the pipeline, with the planned go-live if the text gives one;
                 never counted as live
    replaced   → an ended deployment: history, with the date it ended when the source gives one
    none       → a finding that the trust had no EPR: known, not unknown (coverage counts it,
                 market shares do not)

Rows recorded at a trust that has since closed are attributed to a reviewed successor as history
(ended when the predecessor closed); without one they are reported and left out. Every rule used is
written into the row's notes.
"""
from __future__ import annotations

import re

from . import dates
from .catalogue import CARE_SETTINGS, NOT_STATED, Catalogue
from .common import (
    F_EPR_MAP,
    F_ETR_2026,
    F_GDE,
    F_MAPPING,
    F_SUCCESSORS,
    F_SUPPLIER_MAPPING,
    BuildError,
    Report,
    flag,
    iso_from_yyyymmdd,
    join_notes,
    join_urls,
    urls_in,
)

DEPLOYMENT_STATUSES = ("planned", "live", "retiring", "ended")
STATUS_CODES = {"live": "live", "contracted": "planned", "replaced": "ended", "none": None}
#: The product text of rows that come from the FOI list alone, which names suppliers, not products.
NOT_STATED_TEXT = "not stated (FOI lists supplier only)"
#: NHS England's FOI list of each trust's primary EPR supplier (January to October 2024).
FOI_URL_MARK = "secondary_trusts_primary_epr_suppliers_20240101.xlsx"
FOI_DATE = "2024-01-01"
_FOI_SAYS_SO = re.compile(r"(?<!no EPR )(?:per NHSE FOI 2024|EPR dataset via FOI\))", re.I)
_SAYS_IN_USE = re.compile(r"(?<!-)\blive\b|\bin use\b|\bwas primary EPR\b", re.I)
_NOT_IN_ETR = "[not in etr.csv"


def load_successors(successor_rows, etr_2026_rows, org_codes, gde_rows):
    """Closed trust → its reviewed successor, checked against the ODS close dates and the GDE file."""
    etr = {r["org_code"]: r for r in etr_2026_rows}
    gde_successor = {}
    for g in gde_rows:
        if re.fullmatch(r"[A-Z0-9]{3,5}", g["current_successor_ods_code"]):
            gde_successor[g["ods_code_at_announcement"]] = g["current_successor_ods_code"]
    successors: dict[str, str] = {}
    for s in successor_rows:
        old, new = s["predecessor_ods_code"].strip(), s["successor_ods_code"].strip()
        if old not in etr or not etr[old]["close_date"]:
            raise BuildError(f"{F_SUCCESSORS}: {old} is not a closed trust in {F_ETR_2026}")
        if new not in org_codes:
            raise BuildError(f"{F_SUCCESSORS}: successor {new} is not an open English trust")
        if old in gde_successor and gde_successor[old] != new:
            raise BuildError(f"{F_SUCCESSORS}: {old}->{new} disagrees with {F_GDE} ({gde_successor[old]})")
        if not s["evidence"].strip():
            raise BuildError(f"{F_SUCCESSORS}: {old} has no evidence")
        successors[old] = new
    return successors, etr


def foi_only(source_urls: str) -> bool:
    """True when the row's only source is the 2024 FOI list."""
    urls = urls_in(source_urls)
    return bool(urls) and all(FOI_URL_MARK in u for u in urls)


def _started(text: str, status_as_of: str, notes: list[str], *, was_live: bool) -> str:
    """When the system is known to be in use from: a stated go-live, else the FOI list's date when
    the text says the list records it, else the source's date if the text says it is (was) live."""
    found = dates.go_live(text)
    if found:
        notes.append(f"since = go-live stated in source ('{found[1]}')")
        return found[0]
    if _FOI_SAYS_SO.search(text):
        notes.append("since = the 2024 FOI list's date (live by then; go-live date not in source)")
        return FOI_DATE
    if was_live or _SAYS_IN_USE.search(dates.without_replacement(text)):
        day = dates.as_of(status_as_of)
        if day:
            notes.append("since = status_as_of (live by then; go-live date not in source)")
            return day
    notes.append("not known to have gone live: counted at no date")
    return ""


class _Builder:
    """One pass over the map; holds what the checks across rows need."""

    def __init__(self, catalogue: Catalogue, supplier_map, product_map, successors, etr, orgs_by_code,
                 report: Report):
        self.catalogue, self.supplier_map, self.product_map = catalogue, supplier_map, product_map
        self.successors, self.etr, self.orgs, self.report = successors, etr, orgs_by_code, report
        self.deployments: list[dict[str, str]] = []
        self.absences: list[dict[str, str]] = []

    def trust(self, r: dict[str, str], where: str) -> tuple[str, str, list[str]] | None:
        """(current ODS code, the predecessor's close date or "", notes), or None to leave the row out."""
        ods = r["ods_code"]
        if r["etr_close_date"].strip():
            if ods not in self.successors:
                self.report.add("deployments", f"left out {where}: trust closed {r['etr_close_date']} and no "
                                               f"reviewed successor in {F_SUCCESSORS}")
                return None
            closed = iso_from_yyyymmdd(self.etr[ods]["close_date"])
            successor = self.successors[ods]
            note = (f"recorded at predecessor {ods} {self.etr[ods]['name']} (closed {closed}); attributed to "
                    f"successor {successor} as history")
            return successor, closed, [note]
        if ods not in self.orgs:
            if _NOT_IN_ETR in r["current_name_etr_2026"]:
                self.report.add("deployments", f"left out {where}: the trust is not in the ODS extract")
                return None
            raise BuildError(f"{where}: {ods} is not an open English trust in organisations")
        return ods, "", []

    def add(self, r: dict[str, str], line_no: int) -> None:
        where = f"{F_EPR_MAP} line {line_no} ({r['ods_code']} {r['supplier']} / {r['product']})"
        code = r["status_code"].strip()
        if code not in STATUS_CODES:
            raise BuildError(f"{where}: unknown status_code {code!r}")
        if r["care_setting"] not in CARE_SETTINGS:
            raise BuildError(f"{where}: unknown care_setting {r['care_setting']!r}")
        category, org_type = CARE_SETTINGS[r["care_setting"]]
        resolved = self.trust(r, where)
        if resolved is None:
            return
        ods, closed_on, notes = resolved
        if self.orgs[ods]["org_type"] != org_type:
            raise BuildError(f"{where}: care_setting {r['care_setting']!r} disagrees with {ods}'s type "
                             f"{self.orgs[ods]['org_type']!r} in organisations")
        supplier = self.supplier_map[r["supplier"]]
        common = {
            "ods_code": ods, "source_supplier_text": r["supplier"], "source_product_text": r["product"],
            "source_status_text": r["status"].strip(), "status_as_of": r["status_as_of"],
            "source_url": join_urls(r["source_urls"]), "confidence": r["confidence"],
            "foi_2024_only": flag(foi_only(r["source_urls"])),
        }
        if code == "none":
            if supplier is not None:
                raise BuildError(f"{where}: status_code none but the row names a supplier")
            known_from = dates.as_of(r["status_as_of"])
            if not known_from or closed_on:
                raise BuildError(f"{where}: a 'none' finding needs an open trust and a dated source")
            self.absences.append(dict(common, category=category, known_from=known_from, until="",
                                      notes="status_code none: known to have no EPR as of the source's date"))
            return
        if supplier is None:
            self.report.add("deployments", f"left out {where}: the source names no supplier ({code})")
            return
        if r["product"] == NOT_STATED_TEXT:
            targets = [(NOT_STATED, None)]
        else:
            targets = self.product_map[(r["supplier"], r["product"])]["targets"]
        if not targets:
            self.report.add("deployments", f"left out {where}: {self.product_map[(r['supplier'], r['product'])]['note']}")
            return
        status = STATUS_CODES[code]
        text = r["status"].strip()
        since = until = expected = ""
        if status == "planned":
            found = dates.planned(text)
            expected = found[0] if found else ""
            notes.append(f"pipeline: planned go-live read from '{found[1]}'" if found
                         else "pipeline: no planned go-live date in source")
        else:
            since = _started(text, r["status_as_of"], notes, was_live=status == "live")
        if closed_on:
            status, until = "ended", closed_on
            notes.append("until = the predecessor's close date")
        elif status == "ended":
            found = dates.replaced_on(text)
            if found:
                until = found[0]
                notes.append(f"until = replacement stated in source ('{found[1]}')")
        historical = "historical" in r["confidence"].lower() or bool(closed_on)
        for product, forced in targets:
            slug = self.catalogue.system_for(product, forced or category, supplier)
            self.deployments.append(dict(
                common, system_slug=slug, status=status, since=since, until=until, expected_on=expected,
                source_status_code=code, historical=flag(historical),
                notes=join_notes(f"status_code {code} → {status}", *notes)))

    def finish(self) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """Cross-row rules and checks: end dates of replaced rows and of 'none' findings from the
        go-live that followed; no duplicate, no end before its start, no 'none' while live."""
        category_of = {s: row["category"] for s, row in self.catalogue.systems.items()}
        live_since: dict[tuple[str, str], list[str]] = {}
        for d in self.deployments:
            if d["status"] == "live" and d["historical"] == "false":
                live_since.setdefault((d["ods_code"], category_of[d["system_slug"]]), []).append(d["since"])
        for d in self.deployments:
            if d["status"] == "ended" and d["since"] and not d["until"]:
                later = sorted(s for s in live_since.get((d["ods_code"], category_of[d["system_slug"]]), [])
                               if s and s > d["since"])
                if later:
                    d["until"] = later[0]
                    d["notes"] += "; until = the go-live (or live-by date) of the trust's current system"
                else:
                    self.report.add("deployments", f"{d['ods_code']} {d['system_slug']}: replaced, end date unknown")
            if d["since"] and d["until"] and d["until"] < d["since"]:
                raise BuildError(f"{d['ods_code']} {d['system_slug']}: ends {d['until']} before it starts {d['since']}")
        for a in self.absences:
            starts = sorted(s for s in live_since.get((a["ods_code"], a["category"]), []) if s)
            if any(s <= a["known_from"] for s in starts):
                raise BuildError(f"{a['ods_code']}: known to have no {a['category']} on {a['known_from']} "
                                 f"but live before then")
            if starts:
                a["until"] = starts[0]
                a["notes"] += "; until = the go-live of the system the trust has since"
        keys = [(d["ods_code"], d["system_slug"], d["status"], d["since"]) for d in self.deployments]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise BuildError(f"more than one deployment for (ods_code, system_slug, status, since): {dupes}")
        for (ods, category), starts in sorted(live_since.items()):
            if len(starts) > 1:
                self.report.add("deployments", f"{ods} has {len(starts)} live {category} systems: each counts "
                                               f"1/{len(starts)} of the trust")
        return (sorted(self.deployments, key=lambda d: (d["ods_code"], d["system_slug"], d["status"], d["since"])),
                sorted(self.absences, key=lambda a: (a["ods_code"], a["category"], a["known_from"])))


def build_epr(epr_rows, catalogue: Catalogue, supplier_map, product_map, successors, etr, orgs_by_code,
              report: Report):
    """deployments.csv and no_system.csv rows from the EPR map. Fails, writing nothing, when the
    map names a supplier or a stated product the reviewed tables lack."""
    missing_suppliers = sorted({r["supplier"] for r in epr_rows} - set(supplier_map))
    if missing_suppliers:
        raise BuildError(f"{F_SUPPLIER_MAPPING} lacks supplier(s) found in {F_EPR_MAP}: {missing_suppliers}")
    stated = {(r["supplier"], r["product"]) for r in epr_rows
              if r["product"] != NOT_STATED_TEXT and supplier_map[r["supplier"]] is not None}
    missing = sorted(stated - set(product_map))
    if missing:
        lines = "\n  ".join(f"{s!r}, {p!r}" for s, p in missing)
        raise BuildError(f"{F_MAPPING} lacks {len(missing)} (supplier, product) pair(s) found in {F_EPR_MAP}:\n  {lines}")
    for key in sorted(set(product_map) - stated):
        report.add("mapping", f"row {key} is not used by {F_EPR_MAP} (stale?)")
    builder = _Builder(catalogue, supplier_map, product_map, successors, etr, orgs_by_code, report)
    for line_no, r in enumerate(epr_rows, start=2):
        builder.add(r, line_no)
    return builder.finish()
