"""Plain records the concentration engine works on (no Flask, no database).

The service layer reads the register into these frozen dataclasses; the graph and the metrics
only ever see them, so they can be built by hand in unit tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from app.web.formatting import title_case_org

#: Deployment statuses that mean "the organisation runs this system" now.
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
    region_id: int | None = None

    def open_on(self, at: date) -> bool:
        return self.closed_on is None or self.closed_on > at

    @property
    def display_name(self) -> str:
        """The name as a person reads it (the register keeps the ODS capitals)."""
        return title_case_org(self.name)


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
    A planned deployment's `expected_on` is its planned go-live (the pipeline).
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
    foi_2024_only: bool = False
    expected_on: date | None = None

    def in_use_on(self, at: date) -> bool:
        """In use on `at`: live or retiring, started on or before it (or undated) and not ended by
        it; or ended since, but known to have gone live (`since`) before `at` and ended after it.
        A planned system is never in use."""
        if self.status in IN_USE_STATUSES:
            start = self.since or self.known_from
            if start is not None and start > at:
                return False
            return self.until is None or self.until > at
        if self.status == "ended":
            return self.since is not None and self.until is not None and self.since <= at < self.until
        return False


@dataclass(frozen=True)
class NoSystemRecord:
    """A sourced finding that an organisation had no system of a category, from `known_from`
    until `until` (the go-live of the system it has had since), if that is known."""

    id: int
    organisation_id: int
    category: str
    known_from: date
    until: date | None = None
    historical: bool = False
    confidence: str = "unrated"
    status_as_of: str = ""
    foi_2024_only: bool = False

    def known_on(self, at: date) -> bool:
        return not self.historical and self.known_from <= at and (self.until is None or self.until > at)


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
    no_system: tuple[NoSystemRecord, ...] = ()
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
