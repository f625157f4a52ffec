"""Funding agreements: totals, profile, tranches and conditions (services, on the database)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.errors import DomainError
from app.governance import services
from app.governance.calendar import Quarter
from app.governance.funding.rules import YearAmounts
from app.governance.models import FundingTranche, FundingYear
from app.models_base import utcnow

from .conftest import M


def _update(a, **kw):
    values = dict(title=a.title, central=a.central_pence, local=a.local_pence, first_year=a.first_year,
                  years=a.years, profile=[YearAmounts(y.central_pence, y.local_pence) for y in a.profile],
                  tranches=[services.PlannedTranche(t.planned_on, t.amount_pence) for t in a.tranches
                            if not t.is_released])
    values.update(kw)
    return services.update_agreement(a, **values)


def test_an_agreement_is_made_with_its_programmes_default_conditions(gov, db_session):
    programme = gov.programme(conditions=10)
    a = gov.agreement(programme=programme)
    assert [c.title for c in a.conditions] == [f"Condition {i}" for i in range(1, 11)]
    assert services.agreement_totals_consistent(a)
    assert a.reference == f"{programme.slug.upper()}-{a.organisation.ods_code}-2025"
    assert a.period_label == "2025/26 to 2028/29"
    audit = db_session.execute(select(AuditEvent).where(AuditEvent.action == "funding_agreement.create")).scalars().all()
    assert audit and '"central_pence":400000000' in audit[-1].after


def test_a_second_agreement_gets_the_next_free_reference(gov):
    org, programme = gov.trust(live=False), gov.programme()
    first, second = gov.agreement(org=org, programme=programme), gov.agreement(org=org, programme=programme)
    assert second.reference == first.reference + "-2"


def test_the_totals_must_add_up_when_an_agreement_is_made(gov):
    programme, org = gov.programme(), gov.trust(live=False)
    with pytest.raises(DomainError) as e:
        services.create_agreement(programme=programme, organisation=org, title="x", central=2 * M, local=2 * M,
                                  first_year=2025, years=2, profile=[YearAmounts(M, M), YearAmounts(M, M - 1)],
                                  tranches=[services.PlannedTranche(date(2025, 7, 1), 2 * M)])
    assert e.value.field == "profile"
    with pytest.raises(DomainError) as e:
        services.create_agreement(programme=programme, organisation=org, title="x", central=2 * M, local=2 * M,
                                  first_year=2025, years=2, profile=[YearAmounts(M, M), YearAmounts(M, M)],
                                  tranches=[services.PlannedTranche(date(2025, 7, 1), M)])
    assert e.value.field == "tranches"


def test_no_agreement_runs_longer_than_its_programme_allows(gov):
    programme = gov.programme(max_years=2)
    with pytest.raises(DomainError) as e:
        gov.agreement(programme=programme, years=3)
    assert e.value.field == "years"


def test_a_programme_asking_for_match_funding_refuses_less(gov):
    with pytest.raises(DomainError) as e:
        gov.agreement(programme=gov.programme(min_match_percent=100), local=M)
    assert e.value.field == "local"
    assert gov.agreement(programme=gov.programme(min_match_percent=0), local=0).local_pence == 0


def test_agreements_are_made_with_trusts_and_icbs_only(gov):
    region = gov.make.org(kind="region", trust_type=None)
    with pytest.raises(DomainError) as e:
        gov.agreement(org=region)
    assert e.value.field == "organisation"


@pytest.mark.parametrize("reference", ["has space", "UNDER_SCORE", "-LEADING", "A" * 41, "£5M"])
def test_references_are_capitals_numbers_and_hyphens(gov, reference):
    with pytest.raises(DomainError) as e:
        services.create_agreement(programme=gov.programme(), organisation=gov.trust(live=False), title="x",
                                  reference=reference, central=M, local=M, first_year=2025, years=1,
                                  profile=[YearAmounts(M, M)], tranches=[services.PlannedTranche(date(2025, 7, 1), M)])
    assert e.value.field == "reference"


def test_too_many_conditions_are_refused_to_keep_oversight_light(gov):
    with pytest.raises(DomainError):
        gov.agreement(programme=gov.programme(conditions=16))


def test_changing_the_amounts_keeps_the_totals_adding_up(gov, db_session):
    a = gov.agreement(central=4 * M, local=4 * M, years=4)
    _update(a, central=6 * M, local=6 * M, years=3,
            profile=[YearAmounts(2 * M, 2 * M)] * 3,
            tranches=[services.PlannedTranche(date(2025 + i, 7, 1), 2 * M) for i in range(3)])
    db_session.expire_all()
    assert (a.central_pence, a.years, len(a.profile), len(a.tranches)) == (6 * M, 3, 3, 3)
    assert services.agreement_totals_consistent(a)
    with pytest.raises(DomainError):
        _update(a, central=7 * M)


def test_released_tranches_stay_as_they_are_when_an_agreement_changes(gov, db_session):
    a = gov.agreement()
    gov.checkin(a)
    services.release_tranche(a.tranches[0], actor=gov.admin)
    _update(a, tranches=[services.PlannedTranche(date(2026, 7, 1), M), services.PlannedTranche(date(2027, 7, 1), 2 * M)])
    db_session.expire_all()
    assert [(t.number, t.amount_pence, t.is_released) for t in a.tranches] == [(1, M, True), (2, M, False), (3, 2 * M, False)]
    with pytest.raises(DomainError):  # the released M plus 2M is not the central 4M
        _update(a, tranches=[services.PlannedTranche(date(2026, 7, 1), 2 * M)])


def test_the_funded_years_cannot_drop_a_quarter_already_checked_in(gov):
    a = gov.agreement(years=4)
    gov.checkin(a, Quarter(2025, 1))
    with pytest.raises(DomainError) as e:
        _update(a, first_year=2026, tranches=[services.PlannedTranche(date(2026 + i, 7, 1), M) for i in range(4)])
    assert "2025/26 Q1" in e.value.message


def test_a_closed_agreement_cannot_change(gov):
    a = gov.agreement()
    with pytest.raises(DomainError):
        services.close_agreement(a, reason=" ")
    services.close_agreement(a, reason="Programme ended")
    assert a.status == "closed" and a.closed_at is not None
    with pytest.raises(DomainError):
        _update(a)
    with pytest.raises(DomainError):
        services.add_condition(a, title="New")
    with pytest.raises(DomainError):
        services.close_agreement(a, reason="again")


def test_conditions_are_added_reworded_dropped_and_restored(gov):
    a = gov.agreement(programme=gov.programme(conditions=3))
    c = services.add_condition(a, title="Cyber essentials", description="Plus")
    with pytest.raises(DomainError):
        services.add_condition(a, title="cyber ESSENTIALS")
    services.update_condition(c, title="Cyber Essentials Plus", description="")
    services.set_condition_active(c, False)
    assert c not in a.active_conditions
    services.set_condition_active(c, True)
    assert c in a.active_conditions


def test_an_agreement_keeps_at_least_one_condition_and_at_most_fifteen(gov):
    a = gov.agreement(programme=gov.programme(conditions=1))
    with pytest.raises(DomainError):
        services.set_condition_active(a.conditions[0], False)
    b = gov.agreement(programme=gov.programme(conditions=15))
    with pytest.raises(DomainError):
        services.add_condition(b, title="Sixteenth")


def test_the_database_refuses_negative_money_and_empty_tranches(gov, db_session):
    a = gov.agreement()
    with pytest.raises(IntegrityError):
        with db_session.begin_nested():
            db_session.add(FundingTranche(agreement_id=a.id, number=9, planned_on=date(2026, 1, 1), amount_pence=0))
            db_session.flush()
    with pytest.raises(IntegrityError):
        with db_session.begin_nested():
            db_session.add(FundingYear(agreement_id=a.id, year_index=4, central_pence=0, local_pence=0))
            db_session.flush()
    with pytest.raises(IntegrityError):
        with db_session.begin_nested():
            a.local_pence = -1
            db_session.flush()


def test_the_database_refuses_a_release_without_its_check_in(gov, db_session):
    a = gov.agreement()
    with pytest.raises(IntegrityError):
        with db_session.begin_nested():
            a.tranches[0].released_at = utcnow()
            db_session.flush()
