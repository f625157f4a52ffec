"""The public register: every page answers anyone, with the right content; filters, pages and CSV."""
from __future__ import annotations

import csv
import io
import re

import pytest
from flask import g

from seed.load import read_csv

TRUSTS = read_csv("organisations.csv")
EXEMPLARS = read_csv("exemplars.csv")
WIRRAL = "Wirral University Teaching Hospital NHS Foundation Trust"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def caption_count(page: str) -> int:
    match = re.search(r'<caption class="nhsuk-table__caption">([\d,]+) trusts?</caption>', page)
    assert match, "no count in the table caption"
    return int(match.group(1).replace(",", ""))


PUBLIC_PAGES = {
    "/": "Exemplar",
    "/organisations": "NHS trusts",
    "/organisations/RBL": WIRRAL,
    "/organisations/rbl": WIRRAL,
    "/organisations/Y62": "North West",
    "/organisations/QYG": "Cheshire and Merseyside",
    "/organisations/X24": "NHS England",
    "/suppliers": "Oracle Health",
    "/suppliers/oracle-health": "Oracle Health Millennium",
    "/systems": "Oracle Health Millennium",
    "/systems/oracle-health-millennium": WIRRAL,
    "/frameworks": "Global Digital Exemplar framework",
    "/frameworks/gde": "Lot 1: Acute",
    "/frameworks/gde/lots/1": WIRRAL,
    "/exemplars": WIRRAL,
    "/data": "",
    "/accessibility": "",
    "/sign-in": "Sign in",
}


@pytest.mark.parametrize("url,expected", PUBLIC_PAGES.items())
def test_every_public_page_answers_an_anonymous_visitor(client, url, expected):
    page = html(client.get(url))
    assert expected in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize("url", list(PUBLIC_PAGES))
def test_public_pages_have_no_inline_script_or_style(client, url):
    page = html(client.get(url))
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline <script> (the CSP forbids it)"
    assert " style=" not in page and "<style" not in page
    assert "javascript:" not in page


@pytest.mark.parametrize("role", ["follower_buyer", "evaluator", "exemplar_manager", "commercial_admin", "auditor"])
@pytest.mark.parametrize("url", ["/organisations", "/organisations/RBL", "/frameworks/gde/lots/1", "/exemplars"])
def test_every_role_can_browse_the_register(client, as_role, role, url):
    as_role(role)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/organisations/ZZZ", "/organisations/" + "X" * 300, "/suppliers/nobody",
                                 "/systems/nothing", "/frameworks/nope", "/frameworks/gde/lots/9",
                                 "/frameworks/gde/lots/0"])
def test_something_that_does_not_exist_is_404(client, url):
    assert client.get(url).status_code == 404


# An organisation's page.

def test_a_trusts_page_shows_its_codes_region_icb_and_type(client):
    page = html(client.get("/organisations/RBL"))
    assert "ODS code RBL" in page
    assert "North West" in page
    assert "Cheshire and Merseyside" in page
    assert "Acute" in page
    # Names are shown in title case; the official ODS form is kept once, in a row of its own.
    assert "<h1>Wirral University Teaching Hospital NHS Foundation Trust</h1>" in page
    assert page.count("WIRRAL UNIVERSITY") == 1 and "Official name (ODS)" in page


def test_a_trusts_page_shows_its_systems_with_source_and_confidence(client):
    page = html(client.get("/organisations/RBL"))
    assert "Oracle Health Millennium" in page
    assert "live (cloud-hosted; Most Wired 2019); primary EPR per NHSE FOI 2024" in page  # the source's wording
    assert 'href="https://digitalhealth.net/2019/02/wirral-hospital-most-wired-chime"' in page
    assert "High" in page and "2024-01" in page  # confidence and the source's date, on every system


