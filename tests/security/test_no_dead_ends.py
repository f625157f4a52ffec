"""No address a person can land on answers 405.

A form posts to an address; the browser then shows that address. A reload after a refused form, the
back button, a bookmark or a link copied from the address bar asks for it again with GET. So every
address of the URL map that takes a POST must answer a GET too: the form's own page (forms post
back, redirect after success and re-render in place on error), or, for a button's action, a
redirect to the page the button is on. The JSON API is for machine clients and keeps its 405s.

The walk signs in, for each POST route, as the demo user who may post it (tests/security/form_fuzz.py
`FORMS`), with the demo objects its URL names.
"""
from __future__ import annotations

from flask import url_for

from tests.security.form_fuzz import FORMS
from tests.security.test_fuzz_forms import _sign_in, _targets

#: The machine-facing JSON API: a person never lands there.
MACHINE_PREFIXES = ("api.v1.",)

#: POST routes not in the fuzz table (they read no form), and the target and user to try them with.
_OTHERS = {"registry.decide_membership": ("commercial_admin", {"membership_id": "membership_rbl_applied"}),
           # reached through an emailed link; without one it is still a page saying the link is not valid
           "accounts.unlock_page": ("anonymous", {})}


def test_every_address_a_form_posts_to_answers_a_get_for_a_signed_in_user(app, client, db_session):
    ids = _targets(db_session, None)
    db_session.commit()
    rules = sorted((r for r in app.url_map.iter_rules() if "POST" in r.methods
                    and not r.endpoint.startswith(MACHINE_PREFIXES)), key=lambda r: r.endpoint)
    assert len(rules) > 60
    problems = []
    for rule in rules:
        case = FORMS.get(rule.endpoint)
        if case is None and rule.endpoint not in _OTHERS:
            problems.append(f"{rule.endpoint}: no demo user and target to try it with")
            continue
        role, args = (case.role, case.args) if case else _OTHERS[rule.endpoint]
        if role == "invitee":
            role = "anonymous"  # the set-password page without an opened link: still a page, not a 405
        with app.test_request_context():
            url = url_for(rule.endpoint, **{k: ids[v] for k, v in args.items()})
        _sign_in(client, db_session, role)
        response = client.get(url)
        if response.status_code == 405 or response.status_code >= 500:
            problems.append(f"GET {url} ({rule.endpoint}) as {role}: {response.status_code}")
    assert problems == [], "\n".join(problems)
