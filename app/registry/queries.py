"""Read-side queries for the register pages (lists with filters)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.web.querying import like_pattern

from .models import Organisation
from .vocab import TRUST_TYPES


@dataclass(frozen=True)
class OrgFilters:
    q: str = ""
    region: str = ""
    icb: str = ""
    trust_type: str = ""

    @classmethod
    def from_args(cls, args) -> "OrgFilters":
        t = args.get("type", "").strip()
        return cls(
            q=args.get("q", "").strip()[:200],
            region=args.get("region", "").strip()[:10],
            icb=args.get("icb", "").strip()[:10],
            trust_type=t if t in TRUST_TYPES else "",
        )

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in {"q": self.q, "region": self.region, "icb": self.icb,
                                  "type": self.trust_type}.items() if v}


def trusts_query(f: OrgFilters):
    """Trusts matching the filters, by name."""
    region = aliased(Organisation)
    icb = aliased(Organisation)
    stmt = select(Organisation).where(Organisation.kind == "trust")
    if f.q:
        pattern = like_pattern(f.q)
        stmt = stmt.where(or_(Organisation.name.ilike(pattern, escape="\\"),
                              Organisation.ods_code.ilike(pattern, escape="\\")))
    if f.region:
        stmt = stmt.join(region, Organisation.region_id == region.id).where(region.ods_code == f.region)
    if f.icb:
        stmt = stmt.join(icb, Organisation.icb_id == icb.id).where(icb.ods_code == f.icb)
    if f.trust_type:
        stmt = stmt.where(Organisation.trust_type == f.trust_type)
    return stmt.order_by(Organisation.name, Organisation.id)


def organisation_by_ods_code(code: str | None) -> Organisation | None:
    """The organisation with this ODS code, as a person types it (any case, spaces around), or None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return db.session.execute(select(Organisation).where(Organisation.ods_code == code)).unique().scalar_one_or_none()