def test_a_trust_known_to_have_no_epr_says_so_with_its_source(client):
    page = html(client.get("/organisations/RA9"))
    assert "Known to have no Acute EPR as of 2024-01" in page
    assert "no live EPR as at NHSE FOI 2024" in page
    assert "Planned go-live" in page  # its contracted Epic, with the date the source plans


def test_a_trusts_page_shows_its_framework_memberships(client):
    page = html(client.get("/organisations/RBL"))
    assert "Global Digital Exemplar framework, Lot 1: Acute" in page
    assert 'href="/frameworks/gde/lots/1"' in page


def test_a_trust_with_no_known_system_says_so_and_invents_none(client):
    known = {r["ods_code"] for r in read_csv("deployments.csv")}
    unknown = next(t["ods_code"] for t in TRUSTS if t["ods_code"] not in known)
    page = html(client.get(f"/organisations/{unknown}"))
    assert "No system is known for this trust" in page


def test_a_region_page_lists_its_trusts(client):
    page = html(client.get("/organisations/Y62"))
    assert "Trusts in this region" in page
    in_region = [t for t in TRUSTS if t["region_ods_code"] == "Y62"]
    assert all(f'href="/organisations/{t["ods_code"]}"' in page for t in in_region)


def test_an_icb_page_lists_its_trusts(client):
    page = html(client.get("/organisations/QYG"))
    assert "Trusts in this ICB" in page
    assert 'href="/organisations/RBL"' in page and 'href="/organisations/RJR"' in page


def test_the_public_do_not_see_the_admin_buttons(client):
    assert "Add a system" not in html(client.get("/organisations/RBL"))
    assert "Admit an exemplar" not in html(client.get("/frameworks/gde/lots/1"))
    assert "Change status" not in html(client.get("/frameworks/gde"))


# The list of trusts: filters, search, pages, CSV.

def test_the_list_holds_every_open_english_trust(client):
    assert caption_count(html(client.get("/organisations"))) == len(TRUSTS) == 199


@pytest.mark.parametrize("region", sorted({t["region_ods_code"] for t in TRUSTS}))
def test_filtering_by_region(client, region):
    expected = sum(t["region_ods_code"] == region for t in TRUSTS)
    assert caption_count(html(client.get("/organisations", query_string={"region": region}))) == expected


def test_filtering_by_icb(client):
    expected = sorted(t["ods_code"] for t in TRUSTS if t["icb_ods_code"] == "QYG")
    rows = rows_of(client.get("/organisations", query_string={"icb": "QYG", "format": "csv"}))
    assert sorted(r["ods_code"] for r in rows) == expected


@pytest.mark.parametrize("kind", ["acute", "mental_health", "community", "ambulance", "specialist"])
def test_filtering_by_type(client, kind):
    expected = sum(t["org_type"] == kind for t in TRUSTS)
    assert expected > 0
    assert caption_count(html(client.get("/organisations", query_string={"type": kind}))) == expected


def test_filters_combine(client):
    expected = sum(t["region_ods_code"] == "Y62" and t["org_type"] == "mental_health" for t in TRUSTS)
    page = html(client.get("/organisations", query_string={"region": "Y62", "type": "mental_health"}))
    assert caption_count(page) == expected


def test_an_unknown_type_is_ignored(client):
    assert caption_count(html(client.get("/organisations", query_string={"type": "hospital"}))) == len(TRUSTS)


def test_a_region_with_no_trusts_shows_none(client):
    page = html(client.get("/organisations", query_string={"region": "Y99"}))
    assert caption_count(page) == 0 and "No trusts match these filters." in page


@pytest.mark.parametrize("q", ["wirral", "WIRRAL", "Wirral University", "rbl", "RBL"])
def test_search_finds_a_trust_by_name_or_code_in_any_case(client, q):
    rows = rows_of(client.get("/organisations", query_string={"q": q, "format": "csv"}))
    assert "RBL" in [r["ods_code"] for r in rows]


