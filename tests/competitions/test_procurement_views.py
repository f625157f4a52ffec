"""The Procurement Act pages: the public notices of a call-off, the buyer's review and publication,
the contract's pages (every missing rating shown at once), the exclusion register, and the
framework's standstill rule."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.competitions.award import services as award_svc
from app.competitions.notices import services as notices
from app.registry.exclusions.models import ExclusionEntry

START = date(2027, 1, 4)


def _awarded(world, clock, db_session, **kw):
    comp, bids, award = world.in_standstill()
    clock.set(comp.standstill_ends_at)
    award_svc.make_award(comp, actor=world.buyer, value_pence=4_000_000, starts_on=START, ends_on=date(2027, 12, 31),
                         kpis=["Uptime", "Training"], **kw)
    db_session.commit()  # setup survives a rollback inside a request
    return comp, award


def test_the_notices_are_public_and_drafts_are_not(world, clock, client, login, logout, db_session):
    comp, award = _awarded(world, clock, db_session)
    logout()
    page = client.get(f"/competitions/{comp.id}/notices")
    assert page.status_code == 200 and "UK6 Contract award notice" in page.text
    assert "UK7" not in page.text and "Drafts for you to review" not in page.text  # the UK7 is a draft
    assert client.get(f"/competitions/{world.competition().id}/notices").status_code == 404  # a draft competition
    login(world.buyer)
    page = client.get(f"/competitions/{comp.id}/notices")
    assert "Drafts for you to review" in page.text and "due in 30 days" in page.text


def test_the_buyer_reviews_and_publishes_a_notice_after_confirming_it(world, clock, client, login, db_session):
    comp, award = _awarded(world, clock, db_session)
    uk7 = notices.find(comp, "UK7")
    login(world.buyer)
    page = client.get(f"/competitions/{comp.id}/notices/{uk7.id}")
    assert "Competitive selection process" in page.text and "Uptime; Training" in page.text
    r = client.post(f"/competitions/{comp.id}/notices/{uk7.id}", data={})
    assert r.status_code == 200 and "Confirm that you have reviewed the notice" in r.text
    assert client.post(f"/competitions/{comp.id}/notices/{uk7.id}", data={"reviewed": "y"}).status_code == 302
    assert "UK7 Contract details notice" in client.get(f"/competitions/{comp.id}/notices").text
    login(world.exemplars[0][1])
    assert client.get(f"/competitions/{comp.id}/notices/{uk7.id}").status_code == 403


def test_every_missing_rating_and_evidence_is_shown_at_once(world, clock, client, login, db_session):
    comp, award = _awarded(world, clock, db_session)
    kpis = notices.kpis_of(award)
    login(world.buyer)
    r = client.post(f"/competitions/{comp.id}/contract/ratings", data={
        "assessed_on-day": "1", "assessed_on-month": "2", "assessed_on-year": "2027",
        f"rating_{kpis[0].id}": "good", f"evidence_{kpis[1].id}": "Sessions run"})
    assert r.status_code == 200
    assert f'href="#evidence_{kpis[0].id}"' in r.text and f'href="#rating_{kpis[1].id}-1"' in r.text
    assert "Sessions run" in r.text  # nothing typed is lost
    contract = client.get(f"/competitions/{comp.id}/contract")
    assert contract.status_code == 200 and "Uptime" in contract.text and "Next KPI assessment" in contract.text


def test_the_commercial_team_keeps_the_exclusion_register(client, login, make, db_session):
    admin = make.user("commercial_admin", org=make.org(kind="national", trust_type=None))
    supplier = make.org()
    login(admin)
    r = client.post("/exclusions/new", data={"ods_code": supplier.ods_code})
    assert r.status_code == 200
    for message in ("Choose whether the supplier is excluded or debarred", "Choose the kind of ground",
                    "Enter the ground", "Enter the date the exclusion starts"):
        assert message in r.text  # every error at once
    r = client.post("/exclusions/new", data={"ods_code": supplier.ods_code.lower(), "kind": "debarred",
                                             "ground_kind": "mandatory", "ground": "On the debarment list",
                                             "starts_on-day": "1", "starts_on-month": "3", "starts_on-year": "2026"})
    assert r.status_code == 302
    entry = db_session.execute(select(ExclusionEntry).where(ExclusionEntry.organisation_id == supplier.id)).scalar_one()
    assert "On the debarment list" in client.get("/exclusions").text
    r = client.post(f"/exclusions/{entry.id}/end", data={"ends_on-day": "1", "ends_on-month": "2",
                                                         "ends_on-year": "2026", "reason": "Lifted"})
    assert r.status_code == 200 and "on or after the start date" in r.text


def test_the_framework_sets_the_call_off_standstill_and_the_budget_rule(client, login, make, db_session):
    admin = make.user("commercial_admin", org=make.org(kind="national", trust_type=None))
    fw = make.framework(status="live", slug="rules-fw")
    login(admin)
    page = client.get("/frameworks/rules-fw/edit").text
    assert "Standstill for call-offs" in page and "above the buyer" in page
    data = {"name": fw.name, "quality_weight_min": "40", "quality_weight_max": "80", "min_invitees": "3",
            "clarification_days": "3", "response_days": "10", "standstill_days": "8", "max_calloff_months": "24",
            "standstill_rule": "none", "over_budget_may_win": "no", "direct_award_allowed": "no"}
    assert client.post("/frameworks/rules-fw/edit", data=data).status_code == 302
    db_session.refresh(fw)
    assert (fw.standstill_rule, fw.over_budget_may_win) == ("none", False)
    assert "Cannot win" in client.get("/frameworks/rules-fw").text
