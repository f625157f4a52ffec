"""Open Contracting Data Standard (OCDS 1.1) releases, records and packages, as pure functions.

Plain dicts in, plain dicts out: app/api/ocds/data.py loads the facts from the database and
these functions shape them. Nothing here imports Flask or touches the database.

Modelling (see docs/api.md):
  * a framework is one contracting process (ocid "<prefix>-fw-<slug>"): a "tender" release when
    it is established (tender.techniques.hasFrameworkAgreement), then an "award" release when its
    first exemplars are admitted and an "awardUpdate" release each time admissions, suspensions
    or removals change. There is one award per exemplar per lot, its supplier the exemplar: the
    OCDS merge matches awards and suppliers by id, so an exemplar that leaves can be marked
    (award status "cancelled") but would never disappear from a shared award's supplier list;
  * every call-off competition is its own process (ocid "<prefix>-co-<id>") with a related
    process of relationship "framework" pointing at its framework's ocid (see
    app/api/ocds/calloff.py);
  * organisations are identified by their NHS ODS code, scheme "GB-NHS".
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any, Iterable

from .compile import compile_releases

SCHEME = "GB-NHS"
OCDS_VERSION = "1.1"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json",
    # The Cabinet Office's UK extension (notice types, standstill period, termination rationale …) and the
    # metrics extension whose agreedMetrics carry the KPIs and their ratings, as Find a Tender publishes them.
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json",
]
#: Framework membership status → OCDS award status (removed: the exemplar left the framework).
MEMBERSHIP_AWARD_STATUS = {"admitted": "active", "suspended": "active", "removed": "cancelled"}


def framework_ocid(prefix: str, slug: str) -> str:
    return f"{prefix}-fw-{slug}"


def calloff_ocid(prefix: str, competition_id: int | str) -> str:
    return f"{prefix}-co-{competition_id}"


def as_datetime(value: date | datetime) -> datetime:
    """A date as midnight UTC; an aware datetime in UTC."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.combine(value, time(0, 0), tzinfo=timezone.utc)


def stamp(value: date | datetime) -> str:
    """An OCDS date-time: ISO 8601 in UTC, to the second, with a Z."""
    return as_datetime(value).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def party_id(ods_code: str) -> str:
    return f"{SCHEME}-{ods_code}"


def org_ref(org: dict) -> dict:
    return {"id": party_id(org["ods_code"]), "name": org["name"]}


def party(org: dict, roles: Iterable[str]) -> dict:
    return {
        "id": party_id(org["ods_code"]),
        "name": org["name"],
        "identifier": {"scheme": SCHEME, "id": org["ods_code"], "legalName": org.get("official_name") or org["name"]},
        "roles": sorted(set(roles)),
    }


def amount(pence: int | None) -> dict | None:
    if pence is None:
        return None
    return {"amount": pence / 100, "currency": "GBP"}


def period(start: date | datetime | None, end: date | datetime | None) -> dict | None:
    out = {}
    if start is not None:
        out["startDate"] = stamp(start)
    if end is not None:
        out["endDate"] = stamp(end)
    return out or None


def release(ocid: str, tag: str, when: date | datetime, body: dict) -> dict:
    """A release of one process at one moment, with the given tag."""
    when_s = stamp(when)
    compact = when_s.replace("-", "").replace(":", "")
    return {"ocid": ocid, "id": f"{ocid}-{tag}-{compact}", "date": when_s, "tag": [tag],
            "initiationType": "tender", **{k: v for k, v in body.items() if v is not None}}


# ---------------------------------------------------------------------------------------------
# Frameworks

def _framework_tender(fw: dict, status: str, tenderers: list[dict] | None = None) -> dict:
    tender: dict[str, Any] = {
        "id": f"{fw['ocid']}-tender",
        "title": fw["name"],
        "description": fw.get("description") or None,
        "status": status,
        "procurementMethod": "selective",
        "procurementMethodDetails": "Framework agreement: exemplar trusts admitted per lot; call-offs by "
                                    "truncated mini-competition",
        "mainProcurementCategory": "services",
        "techniques": {
            "hasFrameworkAgreement": True,
            "frameworkAgreement": {
                "method": "withReopeningCompetition",
                "minimumParticipants": fw.get("min_invitees"),
                "period": period(fw.get("starts_on"), fw.get("ends_on")),
                "description": f"Call-offs: quality weighting {fw.get('quality_weight_min')}–"
                               f"{fw.get('quality_weight_max')}%, at least {fw.get('min_invitees')} invited "
                               f"exemplars, standstill {fw.get('standstill_days')} working days, contracts of "
                               f"at most {fw.get('max_calloff_months')} months.",
            },
        },
        "items": [{"id": f"lot-{l['number']}", "description": f"Lot {l['number']}: {l['name']}"}
                  for l in fw.get("lots", [])] or None,
        "procuringEntity": org_ref(fw["buyer"]),
        "contractPeriod": period(fw.get("starts_on"), fw.get("ends_on")),
        "documents": [{"id": "source", "documentType": "tenderNotice", "title": "Source",
                       "url": fw["source_url"]}] if fw.get("source_url") else None,
    }
    if tenderers is not None:
        tender["tenderers"] = tenderers
    tender["techniques"]["frameworkAgreement"] = {
        k: v for k, v in tender["techniques"]["frameworkAgreement"].items() if v is not None}
    return {k: v for k, v in tender.items() if v is not None}