def test_search_matches_part_of_a_name(client):
    rows = rows_of(client.get("/organisations", query_string={"q": "ambulance", "format": "csv"}))
    assert len(rows) == sum("AMBULANCE" in t["name"] for t in TRUSTS)


@pytest.mark.parametrize("q", ["%", "_", "%%", "_B_", "\\", "'", '"', "' OR '1'='1", "RB%", "a\\%b"])
def test_wildcards_and_quotes_in_a_search_are_taken_literally(client, q):
    page = html(client.get("/organisations", query_string={"q": q}))
    literal = [t for t in TRUSTS if q.lower() in t["name"].lower() or q.lower() in t["ods_code"].lower()]
    assert caption_count(page) == len(literal)


@pytest.mark.parametrize("name", ["q", "region", "icb", "type", "page", "format"])
@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "x" * 5000, "Ünïcødé ✓", "-1", "1e9",
                                   "99999999999999999999999", "'; DROP TABLE organisations; --"])
def test_hostile_filter_values_never_break_the_list(client, name, value):
    r = client.get("/organisations", query_string={name: value})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.get_data(as_text=True)


def test_the_filters_stay_selected_and_can_be_cleared(client):
    page = html(client.get("/organisations", query_string={"region": "Y62", "type": "acute", "q": "hosp"}))
    assert '<option value="Y62" selected' in page
    assert '<option value="acute" selected' in page
    assert 'value="hosp"' in page
    assert "Clear filters" in page


def test_the_list_is_paginated_25_at_a_time_and_linkable(client):
    first = html(client.get("/organisations"))
    second = html(client.get("/organisations", query_string={"page": 2}))
    codes = lambda page: re.findall(r'href="/organisations/([A-Z0-9]+)"', page)  # noqa: E731
    assert len(codes(first)) == 25 and len(codes(second)) == 25
    assert not set(codes(first)) & set(codes(second))
    assert "page=2" in first
    assert "Page 1 of 8" in first


def test_pagination_keeps_the_filters(client):
    page = html(client.get("/organisations", query_string={"type": "acute"}))
    links = re.findall(r'href="(/organisations\?[^"]*page=2[^"]*)"', page)
    assert links and all("type=acute" in link.replace("&amp;", "&") for link in links)


@pytest.mark.parametrize("page", ["0", "-3", "abc", "", "99999999999999999999999"])
def test_a_nonsense_page_number_shows_the_first_page(client, page):
    first = html(client.get("/organisations"))
    other = html(client.get("/organisations", query_string={"page": page}))
    assert re.findall(r'href="/organisations/([A-Z0-9]+)"', other) == re.findall(r'href="/organisations/([A-Z0-9]+)"', first)


def test_a_page_past_the_end_is_empty_not_an_error(client):
    page = html(client.get("/organisations", query_string={"page": 99}))
    assert "No trusts match these filters." in page


def test_every_trust_has_a_linkable_page(client):
    for code in [t["ods_code"] for t in TRUSTS][::20]:
        assert client.get(f"/organisations/{code}").status_code == 200


def test_the_list_downloads_as_csv_with_every_trust(client):
    r = client.get("/organisations", query_string={"format": "csv"})
    assert 'filename="organisations.csv"' in r.headers["Content-Disposition"]
    rows = rows_of(r)
    assert len(rows) == len(TRUSTS)
    assert list(rows[0]) == ["ods_code", "name", "official_name", "kind", "trust_type", "trust_type_name", "region",
                             "region_name", "icb", "icb_name", "town", "postcode", "opened_on"]
    wirral = next(r for r in rows if r["ods_code"] == "RBL")
    assert wirral["region_name"] == "North West" and wirral["opened_on"] == "1991-04-01"
    # Every name as the pages show it, the one ODS publishes beside it; codes as the API gives them.
    assert wirral["icb_name"] == "NHS Cheshire and Merseyside Integrated Care Board"
    assert wirral["name"] == "Wirral University Teaching Hospital NHS Foundation Trust"
    assert wirral["official_name"] == "WIRRAL UNIVERSITY TEACHING HOSPITAL NHS FOUNDATION TRUST"
    assert (wirral["trust_type"], wirral["trust_type_name"], wirral["region"]) == ("acute", "Acute", "Y62")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_csv_link_carries_the_filters(client):
    page = html(client.get("/organisations", query_string={"region": "Y62"}))
    assert re.search(r'href="/organisations\?[^"]*format=csv[^"]*region=Y62|href="/organisations\?[^"]*region=Y62[^"]*format=csv', page.replace("&amp;", "&"))


