"""Admission and review pages: applying, assessing, deciding, reviewing, rating (views)."""
from __future__ import annotations

from datetime import date

from app.governance import services
from app.registry.models import Partnership


def _apply_form(lot, org, **over):
    data = {f"answer_{c.id}": v for c, v in zip(services.active_criteria(lot.framework),
                                                  ["4", "7", "yes", "Two go-lives", "A team of four"])}
    data["systems"] = [str(d.system_id) for d in services.live_deployments(org)]
    data.update(capacity_followers="2", links="Strategy https://example.nhs.uk/strategy.pdf\nhttps://example.nhs.uk/b")
    data.update(over)
    return data


def test_a_trust_sees_open_lots_and_applies(client, login, people, gov, db_session):
    org = people["org"]
    gov.make.deployment(org, gov.make.system(name="Careflow Test"), status="live")
    lot = gov.open_lot()
    db_session.commit()
    login(people["exemplar_manager"])
    html = client.get("/governance/applications/mine").get_data(as_text=True)
    assert f"/governance/lots/{lot.id}/apply" in html
    form = client.get(f"/governance/lots/{lot.id}/apply").get_data(as_text=True)
    assert "Digital maturity score" in form and "Careflow Test" in form
    response = client.post(f"/governance/lots/{lot.id}/apply", data=_apply_form(lot, org))
    assert response.status_code == 302
    application = services.open_application(lot, org)
    assert application is not None and len(application.links) == 2 and application.links[0].title == "Strategy"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The commercial team is assessing your application" in page


