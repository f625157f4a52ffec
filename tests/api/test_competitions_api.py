"""Competitions through the API and OCDS: only to those allowed to see them, bids only after the
deadline, valid OCDS with a framework link."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.competitions import clock
from app.competitions.models import Competition

from . import ocds_schema
from .conftest import bearer

TITLES = {"awarded": "(demo) EPR optimisation partner", "evaluation": "(demo) Clinical decision support roll-out",
          "open": "(demo) Ambient voice pilot support"}


@pytest.fixture()
def comps(db_session):
    found = {k: db_session.execute(select(Competition).where(Competition.title == t)).unique().scalar_one_or_none()
             for k, t in TITLES.items()}
    if None in found.values():
        pytest.skip("the demo competitions are not in the seed")
    return found


@pytest.fixture()
def demo(db_session, token):
    def _headers(who: str) -> dict:
        user = db_session.execute(select(User).where(User.email == f"{who}@demo.exemplar.nhs.uk")).unique().scalar_one()
        return bearer(token(user))
    return _headers


@pytest.fixture()
def later():
    """Move the competitions' clock, and put it back afterwards."""
    def _move(to):
        clock.set_source(lambda: to)
    yield _move
    clock.set_source(None)


def test_competitions_need_a_token(client):
    assert client.get("/api/v1/competitions").status_code == 401


def test_the_buyer_sees_its_competitions_and_bids_only_after_the_deadline(client, comps, demo):
    headers = demo("buyer")
    listed = client.get("/api/v1/competitions", headers=headers).get_json()
    assert {c.id for c in comps.values()} <= {item["id"] for item in listed["items"]}
    detail = client.get(f"/api/v1/competitions/{comps['open'].id}", headers=headers).get_json()
    assert detail["bid_count"] is None and detail["scoring"]["questions"] and detail["invited"]
    sealed = client.get(f"/api/v1/competitions/{comps['open'].id}/bids", headers=headers)
    assert sealed.status_code == 403 and "sealed" in sealed.get_json()["error"]["message"]
    bids = client.get(f"/api/v1/competitions/{comps['evaluation'].id}/bids", headers=headers).get_json()
    assert len(bids["items"]) == 3 and all(b["answers"] for b in bids["items"])
    scores = client.get(f"/api/v1/competitions/{comps['awarded'].id}/scores", headers=headers).get_json()
    assert scores["complete"] is True and sorted(r["rank"] for r in scores["rows"]) == [1, 2, 3]


def test_an_invited_exemplar_sees_the_competition_but_not_the_bids(client, comps, demo):
    headers = demo("exemplar")
    r = client.get(f"/api/v1/competitions/{comps['awarded'].id}", headers=headers)
    assert r.status_code == 200 and "invited" not in r.get_json()
    assert client.get(f"/api/v1/competitions/{comps['awarded'].id}/bids", headers=headers).status_code == 403


def test_an_evaluator_whose_declared_interest_is_not_yet_assessed_cannot_read_bids(client, comps, demo, db_session):
    from app.competitions.conflicts import services as conflicts

    headers = demo("evaluator")
    assert client.get(f"/api/v1/competitions/{comps['evaluation'].id}/bids", headers=headers).status_code == 200
    evaluator = db_session.execute(select(User).where(User.email == "evaluator@demo.exemplar.nhs.uk")).unique().scalar_one()
    conflicts.declare(comps["evaluation"], evaluator, has_interest=True, interest="A friend now works at a bidder",
                      actor=evaluator)
    db_session.flush()
    assert client.get(f"/api/v1/competitions/{comps['evaluation'].id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/competitions/{comps['evaluation'].id}/bids", headers=headers).status_code == 403


def test_another_trusts_buyer_does_not_know_the_competition_exists(client, comps, make, token):
    stranger = bearer(token(make.user("follower_buyer")))
    assert client.get("/api/v1/competitions", headers=stranger).get_json()["total"] == 0
    for suffix in ("", "/bids", "/scores"):
        assert client.get(f"/api/v1/competitions/{comps['awarded'].id}{suffix}", headers=stranger).status_code == 404


def test_the_commercial_team_oversees_published_competitions(client, comps, demo):
    headers = demo("admin")
    assert client.get(f"/api/v1/competitions/{comps['evaluation'].id}/bids", headers=headers).status_code == 200


def test_an_awarded_call_off_is_valid_ocds_linked_to_its_framework(client, comps, app):
    prefix = app.config["OCDS_PREFIX"]
    package = client.get(f"/ocds/records/{prefix}-co-{comps['awarded'].id}").get_json()
    ocds_schema.assert_valid(package, "record")
    record = package["records"][0]
    # The lifecycle's releases, with the published notices' in date order: the award notice (UK6) at the
    # intention, the contract details notice (UK7) at the award, the performance notice (UK9) later.
    assert [r["tag"][0] for r in record["releases"]] == ["tender", "tenderUpdate", "award", "awardUpdate", "awardUpdate",
                                                         "contract", "contractUpdate", "implementationUpdate"]
    compiled = record["compiledRelease"]
    assert compiled["relatedProcesses"] == [{"id": "framework", "relationship": ["framework"],
                                             "title": "Global Digital Exemplar framework", "scheme": "ocid",
                                             "identifier": f"{prefix}-fw-gde"}]
    assert compiled["tender"]["status"] == "complete" and len(compiled["tender"]["tenderers"]) == 3
    assert len(compiled["bids"]["details"]) == 3
    assert compiled["awards"][0]["status"] == "active" and compiled["awards"][0]["suppliers"][0]["id"] == "GB-NHS-RBL"
    assert compiled["contracts"][0]["value"] == {"amount": 120000.0, "currency": "GBP"}


def test_bids_are_published_only_after_the_deadline(client, comps, app, later):
    url = f"/ocds/records/{app.config['OCDS_PREFIX']}-co-{comps['open'].id}"
    before = client.get(url).get_json()
    ocds_schema.assert_valid(before, "record")
    assert all("bids" not in r and "tenderers" not in r.get("tender", {}) for r in before["records"][0]["releases"])
    later(comps["open"].response_deadline + timedelta(seconds=1))
    after = client.get(url).get_json()
    ocds_schema.assert_valid(after, "record")
    assert after["records"][0]["releases"][-1]["tag"] == ["tenderUpdate"]
    assert len(after["records"][0]["compiledRelease"]["bids"]["details"]) == 1


def test_the_register_export_holds_the_awarded_contract(runner, tmp_path, comps):
    import sqlite3

    path = tmp_path / "r.sqlite"
    assert runner.invoke(args=["registry", "export-sqlite", str(path)]).exit_code == 0
    rows = sqlite3.connect(path).execute("select buyer_ods_code, supplier_ods_code, value_pence, typeof(value_pence) "
                                         "from contracts").fetchall()
    assert ("RJR", "RBL", 12_000_000, "integer") in rows  # money exact, in integer pence