def _membership_states(memberships: list[dict], at: datetime) -> list[tuple[dict, str]]:
    """Each membership's public status at a moment (None when it had none yet)."""
    states = []
    for m in memberships:
        status = None
        for when, to_status in sorted(m["steps"], key=lambda s: as_datetime(s[0])):
            if as_datetime(when) <= at:
                status = to_status
        if status in MEMBERSHIP_AWARD_STATUS:
            states.append((m, status))
    return states


def _framework_awards(fw: dict, states: list[tuple[dict, str]]) -> list[dict]:
    awards = []
    for m, status in sorted(states, key=lambda s: (s[0]["lot"], s[0]["ods_code"])):
        lot = next((l for l in fw.get("lots", []) if l["number"] == m["lot"]), {"number": m["lot"], "name": ""})
        award = {
            "id": f"lot-{m['lot']}-{m['ods_code']}",
            "title": f"{m['name']}: Lot {lot['number']} {lot['name']}".strip(),
            "status": MEMBERSHIP_AWARD_STATUS[status],
            "date": stamp(m["admitted_on"]) if m.get("admitted_on") else None,
            "suppliers": [org_ref(m)],
            "items": [{"id": f"lot-{lot['number']}", "description": f"Lot {lot['number']}: {lot['name']}"}],
            "contractPeriod": period(fw.get("starts_on"), fw.get("ends_on")),
            "description": "Suspended: out of search and open competitions until reinstated."
            if status == "suspended" else None,
        }
        awards.append({k: v for k, v in award.items() if v is not None})
    return awards


def framework_releases(fw: dict) -> list[dict]:
    """Every release of a framework, oldest first.

    `fw`: ocid, slug, name, description, status, starts_on, ends_on, created_at, source_url,
    min_invitees, quality_weight_min/max, standstill_days, max_calloff_months, buyer {ods_code,
    name}, lots [{number, name}], memberships [{lot, ods_code, name, admitted_on, steps: [(when,
    status)]}] with only public steps (admitted, suspended, removed).
    """
    ocid = fw["ocid"]
    step_times = sorted({as_datetime(when) for m in fw.get("memberships", []) for when, _ in m["steps"]})
    established = as_datetime(fw["starts_on"]) if fw.get("starts_on") else as_datetime(fw["created_at"])
    if step_times and step_times[0] < established:
        established = step_times[0]
    buyer = fw["buyer"]
    releases = [release(ocid, "tender", established, {
        "parties": [party(buyer, ["buyer", "procuringEntity"])],
        "buyer": org_ref(buyer),
        "tender": _framework_tender(fw, "active"),
    })]
    first = True
    for at in step_times:
        states = _membership_states(fw.get("memberships", []), at)
        if not states:
            continue
        suppliers = [m for m, _ in states]
        parties = [party(buyer, ["buyer", "procuringEntity"])] + [
            party(m, ["supplier", "tenderer"]) for m in _unique_orgs(suppliers)]
        releases.append(release(ocid, "award" if first else "awardUpdate", at, {
            "parties": parties,
            "buyer": org_ref(buyer),
            "tender": {"id": f"{ocid}-tender", "tenderers": [org_ref(m) for m in _unique_orgs(suppliers)]},
            "awards": _framework_awards(fw, states),
        }))
        first = False
    if fw.get("status") == "expired":
        last = parse_stamp(releases[-1]["date"])
        end = max(as_datetime(fw["ends_on"]), last) if fw.get("ends_on") else last
        releases.append(release(ocid, "tenderUpdate", end, {
            "buyer": org_ref(buyer), "tender": {"id": f"{ocid}-tender", "status": "complete"}}))
    return releases


def _unique_orgs(orgs: Iterable[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for o in orgs:
        seen.setdefault(o["ods_code"], o)
    return [seen[k] for k in sorted(seen)]


# ---------------------------------------------------------------------------------------------
# Packages and records

def publisher(name: str, ods_code: str | None = None) -> dict:
    out = {"name": name}
    if ods_code:
        out.update({"scheme": SCHEME, "uid": ods_code})
    return out


def _package(key: str, items: list[dict], uri: str, published: datetime, publisher_: dict) -> dict:
    """The package metadata OCDS asks of release and record packages alike, around `items`."""
    return {"uri": uri, "version": OCDS_VERSION, "extensions": list(EXTENSIONS),
            "publishedDate": stamp(published), "publisher": publisher_, key: items}


def release_package(releases: list[dict], *, uri: str, published: datetime, publisher_: dict) -> dict:
    return _package("releases", releases, uri, published, publisher_)


def record(releases: list[dict]) -> dict:
    """A record: every release of one process, oldest first, and its compiled release."""
    ordered = sorted(releases, key=lambda r: r["date"])  # stable: same-moment releases keep their order
    return {"ocid": ordered[0]["ocid"], "releases": ordered, "compiledRelease": compile_releases(ordered)}


def record_package(records: list[dict], *, uri: str, published: datetime, publisher_: dict) -> dict:
    return _package("records", records, uri, published, publisher_)
