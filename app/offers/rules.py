"""Rules of the offers domain as pure functions: the offer lifecycle, what changed between two
versions, price bands, and how well an offer fits a follower.

No Flask, no database: plain values in, plain values out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from app.errors import IllegalTransition
from app.web.formatting import money

from .vocab import OFFER_STATUSES, PRICE_UNITS, PRICING_MODELS, VAT_IN_A_SENTENCE

# ---------------------------------------------------------------------------
# Lifecycle
# ---------------------------------------------------------------------------

OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"published"}),
    "published": frozenset({"withdrawn"}),
    # A withdrawn offer may come back: it keeps its history and its versions.
    "withdrawn": frozenset({"published"}),
}

_VERBS = {"published": "publish", "withdrawn": "withdraw"}


def check_offer_transition(current: str, target: str) -> None:
    """Refuse a status change the offer lifecycle does not allow."""
    if target not in OFFER_TRANSITIONS.get(current, frozenset()):
        raise IllegalTransition(
            f"You cannot {_VERBS.get(target, target)} an offer that is {OFFER_STATUSES.get(current, current).lower()}."
        )


def edit_makes_new_version(ever_published: bool) -> bool:
    """An edit of an offer that has ever been public makes a new version (followers and
    competitions may have seen the old one); a draft never published is edited in place."""
    return ever_published


# ---------------------------------------------------------------------------
# What changed between versions
# ---------------------------------------------------------------------------

#: The fields a person compares between versions, in the order they are shown, with labels.
VERSION_FIELDS: dict[str, str] = {
    "title": "Title",
    "summary": "Summary",
    "description": "Description",
    "category": "Capability",
    "systems": "Systems",
    "pricing_model": "Pricing model",
    "price_pence": "Price",
    "vat": "VAT",
    "capacity_per_quarter": "Capacity per quarter",
    "capacity_committed": "Capacity committed",
    "lead_time_weeks": "Lead time (weeks)",
    "regions": "Regions served",
    "evidence_links": "Evidence",
    "blueprint_links": "Blueprints",
    "contact_name": "Contact name",
    "contact_email": "Contact email",
}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: Any
    after: Any


def diff_versions(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[Change]:
    """The fields that differ between two versions' values (plain dicts keyed as VERSION_FIELDS;
    lists are compared as sets). With no `before` (the first version) nothing has changed."""
    if before is None:
        return []
    changes = []
    for key, label in VERSION_FIELDS.items():
        a, b = before.get(key), after.get(key)
        if isinstance(a, (list, tuple, set, frozenset)) or isinstance(b, (list, tuple, set, frozenset)):
            if set(a or ()) == set(b or ()):
                continue
        elif a == b:
            continue
        changes.append(Change(key, label, a, b))
    return changes


# ---------------------------------------------------------------------------
# Price bands
# ---------------------------------------------------------------------------

#: Upper bounds in pence (exclusive) of each band, per pricing model; the last band is open.
#: Prices of different models are not comparable, so each model has its own bands.
PRICE_BANDS: dict[str, tuple[tuple[int | None, str], ...]] = {
    "day_rate": ((50_000, "under £500 a day"), (100_000, "£500 to £999 a day"), (None, "£1,000 a day or more")),
    "fixed_price": ((1_000_000, "under £10,000"), (5_000_000, "£10,000 to £49,999"),
                    (25_000_000, "£50,000 to £249,999"), (None, "£250,000 or more")),
    "per_bed": ((5_000, "under £50 a bed"), (20_000, "£50 to £199 a bed"), (None, "£200 a bed or more")),
}


def price_band(pricing_model: str, price_pence: int) -> str:
    """The band key of a price, such as "day_rate-1" (the second day-rate band)."""
    for i, (upper, _label) in enumerate(PRICE_BANDS[pricing_model]):
        if upper is None or price_pence < upper:
            return f"{pricing_model}-{i}"
    raise AssertionError("the last band is open")  # pragma: no cover


def price_band_label(key: str) -> str:
    """ "Day rate: under £500 a day" for "day_rate-0"; the key itself if unknown."""
    model, _, index = key.rpartition("-")
    try:
        return f"{PRICING_MODELS[model]}: {PRICE_BANDS[model][int(index)][1]}"
    except (KeyError, ValueError, IndexError):
        return key


def price_band_bounds(key: str) -> tuple[str, int, int | None] | None:
    """(pricing model, lower pence inclusive, upper pence exclusive or None) of a band key,
    or None for a key that names no band."""
    model, _, index = key.rpartition("-")
    bands = PRICE_BANDS.get(model)
    if bands is None or not index.isdecimal() or int(index) >= len(bands):
        return None
    i = int(index)
    lower = 0 if i == 0 else bands[i - 1][0]
    return model, int(lower or 0), bands[i][0]


# ---------------------------------------------------------------------------
# Fit for a follower
# ---------------------------------------------------------------------------

#: Points for each reason an offer fits a follower (out of 100).
FIT_POINTS = {"system": 40, "capacity": 20, "region": 20, "track_record": 20}


#: Points a call-off contract ended for the exemplar's failure (breach, exclusion) takes off.
ENDED_FOR_CAUSE_PENALTY = 6


def track_record_points(followers_served: int, go_lives: int, go_lives_on_time: int, good_ratings: int = 0,
                        ratings: int = 0, ended_for_cause: int = 0) -> int:
    """Up to 20 points for an exemplar's record: 4 a follower served (up to 3), the share of
    go-lives on time times 8, the share of its contracts' KPI ratings that are Good times 4; less 6
    for each call-off contract ended for its failure; never below 0. Shared by the SQL sort and the
    explanation on screen."""
    points = 4 * min(followers_served, 3)
    if go_lives:
        points += round(8 * go_lives_on_time / go_lives)
    if ratings:
        points += round(4 * good_ratings / ratings)
    points -= ENDED_FOR_CAUSE_PENALTY * ended_for_cause
    return max(0, min(points, FIT_POINTS["track_record"]))


def record_points(record) -> int:
    """track_record_points of a registry TrackRecord."""
    return track_record_points(record.followers_served, record.go_lives, record.go_lives_on_time, record.good,
                               record.rated, record.ended_for_cause)


@dataclass(frozen=True)
class FitReasons:
    same_system: bool
    capacity_free: bool
    serves_region: bool
    track_points: int

    @property
    def score(self) -> int:
        return (FIT_POINTS["system"] * self.same_system + FIT_POINTS["capacity"] * self.capacity_free
                + FIT_POINTS["region"] * self.serves_region + self.track_points)


def fit(offer_system_ids: Iterable[int], follower_system_ids: Iterable[int], capacity_free: int,
        offer_region_ids: Iterable[int], follower_region_id: int | None, track_points: int) -> FitReasons:
    """How well an offer fits a follower, and why (the same sum the best-fit sort uses in SQL)."""
    return FitReasons(
        same_system=bool(set(offer_system_ids) & set(follower_system_ids)),
        capacity_free=capacity_free > 0,
        serves_region=follower_region_id is not None and follower_region_id in set(offer_region_ids),
        track_points=track_points,
    )


# ---------------------------------------------------------------------------
# Money typed by people
# ---------------------------------------------------------------------------

_POUNDS = __import__("re").compile(r"^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$")


def pounds_to_pence(text: str | None) -> int | None:
    """ "£1,234.5" → 123450. None for anything that is not an amount of pounds (negative
    amounts, more than two decimals, letters); amounts over £100 million are refused too."""
    m = _POUNDS.match((text or "").strip())
    if not m:
        return None
    whole = int(m.group(1).replace(",", ""))
    pence = int((m.group(2) or "0").ljust(2, "0"))
    total = whole * 100 + pence
    return total if total <= 10_000_000_000 else None


def pence_to_pounds_text(pence: int | None) -> str:
    """123450 → "1234.50", for filling a form field."""
    return "" if pence is None else f"{pence // 100}.{pence % 100:02d}"


# ---------------------------------------------------------------------------
# Comparing prices of different models for one follower
# ---------------------------------------------------------------------------

def comparable_cost(pricing_model: str, price_pence: int, *, beds: int | None, days: int | None) -> int | None:
    """What an offer would cost a follower of this size, in pence, so that a day rate, a fixed
    price and a price per bed can be set side by side: a day rate × the days of help expected, a
    price per bed × the follower's beds, a fixed price as it is. None while the size it needs is
    not given."""
    if pricing_model == "fixed_price":
        return price_pence
    if pricing_model == "day_rate":
        return None if days is None else price_pence * days
    if pricing_model == "per_bed":
        return None if beds is None else price_pence * beds
    return None


def cost_working(pricing_model: str, *, beds: int | None, days: int | None) -> str:
    """How comparable_cost was worked out, in words ("× 60 days", "× 450 beds", "fixed"), or what
    it still needs."""
    if pricing_model == "fixed_price":
        return "fixed price"
    if pricing_model == "day_rate":
        return f"× {days:,} {'day' if days == 1 else 'days'}" if days is not None else "enter the days of help"
    if pricing_model == "per_bed":
        return f"× {beds:,} {'bed' if beds == 1 else 'beds'}" if beds is not None else "enter your beds"
    return ""


def concentration_change(delta: float) -> str:
    """A change in HHI (0–10,000 scale) in words, rounded as HHI is shown everywhere (whole points):
    "rises by 35: more concentrated", "falls by 12: less concentrated", "no change"."""
    points = round(delta)
    if points > 0:
        return f"rises by {points:,}: more concentrated"
    if points < 0:
        return f"falls by {-points:,}: less concentrated"
    return "no change"


def price_text(pricing_model: str, price_pence: int, vat: str | None = None) -> str:
    """An offer's price as every page says it: "£950 a day, plus VAT", "£12,500 fixed price,
    including VAT", "£120 a bed, VAT exempt" (money as the style guide writes it; VAT in capitals)."""
    text = f"{money(price_pence)} {PRICE_UNITS.get(pricing_model, '')}".strip()
    return f"{text}, {VAT_IN_A_SENTENCE[vat]}" if vat in VAT_IN_A_SENTENCE else text
