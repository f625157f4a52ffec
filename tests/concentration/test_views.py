"""The concentration pages: who may see what, what they show, and that odd input never errors."""
from __future__ import annotations

import re

import pytest

from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.concentration.models import AlertRule
from app.audit.models import AuditEvent

ROLES = [FOLLOWER_BUYER, EVALUATOR, EXEMPLAR_MANAGER, COMMERCIAL_ADMIN, AUDITOR]
COMMERCIAL = {COMMERCIAL_ADMIN, AUDITOR}


def html(resp) -> str:
    return resp.get_data(as_text=True)


def assert_csp_clean(page: str) -> None:
    assert " style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script"


@pytest.mark.parametrize("role", [None] + ROLES)
def test_anyone_may_read_the_public_summary(client, as_role, role):
    as_role(role)
    resp = client.get("/concentration/")
    assert resp.status_code == 200
    page = html(resp)
    assert "<h1>The national picture: Acute EPR</h1>" in page
    # It leads with the shares with counts, the range, the trend and the regions, each with its coverage.
    assert page.index("In short") < page.index("Suppliers' shares") < page.index("The trend") < page.index(
        "By NHS England region")
    assert "acute and specialist trusts known:" in page and "Market shares count only the trusts with a system" in page
    assert re.search(r"HHI [\d,]+ by supplier, between [\d,]+ and [\d,]+ whatever the (1 trust not known runs|\d+ trusts not known run)", page)
    assert "One trust switching supplier could move the HHI by up to" in page
    assert "rest on NHS England&#39;s 2024 FOI list of primary EPR suppliers alone" in page
    assert re.search(r"\d+\.\d% \(\d+ trusts?\)", page)  # a share with its count on the chart
    assert page.count('class="app-chart" role="img"') == 4
    assert 'class="app-chart__range"' in page  # the bounds on the charts
    assert "<title id=\"chart-systems-title\">" in page and "<desc id=\"chart-trend-desc\">" in page
    assert "Trusts per supplier by NHS England region" in page and "Coverage (%)" in page
    assert "nhsuk-table__caption" in page
    # No commercial detail on the public page.
    assert "Exemplar load" not in page and "Alerts" not in page
    assert_csp_clean(page)


@pytest.mark.parametrize("table", ["systems", "suppliers", "trend", "suppliers-by-quarter", "regions"])
def test_the_public_tables_download_as_csv_with_what_they_were_computed_over(client, table):
    resp = client.get(f"/concentration/{table}.csv?category=acute_epr")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    lines = html(resp).splitlines()
    assert len(lines) > 1
    for column in ("Trusts in scope", "Coverage (%)", "Sources dated", "Rows resting on the 2024 FOI list alone"):
        assert column in lines[0], column


def test_an_unknown_table_is_not_found(client):
    assert client.get("/concentration/alerts.csv").status_code == 404
    assert client.get("/concentration/nothing.csv").status_code == 404


def test_an_unknown_category_falls_back_to_acute_epr(client):
    resp = client.get("/concentration/?category=<script>")
    assert resp.status_code == 200
    assert "Acute EPR" in html(resp)


@pytest.mark.parametrize("role", [None] + ROLES)
def test_only_the_commercial_team_and_auditors_see_the_dashboard(client, as_role, role):
    as_role(role)
    for url in ("/concentration/dashboard", "/concentration/what-if", "/concentration/alert-rules",
                "/concentration/dashboard/alerts.csv"):
        resp = client.get(url)
        if role in COMMERCIAL:
            assert resp.status_code == 200, url
        elif role is None:
            assert resp.status_code in (302, 401), url
        else:
            assert resp.status_code == 403, url


