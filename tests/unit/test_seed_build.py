"""The seed build (seed/build/) and the committed seed CSV files (no Flask needed): the rebuild is
byte-identical, the files refer to each other, and the build refuses inconsistent input, writing
nothing."""
from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

import seed.build as build_mod
from seed.build.common import default_shared

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "seed"
SHARED = default_shared()

needs_shared = pytest.mark.skipif(
    not (SHARED / "epr_supplier_by_trust_2026.csv").is_file(),
    reason=f"public data folder {SHARED} is absent; cannot rebuild the seed files",
)


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
            f"seed/{name} is stale: run `python -m seed.build` and commit the result")


@needs_shared
def test_two_builds_give_the_same_bytes(tmp_path):
    build_mod.build(SHARED, tmp_path / "a")
    build_mod.build(SHARED, tmp_path / "b")
    for name in build_mod.OUTPUT_COLUMNS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("name", sorted(build_mod.OUTPUT_COLUMNS))
def test_committed_files_have_exact_columns_and_format(name):
    raw = (SEED_DIR / name).read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    raw.decode("utf-8")  # valid UTF-8
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == build_mod.OUTPUT_COLUMNS[name]


def test_no_module_of_the_build_is_over_400_lines():
    for path in (SEED_DIR / "build").glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name


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
    used = {o["icb_ods_code"] for o in seed("organisations.csv")}
    assert used == {i["ods_code"] for i in icbs}  # only ICBs with an open English trust


def test_organisation_fields():
    regions = {r["ods_code"] for r in seed("regions.csv")}
    overrides = {r["ods_code"] for r in seed("org_type_overrides.csv")}
    for o in seed("organisations.csv"):
        assert o["org_type"] in build_mod.ORG_TYPES
        assert (o["org_type_source"] == "override") == (o["ods_code"] in overrides)
        assert o["region_ods_code"] in regions
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", o["opened_on"])
    assert all(r["reason"].strip() for r in seed("org_type_overrides.csv"))


# ---------------------------------------------------------------- referential integrity
def test_every_deployment_and_finding_refers_to_known_org_and_system():
    orgs = {o["ods_code"] for o in seed("organisations.csv")}
    systems = {s["slug"]: s for s in seed("systems.csv")}
    assert seed("deployments.csv") and seed("no_system.csv")
    for d in seed("deployments.csv"):
        assert d["ods_code"] in orgs and d["system_slug"] in systems, d
    for f in seed("no_system.csv"):
        assert f["ods_code"] in orgs and f["category"] in build_mod.SYSTEM_CATEGORIES, f


def test_systems_refer_to_suppliers_and_allowed_values():
    suppliers = {s["slug"] for s in seed("suppliers.csv")}
    for s in seed("systems.csv"):
        assert s["supplier_slug"] in suppliers
        assert s["category"] in build_mod.SYSTEM_CATEGORIES
        assert set(filter(None, s["standards"].split(";"))) <= set(build_mod.STANDARDS)
        if s["name"].endswith("(product not stated)"):
            assert s["standards"] == ""  # nothing is declared for an unnamed product
    for required in ("epic-ehr", "oracle-health-millennium", "system-c-careflow", "dedalus-lorenzo",
                     "altera-sunrise", "meditech-expanse", "nervecentre-epr", "intersystems-trakcare",
                     "ims-maxims-openmaxims", "servelec-rio", "oneadvanced-carenotes", "tpp-systmone", "in-house"):
        assert required in {s["slug"] for s in seed("systems.csv")}


def test_exemplars_and_fast_followers_refer_to_open_trusts():
    orgs = {o["ods_code"] for o in seed("organisations.csv")}
    exemplars = seed("exemplars.csv")
    assert all(e["ods_code"] in orgs for e in exemplars)
    acute = {e["ods_code"] for e in exemplars if e["lot_number"] == "1"}
    followers = seed("fast_followers.csv")
    assert followers
    for f in followers:
        assert f["follower_ods_code"] in orgs and f["exemplar_ods_code"] in acute
        assert f["follower_ods_code"] != f["exemplar_ods_code"] and f["source_urls"].strip()
    assert "RHW" not in {f["follower_ods_code"] for f in followers}  # truncated pairing


# ---------------------------------------------------------------- failure modes
def _copy_inputs(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in build_mod.REVIEWED_INPUTS:
        shutil.copy(SEED_DIR / name, inputs / name)
    return inputs


def _drop_lines(path: Path, starting: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(starting)), encoding="utf-8")


