"""The sealed bid box, seen from outside: bids are submitted, revised and withdrawn through the bid
page; before the deadline every page, export and API answer an auditor (and the commercial team,
the buyer and an evaluator) can read is byte for byte what it was before the bids, the audit log
has no new entry, no id gap and no chain break; after the deadline the "bids opened" step by the
system clock joins the sealed entries to the log and `flask audit verify` passes.

The demo competition open for responses is used; the clock is frozen so that nothing but the bids
can change what the pages say.
"""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.api.services import create_token
from app.audit.models import AuditEvent
from app.competitions import clock as comp_clock
from app.competitions.models import Bid, Competition

OPEN = "(demo) Ambient voice pilot support"

#: Parts of a page that differ on every request whatever the data (tokens, nonces, request ids).
_VOLATILE = [re.compile(p) for p in (r'name="csrf_token"[^>]*value="[^"]*"', r'value="[^"]*"\s+name="csrf_token"',
                                     r'nonce="[^"]*"', r'"csrf_token":\s*"[^"]*"')]


def _normalise(body: bytes) -> bytes:
    text = body.decode("utf-8", "replace")
    for p in _VOLATILE:
        text = p.sub("", text)
    return text.encode()


@pytest.fixture()
def frozen(db_session):
    comp = db_session.execute(select(Competition).where(Competition.title == OPEN)).unique().scalar_one_or_none()
    if comp is None:
        pytest.skip("the demo competitions are not in the seed")
    now = comp_clock.now()
    comp_clock.set_source(lambda: now)
    yield comp, now
    comp_clock.set_source(None)  # (the tuple is not shown on failure: the command line ends the session)


def _user(db_session, email):
    return db_session.execute(select(User).where(User.email == email)).unique().scalar_one()


def _signed_in(app, user):
    """A client of its own for one person (no flashed message or session of anyone else's)."""
    from flask import g

    client = app.test_client()
    with client.session_transaction() as s:
        s["_user_id"], s["_fresh"] = user.get_id(), True
    g.pop("_login_user", None)
    return client


def _snapshot(app, db_session, comp, readers, tokens) -> dict[str, str]:
    """Every page, export and API answer the readers get about the log and the competitions."""
    from flask import g

    ocid = f"{app.config['OCDS_PREFIX']}-co-{comp.id}"
    last = db_session.scalar(select(func.max(AuditEvent.id)))
    pages = ["/audit/", "/audit/?format=csv", f"/audit/{last}", f"/audit/{last + 1}", "/audit/?q=bid",
             "/audit/?object_type=Bid", "/dashboard", "/competitions/", "/competitions/?format=csv",
             f"/competitions/{comp.id}", f"/competitions/{comp.id}/clarifications", f"/competitions/{comp.id}/notices",
             f"/competitions/{comp.id}/conflicts", f"/competitions/{comp.id}/evaluation", f"/competitions/{comp.id}/contract",
             f"/competitions/{comp.id}/outcome"]
    apis = ["/api/v1/competitions", f"/api/v1/competitions/{comp.id}", f"/api/v1/competitions/{comp.id}/bids",
            f"/api/v1/competitions/{comp.id}/scores", "/ocds/releases.json?per_page=100",
            "/ocds/releases.json?per_page=100&page=2", f"/ocds/records/{ocid}", "/open-data"]
    seen = {}
    for email in readers:
        client = _signed_in(app, _user(db_session, email))
        for url in pages:
            g.pop("_login_user", None)
            r = client.get(url)
            seen[f"{email} {url}"] = f"{r.status_code} {hashlib.sha256(_normalise(r.data)).hexdigest()}"
        api = app.test_client()
        for url in apis:
            r = api.get(url, headers={"Authorization": f"Bearer {tokens[email]}"})
            seen[f"{email} API {url}"] = f"{r.status_code} {hashlib.sha256(_normalise(r.data)).hexdigest()}"
    return seen


def _log(db_session) -> tuple[int, int, str]:
    count = db_session.scalar(select(func.count()).select_from(AuditEvent))
    last = db_session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    return count, last[0], last[1]


def test_bids_leave_no_trace_before_the_deadline_and_join_the_chain_at_the_opening(
        app, db_session, make, runner, frozen):
    comp, _ = frozen
    readers = ["auditor@demo.exemplar.nhs.uk", "admin@demo.exemplar.nhs.uk", "buyer@demo.exemplar.nhs.uk",
               "evaluator@demo.exemplar.nhs.uk"]
    tokens = {email: create_token(_user(db_session, email), name="sealed box", scope="read")[1] for email in readers}
    # Bidders: the demo exemplar, and a manager for a second invited trust (made before the first look).
    other_org = next(i.organisation for i in comp.invitations if i.organisation.ods_code != "RBL"
                     and i.status == "invited" and not db_session.execute(select(Bid.id).where(
                         Bid.competition_id == comp.id, Bid.organisation_id == i.organisation_id)).first())
    second = make.user("exemplar_manager", org=other_org)
    comp_id, deadline, criteria, second_id = comp.id, comp.response_deadline, [c.id for c in comp.criteria], second.id
    db_session.commit()
    verify = runner.invoke(args=["audit", "verify"])  # (the command ends the session: objects are read again)
    assert verify.exit_code == 0
    comp = db_session.get(Competition, comp_id)
    before_log = _log(db_session)
    before = _snapshot(app, db_session, comp, readers, tokens)

    def bid(user, price, key, text):
        data = {"price": price, "idempotency_key": key, "documents": "", **{f"answer_{c}": text for c in criteria}}
        assert _signed_in(app, user).post(f"/competitions/{comp_id}/bid", data=data).status_code == 302

    exemplar = _user(db_session, "exemplar@demo.exemplar.nhs.uk")
    bid(exemplar, "25000", "k-1", "Our approach to ambient voice")
    bid(exemplar, "24000", "k-2", "Our revised approach")
    second = db_session.get(User, second_id)
    bid(second, "26000", "k-3", "A second bidder's answer")
    assert _signed_in(app, second).post(f"/competitions/{comp_id}/bid/withdraw").status_code == 302
    assert db_session.scalar(select(func.count()).select_from(Bid).where(Bid.competition_id == comp_id)) >= 2

    assert _log(db_session) == before_log  # not an entry, not an id, not a new head hash
    after = _snapshot(app, db_session, db_session.get(Competition, comp_id), readers, tokens)
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == []
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and verify.output == runner.invoke(args=["audit", "verify"]).output

    # The deadline passes; the scheduler's tick opens the bids.
    comp_clock.set_source(lambda: deadline + timedelta(minutes=1))
    assert runner.invoke(args=["competitions", "tick"]).exit_code == 0
    ids = db_session.execute(select(AuditEvent.id).order_by(AuditEvent.id)).scalars().all()
    assert ids == list(range(1, len(ids) + 1))  # still no gap
    opening = db_session.execute(select(AuditEvent).where(AuditEvent.action == "competition.bids_opened",
                                                          AuditEvent.object_id == str(comp_id))).scalar_one()
    assert opening.actor_label == "system (clock)" and opening.actor_id is None
    joined = db_session.execute(select(AuditEvent.action).where(AuditEvent.id > opening.id, AuditEvent.object_type == "Bid")
                                ).scalars().all()
    assert joined.count("bid.submit") >= 3 and "bid.withdraw" in joined
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    auditor = _signed_in(app, _user(db_session, "auditor@demo.exemplar.nhs.uk"))
    assert "Sealed bid revision" in auditor.get("/audit/?object_type=Bid").text