def test_the_dashboard_shows_every_section(client, as_role):
    as_role(COMMERCIAL_ADMIN)
    resp = client.get("/concentration/dashboard?category=acute_epr&as_of=2026-06-30&weighting=organisation")
    assert resp.status_code == 200
    page = html(resp)
    for heading in ("Headline figures", "Alerts", "Market share per system", "Market share per supplier",
                    "HHI over the last 20 quarters", "By NHS England region", "Projection", "Systems shut out",
                    "Exemplar load", "Candidates for national negotiation", "The exemplar–follower network",
                    "Historical records"):
        assert heading in page, heading
    assert page.count('class="app-chart" role="img"') == 7
    assert "Countess of Chester" in page  # a fast follower in the network table
    # The demo acute EPR market (HHI by supplier about 1,400) is moderately concentrated; the alert names its
    # regime and says what its source is.
    assert "Moderately concentrated or more" in page and "US DOJ/FTC Merger Guidelines 2023" in page
    assert "https://www.justice.gov/atr/herfindahl-hirschman-index" in page
    assert "not verified: its text has not been read" in page and "ycombinator" not in page
    # The projection names the contracted rows it rests on, with their planned dates.
    assert "The contracted pipeline the projection rests on" in page and "Planned go-live" in page
    assert "(projected)" in page
    assert_csp_clean(page)


def test_a_category_with_too_little_coverage_is_not_assessed(client, as_role, market):
    as_role(COMMERCIAL_ADMIN)
    page = html(client.get("/concentration/dashboard?category=eprescribing&as_of=2026-11-24"))
    assert re.search(r"Not assessed: coverage \d+ %", page)
    assert "Moderately concentrated or more" not in page.split("<h2>Alerts</h2>")[1].split("<h2>")[0]


@pytest.mark.parametrize("table", ["systems", "suppliers", "trend", "suppliers-by-quarter", "regions", "projection",
                                   "pipeline", "projected-trend", "alerts", "shut-out", "load", "negotiation",
                                   "network", "components", "historical"])
def test_every_dashboard_table_downloads_as_csv(client, as_role, table):
    as_role(AUDITOR)
    resp = client.get(f"/concentration/dashboard/{table}.csv?category=acute_epr")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"


@pytest.mark.parametrize("query", ["as_of=not-a-date", "as_of=1066-10-14", "weighting=beds", "category=nope",
                                   "as_of=2026-02-30", "category=acute_epr&as_of=2010-01-01"])
def test_odd_dashboard_input_never_errors(client, as_role, query):
    as_role(COMMERCIAL_ADMIN)
    resp = client.get(f"/concentration/dashboard?{query}")
    assert resp.status_code == 200


def test_a_nul_byte_is_refused_not_an_error(client, as_role):
    as_role(COMMERCIAL_ADMIN)
    assert client.get("/concentration/dashboard?category=%00").status_code in (200, 400)


def test_a_bad_date_is_reported_on_the_form(client, as_role):
    as_role(COMMERCIAL_ADMIN)
    page = html(client.get("/concentration/dashboard?as_of=not-a-date"))
    assert "There is a problem" in page


def test_the_per_deployment_weighting_is_offered(client, as_role):
    as_role(AUDITOR)
    page = html(client.get("/concentration/dashboard?weighting=deployment"))
    assert "weighted per deployment" in page


def test_what_if_for_one_award(client, as_role):
    as_role(COMMERCIAL_ADMIN)
    resp = client.get("/concentration/what-if?follower=RJR&exemplar=RBL")
    assert resp.status_code == 200
    page = html(resp)
    assert "Oracle Health Millennium" in page and "Change in HHI" in page
    assert_csp_clean(page)


def test_what_if_with_an_exemplar_with_no_live_system(client, as_role):
    as_role(COMMERCIAL_ADMIN)
    page = html(client.get("/concentration/what-if?follower=RJR&exemplar=RA9"))  # known to have no EPR
    assert "no known live system" in page


@pytest.mark.parametrize("query", ["follower=RJR&exemplar=RJR", "follower=NOPE&exemplar=RBL", "follower=&exemplar=RBL",
                                   "award=RJR:RBL&award=junk&award=::", "award=RJR:RBL&award=RRV:RGT"])
def test_odd_what_if_input_never_errors(client, as_role, query):
    as_role(AUDITOR)
    assert client.get(f"/concentration/what-if?{query}").status_code == 200


def test_a_set_of_awards_is_worked_out_together(client, as_role):
    as_role(COMMERCIAL_ADMIN)
    page = html(client.get("/concentration/what-if?award=RJR:RBL&award=RRV:RGT&award=junk"))
    assert "The chosen awards together" in page
    assert "1 award could not be read and was left out" in page


