"""The audit log pages: who may see them, filters, the entry page and the CSV export."""
from __future__ import annotations

import csv
import re
import io
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.services import record
from app.web.formatting import LONDON

READERS = ["auditor", "commercial_admin"]
OTHERS = ["follower_buyer", "evaluator", "exemplar_manager"]


def today_in_london():
    return datetime.now(LONDON).date()


@pytest.fixture()
def marked(db_session, make):
    """Three entries with distinctive words, by two different people, on two kinds of object."""
    org = make.org(name="AUDIT MARKER NHS TRUST")
    alice = make.user("commercial_admin", name="Alice Quokka")
    bob = make.user("commercial_admin", name="Bob Wombat")
    fw = make.framework(status="draft", lots=0, slug="audit-marker")
    return {
        "org": org,
        "one": record("marker.rename", org, before={"n": 1}, after={"n": 2}, summary="zebracorn renamed", actor=alice),
        "two": record("marker.close", org, summary="zebracorn closed 100% _done_", actor=bob),
        "three": record("marker.open", fw, summary="platypus opened", actor=alice),
    }


def summaries(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", READERS)
def test_auditors_and_the_commercial_team_can_read_the_log(client, as_role, role, marked):
    as_role(role)
    r = client.get("/audit/")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "<h1>Audit log</h1>" in page
    assert "platypus opened" in page
    assert r.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role", READERS)
def test_auditors_and_the_commercial_team_can_open_an_entry(client, as_role, role, marked):
    as_role(role)
    r = client.get(f"/audit/{marked['one'].id}")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "marker.rename" in page and "zebracorn renamed" in page
    assert marked["one"].hash in page


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize("url", ["/audit/", "/audit/?format=csv", "/audit/{id}"])
def test_other_roles_are_refused_the_log(client, as_role, role, url, marked):
    as_role(role)
    assert client.get(url.format(id=marked["one"].id)).status_code == 403


@pytest.mark.parametrize("url", ["/audit/", "/audit/?format=csv", "/audit/{id}"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url, marked):
    target = url.format(id=marked["one"].id)
    r = client.get(target)
    assert r.status_code == 302
    location = urlsplit(r.headers["Location"])
    assert location.path == "/sign-in"
    assert parse_qs(location.query)["next"][0].startswith("/audit/")


def test_the_log_link_is_in_the_navigation_only_for_those_who_may_read_it(client, as_role):
    assert 'href="/audit/"' not in client.get("/").get_data(as_text=True)
    as_role("auditor")
    assert 'href="/audit/"' in client.get("/").get_data(as_text=True)


def test_a_missing_entry_is_404(client, as_role):
    as_role("auditor")
    assert client.get("/audit/2147483000").status_code == 404
    assert client.get("/audit/99999999999999999999999999").status_code == 404


def test_the_entry_page_shows_before_and_after(client, as_role, marked):
    as_role("auditor")
    page = client.get(f"/audit/{marked['one'].id}").get_data(as_text=True)
    assert "Alice Quokka" in page
    assert ">1<" in page.replace(" ", "") and ">2<" in page.replace(" ", "")


def test_the_newest_entries_come_first(client, as_role, marked):
    as_role("auditor")
    page = client.get("/audit/").get_data(as_text=True)
    assert page.index("platypus opened") < page.index("zebracorn renamed")


@pytest.mark.parametrize("args,expected", [
    ({"q": "zebracorn"}, {"one", "two"}),
    ({"q": "ZEBRACORN RENAMED"}, {"one"}),
    ({"q": "100%"}, {"two"}),
    ({"q": "_done_"}, {"two"}),
    ({"action": "marker.close"}, {"two"}),
    ({"action": "marker."}, {"one", "two", "three"}),
    ({"actor": "quokka"}, {"one", "three"}),
    ({"actor": "Bob Wombat"}, {"two"}),
    ({"object_type": "Framework", "action": "marker"}, {"three"}),
    ({"actor": "alice", "q": "zebracorn"}, {"one"}),
])
def test_filters_narrow_the_log(client, as_role, marked, args, expected):
    as_role("auditor")
    page = client.get("/audit/", query_string=args).get_data(as_text=True)
    shown = {k for k, words in [("one", "zebracorn renamed"), ("two", "zebracorn closed"),
                                ("three", "platypus opened")] if words in page}
    assert shown == expected


def test_q_also_finds_an_entry_by_object_id(client, as_role, marked):
    as_role("auditor")
    page = client.get("/audit/", query_string={"q": marked["three"].object_id, "action": "marker"}).get_data(as_text=True)
    assert "platypus opened" in page


def test_a_like_wildcard_in_a_filter_matches_only_itself(client, as_role, marked):
    as_role("auditor")
    page = client.get("/audit/", query_string={"q": "%", "action": "marker"}).get_data(as_text=True)
    assert "zebracorn closed" in page and "zebracorn renamed" not in page


def test_date_filters_use_london_days(client, as_role, marked):
    as_role("auditor")
    today = today_in_london()
    day = timedelta(days=1)

    def shows(**args):
        return "platypus opened" in client.get("/audit/", query_string={**args, "q": "platypus"}).get_data(as_text=True)

    assert shows(**{"from": today.isoformat()})
    assert shows(to=today.isoformat())
    assert shows(**{"from": (today - day).isoformat(), "to": (today + day).isoformat()})
    assert not shows(**{"from": (today + day).isoformat()})
    assert not shows(to=(today - day).isoformat())


@pytest.mark.parametrize("name", ["q", "action", "actor", "object_type", "from", "to", "page", "format"])
@pytest.mark.parametrize("value", [
    "%", "_", "\\", "'", '"', "' OR 1=1 --", "%_%\\'\"", "<script>alert(1)</script>", "2026-02-30",
    "9999-12-31", "0001-01-01", "31/12/2026", "-1", "99999999999999999999999", "x" * 5000, "Ünïcødé ✓",
])
def test_odd_filter_values_never_break_the_log(client, as_role, marked, name, value):
    as_role("auditor")
    r = client.get("/audit/", query_string={name: value})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.get_data(as_text=True)


def test_a_bad_date_is_shown_as_typed_with_its_error_and_the_rest_still_filters(client, as_role, marked):
    as_role("auditor")
    page = client.get("/audit/", query_string={"from": "not a date", "q": "platypus"}).get_data(as_text=True)
    assert "platypus opened" in page and "zebracorn" not in page
    assert 'value="not a date"' in page and "The from date must be a real date" in page


def test_the_filters_stay_in_the_form_after_filtering(client, as_role, marked):
    as_role("auditor")
    page = client.get("/audit/", query_string={"q": "platypus", "actor": "alice"}).get_data(as_text=True)
    assert 'value="platypus"' in page and 'value="alice"' in page


def test_pages_of_the_log_link_to_the_next_with_the_filters_kept(client, as_role, make, db_session):
    org = make.org()
    for i in range(30):
        record("pager.entry", org, summary=f"pager entry {i}")
    as_role("auditor")
    page = client.get("/audit/", query_string={"action": "pager.entry"}).get_data(as_text=True)
    assert "30 entries" in page
    assert "page=2" in page and "action=pager.entry" in page
    second = client.get("/audit/", query_string={"action": "pager.entry", "page": 2}).get_data(as_text=True)
    assert "pager entry 4<" in second and "pager entry 29<" not in second


def read_csv(response) -> list[dict[str, str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_the_log_downloads_as_csv_with_the_filters_applied(client, as_role, marked):
    as_role("commercial_admin")
    r = client.get("/audit/", query_string={"format": "csv", "q": "zebracorn"})
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    assert 'filename="audit-log.csv"' in r.headers["Content-Disposition"]
    rows = read_csv(r)
    assert [row["summary"] for row in rows] == ["zebracorn closed 100% _done_", "zebracorn renamed"]
    first = rows[1]
    one = marked["one"]
    assert first["id"] == str(one.id)
    assert first["action"] == "marker.rename"
    assert first["actor"].startswith("Alice Quokka <")
    assert first["before"] == '{"n":1}' and first["after"] == '{"n":2}'
    assert first["prev_hash"] == one.prev_hash and first["hash"] == one.hash
    assert first["occurred_at"] == one.occurred_at.isoformat()


def test_the_csv_download_holds_every_matching_entry_not_one_page(client, as_role, make):
    org = make.org()
    for i in range(30):
        record("csvpager.entry", org, summary=f"csv entry {i}")
    as_role("auditor")
    assert len(read_csv(client.get("/audit/?format=csv&action=csvpager.entry"))) == 30


def test_the_download_link_carries_the_filters(client, as_role, marked):
    as_role("auditor")
    page = client.get("/audit/", query_string={"q": "zebracorn"}).get_data(as_text=True)
    assert "format=csv" in page and "q=zebracorn" in page


def test_reading_the_log_changes_nothing(client, as_role, db_session, marked):
    as_role("auditor")
    before = db_session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    client.get("/audit/")
    client.get("/audit/?format=csv")
    client.get(f"/audit/{marked['one'].id}")
    assert db_session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) == before


def test_the_kinds_of_object_are_in_peoples_words(client, as_role, marked):
    as_role("auditor")
    page = client.get("/audit/").get_data(as_text=True)
    assert '<option value="Organisation"' in page and ">Organisation</option>" in page
    assert ">Quarterly check-in</option>" in page or "CheckIn" not in page
    assert not re.search(r"<option[^>]*>\s*[A-Z][a-z]+[A-Z]\w*\s*</option>", page)  # no CamelCase class names
    assert ">Admission application</option>" in page


@pytest.mark.parametrize("args,field,message", [
    ({"from": "2026-13-01"}, "since", "The from date must be a real date"),
    ({"to": "yesterday"}, "until", "The to date must be a real date"),
    ({"from": "2026-12-02", "to": "2026-12-01"}, "until", "The to date must be the same as or after the from date"),
])
def test_a_bad_date_is_said_not_silently_ignored(client, as_role, marked, args, field, message):
    from tests.formcheck import summary_links

    as_role("auditor")
    page = client.get("/audit/", query_string={**args, "q": "zebracorn"}).get_data(as_text=True)
    assert summary_links(page) == {field: message}
    assert "zebracorn renamed" in page and "platypus opened" not in page  # the other filters still apply