@needs_shared
@pytest.mark.parametrize("table, starting, message", [
    (build_mod.F_MAPPING, "Nervecentre,", "lacks"),
    (build_mod.F_SUPPLIER_MAPPING, "Cleric,", "lacks supplier"),
    (build_mod.F_SUCCESSORS, "RA4,", None),  # rows of a closed trust then have no successor: reported, not fatal
])
def test_the_build_fails_when_a_reviewed_table_lacks_a_row_the_map_needs(tmp_path, table, starting, message):
    inputs = _copy_inputs(tmp_path)
    _drop_lines(inputs / table, starting)
    out = tmp_path / "out"
    if message is None:
        report = build_mod.build(SHARED, out, inputs_dir=inputs)
        assert "left out epr_supplier_by_trust_2026.csv line" in report.text() and "(RA4 " in report.text()
        return
    with pytest.raises(build_mod.BuildError, match=message):
        build_mod.build(SHARED, out, inputs_dir=inputs)
    assert not out.exists()  # nothing written on failure


@needs_shared
def test_the_build_fails_on_unknown_override_code(tmp_path):
    inputs = _copy_inputs(tmp_path)
    with (inputs / build_mod.F_ORG_TYPE_OVERRIDES).open("a", encoding="utf-8") as fh:
        fh.write("ZZZ,acute,not a trust\n")
    with pytest.raises(build_mod.BuildError):
        build_mod.build(SHARED, tmp_path / "out", inputs_dir=inputs)


def _copy_shared(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    shutil.copytree(SHARED, shared)
    return shared


def _rewrite(path: Path, change) -> None:
    rows = read(path)
    columns = list(rows[0])
    rows = [change(dict(r)) for r in rows]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


@needs_shared
@pytest.mark.parametrize("ods, column, value, message", [
    ("R0A", "care_setting", "mental health", "disagrees with R0A's type"),  # an acute trust's row as mental health
    ("R0A", "status_code", "maybe", "unknown status_code"),
    ("RK5", "supplier", "Epic", "status_code none but the row names a supplier"),
])
def test_the_build_fails_on_an_inconsistent_row_of_the_map(tmp_path, ods, column, value, message):
    shared = _copy_shared(tmp_path)
    _rewrite(shared / build_mod.F_EPR_MAP, lambda r: {**r, column: value} if r["ods_code"] == ods else r)
    with pytest.raises(build_mod.BuildError, match=message):
        build_mod.build(shared, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@needs_shared
def test_the_build_fails_when_a_trust_is_known_to_have_no_epr_after_going_live(tmp_path):
    shared = _copy_shared(tmp_path)
    # R0A went live with Epic in Sept 2022; a 'none' finding for it in 2024 contradicts that.
    rows = read(shared / build_mod.F_EPR_MAP)
    none = next(r for r in rows if r["status_code"] == "none")
    with (shared / build_mod.F_EPR_MAP).open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(none)).writerow({**none, "ods_code": "R0A", "care_setting": "acute"})
    with pytest.raises(build_mod.BuildError, match="live before then"):
        build_mod.build(shared, tmp_path / "out")


@needs_shared
def test_the_build_refuses_a_rule_that_cites_a_forum(tmp_path):
    inputs = _copy_inputs(tmp_path)
    _rewrite(inputs / build_mod.F_RULES_REVIEWED, lambda r: {
        **r, "source_urls": "https://news.ycombinator.com/item?id=39780692"}
        if r["slug"] == "us-2023-moderately-concentrated" else r)
    with pytest.raises(build_mod.BuildError, match="forum is not a source"):
        build_mod.build(SHARED, tmp_path / "out", inputs_dir=inputs)


@needs_shared
def test_the_build_refuses_a_rule_whose_source_is_not_the_thresholds_own(tmp_path):
    inputs = _copy_inputs(tmp_path)
    _rewrite(inputs / build_mod.F_RULES_REVIEWED, lambda r: {**r, "source_urls": "https://example.org/x"}
             if r["slug"] == "us-2023-highly-concentrated" else r)
    with pytest.raises(build_mod.BuildError, match="sources not given"):
        build_mod.build(SHARED, tmp_path / "out", inputs_dir=inputs)


def test_main_exits_1_with_message_when_shared_is_missing(tmp_path, capsys):
    assert build_mod.main(["--shared", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 1
    assert "FAILED" in capsys.readouterr().err
