"""The GDE framework, its lots, its exemplars and the sourced fast-follower pairings."""
from __future__ import annotations

import re

from .common import F_GDE, BuildError, join_notes, join_urls, urls_in

# Exemplar categories in the GDE file -> lot number of the gde framework.
GDE_CATEGORY_LOT = {"acute_GDE": 1, "mental_health_GDE": 2, "ambulance_GDE": 3}
EXPECTED_EXEMPLARS = {1: 16, 2: 7, 3: 3}
# Fast-follower rows the source marks as dropped are not current pairings: skipped
# (and reported) because fast_followers.csv has no status column.
INCLUDE_DROPPED_FAST_FOLLOWERS = False

FRAMEWORK = {
    "slug": "gde",
    "name": "Global Digital Exemplar framework",
    "status": "live",
    "description": (
        "NHS England's Global Digital Exemplar (GDE) programme: digitally advanced NHS trusts "
        "funded to become exemplars and to help 'fast follower' trusts adopt what works. "
        "12 acute GDEs were named at the Health and Care Innovation Expo in September 2016; "
        "4 more acute GDEs and 7 mental health GDEs followed on 31 March 2017 (Next Steps on the "
        "NHS Five Year Forward View); 3 ambulance GDEs sharing £5m of central funding were named "
        "in 2017/18; acute fast followers were named in September 2017. Modelled here as a "
        "framework with lots; membership is as announced, with current (2026) ODS codes."
    ),
    "starts_on": "2016-09-01",
    "ends_on": "",
}
LOTS = [
    (1, "Acute", "Acute trust exemplars: the 16 acute GDEs (12 named Sept 2016, 4 named March 2017)."),
    (2, "Mental health", "Mental health trust exemplars: the 7 mental health GDEs named March 2017."),
    (3, "Ambulance", "Ambulance trust exemplars: the 3 ambulance GDEs named 2017/18."),
    (4, "Place-based", "Place-based exemplars (local health and care systems). No sourced membership "
                       "list is held, so this lot has no exemplars in the seed data."),
]


def build_framework(gde_rows):
    """The one framework (GDE) and its four lots; the framework cites the GDE file's first source."""
    first_urls = urls_in(gde_rows[0]["source_urls"]) if gde_rows else []
    if not first_urls:
        raise BuildError(f"{F_GDE}: first row has no source URL")
    framework = dict(FRAMEWORK, source_url=first_urls[0])
    lots = [
        {"framework_slug": FRAMEWORK["slug"], "number": str(n), "name": name, "description": desc}
        for n, name, desc in LOTS
    ]
    return [framework], lots


RE_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")


def split_name_note(name: str) -> tuple[str, str]:
    """'Imperial ... Trust (joint GDE with ...)' -> ('Imperial ... Trust', 'joint GDE with ...')."""
    m = RE_TRAILING_PAREN.search(name)
    if m and not re.search(r"NHS (Foundation )?Trust$", name, re.I):
        return name[: m.start()].strip(), m.group(1).strip()
    return name.strip(), ""



def build_exemplars(gde_rows, org_codes):
    """The 26 GDEs, at their current successor trusts; the counts per lot are checked."""
    exemplars = []
    for g in gde_rows:
        lot = GDE_CATEGORY_LOT.get(g["category"])
        if lot is None:
            continue
        code = g["current_successor_ods_code"]
        if code not in org_codes:
            raise BuildError(f"GDE {g['trust_name_at_announcement']}: successor {code!r} not in organisations")
        name, extra = split_name_note(g["trust_name_at_announcement"])
        exemplars.append({
            "framework_slug": FRAMEWORK["slug"],
            "lot_number": str(lot),
            "ods_code": code,
            "name_at_announcement": name,
            "ods_code_at_announcement": g["ods_code_at_announcement"],
            "wave": g["wave"],
            "announced": g["announced"],
            "source_urls": join_urls(g["source_urls"]),
            "notes": join_notes(extra, g["notes"]),
        })
    for lot, expected in EXPECTED_EXEMPLARS.items():
        found = sum(1 for e in exemplars if e["lot_number"] == str(lot))
        if found != expected:
            raise BuildError(f"lot {lot}: expected {expected} exemplars, found {found}")
    return sorted(exemplars, key=lambda e: (int(e["lot_number"]), e["ods_code"]))


RE_PAIRED_CODE = re.compile(r"\(([A-Z0-9]{3,5})\)\s*$")


def build_fast_followers(gde_rows, org_codes, report):
    """The acute fast-follower pairings that can be attributed honestly; the rest are reported."""
    acute_gde = {
        g["ods_code_at_announcement"]: g["current_successor_ods_code"]
        for g in gde_rows if g["category"] == "acute_GDE"
    }
    rows = []
    for g in gde_rows:
        if g["category"] != "acute_fast_follower":
            continue
        label = f"{g['trust_name_at_announcement']} ({g['ods_code_at_announcement']})"
        if not g["source_urls"].strip():
            report.add("fast_followers", f"skipped {label}: no source URL")
            continue
        m = RE_PAIRED_CODE.search(g["paired_gde"])
        if not m:
            report.add("fast_followers", f"skipped {label}: pairing not confirmed in source "
                                         f"({g['paired_gde']})")
            continue
        exemplar_at_announcement = m.group(1)
        exemplar = acute_gde.get(exemplar_at_announcement)
        if exemplar is None:
            report.add("fast_followers", f"skipped {label}: paired exemplar {exemplar_at_announcement} "
                                         f"is not an acute GDE")
            continue
        follower = g["current_successor_ods_code"]
        if follower not in org_codes:
            report.add("fast_followers", f"skipped {label}: current successor {follower!r} cannot be "
                                         f"resolved to one open trust")
            continue
        if follower == exemplar:
            report.add("fast_followers", f"skipped {label}: follower has since merged into its exemplar "
                                         f"({exemplar_at_announcement} -> {exemplar}); no pairing between "
                                         f"two current organisations")
            continue
        if "DROPPED" in g["notes"].upper() and not INCLUDE_DROPPED_FAST_FOLLOWERS:
            report.add("fast_followers", f"skipped {label}: source says the pairing was dropped "
                                         f"({g['notes']})")
            continue
        name, extra = split_name_note(g["trust_name_at_announcement"])
        rows.append({
            "follower_ods_code": follower,
            "exemplar_ods_code": exemplar,
            "name_at_announcement": name,
            "ods_code_at_announcement": g["ods_code_at_announcement"],
            "announced": g["announced"],
            "source_urls": join_urls(g["source_urls"]),
            "notes": join_notes(extra, f"paired GDE at announcement: {g['paired_gde']}", g["notes"]),
        })
    return sorted(rows, key=lambda f: (f["exemplar_ods_code"], f["follower_ods_code"]))


