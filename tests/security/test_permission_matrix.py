"""Walk the permission matrix (tests/security/permission_matrix.py) over the real app.

Every rule of the URL map must have an entry (a new route without one fails the build). Then, per
role, one signed-in client requests every case: the status must be the matrix's, an anonymous
redirect must go to sign-in, a refused page must not show the owner's private text, and a refused
POST must write no audit entry. Set PERMISSION_MATRIX_RECORD=<file> to write the observed statuses
as JSON (to help review a change; the expected values are still written by hand).
"""
from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.api.services import create_token
from app.audit.models import AuditEvent

from tests.security.permission_matrix import EMAILS, MATRIX, ROLES, demo_ids, make_demo_documents

REFUSED = {302, 401, 403, 404}


def _rules(app):
    return {r.endpoint: r for r in app.url_map.iter_rules() if r.endpoint != "static"}


def test_every_route_has_an_entry_in_the_permission_matrix(app):
    endpoints = set(_rules(app))
    assert sorted(endpoints - set(MATRIX)) == [], "routes with no row in the permission matrix"
    assert sorted(set(MATRIX) - endpoints) == [], "matrix rows for routes that no longer exist"


def test_every_case_has_an_expectation_for_every_role():
    missing = [f"{ep} [{c.label}]" for ep, cases in MATRIX.items() for c in cases
               if c.expect is None or set(c.expect) != set(ROLES)]
    assert missing == []


def test_every_target_named_in_the_matrix_exists_in_the_demo_data(db_session):
    _buyer_token(db_session)
    ids = demo_ids(db_session)
    used = {v for cases in MATRIX.values() for c in cases for v in c.args.values()}
    used |= {c.secret for cases in MATRIX.values() for c in cases if c.secret}
    assert sorted(n for n in used if ids.get(n) is None) == []


def _url(app, endpoint, case, ids):
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, **{k: ids[v] for k, v in case.args.items()})


def _buyer_token(db_session):
    """The demo has no API tokens: make one for the buyer, the target of the revoke route (and,
    as it has no uploaded documents either, the documents the document routes serve). Nor does it
    name anyone excluded: record an entry on the exclusion register, the target of its pages."""
    from datetime import date

    from app.registry.exclusions.services import add_entry
    from app.registry.models import Organisation

    buyer = db_session.scalar(select(User).where(User.email == EMAILS["follower_buyer"]))
    create_token(buyer, name="matrix target", scope="read")
    make_demo_documents(db_session)
    supplier = db_session.scalar(select(Organisation).where(Organisation.ods_code == "RAE"))
    add_entry(supplier, kind="excluded", ground_kind="discretionary", ground="A matrix test entry",
              starts_on=date(2026, 1, 1))
    # Committed (ending the test's savepoint, not its transaction): a refused request's rollback
    # must not take the targets away from the requests after it.
    db_session.commit()


