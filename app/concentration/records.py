"""Plain records the concentration engine works on (no Flask, no database).

The service layer reads the register into these frozen dataclasses; the graph and the metrics
only ever see them, so they can be built by hand in unit tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

#: Deployment statuses that mean "the organisation runs this system".
IN_USE_STATUSES = frozenset({"live", "retiring"})

#: Trust types whose organisations make up the market of each system category ("scope").
CATEGORY_SCOPE: dict[str, tuple[str, ...]] = {
    "acute_epr": ("acute", "specialist"),
    "mental_health_epr": ("mental_health",),
    "community_epr": ("community",),
    "ambulance_epr": ("ambulance",),
    "pas": ("acute", "specialist"),
    "eprescribing": ("acute", "specialist", "mental_health"),
    "shared_care_record": ("acute", "specialist", "mental_health", "community", "ambulance"),
}


@dataclass(frozen=True)
class OrgRecord:
    """An organisation: a trust (with its type) or another body."""

    id: int
    code: str
    name: str
    kind: str = "trust"
    trust_type: str | None = None
    closed_on: date | None = None

    def open_on(self, at: date) -> bool:
        return self.closed_on is None or self.closed_on > at


@dataclass(frozen=True)
class SupplierRecord:
    id: int
    name: str
    slug: str = ""


@dataclass(frozen=True)
class SystemRecord:
    id: int
    name: str
    category: str
    supplier_id: int
    slug: str = ""


@dataclass(frozen=True)
class DeploymentRecord:
    """An organisation runs (ran, will run) a system.

    `known_from` is the first date the deployment is known to be in use: `since`, or when that is
    unknown the `status_as_of` date of the source ("live by then"); None when neither is known.
    """

    id: int
    organisation_id: int
    system_id: int
    status: str
    since: date | None = None
    until: date | None = None
    known_from: date | None = None
    historical: bool = False
    confidence: str = "unrated"
    status_as_of: str = ""

    def in_use_on(self, at: date) -> bool:
        """Live or retiring on `at`: started on or before it (or undated) and not ended by it."""
        if self.status not in IN_USE_STATUSES:
            return False
        start = self.since or self.known_from
        if start is not None and start > at:
            return False
        return self.until is None or self.until > at


@dataclass(frozen=True)
class PartnershipRecord:
    """A follower working with an exemplar."""

    id: int
    follower_id: int
    exemplar_id: int
    status: str = "active"
    lot_id: int | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class FrameworkRecord:
    id: int
    name: str
    status: str


@dataclass(frozen=True)
class LotRecord:
    id: int
    framework_id: int
    name: str


@dataclass(frozen=True)
class MembershipRecord:
    """An exemplar's place on a lot."""

    id: int
    organisation_id: int
    lot_id: int
    status: str


@dataclass(frozen=True)
class Snapshot:
    """Everything the engine needs, read from the register in one go."""

    organisations: tuple[OrgRecord, ...] = ()
    suppliers: tuple[SupplierRecord, ...] = ()
    systems: tuple[SystemRecord, ...] = ()
    deployments: tuple[DeploymentRecord, ...] = ()
    partnerships: tuple[PartnershipRecord, ...] = ()
    frameworks: tuple[FrameworkRecord, ...] = ()
    lots: tuple[LotRecord, ...] = ()
    memberships: tuple[MembershipRecord, ...] = ()
    #: declared capacity per quarter of each exemplar organisation (from published offers), if known
    capacities: dict[int, int] = field(default_factory=dict)


def parse_status_as_of(text: str | None) -> date | None:
    """The date a source's status refers to: 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or 'c.YYYY'.

    Free text without a year ('undated case study') gives None: unknown stays unknown.
    """
    text = (text or "").strip()
    m = re.match(r"^(?:c\.\s*)?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", text)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None
