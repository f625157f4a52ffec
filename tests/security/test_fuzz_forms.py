"""Hostile input on every form: property-based fuzzing of each POST route of the app.

The table (tests/security/form_fuzz.py `FORMS`) names, for every route that accepts a POST, the
demo user who may post it and the demo object it acts on; a test walks the URL map and fails when a
POST route is missing, so a new form cannot escape. For each form, hypothesis builds submissions
from the form's own fields (read from the page, or from the WTForms class for one-button routes):
script and Markdown payloads, unicode with NUL, control and RTL characters, very long strings,
numbers out of range, malformed dates, unknown choices, missing, repeated and unknown fields.

Every answer must be below 500, and the page that comes back (the re-rendered form, or the page a
successful save redirects to) must not run script: no unescaped payload, no event-handler
attribute, no javascript: link. Each example runs in a savepoint rolled back after it, so every
example starts from the same demo data and nothing persists.

FORM_FUZZ_EXAMPLES (default 20) sets the examples per form; the number of cases run is printed
(run with -s, or read the "form fuzz" line in the captured output).
"""
from __future__ import annotations

import io
import os

import pytest
from flask import url_for
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from app.accounts.models import User
from app.extensions import db

from tests.security.form_fuzz import EXTRA_IDS, FORMS, NOT_FUZZED, Field, _cls, class_fields, files, page_fields, submissions, unsafe_markup
from tests.security.permission_matrix import EMAILS, demo_ids, make_demo_documents

EXAMPLES = int(os.environ.get("FORM_FUZZ_EXAMPLES", "20"))
# FORM_FUZZ_SHRINK=0 skips shrinking a failure (faster when hunting with many examples).
PHASES = [Phase.explicit, Phase.generate] + ([Phase.shrink] if os.environ.get("FORM_FUZZ_SHRINK", "1") == "1" else [])
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, phases=PHASES,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])


def _post_rules(app):
    return {r.endpoint: r for r in app.url_map.iter_rules() if r.methods & {"POST", "PUT", "PATCH", "DELETE"}}


def test_every_post_route_is_in_the_fuzz_table(app):
    routes = set(_post_rules(app))
    listed = set(FORMS) | set(NOT_FUZZED)
    assert sorted(routes - listed) == [], "POST routes with no row in tests/security/form_fuzz.py FORMS"
    assert sorted(listed - routes) == [], "fuzz table rows for routes that no longer accept a POST"
    assert not set(FORMS) & set(NOT_FUZZED)


# ---------------------------------------------------------------------------------------------
# Targets the demo data lacks, made inside the test's transaction


def _targets(db_session, endpoint) -> dict[str, object]:
    from app.api import imports
    from app.api.services import create_token
    from app.competitions.models import Clarification, Competition
    from app.competitions.bidding import services as bidding
    from app.competitions.evaluation import services as evaluation
    from app.competitions.setup import services as setup
    from app.competitions.evaluation.services import Mark
    from app.registry.models import Membership

    def user(role):
        return db_session.scalar(select(User).where(User.email == EMAILS[role]))

    buyer, exemplar = user("follower_buyer"), user("exemplar_manager")
    create_token(buyer, name="matrix target", scope="read")
    from datetime import date

    from app.registry.exclusions.services import add_entry
    from app.registry.models import Organisation

    add_entry(db_session.scalar(select(Organisation).where(Organisation.ods_code == "RAE")), kind="debarred",
              ground_kind="mandatory", ground="A fuzz test entry", starts_on=date(2026, 1, 1))
    open_comp = db_session.scalar(select(Competition).where(Competition.status == "clarification"))
    draft = setup.create_competition(buyer=buyer.organisation, lot=open_comp.lot, title="Fuzz draft",
                                     requirement="Help us.", actor=buyer, budget_pence=1_000_000)
    admitted = db_session.scalars(select(Membership.organisation_id).where(
        Membership.lot_id == open_comp.lot_id, Membership.status == "admitted",
        Membership.organisation_id != buyer.organisation_id)).all()
    setup.set_invitees(draft, organisation_ids=admitted, justification="Only these are admitted.", actor=buyer)
    setup.set_evaluators(draft, user_ids=[user("evaluator").id], actor=buyer)
    question = bidding.ask_question(open_comp, actor=exemplar, question="When does it start?")
    # The demo competition under evaluation, made ready for moderation (every evaluator, who declared no
    # interest before it started, has scored).
    moderated = db_session.scalar(select(Competition).where(Competition.status == "evaluation"))
    if endpoint == "competitions.moderate":
        bids = evaluation.valid_bids(moderated)
        for ev in [e.user for e in moderated.evaluators]:
            evaluation.save_scores(moderated, actor=ev, marks={(b.id, c.id): Mark(2, "Reason") for b in bids
                                                              for c in moderated.criteria})
            evaluation.submit_scores(moderated, actor=ev)
    run = imports.store_upload("deployments", "deps.csv",
                               b"ods_code,system,status,since,until,source,confidence\n"
                               b"RJR,Epic,live,,,https://example.org/a,high\n")
    make_demo_documents(db_session)
    db_session.flush()
    ids = demo_ids(db_session)
    ids.update(competition_draft=draft.id, clarification_open=question.id, import_run_pending=run.id,
               competition_moderation=moderated.id)
    ids.update({name: (row[0] if (row := db_session.execute(text(sql)).first()) else None)
                for name, sql in EXTRA_IDS.items()})
    assert db_session.get(Clarification, question.id) is not None
    return ids


