"""The benchmark's synthetic register looks like the NHS's: trusts have their kinds and regions,
and each category's trusts run a system, are known to have none, or are not known, in the
proportions of the real register, so the measured concentration pages show real figures."""
from __future__ import annotations

from bench.synth import KNOWN_NONE, NOT_KNOWN, SIZES, Synth
from app.concentration.records import CATEGORY_SCOPE


def _register(size: str) -> dict[str, list[dict]]:
    out = {}
    for name, rows in Synth(SIZES[size]).tables():
        out[name] = rows
        if name == "no_system_findings":
            return out
    raise AssertionError("no_system_findings not generated")


def test_every_trust_has_a_kind_a_region_and_an_icb():
    orgs = _register("national")["organisations"]
    trusts = [o for o in orgs if o["kind"] == "trust"]
    assert len(trusts) == SIZES["national"].trusts
    assert all(o["trust_type"] and o["region_id"] and o["icb_id"] for o in trusts)
    acute = sum(o["trust_type"] in ("acute", "specialist") for o in trusts) / len(trusts)
    assert 0.55 <= acute <= 0.75  # about 134 of England's 210 or so trusts


def test_each_category_has_trusts_with_a_system_known_none_and_not_known():
    reg = _register("national")
    kinds = {o["id"]: o["trust_type"] for o in reg["organisations"] if o["kind"] == "trust"}
    pairs = {(o, c) for o, t in kinds.items() for c, types in CATEGORY_SCOPE.items() if t in types}
    category = {s["id"]: s["category"] for s in reg["systems"]}
    with_rows = {(d["organisation_id"], category[d["system_id"]]) for d in reg["deployments"]}
    none = {(f["organisation_id"], f["category"]) for f in reg["no_system_findings"]}
    assert none <= pairs and not none & with_rows  # known to have none: no row of a system
    unknown = pairs - none - with_rows
    assert abs(len(none) / len(pairs) - KNOWN_NONE) < 0.03
    assert 0 < len(unknown) / len(pairs) < NOT_KNOWN + 0.02
    assert all(isinstance(d["foi_2024_only"], bool) for d in reg["deployments"])

