"""Tests for seed/build.py and the committed seed CSV files (no Flask needed)."""
from __future__ import annotations

import csv
import importlib.util
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "seed"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"

needs_shared = pytest.mark.skipif(
    not (SHARED / "nhs_trusts_open_2026_region_icb.csv").is_file(),
    reason=f"public data folder {SHARED} is absent; cannot rebuild the seed files",
)


def _load_build_module():
    spec = importlib.util.spec_from_file_location("seed_build", SEED_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build_mod = _load_build_module()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def seed(name: str) -> list[dict[str, str]]:
    return read(SEED_DIR / name)


# ---------------------------------------------------------------- rebuild / format
@needs_shared
def test_rebuild_is_byte_identical_to_committed_files(tmp_path):
    build_mod.build(SHARED, tmp_path)
    produced = sorted(p.name for p in tmp_path.iterdir())
    assert produced == sorted(build_mod.OUTPUT_COLUMNS)
    for name in build_mod.OUTPUT_COLUMNS:
        assert (tmp_path / name).read_bytes() == (SEED_DIR / name).read_bytes(), (
            f"seed/{name} is stale: run `python seed/build.py` and commit the result")


@pytest.mark.parametrize("name", sorted(build_mod.OUTPUT_COLUMNS))
def test_committed_files_have_exact_columns_and_format(name):
    raw = (SEED_DIR / name).read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    raw.decode("utf-8")  # valid UTF-8
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == build_mod.OUTPUT_COLUMNS[name]


# ---------------------------------------------------------------- counts
@needs_shared
def test_organisations_are_the_open_english_trusts():
    trusts = read(SHARED / "nhs_trusts_open_2026_region_icb.csv")
    english = {t["ods_code"] for t in trusts if t["region_ods_code"]}
    orgs = seed("organisations.csv")
    assert len(orgs) == len(english) == 199
    assert {o["ods_code"] for o in orgs} == english
    assert "K0N6A" in english


def test_exemplar_counts_per_lot():
    counts = Counter(e["lot_number"] for e in seed("exemplars.csv"))
    assert counts == {"1": 16, "2": 7, "3": 3}
    assert all(e["framework_slug"] == "gde" for e in seed("exemplars.csv"))


def test_regions_and_icbs():
    regions = {r["ods_code"] for r in seed("regions.csv")}
    assert len(regions) == 7
    icbs = seed("icbs.csv")
    assert all(i["region_ods_code"] in regions for i in icbs)
    inferred = {i["ods_code"] for i in icbs if i["name_inferred"] == "true"}
    assert inferred == set(build_mod.INFERRED_ICB_CODES)
    assert {i["name_inferred"] for i in icbs} <= {"true", "false"}
    used = {o["icb_ods_code"] for o in seed("organisations.csv")}
    assert used == {i["ods_code"] for i in icbs}  # only ICBs with an open English trust


def test_organisation_fields():
    regions = {r["ods_code"] for r in seed("regions.csv")}
    for o in seed("organisations.csv"):
        assert o["org_type"] in build_mod.ORG_TYPES
        assert o["org_type_source"] in {"name", "override"}
        assert o["region_ods_code"] in regions
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", o["opened_on"])
    overrides = {r["ods_code"] for r in seed("org_type_overrides.csv")}
    for o in seed("organisations.csv"):
        assert (o["org_type_source"] == "override") == (o["ods_code"] in overrides)
    assert all(r["reason"].strip() for r in seed("org_type_overrides.csv"))


# ---------------------------------------------------------------- referential integrity
def test_every_deployment_refers_to_known_org_and_system():
    orgs = {o["ods_code"] for o in seed("organisations.csv")}
    systems = {s["slug"] for s in seed("systems.csv")}
    deployments = seed("deployments.csv")
    assert deployments
    for d in deployments:
        assert d["ods_code"] in orgs, d
        assert d["system_slug"] in systems, d


def test_every_mapping_slug_is_a_system():
    systems = {s["slug"] for s in seed("systems.csv")}
    for m in seed("system_name_mapping.csv"):
        slugs = [s for s in m["system_slug"].split(";") if s]
        if not slugs:
            assert m["note"].strip(), m
        for slug in slugs:
            assert slug in systems, m


def test_systems_refer_to_suppliers_and_allowed_values():
    suppliers = {s["slug"] for s in seed("suppliers.csv")}
    for s in seed("systems.csv"):
        assert s["supplier_slug"] in suppliers
        assert s["category"] in build_mod.SYSTEM_CATEGORIES
        standards = [x for x in s["standards"].split(";") if x]
        assert set(standards) <= set(build_mod.STANDARDS)
    for required in ("epic-ehr", "oracle-health-millennium", "system-c-careflow", "dedalus-lorenzo",
                     "altera-sunrise", "meditech-expanse", "nervecentre-epr", "intersystems-trakcare",
                     "ims-maxims-openmaxims", "servelec-rio", "oneadvanced-carenotes", "tpp-systmone",
                     "in-house"):
        assert required in {s["slug"] for s in seed("systems.csv")}


def test_exemplars_and_fast_followers_refer_to_open_trusts():
    orgs = {o["ods_code"] for o in seed("organisations.csv")}
    exemplars = seed("exemplars.csv")
    assert all(e["ods_code"] in orgs for e in exemplars)
    acute = {e["ods_code"] for e in exemplars if e["lot_number"] == "1"}
    followers = seed("fast_followers.csv")
    assert followers
    for f in followers:
        assert f["follower_ods_code"] in orgs
        assert f["exemplar_ods_code"] in acute
        assert f["follower_ods_code"] != f["exemplar_ods_code"]
        assert f["source_urls"].strip()
    assert "RHW" not in {f["follower_ods_code"] for f in followers}  # truncated pairing


# ---------------------------------------------------------------- deployment honesty
IN_SERVICE = re.compile(r"(?<!go-)\blive\b|\bin use\b|\bused\b|\bswitched\b|\bfirst\b.*\b(deployment|user)\b", re.I)
SELECTION = re.compile(r"\bselected\b|\bpreferred\b|\bcontract\b|\bsigned\b|\bawarded\b|\bplanned\b"
                       r"|\bannounced\b|\bimplementing\b|\bin progress\b|\bchose\b", re.I)


def test_live_only_when_the_source_says_live():
    for d in seed("deployments.csv"):
        assert d["status"] in build_mod.DEPLOYMENT_STATUSES
        if d["status"] == "live":
            assert IN_SERVICE.search(d["source_status_text"]), d
            assert not SELECTION.search(d["source_status_text"]), d  # selections never go live
        else:
            assert d["since"] == "", d  # go-live date only for live rows
        assert d["until"] == ""  # no source gives an end date
        assert d["source_url"].startswith("http") and d["confidence"]


def test_historical_selections_are_not_live():
    by_key = {(d["ods_code"], d["system_slug"]): d for d in seed("deployments.csv")}
    assert by_key[("RTE", "intersystems-trakcare")]["status"] == "planned"  # "selected" 2014
    assert by_key[("RXR", "oracle-health-millennium")]["status"] == "planned"
    assert by_key[("RH8", "system-c-careflow")]["status"] == "ended"  # superseded by Epic
    assert by_key[("RGT", "epic-ehr")]["since"] == "2014-10-26"
    assert ("RGM", "epic-ehr") not in by_key  # abandoned selection


def test_status_rules():
    assert build_mod.classify_status("contract signed; go-live planned spring 2026")[0] == "planned"
    assert build_mod.classify_status("implementing; go-live Oct 2026")[0] == "planned"
    assert build_mod.classify_status("went live Nov 2025 (critical incident declared)")[0] == "live"
    assert build_mod.classify_status("selected 2010 (superseded by Epic)")[0] == "ended"
    assert build_mod.classify_status("no EPR; re-procuring (previous process abandoned)")[0] == "retiring"
    assert build_mod.classify_status("planned 2015 then abandoned (Aug 2015)")[0] == build_mod.SKIP
    with pytest.raises(build_mod.BuildError):
        build_mod.classify_status("something nobody wrote a rule for")


@needs_shared
def test_no_deployment_that_the_partial_map_does_not_give():
    epr = read(SHARED / "epr_supplier_by_trust_partial.csv")
    successors = {s["predecessor_ods_code"]: s["successor_ods_code"] for s in seed("successors.csv")}
    mapping = {(m["supplier_text"], m["product_text"]): set(filter(None, m["system_slug"].split(";")))
               for m in seed("system_name_mapping.csv")}
    given = set()
    for r in epr:
        ods = successors.get(r["ods_code"], r["ods_code"])
        for slug in mapping[(r["supplier"], r["product"])]:
            given.add((ods, slug, r["supplier"], r["product"]))
    for d in seed("deployments.csv"):
        key = (d["ods_code"], d["system_slug"], d["source_supplier_text"], d["source_product_text"])
        assert key in given, d
    trusts_with_rows = {successors.get(r["ods_code"], r["ods_code"]) for r in epr}
    assert {d["ods_code"] for d in seed("deployments.csv")} <= trusts_with_rows


@needs_shared
def test_every_map_pair_is_in_the_mapping_table():
    epr = read(SHARED / "epr_supplier_by_trust_partial.csv")
    pairs = {(r["supplier"], r["product"]) for r in epr}
    mapping = {(m["supplier_text"], m["product_text"]) for m in seed("system_name_mapping.csv")}
    assert pairs <= mapping


# ---------------------------------------------------------------- failure modes
def _copy_inputs(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in (build_mod.F_MAPPING, build_mod.F_ORG_TYPE_OVERRIDES, build_mod.F_SUCCESSORS):
        shutil.copy(SEED_DIR / name, inputs / name)
    return inputs


@needs_shared
def test_build_fails_when_mapping_lacks_a_pair(tmp_path, capsys):
    inputs = _copy_inputs(tmp_path)
    path = inputs / build_mod.F_MAPPING
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(l for l in lines if not l.startswith("Nervecentre,")), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(build_mod.BuildError, match="lacks"):
        build_mod.build(SHARED, out, inputs_dir=inputs)
    assert not out.exists()  # nothing written on failure


@needs_shared
def test_build_fails_on_unknown_override_code(tmp_path):
    inputs = _copy_inputs(tmp_path)
    with (inputs / build_mod.F_ORG_TYPE_OVERRIDES).open("a", encoding="utf-8") as fh:
        fh.write("ZZZ,acute,not a trust\n")
    with pytest.raises(build_mod.BuildError):
        build_mod.build(SHARED, tmp_path / "out", inputs_dir=inputs)


def test_main_exits_1_with_message_when_shared_is_missing(tmp_path, capsys):
    assert build_mod.main(["--shared", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 1
    assert "FAILED" in capsys.readouterr().err
