"""Who may see and do what, per role, at every stage; and sealed bids: before the deadline nothing
reveals a bid's content, or even how many there are, to anyone but the bidder."""
from __future__ import annotations

from datetime import date

import pytest

from app.competitions.award import services as award_svc
from app.competitions.notices import services as notices

ROLES = ["anonymous", "buyer", "other_buyer", "evaluator", "bidder", "invitee", "outsider", "admin", "auditor"]
STAGES = ["draft", "open", "closed", "evaluation", "standstill", "awarded"]
SECRET = "SEALED-ANSWER-7Q"
PRICE_PENCE = 1_234_567


def build(world, stage):
    """A competition at a stage; exemplar 0 has bid (with a recognisable answer), exemplar 2 is
    invited and has not, exemplar 3 is not invited."""
    if stage == "draft":
        return world.competition()
    if stage in ("open", "closed"):
        comp = world.published()
        world.bid(comp, 0, PRICE_PENCE, answers={c.id: SECRET for c in comp.criteria})
        world.bid(comp, 1, 2_000_000)
        if stage == "closed":
            world.after_deadline(comp)
        return comp
    comp, bids = world.evaluated(prices=(PRICE_PENCE, 2_000_000))
    if stage in ("standstill", "awarded"):
        award = award_svc.intend_award(comp, actor=world.buyer, note="Highest score")
        notices.publish(notices.find(comp, "UK6", f"award-{award.id}"), actor=world.buyer)
    if stage == "awarded":
        world.clock.set(comp.standstill_ends_at)
        award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=date(2027, 1, 4), ends_on=date(2027, 6, 1))
    return comp


def user_for(world, role):
    return {"buyer": world.buyer, "other_buyer": world.other_buyer, "evaluator": world.evaluators[0],
            "bidder": world.exemplars[0][1], "invitee": world.exemplars[2][1], "outsider": world.exemplars[3][1],
            "admin": world.admin, "auditor": world.auditor}.get(role)


def sign_in(world, role, login, logout):
    user = user_for(world, role)
    if user is None:
        logout()
    else:
        login(user)
    return user


def expected_overview(role, stage):
    if role == "anonymous":
        return 302  # sent to sign in first, for every competition and stage
    if role in ("buyer", "evaluator"):
        return 200
    if role in ("bidder", "invitee", "admin", "auditor"):
        return 404 if stage == "draft" else 200
    return 404


def expected_evaluation(role, stage):
    view = expected_overview(role, stage)
    if view in (302, 404):
        return view
    unsealed = stage not in ("draft", "open")
    if not unsealed or role in ("bidder", "invitee"):
        return 403
    if role == "evaluator":
        return 200 if stage in ("evaluation", "standstill", "awarded") else 403  # after declaring no conflict
    return 200


def expected_bid_page(role, stage):
    view = expected_overview(role, stage)
    if view in (302, 404):
        return view
    return 200 if role in ("bidder", "invitee") else 403


@pytest.mark.parametrize("stage", STAGES)
def test_each_role_sees_the_pages_it_should_at_each_stage(world, client, login, logout, db_session, stage):
    comp = build(world, stage)
    db_session.commit()
    for role in ROLES:
        sign_in(world, role, login, logout)
        got = {
            "overview": client.get(f"/competitions/{comp.id}").status_code,
            "evaluation": client.get(f"/competitions/{comp.id}/evaluation").status_code,
            "bid": client.get(f"/competitions/{comp.id}/bid").status_code,
        }
        want = {"overview": expected_overview(role, stage), "evaluation": expected_evaluation(role, stage),
                "bid": expected_bid_page(role, stage)}
        assert got == want, (role, stage)


@pytest.mark.parametrize("path", ["/details", "/method", "/timetable", "/invitees", "/evaluators", "/cancel"])
def test_only_the_buyer_may_change_a_draft(world, client, login, logout, db_session, path):
    comp = build(world, "draft")
    db_session.commit()
    for role in ROLES:
        sign_in(world, role, login, logout)
        code = client.get(f"/competitions/{comp.id}{path}").status_code
        want = 200 if role == "buyer" else 403 if role == "evaluator" else 302 if role == "anonymous" else 404
        assert code == want, (role, path)


@pytest.mark.parametrize("path", ["/publish", "/start-evaluation", "/intend"])
def test_only_the_buyer_may_take_the_lifecycle_actions(world, client, login, logout, db_session, path):
    comp = build(world, "open")
    db_session.commit()
    for role in ROLES:
        if role == "buyer":
            continue
        sign_in(world, role, login, logout)
        code = client.post(f"/competitions/{comp.id}{path}").status_code
        assert (code == 302) if role == "anonymous" else (code in (403, 404)), (role, path)


def test_the_list_needs_a_role_and_anonymous_people_are_sent_to_sign_in(world, client, logout):
    logout()
    r = client.get("/competitions/")
    assert r.status_code in (302, 401)


def test_a_signed_out_visitor_following_a_link_is_sent_to_sign_in_and_back(world, client, login, logout, db_session):
    """An e-mail links to a competition page: signed out, the visitor signs in and comes back to it.
    The same answer for a competition that does not exist, so the redirect tells nothing."""
    comp = build(world, "open")
    db_session.commit()
    logout()
    for path in (f"/competitions/{comp.id}", f"/competitions/{comp.id}/bid", "/competitions/999999"):
        r = client.get(path)
        assert r.status_code == 302, path
        assert r.headers["Location"] == "/sign-in?next=" + path.replace("/", "%2F"), path
    r = client.post(f"/competitions/{comp.id}/bid", data={})
    assert r.status_code == 302 and r.headers["Location"].startswith("/sign-in?next=")
    login(world.exemplars[3][1])  # signed in but not invited: still 404, the competition stays hidden
    assert client.get(f"/competitions/{comp.id}").status_code == 404


