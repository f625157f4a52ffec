"""Reading organisation and deployment files for import, as pure functions.

Rows in, typed rows and errors out: nothing here touches Flask or the database. The import service
(app/api/imports.py) loads what the register already holds as plain values, asks `plan_*` what
would change, shows the plan (a dry run) or applies it. Every bad row is reported with its line
number and the reason, so a whole file can be fixed in one go; a file with any bad row is never
applied.

Two formats:
  * organisations: an NHS ODS "etr.csv" extract (NHS trusts), 27 columns, normally without a
    header; a copy with the header row added is accepted as well;
  * deployments: CSV with the header ods_code, system, status, since, until, source, confidence.
Files may come with a byte-order mark, Windows line endings, or in Latin-1/Windows-1252 (reading
the text: app/registry/csvtext.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

from .csvtext import date_field, decode, ods_date, parse_date, records, sentence, short  # noqa: F401 (decode, parse_date: part of this module's interface)
from .vocab import CONFIDENCE, DEPLOYMENT_STATUSES

#: The 27 columns of the ODS etr.csv standard extract, in order.
ETR_COLUMNS: tuple[str, ...] = (
    "org_code", "name", "national_grouping", "high_level_health_geography", "address_line_1",
    "address_line_2", "address_line_3", "address_line_4", "address_line_5", "postcode", "open_date",
    "close_date", "null_13", "null_14", "null_15", "null_16", "null_17", "contact_telephone", "null_19",
    "null_20", "null_21", "amended_record_indicator", "null_23", "gor_code", "null_25", "null_26", "null_27",
)

DEPLOYMENT_COLUMNS: tuple[str, ...] = ("ods_code", "system", "status", "since", "until", "source", "confidence")

ODS_CODE = re.compile(r"^[A-Z0-9]{3,6}$")
MAX_ERRORS = 1000


@dataclass(frozen=True)
class RowError:
    """A bad row: its line number in the file (1 = first line) and why it is bad."""

    line: int
    message: str
    ods_code: str = ""


@dataclass(frozen=True)
class OrgRow:
    line: int
    ods_code: str
    name: str
    region_code: str
    icb_code: str
    town: str | None
    postcode: str | None
    opened_on: date
    closed_on: date | None


@dataclass(frozen=True)
class DeploymentRow:
    line: int
    ods_code: str
    system: str
    status: str
    since: date | None
    until: date | None
    source_url: str | None
    source_text: str | None
    confidence: str


@dataclass(frozen=True)
class Skipped:
    line: int
    ods_code: str
    reason: str


@dataclass
class Parsed:
    """What a file held: good rows, bad rows, and rows deliberately left out."""

    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    """One row of the plan: what the import would do to one register entry."""

    line: int
    action: str  # "create", "update", "unchanged" or "skip"
    key: str
    label: str
    changes: tuple[tuple[str, object, object], ...] = ()  # (field, before, after)
    values: Mapping[str, object] | None = None


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def stopped_early(self) -> bool:
        """Whether reading stopped at MAX_ERRORS bad rows: the file has at least that many."""
        return len(self.errors) >= MAX_ERRORS

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("create", "update", "unchanged", "skip")}


# --------------------------------------------------------------------------------------------
# Organisations (ODS etr.csv)

def parse_etr(text: str) -> Parsed:
    """Read an ODS etr.csv extract into organisation rows.

    Welsh and other non-English trusts (region not an NHS England Y-code) are skipped, not
    errors: the register covers England. A second row with the same ODS code is an error.
    """
    out = Parsed()
    seen: dict[str, int] = {}
    for n, (line, cells) in enumerate(records(text)):
        if len(out.errors) >= MAX_ERRORS:
            break  # stop reading: a file this bad is listed no further (bad rows used to skip this check)
        if cells and cells[0] == "\x00csv-error":
            out.errors.append(RowError(line, f"The row cannot be read as CSV: {cells[1]}."))
            continue
        if n == 0 and cells[0].strip().lower() in ("org_code", "organisation code", "ods_code"):
            continue  # a header row someone added
        if len(cells) != len(ETR_COLUMNS):
            out.errors.append(RowError(line, f"Expected {len(ETR_COLUMNS)} columns (ODS etr.csv format), "
                                             f"found {len(cells)}.", cells[0][:10] if cells else ""))
            continue
        row = dict(zip(ETR_COLUMNS, cells))
        code = row["org_code"].upper()
        problems = []
        if not ODS_CODE.match(code):
            problems.append(f"‘{short(row['org_code'])}’ is not an ODS code (3 to 6 letters and digits)")
        name = " ".join(row["name"].split())
        if not name:
            problems.append("the name is empty")
        elif len(name) > 200:
            problems.append("the name is longer than 200 characters")
        opened = closed = None
        try:
            opened = ods_date(row["open_date"])
        except ValueError:
            problems.append(f"open date ‘{short(row['open_date'])}’ is not a date (YYYYMMDD)")
        if row["close_date"]:
            try:
                closed = ods_date(row["close_date"])
            except ValueError:
                problems.append(f"close date ‘{short(row['close_date'])}’ is not a date (YYYYMMDD)")
        if opened and closed and closed < opened:
            problems.append("the close date is before the open date")
        region, icb = row["national_grouping"].upper(), row["high_level_health_geography"].upper()
        if not problems and code in seen:
            problems.append(f"ODS code {code} is also on line {seen[code]}")
        if problems:
            out.errors.append(RowError(line, sentence(problems), code if ODS_CODE.match(code) else ""))
            continue
        seen[code] = line
        if not re.fullmatch(r"Y\d{2}", region):
            out.skipped.append(Skipped(line, code, f"not an English trust (region {region or 'blank'})"))
            continue
        out.rows.append(OrgRow(
            line=line, ods_code=code, name=name.upper(), region_code=region, icb_code=icb,
            town=row["address_line_4"].upper()[:100] or None,
            postcode=row["postcode"].upper()[:10] or None, opened_on=opened, closed_on=closed,
        ))
    return out


ORG_FIELDS = ("name", "region", "icb", "town", "postcode", "opened_on", "closed_on")


def plan_organisations(rows: Iterable[OrgRow], existing: Mapping[str, Mapping[str, object]],
                       regions: set[str], icbs: Mapping[str, str]) -> Plan:
    """What importing these rows would change.

    `existing`: ODS code → {"kind", and the ORG_FIELDS with region/icb as ODS codes}.
    `regions`: the region ODS codes in the register. `icbs`: ICB ODS code → its region's code.
    A closed trust that is not in the register is skipped; a closed one that is gets its close
    date. An unknown region or ICB is an error: the register never invents organisations.
    """
    plan = Plan()
    for r in rows:
        current = existing.get(r.ods_code)
        if current is not None and current.get("kind") != "trust":
            plan.errors.append(RowError(r.line, f"{r.ods_code} is in the register as a {current.get('kind')}, "
                                                "not a trust.", r.ods_code))
            continue
        if current is None and r.closed_on is not None:
            plan.changes.append(Change(r.line, "skip", r.ods_code, f"{r.ods_code} {r.name}",
                                       values={"reason": f"closed on {r.closed_on.isoformat()}, not in the register"}))
            continue
        problems = []
        if r.region_code not in regions:
            problems.append(f"region {r.region_code} is not in the register")
        if r.icb_code not in icbs:
            problems.append(f"ICB {r.icb_code or '(blank)'} is not in the register")
        elif r.region_code in regions and icbs[r.icb_code] != r.region_code:
            problems.append(f"ICB {r.icb_code} belongs to region {icbs[r.icb_code]}, not {r.region_code}")
        if problems:
            plan.errors.append(RowError(r.line, sentence(problems), r.ods_code))
            continue
        values = {"name": r.name, "region": r.region_code, "icb": r.icb_code, "town": r.town,
                  "postcode": r.postcode, "opened_on": r.opened_on, "closed_on": r.closed_on}
        if current is None:
            plan.changes.append(Change(r.line, "create", r.ods_code, f"{r.ods_code} {r.name}", values=values))
            continue
        diffs = tuple((f, current.get(f), values[f]) for f in ORG_FIELDS if current.get(f) != values[f])
        plan.changes.append(Change(r.line, "update" if diffs else "unchanged", r.ods_code, f"{r.ods_code} {r.name}",
                                   diffs, values))
    return plan


# --------------------------------------------------------------------------------------------
# Deployments

def parse_deployments(text: str) -> Parsed:
    """Read a deployments CSV (header: ods_code, system, status, since, until, source, confidence).

    The header may be left out, in which case the columns are taken in that order. A blank
    confidence means "not rated". A source that is a web address is kept as the source link,
    anything else as the source text; a row with no source is bad (only sourced facts).
    """
    out = Parsed()
    columns = DEPLOYMENT_COLUMNS
    seen: dict[tuple, int] = {}
    for n, (line, cells) in enumerate(records(text)):
        if len(out.errors) >= MAX_ERRORS:
            break  # stop reading: a file this bad is listed no further (bad rows used to skip this check)
        if cells and cells[0] == "\x00csv-error":
            out.errors.append(RowError(line, f"The row cannot be read as CSV: {cells[1]}."))
            continue
        if n == 0 and cells[0].lower().lstrip("\ufeff") == "ods_code":
            names = tuple(c.lower() for c in cells)
            bits = [f"{label} column(s): {', '.join(short(c, 30) for c in cols)}" for label, cols in (
                ("missing", [c for c in DEPLOYMENT_COLUMNS if c not in names]),
                ("unknown", [c for c in names if c not in DEPLOYMENT_COLUMNS])) if cols]
            if bits:
                out.errors.append(RowError(line, "The header is wrong: " + "; ".join(bits) + "."))
                return out
            columns = names
            continue
        if len(cells) != len(columns):
            out.errors.append(RowError(line, f"Expected {len(columns)} columns, found {len(cells)}.",
                                       cells[0][:10].upper() if cells else ""))
            continue
        row = dict(zip(columns, cells))
        code = row["ods_code"].upper()
        problems = []
        if not ODS_CODE.match(code):
            problems.append(f"‘{short(row['ods_code'])}’ is not an ODS code")
        system = " ".join(row["system"].split())
        if not system:
            problems.append("the system is empty")
        status = row["status"].lower()
        if status not in DEPLOYMENT_STATUSES:
            problems.append(f"status ‘{short(row['status'])}’ is not one of {', '.join(DEPLOYMENT_STATUSES)}")
        since, until = (date_field(row, name, problems) for name in ("since", "until"))
        if since and until and until < since:
            problems.append("until is before since")
        if status == "live" and until is not None:
            problems.append("a live deployment has no until date")
        confidence = row["confidence"].lower() or "unrated"
        if confidence not in CONFIDENCE:
            problems.append(f"confidence ‘{short(row['confidence'])}’ is not one of {', '.join(CONFIDENCE)}")
        source = row["source"]
        if not source:
            problems.append("the source is empty (record only sourced facts)")
        elif len(source) > 2000:
            problems.append("the source is longer than 2,000 characters")
        key = (code, system.lower(), since)
        if not problems and key in seen:
            problems.append(f"the same trust, system and since date are also on line {seen[key]}")
        if problems:
            out.errors.append(RowError(line, sentence(problems), code if ODS_CODE.match(code) else ""))
            continue
        seen[key] = line
        is_url = source.lower().startswith(("http://", "https://"))
        out.rows.append(DeploymentRow(
            line=line, ods_code=code, system=system, status=status, since=since, until=until,
            source_url=source if is_url else None, source_text=None if is_url else source[:300],
            confidence=confidence,
        ))
    return out


DEPLOYMENT_FIELDS = ("status", "until", "confidence", "source_url", "source_text")


def plan_deployments(rows: Iterable[DeploymentRow], orgs: Mapping[str, str], systems: Mapping[str, str],
                     existing: Mapping[tuple[str, str], list[Mapping[str, object]]]) -> Plan:
    """What importing these deployment rows would change.

    `orgs`: ODS code → kind. `systems`: lower-case slug or name → slug. `existing`: (ODS code,
    system slug) → that pair's deployments as dicts with "id", "since" and the DEPLOYMENT_FIELDS.
    A row matches an existing deployment of the same trust and system with the same since date
    (or, when the row gives none, the only one not ended). A match with the same values is
    unchanged, so a file imported twice changes nothing the second time.
    """
    plan = Plan()
    for r in rows:
        problems = []
        kind = orgs.get(r.ods_code)
        if kind is None:
            problems.append(f"no organisation has ODS code {r.ods_code}")
        elif kind != "trust":
            problems.append(f"{r.ods_code} is a {kind}: deployments are recorded for NHS trusts")
        slug = systems.get(r.system.lower())
        if slug is None:
            problems.append(f"no system is called ‘{short(r.system)}’")
        if problems:
            plan.errors.append(RowError(r.line, sentence(problems), r.ods_code))
            continue
        values = {"ods_code": r.ods_code, "system": slug, "status": r.status, "since": r.since,
                  "until": r.until, "source_url": r.source_url, "source_text": r.source_text,
                  "confidence": r.confidence}
        label = f"{r.ods_code} {slug}"
        candidates = list(existing.get((r.ods_code, slug), []))
        if r.since is not None:
            match = [d for d in candidates if d.get("since") == r.since]
        else:
            match = [d for d in candidates if d.get("since") is None] or \
                    [d for d in candidates if d.get("status") != "ended"]
        if len(match) != 1:
            if len(match) > 1:
                plan.errors.append(RowError(r.line, f"{label}: {len(match)} deployments match this row; "
                                                    "give the since date to say which.", r.ods_code))
                continue
            plan.changes.append(Change(r.line, "create", label, label, values=values))
            continue
        current = match[0]
        diffs = tuple((f, current.get(f), values[f]) for f in DEPLOYMENT_FIELDS
                      if values[f] is not None and current.get(f) != values[f])
        # An ended deployment stays ended: reopening is a new deployment, not an edit.
        if current.get("status") == "ended" and r.status != "ended":
            plan.errors.append(RowError(r.line, f"{label} has ended in the register; a new use of the system "
                                                "needs its own since date.", r.ods_code))
            continue
        plan.changes.append(Change(r.line, "update" if diffs else "unchanged", label, label, diffs,
                                   dict(values, id=current.get("id"))))
    return plan