# Suppliers and systems.

def test_the_supplier_list_has_every_supplier_with_a_register_id(client):
    page = html(client.get("/suppliers"))
    for s in read_csv("suppliers.csv"):
        assert f'href="/suppliers/{s["slug"]}"' in page


def test_a_supplier_page_lists_its_systems(client):
    page = html(client.get("/suppliers/tpp"))
    assert "SystmOne" in page and 'href="/systems/tpp-systmone"' in page


def test_a_system_page_shows_its_supplier_standards_and_deployments(client):
    page = html(client.get("/systems/oracle-health-millennium"))
    assert "Oracle Health" in page
    assert "FHIR UK Core" in page and "SNOMED CT" in page
    assert 'href="/organisations/RBL"' in page


def test_the_systems_list_downloads_as_csv(client):
    rows = rows_of(client.get("/systems", query_string={"format": "csv"}))
    assert {r["slug"] for r in rows} == {s["slug"] for s in read_csv("systems.csv")}
    millennium = next(r for r in rows if r["slug"] == "oracle-health-millennium")
    assert "FHIR_UK_CORE" in millennium["standards"].split("; ")
    live = {d["ods_code"] for d in read_csv("deployments.csv")
            if d["system_slug"] == "oracle-health-millennium" and d["status"] in ("live", "retiring")}
    assert int(millennium["live_organisations"]) == len(live)


# Frameworks, lots and exemplars.

def test_the_framework_page_shows_lots_counts_and_call_off_rules(client):
    page = html(client.get("/frameworks/gde"))
    for number, name in [(1, "Acute"), (2, "Mental health"), (3, "Ambulance"), (4, "Place-based")]:
        assert f"Lot {number}: {name}" in page
    assert "16 exemplars admitted" in page and "7 exemplars admitted" in page and "3 exemplars admitted" in page
    assert "40% to 80%" in page
    assert "Track record of go-lives" in page


def test_a_lot_page_lists_its_exemplars(client):
    page = html(client.get("/frameworks/gde/lots/1"))
    lot_one = [e for e in EXEMPLARS if e["lot_number"] == "1"]
    assert all(f'href="/organisations/{e["ods_code"]}"' in page for e in lot_one)


def test_the_exemplars_page_lists_every_admitted_exemplar(client):
    rows = [r for r in rows_of(client.get("/exemplars", query_string={"format": "csv"}))
            if r["framework"] == "Global Digital Exemplar framework"]  # other demo frameworks may add theirs
    assert len(rows) == len(EXEMPLARS) == 26
    assert sorted(r["ods_code"] for r in rows) == sorted(e["ods_code"] for e in EXEMPLARS)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["admitted_on"]) for r in rows)


def test_a_draft_framework_is_hidden_from_the_public(client, make):
    fw = make.framework(status="draft", lots=1, name="Secret draft framework", slug="secret-draft")
    make.membership(fw.lots[0], make.org(name="DRAFT MEMBER NHS TRUST"))
    assert "Secret draft framework" not in html(client.get("/frameworks"))
    assert client.get("/frameworks/secret-draft").status_code == 404
    assert client.get("/frameworks/secret-draft/lots/1").status_code == 404
    assert "Draft Member" not in html(client.get("/exemplars"))