def test_the_list_shows_each_role_only_its_competitions(world, client, login, logout, db_session):
    comp = build(world, "open")
    draft = world.competition(title="Still a draft")
    db_session.commit()
    for role in ROLES[1:]:
        sign_in(world, role, login, logout)
        page = client.get("/competitions/").text
        assert ("EPR go-live support" in page) is (expected_overview(role, "open") == 200), role
        assert ("Still a draft" in page) is (role in ("buyer", "evaluator")), role
    assert comp.id != draft.id


def _pages_for(role, comp_id):
    pages = ["/competitions/", "/competitions/?format=csv", f"/competitions/{comp_id}",
             f"/competitions/{comp_id}/clarifications", f"/competitions/{comp_id}/evaluation",
             f"/competitions/{comp_id}/evaluate", "/competitions/inbox", "/dashboard"]
    if role in ("admin", "auditor"):
        pages += ["/audit/", "/audit/?format=csv"]
    if role == "invitee":
        pages.append(f"/competitions/{comp_id}/bid")
    return pages


@pytest.mark.parametrize("role", [r for r in ROLES if r != "bidder"])
def test_before_the_deadline_no_page_reveals_a_bid_or_how_many_there_are(world, client, login, logout, db_session,
                                                                          role):
    comp = build(world, "open")
    db_session.commit()
    sign_in(world, role, login, logout)
    for path in _pages_for(role, comp.id):
        response = client.get(path)
        assert response.status_code < 500, (role, path)
        body = response.get_data(as_text=True)
        if path == "/audit/?format=csv":
            assert "competition.publish" in body  # the log itself is there; only sealed entries are hidden
        assert SECRET not in body, (role, path)
        assert "12,345.67" not in body and "12345.67" not in body, (role, path)
        assert "Valid bids" not in body and "valid bid" not in body.lower(), (role, path)
        assert f"Sealed bid revision 1 for {comp.reference}" not in body, (role, path)


def test_the_bidder_sees_its_own_bid_before_the_deadline(world, client, login, db_session):
    comp = build(world, "open")
    db_session.commit()
    login(world.exemplars[0][1])
    page = client.get(f"/competitions/{comp.id}/bid").text
    assert SECRET in page and "12345.67" in page


def test_after_the_deadline_the_buyer_and_the_auditor_see_the_bids(world, client, login, db_session):
    comp = build(world, "evaluation")
    db_session.commit()
    login(world.buyer)
    assert "£12,345.67" in client.get(f"/competitions/{comp.id}/evaluation").text
    assert "Valid bids" in client.get(f"/competitions/{comp.id}").text
    login(world.auditor)
    assert f"Sealed bid revision 1 for {comp.reference}" in client.get("/audit/?format=csv").text


def test_an_evaluator_cannot_see_another_evaluators_scores_before_submitting(world, client, login, db_session):
    comp = build(world, "closed")
    from app.competitions.evaluation import services as evaluation
    from app.competitions.evaluation.services import Mark

    world.start_evaluation(comp)
    bids = evaluation.valid_bids(comp)
    a, b = world.evaluators
    evaluation.save_scores(comp, actor=a, marks={(x.id, c.id): Mark(2, "A-COMMENT-ZZ") for x in bids
                                                 for c in comp.criteria})
    evaluation.submit_scores(comp, actor=a)
    db_session.commit()
    login(b)
    assert "A-COMMENT-ZZ" not in client.get(f"/competitions/{comp.id}/evaluate").text
    login(a)
    assert "A-COMMENT-ZZ" in client.get(f"/competitions/{comp.id}/evaluate").text


def test_a_losing_bidder_sees_its_scores_beside_the_winners_but_not_the_other_bids(world, client, login, db_session):
    comp = build(world, "standstill")
    db_session.commit()
    login(world.exemplars[1][1])
    page = client.get(f"/competitions/{comp.id}/outcome")
    assert page.status_code == 200 and "Winning bid" in page.text
    assert SECRET not in page.text
    login(world.exemplars[2][1])  # invited, did not bid
    assert client.get(f"/competitions/{comp.id}/outcome").status_code == 404


def test_the_partnership_page_is_private_to_the_two_trusts_and_oversight(world, client, login, logout, db_session):
    from app.competitions import queries as reading

    comp = build(world, "awarded")
    p = reading.partnership_of(comp)
    db_session.commit()
    for role in ROLES:
        sign_in(world, role, login, logout)
        code = client.get(f"/competitions/partnerships/{p.id}").status_code
        want = 200 if role in ("buyer", "evaluator", "bidder", "admin", "auditor") else 302 if role == "anonymous" else 404
        assert code == want, role
    for role, want in (("buyer", 200), ("evaluator", 403), ("bidder", 403), ("auditor", 403)):
        sign_in(world, role, login, logout)
        code = client.get(f"/competitions/partnerships/{p.id}/milestones/{p.milestones[0].id}").status_code
        assert code == want, role