def test_what_if_csv(client, as_role):
    as_role(AUDITOR)
    resp = client.get("/concentration/what-if.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"


def _rule(db_session, slug="us-2023-highly-concentrated"):
    from sqlalchemy import select

    return db_session.execute(select(AlertRule).where(AlertRule.slug == slug)).scalar_one()


def test_the_rules_page_lists_the_published_defaults_with_sources(client, as_role):
    as_role(AUDITOR)
    page = html(client.get("/concentration/alert-rules"))
    assert "Highly concentrated: HHI above 1,800" in page
    # Every rule names its regime and the kind of its source; none is verified (no primary text was read).
    rules = db_rules()
    assert page.count("Not verified") == len(rules) and ">Verified<" not in page
    assert "Primary: the regulator&#39;s own page" in page and "Secondary: a law firm&#39;s summary" in page
    assert "apply no threshold" in page and "CMA129" in page and "NONE:" in page  # the UK CMA, said so
    assert "below 60 %" in page  # the coverage minimum
    assert 'href="https://news.ycombinator' not in page  # the forum is named in a note, never cited
    assert "/edit" not in page  # auditors read, never change


def db_rules():
    from sqlalchemy import select

    from app.extensions import db

    return db.session.execute(select(AlertRule)).scalars().all()


def test_no_export_calls_a_rule_verified(client, as_role):
    as_role(AUDITOR)
    rows = html(client.get("/concentration/dashboard/alerts.csv?category=acute_epr")).splitlines()
    assert "Verified" in rows[0] and "Kind of source" in rows[0]
    assert len(rows) > 1 and all(",no," in r for r in rows[1:])


@pytest.mark.parametrize("role", [None] + ROLES)
def test_only_the_commercial_admin_may_edit_a_rule(client, as_role, db_session, role):
    as_role(role)
    rule = _rule(db_session)
    resp = client.get(f"/concentration/alert-rules/{rule.id}/edit")
    if role == COMMERCIAL_ADMIN:
        assert resp.status_code == 200
    elif role is None:
        assert resp.status_code in (302, 401)
    else:
        assert resp.status_code == 403
        assert client.post(f"/concentration/alert-rules/{rule.id}/edit",
                           data={"threshold": "1", "severity": "info"}).status_code in (400, 403)


def test_editing_a_rule_changes_it_and_is_audited(client, as_role, db_session):
    as_role(COMMERCIAL_ADMIN)
    rule = _rule(db_session)
    resp = client.post(f"/concentration/alert-rules/{rule.id}/edit",
                       data={"threshold": "2000", "delta_threshold": "", "severity": "warning", "active": "y",
                             "notes": "Raised for the demo"})
    assert resp.status_code == 302
    db_session.refresh(rule)
    assert rule.threshold == 2000 and rule.severity == "warning" and rule.active
    assert "justice.gov" in rule.source_urls  # the source stays
    from sqlalchemy import select

    assert db_session.execute(select(AuditEvent).where(AuditEvent.action == "concentration.rule_update",
                                                       AuditEvent.object_id == str(rule.id))).first()


@pytest.mark.parametrize("data, message", [
    ({"threshold": "", "severity": "high"}, "Enter the threshold"),
    ({"threshold": "-5", "severity": "high"}, "Enter a number from 0 to 10,000"),
    ({"threshold": "abc", "severity": "high"}, "There is a problem"),
    ({"threshold": "150", "severity": "high", "slug": "x"}, "The threshold must be between 0 and 100"),
])
def test_a_bad_rule_edit_is_shown_on_the_form(client, as_role, db_session, data, message):
    as_role(COMMERCIAL_ADMIN)
    slug = "us-2023-share-presumption" if "slug" in data else "us-2023-highly-concentrated"
    rule = _rule(db_session, slug)
    resp = client.post(f"/concentration/alert-rules/{rule.id}/edit", data=data)
    assert resp.status_code == 200
    assert message in html(resp)


def test_editing_an_unknown_rule_is_not_found(client, as_role):
    as_role(COMMERCIAL_ADMIN)
    assert client.get("/concentration/alert-rules/999999/edit").status_code == 404


def test_open_competitions_show_the_change_for_each_invited_exemplar(client, as_role, db_session, monkeypatch):
    from sqlalchemy import select

    from app.concentration import services
    from app.registry.models import Organisation

    ids = {o.ods_code: o.id for o in db_session.execute(
        select(Organisation).where(Organisation.ods_code.in_(["RJR", "RBL", "RA9"]))).unique().scalars()}
    monkeypatch.setattr(services, "open_competitions", lambda: [
        {"id": 7, "title": "EPR go-live support (demo)", "buyer_id": ids["RJR"], "status": "open",
         "invited": [ids["RBL"], ids["RA9"]]}])
    as_role(COMMERCIAL_ADMIN)
    page = html(client.get("/concentration/what-if"))
    assert "EPR go-live support (demo)" in page
    assert 'value="RJR:RBL"' in page and "No known live system" in page
    csv_text = html(client.get("/concentration/what-if.csv"))
    assert "EPR go-live support (demo)" in csv_text and "Oracle Health Millennium" in csv_text


def test_the_signed_in_dashboard_shows_concentration_alerts_to_the_commercial_team(client, as_role):
    as_role(COMMERCIAL_ADMIN)
    resp = client.get("/dashboard")
    if resp.status_code == 404:  # pragma: no cover - the lead's dashboard page is elsewhere
        pytest.skip("no signed-in dashboard page")
    assert "Supplier concentration" in html(resp)
    assert "Acute EPR: HHI" in html(resp)


def test_the_signed_in_dashboard_shows_no_concentration_panel_to_a_buyer(client, as_role):
    as_role(FOLLOWER_BUYER)
    resp = client.get("/dashboard")
    if resp.status_code == 404:  # pragma: no cover
        pytest.skip("no signed-in dashboard page")
    assert "Supplier concentration" not in html(resp)


def test_each_partnership_pair_is_one_row_of_the_network_table(client, as_role, db_session):
    """RJR and RBL are paired twice in the demo (the GDE fast-follower pairing and an awarded
    call-off): one line in the picture, one row in the table, with the count."""
    import csv
    import io

    as_role(COMMERCIAL_ADMIN)
    body = client.get("/concentration/dashboard/network.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    pairs = [(r["Follower"], r["Exemplar"]) for r in rows]
    assert len(pairs) == len(set(pairs)) and pairs
    assert any(int(r["Active partnerships"]) > 1 for r in rows)
    page = client.get("/concentration/dashboard").get_data(as_text=True)
    assert "…</text>" not in page and "…</tspan>" not in page


def test_an_hhi_is_rounded_one_way_on_the_whole_page(client, as_role):
    """The headline HHI and the trend table under the chart show the same whole number."""
    from app.concentration.services import dashboard as dash
    from app.concentration.services.engine import today
    from app.web.formatting import hhi

    as_role(COMMERCIAL_ADMIN)
    page = client.get("/concentration/dashboard").get_data(as_text=True)
    now = dash.dashboard("acute_epr", today(), "organisation").figures.suppliers.hhi
    assert f"HHI {hhi(now)} by supplier" in page
    assert not re.search(r"\b\d,\d{3}\.\d\b</td>", page)  # no HHI with a decimal in any table


def test_each_table_has_a_page_of_its_own_filtered_and_paginated(client, as_role):
    page = html(client.get("/concentration/tables/suppliers?category=acute_epr"))
    assert "Download the whole table (CSV)" in page and "Show rows containing" in page
    assert client.get("/concentration/tables/nope").status_code == 404
    as_role(COMMERCIAL_ADMIN)
    found = html(client.get("/concentration/dashboard/tables/network?q=countess"))
    assert "Countess of Chester" in found and re.search(r"\d+ of \d+ rows contain", found)
    assert "No row contains" in html(client.get("/concentration/dashboard/tables/network?q=zzzzqqq"))
    assert client.get("/concentration/dashboard/tables/network?page=999999999").status_code == 200
    assert client.get("/concentration/dashboard/tables/nope").status_code == 404
