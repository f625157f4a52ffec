"""The governance demo data: sourced where it says so, marked "(demo)" where not, and obeying every rule."""
from __future__ import annotations

from sqlalchemy import select

from app.governance import queries, services
from app.governance.models import AdmissionApplication, CheckIn, FundingAgreement, FundingProgramme
from app.registry.models import Framework

from .conftest import M, TODAY


def _agreements(session):
    return session.execute(select(FundingAgreement)).unique().scalars().all()


def test_the_three_programmes_are_loaded_with_their_default_conditions(db_session):
    programmes = {p.slug: p for p in db_session.execute(select(FundingProgramme)).scalars()}
    assert {"gde", "fast-follower", "frontline-productivity"} <= set(programmes)
    assert len(programmes["frontline-productivity"].conditions) == 10
    assert all(p.max_years == 4 for p in programmes.values())


def test_every_demo_agreement_adds_up(db_session):
    rows = _agreements(db_session)
    assert len(rows) >= 30
    for a in rows:
        assert services.agreement_totals_consistent(a), a.reference
        assert a.released_pence <= a.central_pence


def test_gde_central_money_is_as_published_and_says_where_it_comes_from(db_session):
    by_ref = {a.reference: a for a in _agreements(db_session)}
    assert by_ref["GDE-RBL"].central_pence == 10 * M and by_ref["GDE-RBL"].local_pence == 10 * M
    assert by_ref["GDE-RV5"].central_pence == 5 * M
    assert sum(by_ref[f"GDE-{o}"].central_pence for o in ("RX6", "RYA", "RYE")) == 5 * M
    assert by_ref["FF-RJR"].central_pence == 5 * M
    for a in by_ref.values():
        assert a.source_note and (a.source_url or "(demo)" in a.source_note), a.reference
        assert "(demo)" in a.source_note, a.reference


def test_every_released_tranche_rests_on_an_accepted_check_in_with_no_red(db_session):
    for a in _agreements(db_session):
        for t in a.tranches:
            if t.is_released:
                basis = db_session.get(CheckIn, t.released_checkin_id)
                assert basis.status == "accepted" and basis.reds == 0 and basis.agreement_id == a.id


def test_the_demo_shows_overdue_check_ins_red_conditions_and_work_to_review(db_session):
    assert any(o.agreement.reference.endswith("RJR-2025") for o in queries.overdue_checkins(TODAY))
    assert any(r.agreement.reference.endswith("RJR-2025") for r in queries.agreements_with_red())
    assert queries.checkins_to_review()


def test_an_open_demo_framework_has_criteria_and_applications_in_each_state(db_session):
    fw = db_session.execute(select(Framework).where(Framework.slug == "frontline-productivity-exemplars")).scalar_one()
    assert fw.status == "open" and "(demo)" in fw.name
    assert len(services.active_criteria(fw)) == 5
    statuses = {a.status for a in db_session.execute(select(AdmissionApplication)).unique().scalars()}
    assert statuses == {"submitted", "rejected"}


def test_the_demo_loader_is_idempotent(db_session):
    from seed.demo_governance import load
    from seed.load import Loader

    before = len(_agreements(db_session))
    loader = Loader(None)
    load(loader)
    assert sum(loader.report.created.values()) == 0
    assert len(_agreements(db_session)) == before