def test_a_bad_answer_redisplays_the_form_with_the_error_and_what_was_typed(client, login, people, gov, db_session):
    org = people["org"]
    gov.make.deployment(org, gov.make.system(), status="live")
    lot = gov.open_lot()
    db_session.commit()
    login(people["follower_buyer"])
    first = services.active_criteria(lot.framework)[0]
    response = client.post(f"/governance/lots/{lot.id}/apply",
                           data=_apply_form(lot, org, **{f"answer_{first.id}": "very mature", "statement": "Kept"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and f'href="#answer_{first.id}"' in html
    assert "very mature" in html and "Kept" in html
    assert services.open_application(lot, org) is None


def test_an_unfilled_form_shows_an_error_for_each_answer_and_never_a_server_error(client, login, people, gov, db_session):
    gov.make.deployment(people["org"], gov.make.system(), status="live")
    lot = gov.open_lot()
    db_session.commit()
    login(people["exemplar_manager"])
    response = client.post(f"/governance/lots/{lot.id}/apply", data={"links": "not a link"})
    assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True)


def test_a_closed_framework_shows_why_no_one_can_apply(client, login, people, gov, db_session):
    lot = gov.open_lot(status="live")
    db_session.commit()
    login(people["exemplar_manager"])
    html = client.get(f"/governance/lots/{lot.id}/apply").get_data(as_text=True)
    assert "only while the framework is open" in html and "Send application" not in html
    assert client.post(f"/governance/lots/{lot.id}/apply", data={}).status_code == 200


def test_a_draft_frameworks_lots_are_not_found(client, login, people, gov, db_session):
    lot = gov.open_lot(status="draft")
    db_session.commit()
    login(people["exemplar_manager"])
    assert client.get(f"/governance/lots/{lot.id}/apply").status_code == 404


def test_the_commercial_team_assesses_then_admits_and_the_trust_sees_the_reasons(client, switch_to, people, gov, db_session):
    org = people["org"]
    gov.make.deployment(org, gov.make.system(), status="live")
    lot = gov.open_lot()
    application = gov.apply(lot, org)
    db_session.commit()
    switch_to("commercial_admin")
    html = client.get(f"/governance/applications/{application.id}/assess").get_data(as_text=True)
    assert "Looks met against the minimum" in html
    data = {f"assessment_{a.id}": "met" for a in application.answers}
    data[f"comment_{application.answers[0].id}"] = "Score of 4 is well above 3"
    assert client.post(f"/governance/applications/{application.id}/assess", data=data).status_code == 302
    response = client.post(f"/governance/applications/{application.id}/decide",
                           data={"decision": "admit", "reason": "Every criterion met"})
    assert response.status_code == 302 and application.status == "admitted"
    switch_to("exemplar_manager")
    html = client.get(f"/governance/applications/{application.id}").get_data(as_text=True)
    assert "Decision: admitted" in html and "Every criterion met" in html and "Score of 4 is well above 3" in html


def test_the_trust_does_not_see_the_assessment_before_the_decision(client, switch_to, gov, people, db_session):
    org = people["org"]
    gov.make.deployment(org, gov.make.system(), status="live")
    application = gov.apply(gov.open_lot(), org)
    services.assess(application, {application.answers[0].id: ("not_met", "Internal note: score looks inflated")})
    db_session.commit()
    switch_to("exemplar_manager")
    html = client.get(f"/governance/applications/{application.id}").get_data(as_text=True)
    assert "score looks inflated" not in html


def test_deciding_too_early_shows_why_on_the_form(client, login, people, gov, db_session):
    application = gov.apply(gov.open_lot(), gov.trust())
    db_session.commit()
    login(people["commercial_admin"])
    response = client.post(f"/governance/applications/{application.id}/decide",
                           data={"decision": "reject", "reason": "No"})
    assert response.status_code == 200 and "Assess every criterion before deciding" in response.get_data(as_text=True)
    assert application.status == "submitted"


def test_a_not_met_criterion_without_a_comment_is_refused_on_the_form(client, login, people, gov, db_session):
    application = gov.apply(gov.open_lot(), gov.trust())
    db_session.commit()
    login(people["commercial_admin"])
    a = application.answers[0]
    response = client.post(f"/governance/applications/{application.id}/assess", data={f"assessment_{a.id}": "not_met"})
    assert response.status_code == 200 and f'href="#comment_{a.id}"' in response.get_data(as_text=True)


def test_the_applications_list_filters_by_status_and_downloads_as_csv(client, login, people, gov, db_session):
    application = gov.apply(gov.open_lot(), gov.trust())
    db_session.commit()
    login(people["auditor"])
    html = client.get("/governance/applications?status=submitted").get_data(as_text=True)
    assert application.organisation.ods_code in html
    csv = client.get("/governance/applications?format=csv")
    assert csv.mimetype == "text/csv" and application.organisation.ods_code in csv.get_data(as_text=True)
    assert client.get("/governance/applications?status=<script>").status_code == 200


def test_criteria_are_managed_on_the_framework_criteria_page(client, login, people, gov, db_session):
    lot = gov.open_lot(criteria=False)
    db_session.commit()
    login(people["commercial_admin"])
    slug = lot.framework.slug
    assert client.post(f"/governance/frameworks/{slug}/criteria/defaults").status_code == 302
    assert len(services.active_criteria(lot.framework)) == 5
    assert client.post(f"/governance/frameworks/{slug}/criteria",
                       data={"name": "Board sponsor", "kind": "yes_no"}).status_code == 302
    dup = client.post(f"/governance/frameworks/{slug}/criteria", data={"name": "board sponsor", "kind": "text"})
    assert dup.status_code == 200 and "already has a criterion" in dup.get_data(as_text=True)
    criterion = services.active_criteria(lot.framework)[-1]
    assert client.post(f"/governance/criteria/{criterion.id}/toggle").status_code == 302
    assert not criterion.active
    assert client.post(f"/governance/criteria/{criterion.id}/edit",
                       data={"name": "Board sponsor named", "kind": "yes_no"}).status_code == 302
    assert criterion.name == "Board sponsor named"


def test_a_review_suspends_with_conditions_and_a_later_one_reinstates(client, login, people, gov, db_session):
    membership = gov.make.membership(gov.open_lot(status="live"), gov.trust(), "admitted")
    db_session.commit()
    login(people["commercial_admin"])
    url = f"/governance/memberships/{membership.id}/review"
    page = client.get(url).get_data(as_text=True)
    assert "Suspend with conditions" in page and "Reinstate" not in page
    today = services.london_today()
    day = {"reviewed_on-day": today.day, "reviewed_on-month": today.month, "reviewed_on-year": today.year}
    missing = client.post(url, data={"decision": "suspend", "reason": "Missed go-lives", **day})
    assert missing.status_code == 200 and 'href="#conditions"' in missing.get_data(as_text=True)
    assert membership.status == "admitted"
    done = client.post(url, data={"decision": "suspend", "reason": "Missed go-lives", "conditions": "New plan", **day})
    assert done.status_code == 302 and membership.status == "suspended"
    again = client.get(url).get_data(as_text=True)
    assert "Reinstate" in again and "New plan" in again
    assert client.post(url, data={"decision": "reinstate", "reason": "Plan delivered", **day}).status_code == 302
    assert membership.status == "admitted"


def test_the_exemplars_page_lists_who_is_due_a_review(client, login, people, gov, db_session):
    membership = gov.make.membership(gov.open_lot(status="live"), gov.trust(), "suspended")
    db_session.commit()
    login(people["auditor"])
    html = client.get("/governance/exemplars").get_data(as_text=True)
    assert f"/governance/memberships/{membership.id}/review" in html and "Never reviewed" in html
    assert "text/csv" in client.get("/governance/exemplars?format=csv").content_type


def test_a_follower_buyer_rates_a_partnership(client, login, people, gov, db_session):
    exemplar = gov.trust()
    p = Partnership(follower=people["org"], exemplar=exemplar, origin="call_off", started_on=date(2025, 1, 1))
    db_session.add(p)
    db_session.flush()
    db_session.commit()
    login(people["follower_buyer"])
    assert f"/governance/partnerships/{p.id}/rate" in client.get("/governance/partnerships/mine").get_data(as_text=True)
    bad = client.post(f"/governance/partnerships/{p.id}/rate", data={"rating": "9", "comment": "x"})
    assert bad.status_code == 200 and "There is a problem" in bad.get_data(as_text=True)
    assert client.post(f"/governance/partnerships/{p.id}/rate",
                       data={"rating": "4", "comment": "Good support"}).status_code == 302
    assert "4 out of 5" in client.get("/governance/partnerships/mine").get_data(as_text=True)


def test_every_problem_with_an_application_shows_at_once(client, login, people, gov, db_session):
    from tests.formcheck import summary_links

    org = people["org"]
    gov.make.deployment(org, gov.make.system(), status="live")
    lot = gov.open_lot()
    db_session.commit()
    login(people["exemplar_manager"])
    first, second = services.active_criteria(lot.framework)[:2]
    r = client.post(f"/governance/lots/{lot.id}/apply",
                    data=_apply_form(lot, org, systems=[], links="not a link",
                                     **{f"answer_{first.id}": "very", f"answer_{second.id}": "-2"}))
    links = summary_links(r.get_data(as_text=True))
    assert {f"answer_{first.id}", f"answer_{second.id}", "systems", "links"} <= set(links), links
