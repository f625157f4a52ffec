"""Offer services: drafting, publishing, versions, withdrawal, the catalogue, and their rules."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import DomainError, IllegalTransition, NotAllowed
from app.offers import services
from app.offers.models import Offer, OfferVersion
from app.registry import services as registry


def _last_audit(session, action):
    return session.execute(select(AuditEvent).where(AuditEvent.action == action)
                           .order_by(AuditEvent.id.desc()).limit(1)).scalar_one_or_none()


def test_an_exemplar_drafts_an_offer_as_version_one(world, db_session):
    offer = world.offer(publish=False, systems=[world.system], price_pence=95_050)
    assert offer.status == "draft"
    assert offer.current_version.number == 1
    assert offer.current_version.price_pence == 95_050
    assert [s.name for s in offer.current_version.systems] == ["Zebra EPR"]
    assert "Zebra Systems Ltd" in offer.current_version.search_text
    assert _last_audit(db_session, "offer.create").object_id == str(offer.id)


def test_a_trust_that_is_not_a_member_of_the_lot_cannot_draft_on_it(world, make):
    outsider = make.org()
    with pytest.raises(DomainError, match="not a member"):
        services.create_offer(outsider, world.lot, world.content())


def test_an_offer_may_name_only_systems_the_exemplar_runs_live(world):
    with pytest.raises(DomainError, match="does not run Okapi PAS"):
        world.offer(publish=False, systems=[world.other_system])


def test_a_system_specific_capability_needs_a_system(world):
    with pytest.raises(DomainError, match="choose the system"):
        world.offer(publish=False, category=world.category("epr-optimisation"), systems=[])


def test_committed_capacity_cannot_exceed_capacity(world):
    with pytest.raises(DomainError) as e:
        world.offer(publish=False, capacity_per_quarter=2, capacity_committed=3)
    assert e.value.field == "capacity_committed"


@pytest.mark.parametrize("field,value", [("price_pence", -1), ("lead_time_weeks", -1), ("title", "  "),
                                         ("contact_email", "nobody"), ("evidence_links", "javascript:alert(1)"),
                                         ("pricing_model", "per_hour"), ("vat", "maybe")])
def test_bad_content_is_refused_with_a_message_for_the_field(world, field, value):
    with pytest.raises(DomainError):
        world.offer(publish=False, **{field: value})


def test_regions_served_must_be_regions(world):
    with pytest.raises(DomainError, match="regions"):
        world.offer(publish=False, regions=[world.follower])


def test_an_admitted_exemplar_publishes(world, db_session):
    offer = world.offer(publish=False)
    services.publish_offer(offer)
    assert offer.status == "published" and offer.published_at is not None
    assert _last_audit(db_session, "offer.publish").object_id == str(offer.id)


@pytest.mark.parametrize("status", ["applied", "suspended", "removed"])
def test_only_an_admitted_exemplar_can_publish(world, make, status):
    org = make.org()
    m = make.membership(world.lot, org, status="admitted")
    offer = world.offer(org=org, publish=False)
    m.status = status
    with pytest.raises(DomainError, match="Only an exemplar admitted"):
        services.publish_offer(offer)


def test_publishing_on_an_expired_framework_is_refused(world, make):
    offer = world.offer(publish=False)
    world.framework.status = "expired"
    with pytest.raises(DomainError, match="expired"):
        services.publish_offer(offer)


def test_a_published_offer_cannot_be_published_again(world):
    offer = world.offer()
    with pytest.raises(IllegalTransition):
        services.publish_offer(offer)


def test_a_draft_cannot_be_withdrawn(world):
    offer = world.offer(publish=False)
    with pytest.raises(IllegalTransition):
        services.withdraw_offer(offer)


def test_withdrawing_and_republishing_keeps_the_first_publication_date(world):
    offer = world.offer()
    first = offer.published_at
    services.withdraw_offer(offer, reason="Team busy")
    assert offer.status == "withdrawn" and offer.withdrawn_at is not None
    services.publish_offer(offer)
    assert offer.status == "published" and offer.published_at == first and offer.withdrawn_at is None


def test_editing_a_draft_changes_it_in_place(world):
    offer = world.offer(publish=False)
    v = services.update_offer(offer, world.content(title="Zebrafinch renamed"))
    assert v.number == 1 and offer.current_version.title == "Zebrafinch renamed"
    assert len(offer.versions) == 1


def test_every_edit_of_a_published_offer_makes_a_new_version(world, db_session):
    offer = world.offer(price_pence=80_000)
    first = offer.current_version
    v2 = services.update_offer(offer, world.content(title=first.title, price_pence=90_000))
    v3 = services.update_offer(offer, world.content(title=first.title, price_pence=90_000, lead_time_weeks=9))
    assert [v.number for v in offer.versions] == [1, 2, 3]
    assert offer.current_version_id == v3.id
    assert db_session.get(OfferVersion, first.id).price_pence == 80_000  # the old version is kept as it was
    assert v2.price_pence == 90_000
    history = services.version_history(offer)
    assert [v.number for v, _ in history] == [3, 2, 1]
    assert [c.field for c in history[0][1]] == ["lead_time_weeks"]
    assert [c.field for c in history[1][1]] == ["price_pence"]
    assert history[2][1] == []


def test_saving_with_nothing_changed_makes_no_version(world):
    offer = world.offer()
    same = services.update_offer(offer, world.content(title=offer.current_version.title))
    assert same.number == 1 and len(offer.versions) == 1


def test_an_exemplar_cannot_touch_another_exemplars_offer(world):
    offer = world.offer()
    with pytest.raises(NotAllowed):
        services.update_offer(offer, world.content(), actor=world.manager_b)
    with pytest.raises(NotAllowed):
        services.withdraw_offer(offer, actor=world.manager_b)
    with pytest.raises(NotAllowed):
        services.create_offer(world.exemplar_a, world.lot, world.content(), actor=world.manager_b)


def test_suspension_hides_an_offer_at_once_and_reinstatement_shows_it(world, make):
    offer = world.offer()
    assert services.is_visible(offer)
    membership = registry.find_membership(world.lot, world.exemplar_a)
    registry.suspend_exemplar(membership, reason="Review")
    assert not services.is_visible(offer)
    registry.reinstate_exemplar(membership, reason="Review done")
    assert services.is_visible(offer)


def test_the_commercial_team_adds_and_retires_capabilities(world, db_session):
    cat = services.create_category(name="Robotic process automation", description="Bots", system_specific=False)
    assert cat.slug == "robotic-process-automation"
    with pytest.raises(DomainError, match="already has"):
        services.create_category(name="robotic process automation")
    services.update_category(cat, name="RPA", description="Bots", system_specific=False, active=False)
    with pytest.raises(DomainError, match="catalogue"):
        world.offer(publish=False, category=cat)
    assert _last_audit(db_session, "capability.update").object_id == str(cat.id)


def test_the_catalogue_starts_with_the_ten_capabilities(world, db_session):
    from app.offers.models import CapabilityCategory

    names = db_session.execute(select(CapabilityCategory.name).order_by(CapabilityCategory.position)).scalars().all()
    assert names[:10] == ["EPR deployment support", "EPR optimisation", "Clinical decision support and AI",
                          "Ambient voice technology", "Federated data platform use cases", "Digital medicines",
                          "VCSE support", "Cyber security", "Infrastructure", "Change management and training"]


def test_money_is_stored_in_pence_and_checked_by_the_database(world, db_session):
    from sqlalchemy.exc import IntegrityError

    offer = world.offer(publish=False)
    offer.current_version.price_pence = -5
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_offer_points_at_its_current_version(world, db_session):
    offer = world.offer()
    services.update_offer(offer, world.content(title="Zebrafinch v2"))
    db_session.expire_all()
    fresh = db_session.get(Offer, offer.id)
    assert fresh.current_version.title == "Zebrafinch v2" and fresh.current_version.number == 2
