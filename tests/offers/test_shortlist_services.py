"""Projects and shortlists: saved searches, entries that keep the version seen, privacy."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.errors import DomainError, NotAllowed
from app.offers import services
from app.offers.projects import services as shortlists
from app.offers.models import ShortlistEntry
from app.registry import services as registry


def test_a_buyer_starts_a_project_with_a_unique_name_in_its_organisation(world, project):
    assert project.organisation_id == world.follower.id
    with pytest.raises(DomainError, match="already has a project"):
        shortlists.create_project(world.follower, name="  Zebra EPR   optimisation partner ")
    other = shortlists.create_project(world.other_follower, name="Zebra EPR optimisation partner")
    assert other.id != project.id


def test_a_project_needs_a_name(world):
    with pytest.raises(DomainError) as e:
        shortlists.create_project(world.follower, name="   ")
    assert e.value.field == "name"


def test_a_saved_search_is_kept_as_a_clean_query_string(project):
    shortlists.save_search(project, "q=epic+optimisation&region=Y62&page=4&sort=bogus&junk=1")
    assert project.search_query == "q=epic+optimisation&region=Y62"


def test_shortlisting_keeps_the_version_the_buyer_saw(world, project, db_session):
    offer = world.offer(price_pence=80_000)
    seen = offer.current_version
    entry = shortlists.add_to_shortlist(project, offer, reason="Runs the same EPR as us")
    services.update_offer(offer, world.content(title=seen.title, price_pence=99_000))
    assert entry.offer_version_id == seen.id
    row = shortlists.comparison(project)[0]
    assert row.version.price_pence == 80_000 and row.newer_version and row.still_available
    audit = db_session.execute(select(AuditEvent).where(AuditEvent.action == "shortlist.add")
                               .order_by(AuditEvent.id.desc())).scalars().first()
    assert "Runs the same EPR as us" in audit.summary


def test_a_reason_is_required(world, project):
    with pytest.raises(DomainError) as e:
        shortlists.add_to_shortlist(project, world.offer(), reason="  ")
    assert e.value.field == "reason"


def test_an_offer_is_on_a_shortlist_once(world, project, db_session):
    offer = world.offer()
    shortlists.add_to_shortlist(project, offer, reason="Good")
    with pytest.raises(DomainError, match="already"):
        shortlists.add_to_shortlist(project, offer, reason="Again")
    # The database says so too.
    db_session.add(ShortlistEntry(project_id=project.id, offer_id=offer.id, offer_version_id=offer.current_version_id,
                                  reason="sneaky"))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_only_available_offers_can_be_shortlisted(world, project):
    draft = world.offer(publish=False)
    with pytest.raises(DomainError, match="not available"):
        shortlists.add_to_shortlist(project, draft, reason="x")
    offer = world.offer()
    registry.suspend_exemplar(registry.find_membership(world.lot, world.exemplar_a), reason="Review")
    with pytest.raises(DomainError, match="not available"):
        shortlists.add_to_shortlist(project, offer, reason="x")


def test_a_trust_cannot_shortlist_its_own_offer(world):
    own = shortlists.create_project(world.exemplar_a, name="Ourselves")
    with pytest.raises(DomainError, match="own organisation"):
        shortlists.add_to_shortlist(own, world.offer(), reason="x")


def test_removing_an_entry_takes_it_off_the_shortlist(world, project, db_session):
    entry = shortlists.add_to_shortlist(project, world.offer(), reason="Good")
    shortlists.remove_from_shortlist(entry)
    db_session.flush()
    assert project.entries == []
    assert db_session.execute(select(AuditEvent).where(AuditEvent.action == "shortlist.remove")).first()


def test_another_organisation_cannot_change_a_project(world, project):
    offer = world.offer()
    with pytest.raises(NotAllowed):
        shortlists.add_to_shortlist(project, offer, reason="x", actor=world.other_buyer)
    with pytest.raises(NotAllowed):
        shortlists.save_search(project, "q=x", actor=world.other_buyer)
    entry = shortlists.add_to_shortlist(project, offer, reason="ok", actor=world.buyer)
    with pytest.raises(NotAllowed):
        shortlists.remove_from_shortlist(entry, actor=world.other_buyer)


def test_the_comparison_marks_offers_no_longer_available(world, project):
    offer = world.offer()
    shortlists.add_to_shortlist(project, offer, reason="Good")
    services.withdraw_offer(offer)
    assert shortlists.comparison(project)[0].still_available is False


def test_the_comparison_carries_the_exemplars_track_record(world, project, make):
    from app.registry.models import Partnership

    make.session.add(Partnership(follower_id=world.other_follower.id, exemplar_id=world.exemplar_a.id,
                                 origin="call_off"))
    make.session.flush()
    shortlists.add_to_shortlist(project, world.offer(), reason="Good")
    assert shortlists.comparison(project)[0].track.followers_served == 1


def _fake_concentration(monkeypatch, **functions):
    """Stand in for app.concentration.services (another domain's module) with the given functions."""
    import sys
    import types

    import app.concentration

    module = types.ModuleType("app.concentration.services")
    for name, fn in functions.items():
        setattr(module, name, fn)
    monkeypatch.setitem(sys.modules, "app.concentration.services", module)
    monkeypatch.setattr(app.concentration, "services", module, raising=False)


def test_the_convergence_hook_fills_delta_hhi_when_concentration_offers_it(world, project, monkeypatch):
    import types

    shortlists.add_to_shortlist(project, world.offer(), reason="Good")
    rows = shortlists.comparison(project)
    fake = types.SimpleNamespace(delta=42.5, system_name="Zebra EPR")
    _fake_concentration(monkeypatch, what_if_for_shortlist=lambda follower, exemplars: {e.id: fake for e in exemplars})
    assert shortlists.convergence_impact(world.follower, rows) is True
    assert rows[0].delta_hhi == 42.5 and rows[0].impact is fake


def test_without_the_concentration_function_the_hook_leaves_the_column_out(world, project, monkeypatch):
    shortlists.add_to_shortlist(project, world.offer(), reason="Good")
    rows = shortlists.comparison(project)
    _fake_concentration(monkeypatch)
    assert shortlists.convergence_impact(world.follower, rows) is False
    assert rows[0].delta_hhi is None
