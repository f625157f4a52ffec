"""The demo data: what seed/load.py puts in the database matches seed/*.csv (and, when it is beside
the repository, the public data in ../shared/data they were built from), invents nothing, and a
second load creates nothing new."""
from __future__ import annotations

import csv
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.registry.models import (
    Deployment,
    Framework,
    Lot,
    Membership,
    NoSystemFinding,
    Organisation,
    Partnership,
    Supplier,
    System,
)
from seed.build.common import default_shared
from seed.load import DEMO_USERS, NATIONAL, load_demo, read_csv

# The shared/ folder beside the repository or one of its parents (as in CI, or above a worktree).
SHARED = default_shared()
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the public data folder {SHARED} is not here")
EPR_MAP = "epr_supplier_by_trust_2026.csv"


def shared_csv(name: str) -> list[dict[str, str]]:
    with open(SHARED / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def orgs(session, kind: str) -> dict[str, Organisation]:
    return {o.ods_code: o for o in session.execute(select(Organisation).where(Organisation.kind == kind)).unique().scalars()}


def deployments(session) -> list[Deployment]:
    return session.execute(select(Deployment)).unique().scalars().all()


def gde_memberships(session) -> list[Membership]:
    return session.execute(
        select(Membership).join(Lot).join(Framework).where(Framework.slug == "gde")
    ).unique().scalars().all()


# Against seed/*.csv.

def test_every_region_icb_and_trust_of_the_seed_files_is_loaded_and_no_other(db_session):
    assert set(orgs(db_session, "region")) == {r["ods_code"] for r in read_csv("regions.csv")}
    assert set(orgs(db_session, "icb")) == {r["ods_code"] for r in read_csv("icbs.csv")}
    assert set(orgs(db_session, "trust")) == {r["ods_code"] for r in read_csv("organisations.csv")}
    assert set(orgs(db_session, "national")) == {NATIONAL["ods_code"]}


def test_the_counts_are_those_of_the_seed_files(db_session):
    assert len(orgs(db_session, "region")) == len(read_csv("regions.csv")) == 7
    assert len(orgs(db_session, "icb")) == len(read_csv("icbs.csv"))
    assert len(orgs(db_session, "trust")) == len(read_csv("organisations.csv")) == 199
    assert db_session.scalar(select(func.count()).select_from(Supplier)) == len(read_csv("suppliers.csv"))
    assert db_session.scalar(select(func.count()).select_from(System)) == len(read_csv("systems.csv"))
    assert len(deployments(db_session)) == len(read_csv("deployments.csv"))
    assert db_session.scalar(select(func.count()).select_from(NoSystemFinding)) == len(read_csv("no_system.csv"))
    gde = db_session.execute(select(Framework).where(Framework.slug == "gde")).scalar_one()
    assert [(lot.number, lot.name) for lot in gde.lots] == [(int(r["number"]), r["name"]) for r in read_csv("lots.csv")]
    assert gde.status == "live"
    fast_followers = db_session.scalar(select(func.count()).select_from(Partnership)
                                       .where(Partnership.origin == "gde_fast_follower"))
    assert fast_followers == len(read_csv("fast_followers.csv"))


def test_each_trust_has_the_region_icb_and_type_of_its_row(db_session):
    trusts = orgs(db_session, "trust")
    for row in read_csv("organisations.csv"):
        trust = trusts[row["ods_code"]]
        assert trust.name == row["name"]
        assert trust.region.ods_code == row["region_ods_code"]
        assert trust.icb.ods_code == row["icb_ods_code"]
        assert (trust.trust_type, trust.trust_type_source) == (row["org_type"], row["org_type_source"])


def test_every_icb_sits_in_its_region_and_keeps_its_inferred_name_flag(db_session):
    icbs = orgs(db_session, "icb")
    for row in read_csv("icbs.csv"):
        assert icbs[row["ods_code"]].region.ods_code == row["region_ods_code"]
        assert icbs[row["ods_code"]].name_inferred == (row["name_inferred"] == "true")


def test_the_26_exemplars_are_admitted_to_their_lots(db_session):
    rows = read_csv("exemplars.csv")
    assert len(rows) == 26
    admitted = {(m.lot.number, m.organisation.ods_code): m for m in gde_memberships(db_session) if m.status == "admitted"}
    assert set(admitted) == {(int(r["lot_number"]), r["ods_code"]) for r in rows}
    for r in rows:
        m = admitted[(int(r["lot_number"]), r["ods_code"])]
        assert (m.name_at_admission, m.ods_code_at_admission) == (r["name_at_announcement"], r["ods_code_at_announcement"])
        assert m.admitted_on is not None and m.events and m.events[0].reason.startswith("Named a Global Digital Exemplar")


def test_no_other_membership_of_the_gde_framework_is_invented(db_session):
    assert len(gde_memberships(db_session)) == len(read_csv("exemplars.csv"))


def test_no_trust_gets_a_system_that_the_data_does_not_give_it(db_session):
    loaded = Counter((d.organisation.ods_code, d.system.slug, d.status) for d in deployments(db_session))
    given = Counter((r["ods_code"], r["system_slug"], r["status"]) for r in read_csv("deployments.csv"))
    assert loaded == given


def test_every_deployment_keeps_its_source_confidence_and_date(db_session):
    rows = {(r["ods_code"], r["system_slug"], r["status"], r["source_url"], r["status_as_of"]): r
            for r in read_csv("deployments.csv")}
    for d in deployments(db_session):
        row = rows[(d.organisation.ods_code, d.system.slug, d.status, d.source_url, d.status_as_of)]
        assert d.source_url and d.source_status_text == row["source_status_text"] and d.status_as_of
        assert d.source_status_code == row["source_status_code"]
        assert d.confidence in ("high", "medium", "low", "unrated")
        assert row["confidence"].startswith(d.confidence) or d.confidence == "unrated"
        assert d.historical == (row["historical"] == "true")
        assert d.foi_2024_only == (row["foi_2024_only"] == "true")
        assert (d.expected_on.isoformat() if d.expected_on else "") == row["expected_on"]


def test_each_trust_known_to_have_no_epr_has_a_finding_not_a_deployment(db_session):
    findings = db_session.execute(select(NoSystemFinding)).unique().scalars().all()
    assert findings
    live = {(d.organisation_id, d.system.category) for d in deployments(db_session) if d.status == "live"}
    for f in findings:
        assert (f.organisation_id, f.category) not in live or f.until is not None
        assert f.source_url and f.status_as_of and f.confidence in ("high", "medium", "low", "unrated")


def test_a_deployment_is_live_planned_or_ended_as_its_source_status_code_says(db_session):
    expected = {"live": ("live", "ended"), "contracted": ("planned",), "replaced": ("ended",)}
    rows = deployments(db_session)
    assert {d.status for d in rows} == {"live", "planned", "ended"}
    for d in rows:
        assert d.status in expected[d.source_status_code], (d.organisation.ods_code, d.source_status_code)
        assert d.status != "live" or d.until is None
        assert d.status != "planned" or d.since is None


def test_the_demo_accounts_exist_one_per_role(db_session):
    users = {u.email: u for u in db_session.execute(select(User)).scalars()}
    for email, name, ods, roles in DEMO_USERS:
        assert users[email].organisation.ods_code == ods
        assert users[email].roles == frozenset(roles)
        assert "(demo)" in users[email].name


def test_loading_the_demo_data_again_creates_nothing(db_session):
    def counts():
        return {m.__name__: db_session.scalar(select(func.count()).select_from(m))
                for m in (Organisation, Supplier, System, Deployment, Framework, Lot, Membership, Partnership, User,
                          AuditEvent)}

    before = counts()
    report = load_demo()
    db_session.flush()
    assert sum(report.created.values()) == 0, report.created
    assert report.existing["trust"] == 199 and report.existing["exemplar"] == 26
    assert counts() == before  # not even a "seed.load" audit entry


# Against the public data the seed files were built from.

@needs_shared
def test_the_trusts_are_the_open_trusts_of_the_public_list_that_have_an_english_region(db_session):
    english = {r["ods_code"] for r in shared_csv("nhs_trusts_open_2026_region_icb.csv") if r["region_ods_code"]}
    assert len(english) == 199
    assert set(orgs(db_session, "trust")) == english


@needs_shared
def test_the_regions_are_the_seven_nhs_england_regions(db_session):
    assert set(orgs(db_session, "region")) == {r["region_ods_code"] for r in shared_csv("nhs_england_regions_7.csv")}


@needs_shared
def test_the_trusts_regions_and_icbs_are_those_of_the_public_list(db_session):
    trusts = orgs(db_session, "trust")
    for r in shared_csv("nhs_trusts_open_2026_region_icb.csv"):
        if r["region_ods_code"]:
            assert trusts[r["ods_code"]].region.ods_code == r["region_ods_code"]
            assert trusts[r["ods_code"]].icb.ods_code == r["icb_code_2026"]


@needs_shared
def test_the_exemplars_are_the_26_gdes_of_the_public_list(db_session):
    gdes = [r for r in shared_csv("gde_exemplars_fast_followers.csv") if r["category"].endswith("_GDE")]
    assert len(gdes) == 26
    lot_of = {"acute_GDE": 1, "mental_health_GDE": 2, "ambulance_GDE": 3}
    admitted = {(m.lot.number, m.organisation.ods_code, m.ods_code_at_admission)
                for m in gde_memberships(db_session) if m.status == "admitted"}
    assert admitted == {(lot_of[r["category"]], r["current_successor_ods_code"], r["ods_code_at_announcement"])
                        for r in gdes}


@needs_shared
def test_every_deployment_comes_from_a_row_of_the_public_epr_map(db_session):
    successors = {r["predecessor_ods_code"]: r["successor_ods_code"] for r in read_csv("successors.csv")}
    source = {(successors.get(r["ods_code"], r["ods_code"]), r["supplier"], r["product"], r["status_as_of"],
               r["status_code"]) for r in shared_csv(EPR_MAP)}
    for d in deployments(db_session):
        supplier_text, product_text = d.source_text.split(" — ", 1)
        key = (d.organisation.ods_code, supplier_text, product_text, d.status_as_of, d.source_status_code)
        assert key in source, d.source_text


@needs_shared
def test_no_trust_outside_the_public_epr_map_has_a_deployment_or_a_finding(db_session):
    successors = {r["predecessor_ods_code"]: r["successor_ods_code"] for r in read_csv("successors.csv")}
    mapped = {successors.get(r["ods_code"], r["ods_code"]) for r in shared_csv(EPR_MAP)}
    assert {d.organisation.ods_code for d in deployments(db_session)} <= mapped
    none = {r["ods_code"] for r in shared_csv(EPR_MAP) if r["status_code"] == "none"}
    assert {f.organisation.ods_code for f in db_session.execute(select(NoSystemFinding)).unique().scalars()} == none


@needs_shared
def test_a_live_deployment_is_live_in_the_public_epr_map_too(db_session):
    live = {(r["ods_code"], r["supplier"], r["product"]) for r in shared_csv(EPR_MAP) if r["status_code"] == "live"}
    for d in deployments(db_session):
        if d.status == "live":
            assert (d.organisation.ods_code, *d.source_text.split(" — ", 1)) in live, d.source_text
