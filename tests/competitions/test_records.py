"""Printable records: the evaluation report and the award decision as PDF (WeasyPrint), the
timetable as .ics; who may have them."""
from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from app.competitions.records import pdf as records_pdf
from app.competitions.records import views as records_views


@pytest.fixture()
def rendered(monkeypatch):
    """The HTML each PDF was made from (the PDF itself is made too: see the first test)."""
    seen: list[str] = []
    real = records_pdf.html_to_pdf

    def capture(html):
        seen.append(html)
        return real(html)

    monkeypatch.setattr(records_views, "html_to_pdf", capture)
    return seen


def test_the_evaluation_report_is_a_pdf_with_scores_reasons_and_conflicts(world, client, login, rendered):
    comp, bids = world.evaluated()
    login(world.buyer)
    r = client.get(f"/competitions/{comp.id}/evaluation-report.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF-") and b"%%EOF" in r.data[-64:]
    assert "attachment" in r.headers["Content-Disposition"] and "evaluation-report" in r.headers["Content-Disposition"]
    html = rendered[-1]
    for b in bids:
        assert b.organisation.display_name in html
    assert "Agreed" in html  # the moderation reasons
    assert "No conflict declared" in html and world.evaluators[0].name in html
    assert "Rank" in html and "Moderated marks and reasons" in html


def test_the_award_decision_names_the_winner_and_reason(world, client, login, rendered):
    comp, bids, award = world.in_standstill()
    login(world.auditor)
    r = client.get(f"/competitions/{comp.id}/award-decision.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF-")
    html = rendered[-1]
    assert award.bid.organisation.display_name in html and "Intention to award" in html


def test_records_are_for_those_who_may_read_the_bids(world, client, login):
    comp, bids, _ = world.in_standstill()
    loser = next(u for o, u in world.exemplars if o.id == bids[1].organisation_id)
    for user, status in ((loser, 403), (world.other_buyer, 404)):
        login(user)
        assert client.get(f"/competitions/{comp.id}/evaluation-report.pdf").status_code == status
        assert client.get(f"/competitions/{comp.id}/award-decision.pdf").status_code == status
    open_comp = world.published()
    login(world.buyer)
    assert client.get(f"/competitions/{open_comp.id}/evaluation-report.pdf").status_code == 403  # sealed


def test_a_pdf_never_fetches_anything():
    with pytest.raises(ValueError):
        records_pdf._fetcher().fetch("https://example.org/font.woff")
    pdf = records_pdf.html_to_pdf('<p>Hello</p><img src="https://example.org/x.png"><link rel="stylesheet" '
                                  'href="http://127.0.0.1:1/x.css">')
    assert pdf.startswith(b"%PDF-")


def test_the_timetable_is_an_icalendar_file_of_the_deadlines(world, client, login):
    comp = world.published()
    _, manager = world.exemplars[0]
    login(manager)
    r = client.get(f"/competitions/{comp.id}/timetable.ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    cal = Calendar.from_ical(r.data)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"co-{comp.id:05d}-clarification@localhost", f"co-{comp.id:05d}-response@localhost"}
    response = events[f"co-{comp.id:05d}-response@localhost"]
    assert response.decoded("dtend") == comp.response_deadline
    assert response.decoded("dtstart") == comp.response_deadline - timedelta(minutes=15)
    assert str(response["url"]) == f"http://localhost/competitions/{comp.id}"
    assert "responses close" in str(response["summary"])
    assert [a.decoded("trigger") for a in response.walk("VALARM")] == [timedelta(days=-1)]
    login(world.other_buyer)
    assert client.get(f"/competitions/{comp.id}/timetable.ics").status_code == 404


def test_a_draft_has_no_timetable_file(world, client, login):
    comp = world.competition()
    login(world.buyer)
    assert client.get(f"/competitions/{comp.id}/timetable.ics").status_code == 404