def _sign_in(client, db_session, role):
    from flask import g

    with client.session_transaction() as s:
        s.clear()
        if role == "invitee":
            s["account_link"] = client.invite_token
        elif role != "anonymous":
            u = db_session.scalar(select(User).where(User.email == EMAILS[role]))
            s["_user_id"] = u.get_id()
            s["_fresh"] = True
    g.pop("_login_user", None)


def _invite(db_session) -> str:
    from app.accounts.invitations import invite_user

    org = db_session.scalar(select(User).where(User.email == EMAILS["follower_buyer"])).organisation
    _, token = invite_user(email="fuzz.invitee@example.nhs.uk", name="Fuzz Invitee", organisation=org,
                           roles=["follower_buyer"])
    db_session.flush()
    return token


class _Savepoint:
    """Each example inside a savepoint on the test's connection, rolled back after it."""

    def __enter__(self):
        db.session.remove()  # no savepoint of the session's may enclose ours (its release would end ours)
        self.conn = db.engines[None]
        self.sp = self.conn.begin_nested()
        return self

    def __exit__(self, *exc):
        db.session.remove()
        if self.sp.is_active:
            self.sp.rollback()


def _check_page(resp, client, where, problems):
    """The answer is not a 5xx, and neither it nor the page it redirects to runs script."""
    if resp.status_code >= 500:
        problems.append(f"{where}: {resp.status_code}")
        return
    pages = [resp]
    location = resp.headers.get("Location", "")
    if resp.status_code in (301, 302, 303) and location.startswith("/") and "/sign-in" not in location:
        follow = client.get(location)
        if follow.status_code >= 500:
            problems.append(f"{where}: the page it redirects to, {location}, answered {follow.status_code}")
        pages.append(follow)
    for page in pages:
        if page.mimetype == "text/html":
            for p in unsafe_markup(page.get_data(as_text=True)):
                problems.append(f"{where} ({page.request.path if page.request else ''}): {p}")


