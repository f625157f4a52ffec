"""Funding pages: the overview, agreements, conditions, check-ins and releases (views)."""
from __future__ import annotations

from datetime import date

from app.governance import services
from app.governance.calendar import Quarter
from app.governance.models import FundingAgreement

from .conftest import M


def _new_agreement_form(programme, org, **over):
    data = {"programme": programme.slug, "ods_code": org.ods_code.lower(), "title": "Ambient voice pilot",
            "central": "£2,000,000", "local": "2000000", "first_year": "2025", "years": "2",
            "central_1": "1,000,000", "local_1": "1000000", "central_2": "1000000", "local_2": "1,000,000",
            "tranches-0-planned_on-day": "1", "tranches-0-planned_on-month": "7", "tranches-0-planned_on-year": "2025",
            "tranches-0-amount": "1000000",
            "tranches-1-planned_on-day": "1", "tranches-1-planned_on-month": "7", "tranches-1-planned_on-year": "2026",
            "tranches-1-amount": "1000000.00"}
    data.update(over)
    return data


def test_the_commercial_team_makes_an_agreement_in_pounds(client, login, people, gov, db_session):
    programme, org = gov.programme(conditions=10), gov.trust(live=False)
    db_session.commit()
    login(people["commercial_admin"])
    assert "Make a funding agreement" in client.get("/governance/funding/agreements/new").get_data(as_text=True)
    response = client.post("/governance/funding/agreements/new", data=_new_agreement_form(programme, org))
    assert response.status_code == 302
    a = db_session.query(FundingAgreement).filter_by(organisation_id=org.id).one()
    assert (a.central_pence, a.local_pence, len(a.tranches), len(a.conditions)) == (2 * M, 2 * M, 2, 10)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "£2,000,000" in html and "2025/26 to 2026/27" in html