def _audit_count(db_session):
    return db_session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_status_the_matrix_gives_on_every_route(role, app, client, login, db_session):
    _buyer_token(db_session)
    ids = demo_ids(db_session)
    rules = _rules(app)
    headers = {}
    if role != "anonymous":
        user = db_session.scalar(select(User).where(User.email == EMAILS[role]))
        login(user)
        _, secret = create_token(user, name="permission matrix", scope="read")
        db_session.flush()
        headers = {"Authorization": f"Bearer {secret}"}
    api_client = app.test_client()  # no session cookie: the API must stand on the token alone
    record = os.environ.get("PERMISSION_MATRIX_RECORD")
    observed, problems = {}, []
    # Signing out ends the session: do it last.
    for endpoint, cases in sorted(MATRIX.items(), key=lambda item: (item[0] == "accounts.logout", item[0])):
        rule = rules.get(endpoint)
        if rule is None:
            continue
        for case in cases:
            if any(ids.get(v) is None for v in case.args.values()):
                problems.append(f"{endpoint} [{case.label}]: a demo target is missing")
                continue
            url = _url(app, endpoint, case, ids)
            method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
            before = _audit_count(db_session)
            if case.api:
                # The API never reads the session cookie: only the token counts.
                resp = api_client.open(url, method=method, headers=headers, json={} if method != "GET" else None)
            else:
                resp = client.open(url, method=method, data={} if method != "GET" else None)
            status = resp.status_code
            # A redirect refuses only the anonymous user (sign in first); signed in, it is a success.
            refused = status in {401, 403, 404} or (status == 302 and role == "anonymous")
            observed.setdefault(endpoint, {})[case.label] = status
            where = f"{endpoint} [{case.label}] {method} {url} as {role}"
            want = case.expect[role] if case.expect else None
            if want is not None and status != want:
                problems.append(f"{where}: {status}, matrix says {want}")
            if status == 302 and role == "anonymous" and not case.api and want == 302:
                if "/sign-in" not in resp.headers.get("Location", ""):
                    problems.append(f"{where}: redirected to {resp.headers.get('Location')}, not sign-in")
            if refused and case.secret and str(ids[case.secret]) in resp.get_data(as_text=True):
                problems.append(f"{where}: refused, but the page shows {case.secret}")
            if case.api and status in {401, 403, 404} and not resp.is_json:
                problems.append(f"{where}: refused without a JSON body")
            if method != "GET" and refused and _audit_count(db_session) != before:
                problems.append(f"{where}: refused, but an audit entry was written")
            # A redirect is a refusal only for the anonymous user: signed in, a button's address sends
            # its user back to the page the button is on.
            if case.post and method == "GET" and want in REFUSED and (want != 302 or role == "anonymous"):
                before = _audit_count(db_session)
                resp = client.post(url, data={})
                if resp.status_code not in REFUSED:
                    problems.append(f"{where}: POST answered {resp.status_code} to a role refused on GET")
                if role == "anonymous" and not (resp.status_code == 404 or (
                        resp.status_code == 302 and "/sign-in" in resp.headers.get("Location", ""))):
                    problems.append(f"{where}: anonymous POST answered {resp.status_code}, neither a redirect to sign-in nor 404")
                if _audit_count(db_session) != before:
                    problems.append(f"{where}: refused POST wrote an audit entry")
    if record:
        path = f"{record}.{role}.json"
        with open(path, "w") as fh:
            json.dump(observed, fh, indent=1, sort_keys=True)
    assert problems == [], "\n".join(problems)


def test_anonymous_is_sent_to_sign_in_whatever_the_id(app, client):
    """Where the matrix sends anonymous visitors to sign in, it must do so for an id that does not
    exist too (with `next` back to the page), as Flask-Login's login_required does: a signed-out
    visitor following a link from an e-mail signs in first, and the answer tells nothing about
    which objects exist (a 404 for a missing id beside a redirect for a real one would)."""
    from urllib.parse import parse_qs, urlsplit

    rules = _rules(app)
    problems, checked = [], 0
    for endpoint, cases in sorted(MATRIX.items()):
        rule = rules[endpoint]
        if not rule.arguments or any(c.api for c in cases) or endpoint == "accounts.logout":
            continue
        if not any(c.expect["anonymous"] == 302 for c in cases):
            continue
        with app.test_request_context():
            url = _url_for_missing(endpoint, rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            resp = client.open(url, method=method, data={} if method == "POST" else None)
            checked += 1
            location = resp.headers.get("Location", "")
            parts = urlsplit(location)
            if resp.status_code != 302 or parts.path != "/sign-in" or parse_qs(parts.query).get("next") != [url]:
                problems.append(f"{endpoint} {method} {url}: {resp.status_code} {location}")
    assert checked > 100
    assert problems == []


def _url_for_missing(endpoint, rule):
    from flask import url_for

    return url_for(endpoint, **{name: 999999 for name in rule.arguments})
