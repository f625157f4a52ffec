"""OCDS releases of a call-off competition, as a pure function (plain dicts in, dicts out).

One contracting process per competition (ocid "<prefix>-co-<id>"), linked to its framework's
process by a related process of relationship "framework". A release per lifecycle step:

  tender               publication (tender active, tender period to the response deadline)
  tenderUpdate         the response deadline has passed: tenderers and bids (bids extension);
                       never before the deadline, when bids are sealed
  award                intention to award (award pending: the standstill runs)
  awardUpdate          an intention withdrawn (award cancelled), or the award made (active)
  contract             the call-off contract, with its value and period, when awarded
  tenderCancellation   cancelled; tenderUpdate with status "unsuccessful" for "no award"
"""
from __future__ import annotations

from typing import Any

from .releases import amount, as_datetime, org_ref, party, period, release, stamp

#: Bid statuses of the competitions domain → OCDS bidStatus (closed codelist).
BID_STATUS = {"submitted": "pending", "withdrawn": "withdrawn", "invalid": "disqualified"}
EVALUATED = frozenset({"standstill", "standstill_ended", "awarded", "no_award"})


def _tender_core(co: dict, status: str) -> dict:
    lot = co["lot"]
    tender: dict[str, Any] = {
        "id": f"{co['ocid']}-tender",
        "title": co["title"],
        "description": co.get("description") or None,
        "status": status,
        "procurementMethod": "selective",
        "procurementMethodDetails": f"Call-off by mini-competition under {co['framework']['name']}, "
                                    f"Lot {lot['number']}: {lot['name']}",
        "mainProcurementCategory": "services",
        "techniques": {"hasFrameworkAgreement": True},
        "competitive": True,
        "value": amount(co.get("budget_pence")),
        "tenderPeriod": period(co.get("published_at"), co.get("response_deadline")),
        "enquiryPeriod": period(co.get("published_at"), co.get("clarification_deadline"))
        if co.get("clarification_deadline") else None,
        "items": [{"id": f"lot-{lot['number']}", "description": f"Lot {lot['number']}: {lot['name']}"}],
        "procuringEntity": org_ref(co["buyer"]),
    }
    return {k: v for k, v in tender.items() if v is not None}


def _base(co: dict, extra_parties: list[dict] | None = None) -> dict:
    return {
        "parties": [party(co["buyer"], ["buyer", "procuringEntity"])] + (extra_parties or []),
        "buyer": org_ref(co["buyer"]),
        "relatedProcesses": [{
            "id": "framework",
            "relationship": ["framework"],
            "title": co["framework"]["name"],
            "scheme": "ocid",
            "identifier": co["framework"]["ocid"],
        }],
    }


def _bids_block(co: dict, bids: list[dict]) -> dict:
    evaluated = co.get("status") in EVALUATED
    details = []
    for b in bids:
        status = BID_STATUS.get(b["status"], "pending")
        if status == "pending" and evaluated:
            status = "valid"
        details.append({"id": f"bid-{b['id']}", "date": stamp(b["submitted_at"]), "status": status,
                        "tenderers": [org_ref(b)], "value": amount(b.get("price_pence"))})
    valid = sum(1 for b in bids if b["status"] == "submitted")
    return {"statistics": [{"id": "bids", "measure": "bids", "value": valid}], "details": details}


def _award(co: dict, a: dict, status: str) -> dict:
    out = {
        "id": f"award-{a['id']}",
        "title": f"Call-off {co['reference']}",
        "status": status,
        "date": stamp(a["awarded_at"] if status == "active" and a.get("awarded_at") else a["intended_at"]),
        "suppliers": [org_ref(a)],
        "value": amount(a.get("value_pence") if status == "active" else a.get("bid_price_pence")),
        "relatedBid": f"bid-{a['bid_id']}" if a.get("bid_id") else None,
        "contractPeriod": period(a.get("starts_on"), a.get("ends_on")) if status == "active" else None,
    }
    return {k: v for k, v in out.items() if v is not None}


def calloff_releases(co: dict) -> list[dict]:
    """Every release of a published call-off competition, oldest first.

    `co`: ocid, id, reference, title, description, status (as the clock makes it now), buyer
    {ods_code, name}, framework {ocid, name}, lot {number, name}, budget_pence, published_at,
    clarification_deadline, response_deadline, bids (None while sealed, else [{id, ods_code, name,
    status, price_pence, submitted_at}]), awards ([{id, bid_id, ods_code, name, status,
    intended_at, withdrawn_at, awarded_at, value_pence, bid_price_pence, starts_on, ends_on}]),
    ended_at and end_status ("cancelled" / "no_award") when it ended without an award.
    """
    ocid = co["ocid"]
    out = [release(ocid, "tender", co["published_at"], {**_base(co), "tender": _tender_core(co, "active")})]
    bids = co.get("bids")
    if bids is not None and co.get("response_deadline") is not None:
        bidders = {b["ods_code"]: b for b in bids}
        tenderers = [org_ref(bidders[k]) for k in sorted(bidders)]
        out.append(release(ocid, "tenderUpdate", co["response_deadline"], {
            **_base(co, [party(bidders[k], ["tenderer"]) for k in sorted(bidders)]),
            "tender": {"id": f"{ocid}-tender", "tenderers": tenderers, "numberOfTenderers": len(tenderers)},
            "bids": _bids_block(co, bids),
        }))
    first_award = True
    for a in sorted(co.get("awards", []), key=lambda a: as_datetime(a["intended_at"])):
        winner = [party(a, ["supplier", "tenderer"])]
        out.append(release(ocid, "award" if first_award else "awardUpdate", a["intended_at"], {
            **_base(co, winner), "awards": [_award(co, a, "pending")]}))
        first_award = False
        if a["status"] == "withdrawn" and a.get("withdrawn_at"):
            out.append(release(ocid, "awardUpdate", a["withdrawn_at"], {
                **_base(co, winner), "awards": [_award(co, a, "cancelled")]}))
        if a["status"] == "awarded" and a.get("awarded_at"):
            out.append(release(ocid, "awardUpdate", a["awarded_at"], {
                **_base(co, winner), "awards": [_award(co, a, "active")],
                "tender": {"id": f"{ocid}-tender", "status": "complete"}}))
            out.append(release(ocid, "contract", a["awarded_at"], {
                **_base(co, winner),
                "contracts": [{"id": f"contract-{a['id']}", "awardID": f"award-{a['id']}",
                               "title": f"Call-off contract {co['reference']}: {co['title']}",
                               "status": "active", "value": amount(a.get("value_pence")),
                               "period": period(a.get("starts_on"), a.get("ends_on")),
                               "dateSigned": stamp(a["awarded_at"])}],
            }))
    if co.get("end_status") in ("cancelled", "no_award") and co.get("ended_at"):
        cancelled = co["end_status"] == "cancelled"
        out.append(release(ocid, "tenderCancellation" if cancelled else "tenderUpdate", co["ended_at"], {
            **_base(co), "tender": {"id": f"{ocid}-tender", "status": "cancelled" if cancelled else "unsuccessful"}}))
    return out