def test_totals_that_do_not_add_up_are_shown_on_the_form_with_what_was_typed(client, login, people, gov, db_session):
    programme, org = gov.programme(), gov.trust(live=False)
    db_session.commit()
    login(people["commercial_admin"])
    response = client.post("/governance/funding/agreements/new",
                           data=_new_agreement_form(programme, org, central_2="999,999.99"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in html
    assert "adds up to £1,999,999.99" in html and "999,999.99" in html
    assert db_session.query(FundingAgreement).filter_by(organisation_id=org.id).count() == 0


def test_amounts_that_are_not_pounds_are_refused_field_by_field(client, login, people, gov, db_session):
    programme, org = gov.programme(), gov.trust(live=False)
    db_session.commit()
    login(people["commercial_admin"])
    html = client.post("/governance/funding/agreements/new",
                       data=_new_agreement_form(programme, org, central="two million", local="-5")).get_data(as_text=True)
    assert 'href="#central"' in html and 'href="#local"' in html


def test_an_unknown_organisation_is_refused_on_the_form(client, login, people, gov, db_session):
    programme = gov.programme()
    db_session.commit()
    login(people["commercial_admin"])
    html = client.post("/governance/funding/agreements/new",
                       data=_new_agreement_form(programme, gov.make.org(), ods_code="ZZZ99")).get_data(as_text=True)
    assert "No organisation has this ODS code" in html


def test_an_agreement_is_changed_and_its_released_tranches_kept(client, login, people, gov, db_session):
    a = gov.agreement(central=2 * M, local=2 * M, years=2)
    gov.checkin(a)
    services.release_tranche(a.tranches[0])
    db_session.commit()
    login(people["commercial_admin"])
    page = client.get(f"/governance/funding/agreements/{a.id}/edit").get_data(as_text=True)
    assert "Released tranches cannot change" in page
    data = {"title": "Renamed", "central": "2000000", "local": "3000000", "first_year": "2025", "years": "2",
            "central_1": "1000000", "local_1": "1500000", "central_2": "1000000", "local_2": "1500000",
            "tranches-0-planned_on-day": "1", "tranches-0-planned_on-month": "1", "tranches-0-planned_on-year": "2027",
            "tranches-0-amount": "1000000"}
    assert client.post(f"/governance/funding/agreements/{a.id}/edit", data=data).status_code == 302
    db_session.expire_all()
    assert (a.title, a.local_pence, [t.planned_on for t in a.tranches]) == ("Renamed", 3 * M, [date(2025, 7, 1), date(2027, 1, 1)])


def test_conditions_are_added_and_dropped_on_the_conditions_page(client, login, people, gov, db_session):
    a = gov.agreement(programme=gov.programme(conditions=2))
    db_session.commit()
    login(people["commercial_admin"])
    assert client.post(f"/governance/funding/agreements/{a.id}/conditions",
                       data={"title": "Cyber security", "description": ""}).status_code == 302
    assert client.post(f"/governance/funding/conditions/{a.conditions[0].id}/toggle").status_code == 302
    db_session.expire_all()
    assert [c.title for c in a.active_conditions] == ["Condition 2", "Cyber security"]
    html = client.get(f"/governance/funding/agreements/{a.id}/conditions").get_data(as_text=True)
    assert "Dropped" in html


def test_the_funded_trust_checks_in_and_the_commercial_team_accepts_and_releases(client, switch_to, people, gov, db_session):
    a = gov.agreement(org=people["org"], first_year=2025)
    db_session.commit()
    switch_to("exemplar_manager")
    assert "Check in for a quarter" in client.get(f"/governance/funding/agreements/{a.id}").get_data(as_text=True)
    form = client.get(f"/governance/funding/agreements/{a.id}/checkins/new?quarter=2025-Q2").get_data(as_text=True)
    assert 'value="2025-Q2" selected' in form
    data = {"quarter": "2025-Q1", "milestone_progress": "Go-live done"}
    for c in a.active_conditions:
        data[f"rag_{c.id}"] = "green"
    data[f"rag_{a.active_conditions[1].id}"] = "amber"
    missing = client.post(f"/governance/funding/agreements/{a.id}/checkins/new", data=data)
    assert missing.status_code == 200 and f'href="#comment_{a.active_conditions[1].id}"' in missing.get_data(as_text=True)
    data[f"comment_{a.active_conditions[1].id}"] = "Training behind"
    response = client.post(f"/governance/funding/agreements/{a.id}/checkins/new", data=data)
    assert response.status_code == 302
    checkin = a.checkins[0]
    switch_to("commercial_admin")
    page = client.get(f"/governance/funding/checkins/{checkin.id}").get_data(as_text=True)
    assert "Review this check-in" in page and "Amber" in page and "Training behind" in page
    assert client.post(f"/governance/funding/checkins/{checkin.id}", data={"decision": "accept"}).status_code == 302
    tranche = a.tranches[0]
    assert "Release tranche 1" in client.get(f"/governance/funding/agreements/{a.id}").get_data(as_text=True)
    today = services.london_today()
    released = client.post(f"/governance/funding/tranches/{tranche.id}/release", data={
        "released_on-day": today.day, "released_on-month": today.month, "released_on-year": today.year})
    assert released.status_code == 302 and tranche.is_released
    blocked = client.get(f"/governance/funding/tranches/{a.tranches[1].id}/release").get_data(as_text=True)
    assert "already released a tranche" in blocked and "Release tranche</button>" not in blocked


def test_a_red_condition_shows_why_the_tranche_is_held(client, login, people, gov, db_session):
    a = gov.agreement()
    gov.checkin(a, red=(2,))
    db_session.commit()
    login(people["commercial_admin"])
    html = client.get(f"/governance/funding/agreements/{a.id}").get_data(as_text=True)
    assert "cannot be released yet" in html and "1 red condition" in html
    response = client.post(f"/governance/funding/tranches/{a.tranches[0].id}/release", data={})
    assert response.status_code == 200 and not a.tranches[0].is_released


def test_a_query_reaches_the_trust_which_corrects_and_resubmits(client, switch_to, people, gov, db_session):
    a = gov.agreement(org=people["org"])
    c = gov.checkin(a, red=(1,), accept=False)
    db_session.commit()
    switch_to("commercial_admin")
    empty = client.post(f"/governance/funding/checkins/{c.id}", data={"decision": "query"})
    assert empty.status_code == 200 and 'href="#comment"' in empty.get_data(as_text=True)
    assert client.post(f"/governance/funding/checkins/{c.id}",
                       data={"decision": "query", "comment": "Is condition 1 red?"}).status_code == 302
    switch_to("follower_buyer")
    form = client.get(f"/governance/funding/checkins/{c.id}/edit").get_data(as_text=True)
    assert "Is condition 1 red?" in form and "Behind" in form
    data = {"milestone_progress": "Corrected"}
    for cond in a.active_conditions:
        data[f"rag_{cond.id}"] = "green"
    assert client.post(f"/governance/funding/checkins/{c.id}/edit", data=data).status_code == 302
    assert c.status == "submitted" and c.reds == 0


def test_the_overview_shows_totals_overdue_check_ins_and_red_conditions(client, login, people, gov, db_session):
    programme = gov.programme(name="Overview test programme")
    late = gov.agreement(programme=programme, first_year=2025)
    red = gov.agreement(programme=programme, first_year=2025)
    gov.checkin(red, Quarter(2025, 1), red=(1,))
    db_session.commit()
    login(people["auditor"])
    html = client.get("/governance/funding").get_data(as_text=True)
    assert "Overview test programme" in html and "£8,000,000" in html
    assert late.reference in html and "2025/26 Q1" in html
    assert red.reference in html and "Condition 1" in html
    csv = client.get("/governance/funding?table=programme&format=csv").get_data(as_text=True)
    assert "Overview test programme,2,8000000.00,8000000.00,0.00" in csv
    for table in ("region", "year", "overdue", "red"):
        assert client.get(f"/governance/funding?table={table}&format=csv").mimetype == "text/csv"
    assert client.get("/governance/funding?table=nonsense&format=csv").status_code == 404


def test_the_agreements_list_filters_and_exports(client, login, people, gov, db_session):
    a = gov.agreement()
    db_session.commit()
    login(people["commercial_admin"])
    html = client.get(f"/governance/funding/agreements?programme={a.programme.slug}&status=active").get_data(as_text=True)
    assert a.reference in html
    csv = client.get("/governance/funding/agreements?format=csv").get_data(as_text=True)
    assert a.reference in csv and "4000000.00" in csv
    assert client.get("/governance/funding/agreements?programme=%27%22%3E&status=x").status_code == 200


def test_a_trust_sees_its_own_agreements_and_overdue_check_ins_only(client, login, people, gov, db_session):
    mine = gov.agreement(org=people["org"], first_year=2025)
    theirs = gov.agreement()
    db_session.commit()
    login(people["follower_buyer"])
    html = client.get("/governance/funding/mine").get_data(as_text=True)
    assert mine.reference in html and theirs.reference not in html and "Your overdue check-ins" in html


def test_closing_an_agreement_ends_check_ins_and_releases(client, login, people, gov, db_session):
    a = gov.agreement()
    db_session.commit()
    login(people["commercial_admin"])
    assert client.post(f"/governance/funding/agreements/{a.id}/close", data={"reason": "Ended"}).status_code == 302
    assert a.status == "closed"
    assert client.get(f"/governance/funding/agreements/{a.id}/edit").status_code == 302


def test_programmes_show_their_default_conditions(client, login, people, gov, db_session):
    gov.programme(name="Listed programme", conditions=3)
    db_session.commit()
    login(people["auditor"])
    html = client.get("/governance/funding/programmes").get_data(as_text=True)
    assert "Listed programme" in html and "Condition 3" in html


def test_odd_query_arguments_never_cause_an_error(client, login, people, gov, db_session):
    a = gov.agreement(org=people["org"])
    db_session.commit()
    login(people["exemplar_manager"])
    for arg in ("%00", "2025-Q9", "'\"><script>", "2025-Q1%20OR%201=1", "🙂"):
        # A NUL byte is refused for the whole site (400); anything else shows the form.
        assert client.get(f"/governance/funding/agreements/{a.id}/checkins/new?quarter={arg}").status_code in (200, 400)
    bad = client.post(f"/governance/funding/agreements/{a.id}/checkins/new", data={"quarter": "1999-Q1"})
    assert bad.status_code == 200 and "There is a problem" in bad.get_data(as_text=True)


def test_a_refused_check_in_review_is_shown_in_place_and_a_reload_finds_the_page(client, switch_to, people, gov,
                                                                                 db_session):
    c = gov.checkin(gov.agreement(org=people["org"]), red=(1,), accept=False)
    db_session.commit()
    switch_to("commercial_admin")
    url = f"/governance/funding/checkins/{c.id}"
    assert f'<form method="post" action="{url}"' in client.get(url).get_data(as_text=True)  # it posts back
    refused = client.post(url, data={"decision": "query"})
    assert refused.status_code == 200 and 'href="#comment"' in refused.get_data(as_text=True)
    reload = client.get(refused.request.path)
    assert reload.status_code == 200 and c.status == "submitted"
