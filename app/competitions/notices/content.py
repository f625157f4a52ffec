"""What each notice says, built from the record's facts (plain dicts in, a plain dict out).

A notice's content is {"fields": [[label, text], …], "data": {…}}: the fields are what people
read on the public notices page; the data are the same facts as values (dates as ISO strings,
money in pence) for the OCDS publication. Nothing here touches Flask or the database.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..contracts.rules import RATINGS, needs_kpis
from .rules import KINDS


def _day(value: date | datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def _money(pence: int | None) -> str:
    return "Not stated" if pence is None else f"£{pence // 100:,}" + (f".{pence % 100:02d}" if pence % 100 else "")


def _org(o: dict) -> str:
    return f"{o['name']} ({o['ods_code']})"


def _common(facts: dict) -> list[list[str]]:
    return [["Call-off", f"{facts['reference']}: {facts['title']}"], ["Buyer", _org(facts["buyer"])],
            ["Framework", f"{facts['framework']}, {facts['lot']}"]]


def contract_award(facts: dict) -> dict:
    """UK6: the intention to enter into the call-off, published to start a voluntary standstill."""
    days = facts["standstill_days"]
    fields = _common(facts) + [
        ["Supplier the buyer intends to contract", _org(facts["supplier"])],
        ["Price of the winning bid", _money(facts["bid_price_pence"])],
        ["Reason for the award", facts["reason"]],
        ["Standstill", f"A voluntary standstill of {days} working days (s51), beginning with the day this "
                       "notice is published" + (f". Shorter than the framework's default: {facts['standstill_reason']}"
                                                 if facts.get("standstill_reason") else "")],
        ["Assessment summaries", "Every bidder sees its scores beside the winning bid's, with the moderated "
                                 "reasons for each question"],
    ]
    if facts.get("standstill_ends"):
        fields.append(["Standstill ends", facts["standstill_ends_text"]])
    return {"fields": fields, "data": {
        "supplier": facts["supplier"], "bid_price_pence": facts["bid_price_pence"], "reason": facts["reason"],
        "standstill_days": days, "standstill_starts": _day(facts.get("standstill_starts")),
        "standstill_ends": _day(facts.get("standstill_ends"))}}


def contract_details(facts: dict) -> dict:
    """UK7: the call-off entered into, how it was selected, the conflicts assessment confirmed;
    above £5m its KPIs and the published copy of the contract."""
    kpis = facts.get("kpis") or []
    above = needs_kpis(facts["value_pence"])
    confirmed = facts.get("conflicts_confirmed_on")
    fields = _common(facts) + [
        ["Supplier", _org(facts["supplier"])],
        ["Contract value", _money(facts["value_pence"]) + " excluding VAT"],
        ["Contract term", f"{facts['starts_on_text']} to {facts['ends_on_text']}"],
        ["Entered into", facts["entered_on_text"]],
        ["How the supplier was selected", "Competitive selection process among the framework's suppliers on the lot "
                                          "(Procurement Act 2023 s46), using the framework's award criteria"],
        ["Conflicts assessment", f"Prepared and confirmed on {facts['conflicts_confirmed_text']} (s83), covering "
                                 f"{facts['participants']} people taking part" if confirmed else "Not confirmed"],
        ["Key performance indicators", "; ".join(kpis) if kpis else
         ("None set (not required: the value is not more than £5,000,000)" if not above else "None set")],
    ]
    if above:
        fields.append(["Published copy of the contract (s94)", facts.get("copy_url") or "Not yet given"])
    return {"fields": fields, "data": {
        "supplier": facts["supplier"], "value_pence": facts["value_pence"], "starts_on": _day(facts["starts_on"]),
        "ends_on": _day(facts["ends_on"]), "entered_on": _day(facts["entered_on"]), "competitive_selection": True,
        "conflicts_confirmed_on": _day(confirmed), "participants": facts["participants"], "kpis": kpis,
        "above_5m": above, "copy_url": facts.get("copy_url")}}


def contract_performance(facts: dict) -> dict:
    """UK9: one assessment round of the KPIs, each rated with its evidence."""
    fields = _common(facts) + [["Supplier", _org(facts["supplier"])],
                               ["Assessment", f"Round {facts['round']}, assessed on {facts['assessed_on_text']}"]]
    fields += [[r["kpi"], f"{RATINGS[r['rating']]}. {r['evidence']}"] for r in facts["ratings"]]
    return {"fields": fields, "data": {"supplier": facts["supplier"], "round": facts["round"],
                                       "assessed_on": _day(facts["assessed_on"]), "ratings": facts["ratings"]}}


def contract_change(facts: dict) -> dict:
    """UK10: what changes, why, and the value and end date before and after."""
    fields = _common(facts) + [
        ["Supplier", _org(facts["supplier"])], ["Change", f"Change {facts['number']}: {facts['description']}"],
        ["Why", facts["reason"]],
        ["Contract value", f"{_money(facts['value_before_pence'])} before, {_money(facts['value_after_pence'])} after"],
        ["Contract end", f"{facts['ends_on_before_text']} before, {facts['ends_on_after_text']} after"],
        ["Takes effect", facts["effective_on_text"]],
    ]
    return {"fields": fields, "data": {
        "supplier": facts["supplier"], "number": facts["number"], "description": facts["description"],
        "reason": facts["reason"], "value_before_pence": facts["value_before_pence"],
        "value_after_pence": facts["value_after_pence"], "starts_on": _day(facts["starts_on"]),
        "ends_on_before": _day(facts["ends_on_before"]), "ends_on_after": _day(facts["ends_on_after"]),
        "effective_on": _day(facts["effective_on"])}}


def contract_termination(facts: dict) -> dict:
    """UK11: the contract has ended, when and how."""
    fields = _common(facts) + [["Supplier", _org(facts["supplier"])], ["Ended on", facts["ended_on_text"]],
                               ["How it ended", facts["ground_text"]], ["Reason", facts["reason"]]]
    return {"fields": fields, "data": {"supplier": facts["supplier"], "ended_on": _day(facts["ended_on"]),
                                       "ground": facts["ground"], "reason": facts["reason"]}}


BUILDERS = {"UK6": contract_award, "UK7": contract_details, "UK9": contract_performance,
            "UK10": contract_change, "UK11": contract_termination}


def build(kind: str, facts: dict) -> dict[str, Any]:
    """The content of a notice of this kind, from the facts of the record."""
    content = BUILDERS[kind](facts)
    return {"kind": kind, "title": KINDS[kind], **content}
