"""The audit log knows nothing of what it records: a domain tells it what is sealed
(app/audit/sealing.py), and the log's pages hide the entries about those objects until the seal
is broken."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit import sealing
from app.audit.models import AuditEvent
from app.audit.services import record


@pytest.fixture()
def sealed_things(monkeypatch, db_session):
    """A made-up kind of object, "Thing", registered as sealed while its id is in the set; the
    app's own registrations are put back afterwards."""
    monkeypatch.setattr(sealing, "_SEALED", dict(sealing._SEALED))
    sealed: set[str] = set()
    sealing.register("Thing", lambda: select(AuditEvent.object_id).where(
        AuditEvent.object_type == "Thing", AuditEvent.object_id.in_(sorted(sealed))))
    return sealed


def test_the_competitions_register_their_sealed_bids(app):
    assert "Bid" in sealing._SEALED


def test_entries_about_a_sealed_object_stay_hidden_until_its_seal_is_broken(client, as_role, db_session,
                                                                              sealed_things):
    hidden = record("thing.touch", object_type="Thing", object_id=7, summary="quokka thing touched")
    shown = record("thing.touch", object_type="Thing", object_id=8, summary="wombat thing touched")
    other = record("other.touch", object_type="Other", object_id=7, summary="numbat other touched")
    db_session.commit()
    sealed_things.add("7")
    as_role("auditor")
    page = client.get("/audit/?q=touched").text
    assert "quokka" not in page and "wombat" in page and "numbat" in page  # only Thing 7 is sealed
    assert "quokka" not in client.get("/audit/?q=touched&format=csv").text
    assert client.get(f"/audit/{hidden.id}").status_code == 404
    assert client.get(f"/audit/{shown.id}").status_code == 200 and client.get(f"/audit/{other.id}").status_code == 200

    sealed_things.clear()  # the seal is broken (for a bid: the response deadline has passed)
    assert "quokka" in client.get("/audit/?q=touched").text
    assert client.get(f"/audit/{hidden.id}").status_code == 200


def test_with_nothing_registered_every_entry_shows(monkeypatch, db_session):
    monkeypatch.setattr(sealing, "_SEALED", {})
    entry = record("thing.touch", object_type="Thing", object_id=7, summary="quokka thing touched")
    assert db_session.execute(select(AuditEvent.id).where(sealing.visible(), AuditEvent.id == entry.id)).scalar() == entry.id
