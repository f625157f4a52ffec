"""The demo data: what seed/load.py puts in the database matches seed/*.csv (and, when it is beside
the repository, the public data in ../shared/data they were built from), invents nothing, and a
second load creates nothing new."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.registry.models import (
    Deployment,
    Framework,
    Lot,
    Membership,
    Organisation,
    Partnership,
    Supplier,
    System,
)
from seed.build import classify_status
from seed.load import DEMO_USERS, NATIONAL, load_demo, read_csv

# tests/test_seed.py → the repository → its parent, where shared/ sits beside it (as in CI).
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the public data folder {SHARED} is not here")


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


def test_every_deployment_keeps_its_source_and_confidence(db_session):
    rows = {(r["ods_code"], r["system_slug"], r["source_url"], r["status_as_of"]): r for r in read_csv("deployments.csv")}
    for d in deployments(db_session):
        row = rows[(d.organisation.ods_code, d.system.slug, d.source_url, d.status_as_of)]
        assert d.source_url and d.source_status_text == row["source_status_text"]
        assert d.confidence in ("high", "medium", "low", "unrated")
        assert row["confidence"].startswith(d.confidence) or d.confidence == "unrated"
        assert d.historical == ("historical" in row["confidence"])


def test_no_deployment_is_live_unless_its_source_says_so(db_session):
    live = [d for d in deployments(db_session) if d.status == "live"]
    assert live, "the demo data should have some live deployments"
    for d in live:
        assert classify_status(d.source_status_text)[0] == "live", (d.organisation.ods_code, d.source_status_text)


def test_only_live_deployments_have_a_start_date_and_none_has_an_end_date(db_session):
    for d in deployments(db_session):
        assert d.until is None
        assert d.since is None or d.status == "live"


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
    source = {(successors.get(r["ods_code"], r["ods_code"]), r["supplier"], r["product"], r["status_as_of"])
              for r in shared_csv("epr_supplier_by_trust_partial.csv")}
    for d in deployments(db_session):
        supplier_text, product_text = d.source_text.split(" — ", 1)
        assert (d.organisation.ods_code, supplier_text, product_text, d.status_as_of) in source, d.source_text


@needs_shared
def test_no_trust_outside_the_public_epr_map_has_a_deployment(db_session):
    successors = {r["predecessor_ods_code"]: r["successor_ods_code"] for r in read_csv("successors.csv")}
    mapped = {successors.get(r["ods_code"], r["ods_code"]) for r in shared_csv("epr_supplier_by_trust_partial.csv")}
    assert {d.organisation.ods_code for d in deployments(db_session)} <= mapped


@needs_shared
def test_a_live_deployment_is_live_in_the_public_epr_map_too(db_session):
    successors = {r["predecessor_ods_code"]: r["successor_ods_code"] for r in read_csv("successors.csv")}
    statuses = {}
    for r in shared_csv("epr_supplier_by_trust_partial.csv"):
        statuses.setdefault((successors.get(r["ods_code"], r["ods_code"]), r["product"]), []).append(r["status"])
    for d in deployments(db_session):
        if d.status == "live":
            product = d.source_text.split(" — ", 1)[1]
            assert any(classify_status(s)[0] == "live" for s in statuses[(d.organisation.ods_code, product)])
