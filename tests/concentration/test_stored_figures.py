"""The figures pages never compute on a request: they show the latest build (with when it was
built) and a data change queues a rebuild that a job does; a payload this app did not sign is
never unpickled."""
from __future__ import annotations

from sqlalchemy import select

from app import jobs
from app.concentration.models import FigureBuild
from app.concentration.services import dashboard, stored
from app.jobs.models import JobRun
from app.registry import services as registry
from app.registry.models import Organisation, System


def _no_computing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a request computed the figures")

    monkeypatch.setattr(dashboard, "compute_summary", refuse)
    monkeypatch.setattr(dashboard, "compute_dashboard", refuse)


def test_pages_show_the_stored_figures_while_a_job_rebuilds_them_after_a_change(client, login, db_session,
                                                                              monkeypatch):
    from app.accounts.models import User

    login(db_session.execute(select(User).where(User.email == "admin@demo.exemplar.nhs.uk")).unique().scalar_one())
    _no_computing(monkeypatch)
    page = client.get("/concentration/").get_data(as_text=True)
    assert "Figures built at" in page and "The data has changed since" not in page
    dash = client.get("/concentration/dashboard").get_data(as_text=True)
    assert "Figures built at" in dash

    trust = db_session.execute(select(Organisation).where(Organisation.kind == "trust", Organisation.closed_on.is_(None))
                               .order_by(Organisation.id.desc())).unique().scalars().first()
    system = db_session.execute(select(System).where(System.category == "acute_epr")).unique().scalars().first()
    registry.add_deployment(trust, system, status="live", confidence="high", source_text="test")
    db_session.commit()
    assert db_session.execute(select(JobRun).where(JobRun.name == "concentration.rebuild",
                                                   JobRun.status == "queued")).first() is not None
    builds_before = db_session.execute(select(FigureBuild.id)).scalars().all()

    stale = client.get("/concentration/").get_data(as_text=True)
    assert "The data has changed since: updated figures are being built" in stale  # still no computing

    monkeypatch.undo()
    jobs.drain()  # the worker rebuilds
    assert db_session.execute(select(FigureBuild.id)).scalars().all() != builds_before
    _no_computing(monkeypatch)
    fresh = client.get("/concentration/").get_data(as_text=True)
    assert "Figures built at" in fresh and "The data has changed since" not in fresh


def test_a_payload_not_signed_by_this_app_is_refused(app):
    with app.test_request_context():
        sealed = stored.seal({("acute_epr", "organisation"): "figures"})
        assert stored.unseal(sealed) == {("acute_epr", "organisation"): "figures"}
        forged = sealed[:32] + sealed[32:].replace(b"figures", b"FIGURES")
        assert stored.unseal(forged) is None
        assert stored.unseal(b"\x00" * 31) is None  # too short to be ours: refused, never loaded