CASES_RUN: dict[str, int] = {}


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_hostile_submissions_never_fail_or_run_script(endpoint, app, client, db_session):
    case = FORMS[endpoint]
    ids = _targets(db_session, endpoint)
    client.invite_token = _invite(db_session) if case.role == "invitee" else None
    missing = [v for v in case.args.values() if ids.get(v) is None]
    assert missing == [], f"demo targets missing: {missing}"
    with app.test_request_context():
        url = url_for(endpoint, **{k: ids[v] for k, v in case.args.items()})
    db_session.commit()  # the targets are in the test's outer transaction, under every savepoint

    _sign_in(client, db_session, case.role)
    fields: list[Field] | None = None
    rule = _post_rules(app)[endpoint]
    if "GET" in rule.methods:
        page = client.get(url)
        assert page.status_code < 500
        if page.status_code == 200:
            fields = page_fields(page.get_data(as_text=True), url)
    if fields is None:
        fields = class_fields(_cls(case.form)) if case.form else []
        if case.form is None and "GET" in rule.methods:
            pytest.fail(f"{endpoint}: the page has no POST form to {url} (name the form class in the table)")
    keep = {"csrf_token", "idempotency_key"} & {f.name for f in fields}
    problems: list[str] = []
    statuses: dict[int, int] = {}
    count = 0

    strategy = submissions(fields, case.valid, keep=keep)
    if case.upload:
        strategy = st.tuples(strategy, files())

    @FUZZ
    @given(strategy)
    def run(submission):
        nonlocal count
        count += 1
        with _Savepoint():
            _sign_in(client, db_session, case.role)
            if case.upload:
                pairs, (name, content) = submission
                data = {k: v for k, v in pairs if k != "file"}
                data["file"] = (io.BytesIO(content), name)
                resp = client.post(url, data=data, content_type="multipart/form-data")
            else:
                from werkzeug.datastructures import MultiDict

                resp = client.post(url, data=MultiDict(submission))
            statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
            _check_page(resp, client, f"POST {url} as {case.role}", problems)
            assert not problems, "\n".join(dict.fromkeys(problems)) + f"\nsubmission: {submission!r}"[:4000]

    run()
    CASES_RUN[endpoint] = count
    print(f"form fuzz: {endpoint}: {count} cases, {len(fields)} fields, statuses {dict(sorted(statuses.items()))}")


def test_a_post_without_a_csrf_token_is_refused_with_a_clear_page(app, client, db_session):
    """The test config turns CSRF off so the fuzzing can post; switched on, a form sent without its
    token (or with a forged one) is a 400 with a message, never a 500, and changes nothing."""
    from app.audit.models import AuditEvent

    _sign_in(client, db_session, "follower_buyer")
    before = db_session.scalar(select(db.func.count()).select_from(AuditEvent))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for data in ({"name": "No token"}, {"name": "Forged", "csrf_token": "forged"},
                     {"name": "<script>alert(1)</script>", "csrf_token": "\u202e" * 50}):
            resp = client.post("/projects/new", data=data)
            body = resp.get_data(as_text=True)
            assert resp.status_code == 400
            assert "Your form expired or was sent from another site" in body
            assert unsafe_markup(body) == []
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db_session.scalar(select(db.func.count()).select_from(AuditEvent)) == before


# ---------------------------------------------------------------------------------------------
# The bugs the fuzzing found, pinned


@settings(max_examples=200, deadline=None)
@given(day=st.text(max_size=12), month=st.one_of(st.integers(-2**70, 2**70).map(str), st.text(max_size=12)),
       year=st.text(alphabet="0123456789١٢٣", min_size=0, max_size=6))
def test_a_date_typed_in_three_boxes_is_a_date_or_a_message_never_an_exception(day, month, year):
    """A month or day past the C int range raised OverflowError (a 500) in DateInputField."""
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    from app.web.fields import DateInputField

    class F(Form):
        when = DateInputField("When")

    form = F(MultiDict({"when-day": day, "when-month": month, "when-year": year}))
    form.validate()
    assert form.when.data is None or form.when.data.year >= 1


def test_a_month_of_2147483648_is_not_a_real_date():
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    from app.web.fields import DateInputField

    class F(Form):
        when = DateInputField("When")

    form = F(MultiDict({"when-day": "1", "when-month": "2147483648", "when-year": "2028"}))
    assert not form.validate() and form.when.errors == ["When must be a real date"]


@pytest.mark.parametrize("typed", ["9" * 400, "-" + "9" * 400, "1" * 16])
def test_a_very_long_number_is_not_a_whole_number_rather_than_an_overflow(app, typed):
    """WTForms' NumberRange overflowed (math.isnan on a 400-digit int: a 500) on every count field."""
    from werkzeug.datastructures import MultiDict

    from app.competitions.setup.forms import TimetableForm

    with app.test_request_context(method="POST"):
        form = TimetableForm(MultiDict({"clarification_days": typed, "response_days": "10", "standstill_days": "8",
                                        "deadline_time": "12:00"}), meta={"csrf": False})
        assert not form.validate()
        assert "The clarification period must be a whole number" in form.clarification_days.errors
