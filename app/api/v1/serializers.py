"""Register objects as the API shows them: plain dicts with ISO dates and links, dumped through the
schemas of app/api/v1/registry_schemas.py (which decide what is sent)."""
from __future__ import annotations

from flask import url_for

from app.api.ocds.ids import framework_ocid

from .core import iso


def org_ref(o) -> dict | None:
    if o is None:
        return None
    return {"ods_code": o.ods_code, "name": o.display_name,
            "url": url_for("api.v1.organisation", ods_code=o.ods_code)}


def organisation(o) -> dict:
    return {
        "ods_code": o.ods_code,
        "name": o.display_name,  # as every page and export shows it; official_name as ODS publishes it
        "official_name": o.name,
        "kind": o.kind,
        "trust_type": o.trust_type,
        "region": o.region.ods_code if o.region else None,
        "icb": o.icb.ods_code if o.icb else None,
        "town": o.town,
        "postcode": o.postcode,
        "opened_on": iso(o.opened_on),
        "closed_on": iso(o.closed_on),
        "url": url_for("api.v1.organisation", ods_code=o.ods_code),
        "html_url": url_for("registry.organisation", ods_code=o.ods_code),
    }


def supplier(s, systems: bool = True) -> dict:
    data = {"slug": s.slug, "register_id": s.register_id, "name": s.name,
            "url": url_for("api.v1.supplier", slug=s.slug)}
    if systems:
        data["systems"] = [x.slug for x in s.systems]
    return data


def system(s, live_organisations: int | None = None) -> dict:
    data = {
        "slug": s.slug,
        "name": s.name,
        "supplier": s.supplier.slug,
        "supplier_name": s.supplier.name,
        "category": s.category,
        "standards": s.standards,
        "url": url_for("api.v1.system", slug=s.slug),
    }
    if live_organisations is not None:
        data["live_organisations"] = live_organisations
    return data


def deployment(d) -> dict:
    return {
        "id": d.id,
        "organisation": d.organisation.ods_code,
        "organisation_name": d.organisation.display_name,
        "system": d.system.slug,
        "system_name": d.system.name,
        "status": d.status,
        "since": iso(d.since),
        "until": iso(d.until),
        "status_as_of": d.status_as_of,
        "confidence": d.confidence,
        "historical": bool(d.historical),
        "source_url": d.source_url,
        "source_text": d.source_text,
        "notes": d.notes,
        "url": url_for("api.v1.deployment", deployment_id=d.id),
    }


def lot(l, admitted: int | None = None) -> dict:
    data = {
        "framework": l.framework.slug,
        "number": l.number,
        "name": l.name,
        "label": l.label,
        "description": l.description,
        "url": url_for("api.v1.lot", slug=l.framework.slug, number=l.number),
    }
    if admitted is not None:
        data["admitted_exemplars"] = admitted
    return data


def framework(f, counts: dict[int, int] | None = None, detail: bool = False) -> dict:
    data = {
        "slug": f.slug,
        "name": f.name,
        "status": f.status,
        "description": f.description,
        "starts_on": iso(f.starts_on),
        "ends_on": iso(f.ends_on),
        "source_url": f.source_url,
        "ocid": framework_ocid(f.slug),
        "url": url_for("api.v1.framework", slug=f.slug),
    }
    if detail:
        data["call_off_rules"] = {
            "quality_weight_min": f.quality_weight_min, "quality_weight_max": f.quality_weight_max,
            "min_invitees": f.min_invitees, "clarification_days": f.clarification_days,
            "response_days": f.response_days, "standstill_days": f.standstill_days,
            "max_calloff_months": f.max_calloff_months,
        }
        data["award_criteria"] = [c.name for c in f.criteria]
        data["lots"] = [lot(l, (counts or {}).get(l.id, 0)) for l in f.lots]
    return data


def membership(m) -> dict:
    return {
        "id": m.id,
        "framework": m.lot.framework.slug,
        "lot": m.lot.number,
        "lot_label": m.lot.label,
        "organisation": m.organisation.ods_code,
        "organisation_name": m.organisation.display_name,
        "status": m.status,
        "name_at_admission": m.name_at_admission,
        "admitted_on": iso(m.admitted_on),
    }
