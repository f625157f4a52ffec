"""OCDS releases of a call-off competition, as a pure function (plain dicts in, dicts out).

One contracting process per competition (ocid "<prefix>-co-<id>"), linked to its framework's
process by a related process of relationship "framework". A release per lifecycle step:

  tender               publication (tender active, tender period to the response deadline)
  tenderUpdate         the response deadline has passed: tenderers and bids (bids extension);
                       never before the deadline, when bids are sealed
  award                intention to award (award pending: the standstill runs)
  awardUpdate          an intention withdrawn (award cancelled), or the award made (active)
  contract             the call-off contract, with its value and period, when awarded
  tenderCancellation   cancelled; tenderUpdate with status "unsuccessful" for "no suitable bid";
                       each with the reason in a "cancellationDetails" document

and one release per published Procurement Act notice (UK extension: `Document.noticeType`), in
the section Find a Tender puts it:

  UK6  awardUpdate           awards[].documents (awardNotice) and the standstillPeriod
  UK7  contractUpdate        contracts[].documents (contractNotice), the KPIs as agreedMetrics
                             (or noAgreedMetricsRationale), value and period
  UK9  implementationUpdate  contracts[].implementation.documents (implementationNotice), the
                             ratings as agreedMetrics observations with a measureClassification
  UK10 contractAmendment     contracts[].amendments and documents (contractNotice)
  UK11 contractTermination   contracts[] terminated, terminationRationaleClassifications and
                             documents (contractTerminationNotice)
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .releases import amount, as_datetime, org_ref, party, period, release, stamp

#: Find a Tender's document type for each notice.
NOTICE_DOCUMENT_TYPE = {"UK6": "awardNotice", "UK7": "contractNotice", "UK9": "implementationNotice",
                        "UK10": "contractNotice", "UK11": "contractTerminationNotice"}
NOTICE_TAG = {"UK6": "awardUpdate", "UK7": "contractUpdate", "UK9": "implementationUpdate",
              "UK10": "contractAmendment", "UK11": "contractTermination"}
#: The contract performance notice's ratings as the UK extension's measure classification.
MEASURE = {"good": ("met", "Good"), "approaching": ("slightlyBelow", "Approaching target"),
           "requires_improvement": ("below", "Requires improvement"),
           "inadequate": ("significantlyBelow", "Inadequate")}

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
        "description": a.get("reason") or None,
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
        outcome = {"id": "outcome", "documentType": "cancellationDetails", "language": "en",
                   "title": "Outcome: cancelled" if cancelled else "Outcome: no suitable bid",
                   "description": co.get("end_reason") or None, "url": co.get("outcome_url"),
                   "datePublished": stamp(co["ended_at"])}
        out.append(release(ocid, "tenderCancellation" if cancelled else "tenderUpdate", co["ended_at"], {
            **_base(co), "tender": {"id": f"{ocid}-tender", "status": "cancelled" if cancelled else "unsuccessful",
                                    "documents": [{k: v for k, v in outcome.items() if v is not None}]}}))
    for n in sorted(co.get("notices", []), key=lambda n: as_datetime(n["published_at"])):
        out.append(release(ocid, NOTICE_TAG[n["kind"]], n["published_at"], {**_base(co), **_notice_body(n)}))
    return out


def _document(n: dict) -> dict:
    return {"id": f"notice-{n['id']}", "documentType": NOTICE_DOCUMENT_TYPE[n["kind"]], "noticeType": n["kind"],
            "title": n["title"], "url": n["url"], "datePublished": stamp(n["published_at"]), "format": "text/html",
            "language": "en"}


def _period(start, end) -> dict | None:
    """A period from a notice's data, whose dates are ISO strings."""
    def value(v):
        if not isinstance(v, str):
            return v
        return datetime.fromisoformat(v) if "T" in v else date.fromisoformat(v)

    return period(value(start), value(end))


def _kpi_id(position) -> str:
    return f"kpi-{position}"


def _notice_body(n: dict) -> dict:
    """The part of a release one published notice adds (see the module docstring)."""
    d, doc = n["data"], _document(n)
    award_id, contract_id = f"award-{n['award_id']}", f"contract-{n['award_id']}"
    if n["kind"] == "UK6":
        award = {"id": award_id, "status": "pending", "documents": [doc],
                 "standstillPeriod": _period(d.get("standstill_starts"), d.get("standstill_ends")),
                 "description": d.get("reason") or None}
        return {"awards": [{k: v for k, v in award.items() if v is not None}]}
    contract: dict[str, Any] = {"id": contract_id, "awardID": award_id}
    if n["kind"] == "UK7":
        contract.update(status="active", value=amount(d.get("value_pence")), documents=[doc],
                        period=_period(d.get("starts_on"), d.get("ends_on")))
        doc["description"] = ("Awarded by competitive selection under the framework (Procurement Act 2023 s46). "
                              + (f"Conflicts assessment confirmed on {d['conflicts_confirmed_on'][:10]}."
                                 if d.get("conflicts_confirmed_on") else ""))
        if d.get("kpis"):
            contract["agreedMetrics"] = [{"id": _kpi_id(i), "title": name} for i, name in enumerate(d["kpis"], 1)]
        else:
            contract["noAgreedMetricsRationale"] = "The contract is worth not more than £5,000,000 (s52)."
    elif n["kind"] == "UK9":
        contract["implementation"] = {"documents": [doc]}
        contract["agreedMetrics"] = [{
            "id": _kpi_id(r.get("position", i)), "title": r["kpi"],
            "observations": [{"id": f"round-{d['round']}-{_kpi_id(r.get('position', i))}", "notes": r["evidence"],
                              "period": _period(None, d.get("assessed_on")),
                              "measureClassification": {"scheme": "UK-KPI-RATING", "id": MEASURE[r["rating"]][0],
                                                        "description": MEASURE[r["rating"]][1]}}]}
            for i, r in enumerate(d.get("ratings", []), 1)]
    elif n["kind"] == "UK10":
        contract.update(value=amount(d.get("value_after_pence")), documents=[doc],
                        period=_period(d.get("starts_on"), d.get("ends_on_after")))
        contract["amendments"] = [{"id": f"change-{d['number']}", "date": stamp(n["published_at"]),
                                   "description": d.get("description"), "rationale": d.get("reason"),
                                   "value": amount(d.get("value_after_pence")),
                                   "period": _period(d.get("starts_on"), d.get("ends_on_after"))}]
    elif n["kind"] == "UK11":
        contract.update(status="terminated", documents=[doc], period=_period(None, d.get("ended_on")),
                        terminationRationaleClassifications=[{"scheme": "exemplar-exchange-contract-end",
                                                              "id": d.get("ground"), "description": d.get("reason")}])
    return {"contracts": [{k: v for k, v in contract.items() if v is not None}]}

