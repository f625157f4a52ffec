"""Pages: the whole journey through the browser's forms, and who sees what at each stage."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.competitions.models import Bid, BidRevision
from app.competitions.models import Competition
from app.competitions.award import services as award_svc
from app.competitions.conflicts import services as conflicts
from app.competitions.notices import services as notices


def form_key(html: str) -> str:
    return re.search(r'name="idempotency_key"[^>]*value="([0-9a-f]+)"', html).group(1)


def test_the_buyer_sets_up_and_publishes_a_competition_through_the_pages(world, client, login, db_session):
    login(world.buyer)
    page = client.get("/competitions/new")
    assert page.status_code == 200 and "Start a competition" in page.text
    r = client.post("/competitions/new", data={"title": "PAS replacement help", "requirement": "We need help.",
                                               "lot": str(world.lot.id), "budget": "125,000.50"})
    assert r.status_code == 302
    comp = db_session.execute(select(Competition).where(Competition.title == "PAS replacement help")).scalar_one()
    assert comp.budget_pence == 12_500_050 and comp.status == "draft"
    base = f"/competitions/{comp.id}"
    assert "Not ready to publish" in client.get(base).text
    crit = [c.framework_criterion_id for c in comp.criteria]
    r = client.post(f"{base}/method", data={f"use_{crit[0]}": "y", f"weight_{crit[0]}": "40", f"use_{crit[1]}": "y",
                                            f"weight_{crit[1]}": "30", "price_weight": "30", "scale_max": "4",
                                            "threshold_percent": "50", "abnormally_low_percent": "25"})
    assert r.status_code == 302
    r = client.post(f"{base}/timetable", data={"clarification_days": "2", "response_days": "8", "standstill_days": "8",
                                               "deadline_time": "12:00"})
    assert r.status_code == 302
    r = client.post(f"{base}/invitees", data={"invitees": [str(o.id) for o, _ in world.exemplars[:3]]})
    assert r.status_code == 302
    r = client.post(f"{base}/evaluators", data={"evaluators": [str(u.id) for u in world.evaluators]})
    assert r.status_code == 302
    r = client.post(f"{base}/publish")
    assert r.status_code == 302
    db_session.refresh(comp)
    assert comp.status == "clarification" and len(comp.criteria) == 2 and comp.price_weight == 30


def test_weights_that_break_the_framework_rules_are_shown_on_the_form(world, client, login, db_session):
    comp = world.competition()
    db_session.commit()  # setup survives a rollback inside a request
    login(world.buyer)
    crit = comp.criteria[0].framework_criterion_id
    r = client.post(f"/competitions/{comp.id}/method", data={f"use_{crit}": "y", f"weight_{crit}": "10",
                                                             "price_weight": "30", "scale_max": "4",
                                                             "threshold_percent": "0", "abnormally_low_percent": "25"})
    assert r.status_code == 200
    assert "There is a problem" in r.text and "add up to 100" in r.text


def test_a_bid_is_submitted_revised_and_withdrawn_through_the_page_with_an_idempotency_key(world, client, login,
                                                                                          db_session):
    comp = world.published()
    org, manager = world.exemplars[0]
    login(manager)
    page = client.get(f"/competitions/{comp.id}/bid")
    assert page.status_code == 200
    key = form_key(page.text)
    data = {"price": "45000", "documents": "https://example.org/plan", "idempotency_key": key,
            **{f"answer_{c.id}": f"Answer {c.id}" for c in comp.criteria}}
    assert client.post(f"/competitions/{comp.id}/bid", data=data).status_code == 302
    assert client.post(f"/competitions/{comp.id}/bid", data={**data, "price": "1"}).status_code == 302  # a retry
    bid = db_session.execute(select(Bid).where(Bid.organisation_id == org.id)).scalar_one()
    assert bid.price_pence == 4_500_000 and bid.revision == 1
    key2 = form_key(client.get(f"/competitions/{comp.id}/bid").text)
    assert key2 != key
    client.post(f"/competitions/{comp.id}/bid", data={**data, "price": "40000", "idempotency_key": key2})
    db_session.refresh(bid)
    assert bid.price_pence == 4_000_000 and bid.revision == 2
    assert client.post(f"/competitions/{comp.id}/bid/withdraw").status_code == 302
    db_session.refresh(bid)
    assert bid.status == "withdrawn"
    assert len(db_session.execute(select(BidRevision).where(BidRevision.bid_id == bid.id)).scalars().all()) == 3


def test_a_late_bid_is_refused_on_the_page_with_a_clear_message(world, client, login, clock, db_session):
    comp = world.published()
    db_session.commit()  # setup survives a rollback inside a request
    _, manager = world.exemplars[0]
    login(manager)
    key = form_key(client.get(f"/competitions/{comp.id}/bid").text)
    clock.set(comp.response_deadline)
    r = client.post(f"/competitions/{comp.id}/bid", data={"price": "1", "idempotency_key": key,
                                                          **{f"answer_{c.id}": "x" for c in comp.criteria}})
    assert r.status_code == 200 and "This competition is not open for bids" in r.text


def test_a_missing_answer_is_shown_on_the_form_and_nothing_typed_is_lost(world, client, login, db_session):
    comp = world.published()
    db_session.commit()  # setup survives a rollback inside a request
    login(world.exemplars[0][1])
    key = form_key(client.get(f"/competitions/{comp.id}/bid").text)
    r = client.post(f"/competitions/{comp.id}/bid", data={"price": "100", "idempotency_key": key,
                                                          f"answer_{comp.criteria[0].id}": "Kept text"})
    assert r.status_code == 200 and "There is a problem" in r.text and "Kept text" in r.text


def test_get_pages_never_write_the_derived_status(world, client, login, clock, db_session):
    comp = world.published()
    db_session.commit()  # setup survives a rollback inside a request
    clock.set(comp.response_deadline + timedelta(hours=1))
    login(world.buyer)
    r = client.get(f"/competitions/{comp.id}")
    assert r.status_code == 200 and "Closed" in r.text
    db_session.refresh(comp)
    assert comp.status == "clarification"  # only a write (POST or tick) stores it


def test_clarifications_are_asked_and_published_through_the_pages(world, client, login, db_session):
    comp = world.published()
    db_session.commit()  # setup survives a rollback inside a request
    login(world.exemplars[0][1])
    assert client.post(f"/competitions/{comp.id}/clarifications", data={"question": "Is data migration in scope?"}
                       ).status_code == 302
    login(world.buyer)
    page = client.get(f"/competitions/{comp.id}/clarifications")
    assert "Is data migration in scope?" in page.text
    item = comp.clarifications[0]
    r = client.post(f"/competitions/{comp.id}/clarifications/{item.id}/answer",
                    data={"published_question": "Is migration in scope?", "answer": "Yes, from the old PAS."})
    assert r.status_code == 302
    login(world.exemplars[1][1])
    page = client.get(f"/competitions/{comp.id}/clarifications")
    assert "Yes, from the old PAS." in page.text and "data migration" not in page.text


def _scoring(world, client, login, db_session):
    comp = world.published()
    db_session.commit()  # setup survives a rollback inside a request
    bids = [world.bid(comp, 0, 5_000_000), world.bid(comp, 1, 4_000_000)]
    world.after_deadline(comp)
    for ev in world.evaluators:  # declare before the evaluation, on their own page
        login(ev)
        page = client.get(f"/competitions/{comp.id}/evaluate")
        assert "conflicts assessment" in page.text and "Our answer" not in page.text
        client.post(f"/competitions/{comp.id}/evaluate", data={"step": "declare", "declare-has_conflict": "no"})
    login(world.buyer)
    client.post(f"/competitions/{comp.id}/start-evaluation")
    db_session.refresh(comp)
    assert comp.evaluation_started_at is None  # the buyer has not declared: the conflicts assessment is incomplete
    own = conflicts.declaration_of(comp, world.buyer)
    assert client.post(f"/competitions/{comp.id}/conflicts/{own.id}/declare",
                       data={"has_interest": "no"}).status_code == 302
    assert client.post(f"/competitions/{comp.id}/conflicts/confirm").status_code == 302
    assert "Complete" in client.get(f"/competitions/{comp.id}/conflicts").text
    assert client.post(f"/competitions/{comp.id}/start-evaluation").status_code == 302
    return comp, bids


def test_evaluation_moderation_and_award_through_the_pages(world, client, login, clock, db_session):
    comp, bids = _scoring(world, client, login, db_session)
    for ev in world.evaluators:
        login(ev)
        assert "Our answer" in client.get(f"/competitions/{comp.id}/evaluate").text
        marks = {f"mark_{b.id}_{c.id}": "3" for b in bids for c in comp.criteria}
        comments = {f"comment_{b.id}_{c.id}": "Good" for b in bids for c in comp.criteria}
        assert client.post(f"/competitions/{comp.id}/evaluate", data={"step": "submit", **marks, **comments}
                           ).status_code == 302
    login(world.buyer)
    for b, m in zip(bids, ("4", "2")):
        r = client.post(f"/competitions/{comp.id}/moderate/{b.id}",
                        data={**{f"mark_{c.id}": m for c in comp.criteria},
                              **{f"rationale_{c.id}": f"Agreed mark {m}" for c in comp.criteria}})
        assert r.status_code == 302
    page = client.get(f"/competitions/{comp.id}/evaluation")
    assert "Announce the intention to award" in page.text and "Total" in page.text
    assert "Convergence impact" in page.text  # the concentration domain's what_if_award, per bidder
    r = client.post(f"/competitions/{comp.id}/intend", data={"note": " "})
    assert r.status_code == 200 and "Enter the reason for the award" in r.text
    assert client.post(f"/competitions/{comp.id}/intend", data={"note": "Best value"}).status_code == 302
    db_session.refresh(comp)
    assert comp.status == "standstill" and comp.standstill_ends_at is None
    uk6 = notices.find(comp, "UK6", f"award-{award_svc.current_award(comp).id}")
    assert "Best value" in client.get(f"/competitions/{comp.id}/notices/{uk6.id}").text
    assert client.post(f"/competitions/{comp.id}/notices/{uk6.id}", data={"reviewed": "y"}).status_code == 302
    db_session.refresh(comp)
    assert comp.standstill_ends_at is not None
    login(world.exemplars[1][1])
    outcome = client.get(f"/competitions/{comp.id}/outcome")
    assert outcome.status_code == 200 and "not successful" in outcome.text and "Winning bid" in outcome.text
    assert "Agreed mark 4" in outcome.text and "Agreed mark 2" in outcome.text  # the moderated reasons, both sides
    login(world.buyer)
    clock.set(comp.standstill_ends_at)
    r = client.post(f"/competitions/{comp.id}/award", data={
        "value": "48000", "starts_on-day": "4", "starts_on-month": "1", "starts_on-year": "2027",
        "ends_on-day": "31", "ends_on-month": "12", "ends_on-year": "2027"})
    assert r.status_code == 302
    db_session.refresh(comp)
    assert comp.status == "awarded"
    partnership = award_svc.current_award(comp) and __import__(
        "app.competitions.queries", fromlist=["x"]).partnership_of(comp)
    page = client.get(f"/competitions/partnerships/{partnership.id}")
    assert page.status_code == 200 and "Go-live" in page.text
    go_live = partnership.milestones[1]
    r = client.post(f"/competitions/partnerships/{partnership.id}/milestones/{go_live.id}", data={
        "actual_on-day": "1", "actual_on-month": "12", "actual_on-year": "2026"})
    assert r.status_code == 302


def test_an_award_term_over_the_framework_limit_is_shown_on_the_form(world, client, login, clock, db_session):
    comp, bids, award = world.in_standstill()
    db_session.commit()  # setup survives a rollback inside a request
    clock.set(comp.standstill_ends_at)
    login(world.buyer)
    r = client.post(f"/competitions/{comp.id}/award", data={
        "value": "1", "starts_on-day": "4", "starts_on-month": "1", "starts_on-year": "2027",
        "ends_on-day": "4", "ends_on-month": "1", "ends_on-year": "2030"})
    assert r.status_code == 200 and "at most 24 months" in r.text


def test_cancelling_needs_a_reason(world, client, login, db_session):
    comp = world.published()
    db_session.commit()  # setup survives a rollback inside a request
    login(world.buyer)
    r = client.post(f"/competitions/{comp.id}/cancel", data={"reason": ""})
    assert r.status_code == 200 and "Enter a reason" in r.text
    assert client.post(f"/competitions/{comp.id}/cancel", data={"reason": "Budget cut"}).status_code == 302
    db_session.refresh(comp)
    assert comp.status == "cancelled"


def test_an_illegal_action_is_refused_with_a_clear_message_not_an_error_page(world, client, login, db_session):
    comp = world.published()
    db_session.commit()  # setup survives a rollback inside a request
    login(world.buyer)
    r = client.post(f"/competitions/{comp.id}/start-evaluation", follow_redirects=True)
    assert r.status_code == 200 and "You cannot start the evaluation of a competition that is clarification" in r.text


def test_the_inbox_lists_and_opens_notifications(world, client, login, db_session):
    world.published()
    db_session.commit()  # setup survives a rollback inside a request
    login(world.exemplars[0][1])
    page = client.get("/competitions/inbox")
    assert page.status_code == 200 and "Invitation to bid" in page.text
    nid = re.search(r'/competitions/inbox/(\d+)"', page.text).group(1)
    r = client.post(f"/competitions/inbox/{nid}")
    assert r.status_code == 302 and "/competitions/" in r.headers["Location"]
    login(world.exemplars[3][1])
    assert client.post(f"/competitions/inbox/{nid}").status_code == 404  # someone else's


def test_the_list_can_be_downloaded_as_csv(world, client, login, db_session):
    world.published()
    db_session.commit()  # setup survives a rollback inside a request
    login(world.buyer)
    r = client.get("/competitions/?format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv" and "EPR go-live support" in r.text


def test_the_tick_command_writes_due_changes(world, runner, clock, db_session):
    comp = world.published()
    db_session.commit()  # setup survives a rollback inside a request
    clock.set(comp.response_deadline)
    result = runner.invoke(args=["competitions", "tick"])
    assert result.exit_code == 0 and "closed" in result.output


def test_every_problem_on_the_bid_form_shows_at_once_each_on_its_field(world, client, login, db_session):
    from tests.formcheck import field_messages, summary_links

    comp = world.published()
    db_session.commit()  # setup survives a rollback inside a request
    login(world.exemplars[0][1])
    key = form_key(client.get(f"/competitions/{comp.id}/bid").text)
    first, *rest = comp.criteria
    r = client.post(f"/competitions/{comp.id}/bid", data={"price": "lots", "idempotency_key": key,
                                                          f"answer_{first.id}": "Kept text"})
    links = summary_links(r.text)
    assert set(links) == {"price"} | {f"answer_{c.id}" for c in rest}, links
    assert all(c.name in links[f"answer_{c.id}"] for c in rest)
    assert set(field_messages(r.text)) == set(links)
    assert "Kept text" in r.text


def test_the_scoring_page_names_and_highlights_each_bad_mark(world, client, login, clock, db_session):
    from tests.formcheck import field_messages, summary_links

    comp, bids = _scoring(world, client, login, db_session)
    ev = world.evaluators[0]
    login(ev)
    client.post(f"/competitions/{comp.id}/evaluate", data={"step": "declare", "declare-has_conflict": "no"})
    c0, c1 = comp.criteria[:2]
    data = {f"mark_{b.id}_{c.id}": "3" for b in bids for c in comp.criteria}
    data |= {f"comment_{b.id}_{c.id}": "Good" for b in bids for c in comp.criteria}
    data |= {f"mark_{bids[0].id}_{c0.id}": "7", f"mark_{bids[1].id}_{c1.id}": "lots",
             f"comment_{bids[1].id}_{c0.id}": ""}
    r = client.post(f"/competitions/{comp.id}/evaluate", data={"step": "save", **data})
    html = r.get_data(as_text=True)
    links = summary_links(html)
    bad = {f"mark_{bids[0].id}_{c0.id}", f"mark_{bids[1].id}_{c1.id}", f"comment_{bids[1].id}_{c0.id}"}
    assert set(links) == bad, links
    assert links[f"mark_{bids[0].id}_{c0.id}"] == (f"{bids[0].organisation.display_name}, {c0.name}: "
                                                    f"enter a mark from 0 to {comp.scale_max}.")
    assert set(field_messages(html)) == bad
    assert 'value="lots"' in html  # what was typed is kept


def test_moderation_fills_in_the_agreed_marks_and_asks_why_only_where_evaluators_differ(world, client, login, clock,
                                                                                        db_session):
    from tests.formcheck import summary_links

    comp, bids = _scoring(world, client, login, db_session)
    c0, *others = comp.criteria
    for ev, first_mark in zip(world.evaluators, ("1", "3")):  # they differ on the first question only
        login(ev)
        client.post(f"/competitions/{comp.id}/evaluate", data={"step": "declare", "declare-has_conflict": "no"})
        marks = {f"mark_{b.id}_{c.id}": (first_mark if c is c0 else "2") for b in bids for c in comp.criteria}
        comments = {f"comment_{b.id}_{c.id}": "Evidence given" for b in bids for c in comp.criteria}
        assert client.post(f"/competitions/{comp.id}/evaluate", data={"step": "submit", **marks, **comments}
                           ).status_code == 302
    login(world.buyer)
    url = f"/competitions/{comp.id}/moderate/{bids[0].id}"
    page = client.get(url).get_data(as_text=True)
    for c in others:
        assert re.search(rf'name="mark_{c.id}"[^>]*value="2"', page)
    assert not re.search(rf'name="mark_{c0.id}"[^>]*value="\d"', page)
    # The buyer settles the one question where evaluators differ; the agreed ones need nothing more.
    refused = client.post(url, data={f"mark_{c0.id}": "2", **{f"mark_{c.id}": "2" for c in others}})
    assert set(summary_links(refused.get_data(as_text=True))) == {f"rationale_{c0.id}"}
    done = client.post(url, data={f"mark_{c0.id}": "2", f"rationale_{c0.id}": "Evidence is partial",
                                  **{f"mark_{c.id}": "2" for c in others}})
    assert done.status_code == 302