@pytest.mark.parametrize("role", ["follower_buyer", "evaluator", "exemplar_manager"])
def test_a_draft_framework_is_hidden_from_roles_outside_the_commercial_team(client, make, as_role, role):
    make.framework(status="draft", lots=1, name="Secret draft framework", slug="secret-draft")
    as_role(role)
    assert "Secret draft framework" not in html(client.get("/frameworks"))
    assert client.get("/frameworks/secret-draft").status_code == 404


@pytest.mark.parametrize("role", ["commercial_admin", "auditor"])
def test_a_draft_framework_is_visible_to_the_commercial_team_and_auditors(client, make, as_role, role):
    make.framework(status="draft", lots=1, name="Secret draft framework", slug="secret-draft")
    as_role(role)
    assert "Secret draft framework" in html(client.get("/frameworks"))
    assert "Secret draft framework" in html(client.get("/frameworks/secret-draft"))
    assert client.get("/frameworks/secret-draft/lots/1").status_code == 200


def test_the_public_see_admitted_and_suspended_exemplars_but_not_other_decisions(client, make):
    lot = make.framework(status="open", lots=1, slug="visible-decisions").lots[0]
    for status in ("admitted", "suspended", "applied", "rejected", "removed"):
        make.membership(lot, make.org(name=f"{status.upper()} MEMBER NHS TRUST"), status=status)
    page = html(client.get("/frameworks/visible-decisions/lots/1"))
    assert "Admitted Member" in page and "Suspended Member" in page
    assert "Applied Member" not in page and "Rejected Member" not in page and "Removed Member" not in page


def test_the_commercial_admin_sees_every_decision_on_a_lot(client, make, admin):
    lot = make.framework(status="open", lots=1, slug="all-decisions").lots[0]
    for status in ("applied", "rejected", "removed"):
        make.membership(lot, make.org(name=f"{status.upper()} MEMBER NHS TRUST"), status=status)
    page = html(client.get("/frameworks/all-decisions/lots/1"))
    assert "Applied Member" in page and "Rejected Member" in page and "Removed Member" in page


def test_a_suspended_exemplar_is_not_listed_as_an_exemplar(client, make):
    fw = make.framework(status="live", lots=1, slug="suspension-list")
    make.membership(fw.lots[0], make.org(name="PAUSED MEMBER NHS TRUST"), status="suspended")
    assert "Paused Member" not in html(client.get("/exemplars"))


def test_the_home_page_counts_come_from_the_register(client):
    page = html(client.get("/"))
    assert "199" in page


def test_reading_public_pages_signs_nobody_in(client):
    g.pop("_login_user", None)
    client.get("/organisations")
    with client.session_transaction() as s:
        assert "_user_id" not in s


def test_the_supplier_list_finds_a_supplier_by_a_former_name_and_shows_its_other_names(client):
    page = html(client.get("/suppliers", query_string={"q": "Cerner"}))
    assert 'href="/suppliers/oracle-health"' in page and "(matched: formerly Cerner)" in page
    assert 'href="/suppliers/epic"' not in page
    assert "1 supplier found by ‘Cerner’" in page
    everyone = html(client.get("/suppliers"))
    assert "formerly Cerner; also known as Oracle Cerner" in everyone
    assert 'href="/suppliers/altera"' in html(client.get("/suppliers", query_string={"q": "allscripts"}))


def test_the_systems_list_finds_a_system_by_its_old_name(client):
    page = html(client.get("/systems", query_string={"q": "Cerner Millennium"}))
    assert 'href="/systems/oracle-health-millennium"' in page and "(matched: formerly Cerner Millennium)" in page
    assert "1 system found by ‘Cerner Millennium’" in page
    page = html(client.get("/systems", query_string={"q": "careflow"}))
    assert 'href="/systems/system-c-careflow"' in page and "formerly Medway; also known as CareFlow" in page
    assert 'href="/systems/dedalus-lorenzo"' in html(client.get("/systems", query_string={"q": "iSoft Lorenzo"}))
