"""Signing in and out: passwords, lockout, inactive accounts, redirects, the audit trail."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask import g
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.passwords import hash_password, verify_password
from app.accounts.services import LoginResult, authenticate, create_user, end_sessions
from app.accounts.throttle_store import throttle_store
from app.accounts.throttling import PAIR, account_keys
from app.audit.models import AuditEvent
from app.errors import DomainError
from seed.load import DEMO_PASSWORD, DEMO_USERS

from .fixtures import PASSWORD, REAL_HASHER, cheap_password_hashing, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")

BAD_CREDENTIALS = "Enter a correct email address and password."
LOCKED = "Too many failed sign-in attempts. Wait 1 minute and try again."
LOCKOUT_THRESHOLD = PAIR.lock_at


def failures(user) -> int:
    """The account's count of failed sign-ins, from the throttle store."""
    return throttle_store().failures(account_keys(user.email)[0][0], datetime.now(timezone.utc))


def wait_a_minute(user, db_session):
    """Let the first wait end: move every wait of this account an hour back."""
    from app.accounts.models import SignInThrottle

    for row in db_session.execute(select(SignInThrottle)).scalars():
        if row.locked_until is not None:
            row.locked_until -= timedelta(hours=1)
    user.locked_until = None
    db_session.flush()


def entries_for(session, user, action):
    return session.execute(
        select(AuditEvent).where(AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id),
                                 AuditEvent.action == action).order_by(AuditEvent.id)
    ).scalars().all()


def page(response) -> str:
    return response.get_data(as_text=True)


# The form.

def test_the_sign_in_page_is_public_and_has_the_form(client):
    r = client.get("/sign-in")
    assert r.status_code == 200
    html = page(r)
    assert "Sign in to Exemplar Exchange" in html
    assert 'name="email"' in html and 'name="password"' in html
    assert 'type="password"' in html
    assert 'autocomplete="current-password"' in html


def test_signing_in_through_the_form_leads_to_the_dashboard(client, make, sign_in, db_session):
    user = make.user("follower_buyer", name="Fern Follower")
    r = sign_in(user.email, PASSWORD)
    assert r.status_code == 302
    assert r.headers["Location"] == "/dashboard"
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "Signed in as Fern Follower." in page(dashboard)
    assert user.last_login_at is not None
    assert entries_for(db_session, user, "user.login")


def test_the_email_is_matched_without_regard_to_case(make, sign_in):
    user = make.user("auditor", email="mixed.case@test.nhs.uk")
    sign_in("mixed.case@test.nhs.uk", "wrong")
    assert failures(user) == 1
    assert sign_in("Mixed.Case@TEST.nhs.uk", PASSWORD).status_code == 302


@pytest.mark.parametrize("email,_name,_ods,roles", DEMO_USERS)
def test_every_demo_account_can_sign_in(sign_in, email, _name, _ods, roles):
    assert sign_in(email, DEMO_PASSWORD).headers["Location"] == "/dashboard"


def test_an_empty_form_shows_what_is_missing(client):
    html = page(client.post("/sign-in", data={"email": "", "password": ""}))
    assert "There is a problem" in html
    assert "Enter your email address" in html and "Enter your password" in html


def test_a_malformed_email_is_refused_by_the_form(client):
    html = page(client.post("/sign-in", data={"email": "not-an-email", "password": "x"}))
    assert "Enter an email address in the correct format" in html


def test_the_typed_email_is_kept_but_the_password_is_not(client, make):
    user = make.user("auditor")
    html = page(client.post("/sign-in", data={"email": user.email, "password": "wrong password"}))
    assert f'value="{user.email}"' in html
    assert "wrong password" not in html


def test_a_wrong_password_is_refused_with_a_general_message(make, sign_in, db_session):
    user = make.user("auditor")
    r = sign_in(user.email, "not the password")
    assert r.status_code == 200
    assert BAD_CREDENTIALS in page(r)
    assert failures(user) == 1
    assert entries_for(db_session, user, "user.login_failed")


def test_an_unknown_email_gets_exactly_the_same_answer_as_a_wrong_password(make, sign_in):
    user = make.user("auditor")
    unknown = sign_in("nobody@nowhere.nhs.uk", "not the password")
    wrong = sign_in(user.email, "not the password")
    assert unknown.status_code == wrong.status_code == 200
    assert BAD_CREDENTIALS in page(unknown)
    assert page(unknown).replace("nobody@nowhere.nhs.uk", "EMAIL") == page(wrong).replace(user.email, "EMAIL")


def test_an_unknown_email_still_checks_a_password_hash(monkeypatch):
    """So a wrong email takes as long as a wrong password and accounts cannot be found by timing."""
    from app.accounts import passwords

    calls = []
    real = passwords._hasher

    class Spy:
        def verify(self, stored, password):
            calls.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(passwords, "_hasher", Spy())
    assert verify_password(None, "anything") is False
    assert calls == [passwords._DUMMY]


# Throttling (the rules themselves: tests/security/test_sign_in_throttling.py).

def test_after_five_failures_in_a_row_signing_in_waits_a_minute(make, sign_in, db_session):
    user = make.user("auditor")
    for attempt in range(1, LOCKOUT_THRESHOLD):
        assert BAD_CREDENTIALS in page(sign_in(user.email, f"wrong {attempt}"))
        assert not user.is_locked
    r = sign_in(user.email, "wrong 5")
    assert r.status_code == 429 and 55 <= int(r.headers["Retry-After"]) <= 61
    assert LOCKED in page(r)
    assert user.is_locked and failures(user) == LOCKOUT_THRESHOLD
    assert "sign-ins wait 1 minute" in entries_for(db_session, user, "user.login_failed")[-1].summary


def test_while_waiting_even_the_right_password_is_refused_without_being_checked(make, sign_in, client, db_session,
                                                                                 monkeypatch):
    user = make.user("auditor")
    for attempt in range(LOCKOUT_THRESHOLD):
        sign_in(user.email, f"wrong {attempt}")
    from app.accounts import services

    monkeypatch.setattr(services, "verify_password", lambda *a: pytest.fail("the password was checked"))
    r = sign_in(user.email, PASSWORD)
    assert r.status_code == 429 and LOCKED in page(r)
    assert client.get("/dashboard").status_code == 302
    assert entries_for(db_session, user, "user.login_refused_locked")


def test_the_wait_ends_by_itself_and_the_owner_signs_in(make, sign_in, db_session):
    user = make.user("auditor")
    for attempt in range(LOCKOUT_THRESHOLD):
        sign_in(user.email, f"wrong {attempt}")
    assert user.is_locked
    wait_a_minute(user, db_session)
    assert sign_in(user.email, PASSWORD).status_code == 302


def test_a_success_resets_the_count_of_failures_from_this_address(make, sign_in):
    user = make.user("auditor")
    for i in range(LOCKOUT_THRESHOLD - 1):
        sign_in(user.email, f"wrong {i}")
    assert sign_in(user.email, PASSWORD).status_code == 302
    assert BAD_CREDENTIALS in page(sign_in(user.email, "wrong again"))
    assert not user.is_locked  # the count started again


def test_failed_attempts_are_kept_even_though_the_sign_in_fails(make, sign_in, db_session):
    """The failure count is committed with the refusal, so it cannot be rolled back by failing."""
    user = make.user("auditor")
    sign_in(user.email, "wrong")
    db_session.expire_all()
    assert failures(user) == 1


def test_authenticate_reports_each_outcome(make, db_session):
    active = make.user("auditor")
    assert authenticate(active.email, PASSWORD) == (LoginResult.OK, active, None)
    assert authenticate(active.email, "wrong") == (LoginResult.BAD, None, None)
    assert authenticate("nobody@example.org", PASSWORD) == (LoginResult.BAD, None, None)
    inactive = make.user("auditor", active=False)
    assert authenticate(inactive.email, PASSWORD) == (LoginResult.INACTIVE, None, None)
    waiting = make.user("auditor")
    for i in range(LOCKOUT_THRESHOLD - 1):
        authenticate(waiting.email, "wrong", address="192.0.2.1")
    outcome, user, wait = authenticate(waiting.email, "wrong", address="192.0.2.1")
    assert (outcome, user, wait) == (LoginResult.LOCKED, None, timedelta(minutes=1))
    assert authenticate(waiting.email, PASSWORD, address="192.0.2.1").outcome == LoginResult.LOCKED
    assert authenticate(waiting.email, PASSWORD, address="192.0.2.2").outcome == LoginResult.OK


def test_unlocking_lets_the_user_sign_in_again(make, sign_in, db_session):
    from app.accounts.services import unlock

    user = make.user("auditor")
    for attempt in range(LOCKOUT_THRESHOLD):
        sign_in(user.email, f"wrong {attempt}")
    admin = make.user("commercial_admin")
    unlock(user, actor=admin)
    assert (user.is_locked, failures(user)) == (False, 0)
    entry = entries_for(db_session, user, "user.unlock")[-1]
    assert entry.actor_id == admin.id and '"locked":true' in entry.before
    assert sign_in(user.email, PASSWORD).status_code == 302


def test_the_users_unlock_command_unlocks_an_account(runner, make, db_session):
    user = make.user("auditor", email="locked.out@test.nhs.uk")
    for attempt in range(LOCKOUT_THRESHOLD):
        authenticate(user.email, f"wrong {attempt}", address="192.0.2.1")
    assert user.is_locked
    result = runner.invoke(args=["users", "unlock", "Locked.Out@test.nhs.uk"])
    assert result.exit_code == 0, result.output
    assert "Unlocked locked.out@test.nhs.uk" in result.output
    db_session.expire_all()
    user = db_session.get(User, user.id)
    assert not user.is_locked and failures(user) == 0
    assert authenticate(user.email, PASSWORD, address="192.0.2.1").outcome == LoginResult.OK
    assert entries_for(db_session, user, "user.unlock")[-1].actor_label == "system (command line)"


def test_the_users_unlock_command_fails_for_an_unknown_email(runner):
    result = runner.invoke(args=["users", "unlock", "nobody@nowhere.nhs.uk"])
    assert result.exit_code != 0
    assert "No user with email nobody@nowhere.nhs.uk" in result.output


# Inactive accounts.

def test_an_inactive_account_cannot_sign_in(make, sign_in, client):
    user = make.user("auditor", active=False)
    r = sign_in(user.email, PASSWORD)
    assert r.status_code == 200
    assert "Your account has been deactivated" in page(r)
    assert client.get("/dashboard").status_code == 302


def test_an_inactive_account_with_a_wrong_password_gets_the_general_message(make, sign_in):
    user = make.user("auditor", active=False)
    assert BAD_CREDENTIALS in page(sign_in(user.email, "wrong"))


def test_a_session_ends_when_its_user_is_deactivated(client, make, login, db_session):
    user = login(make.user("auditor"))
    assert client.get("/dashboard").status_code == 200
    user.active = False
    db_session.flush()
    g.pop("_login_user", None)
    assert client.get("/dashboard").status_code == 302


def test_ending_sessions_signs_the_user_out_everywhere(client, make, login, db_session):
    user = login(make.user("auditor"))
    assert client.get("/dashboard").status_code == 200
    end_sessions(user)
    db_session.flush()
    g.pop("_login_user", None)
    assert client.get("/dashboard").status_code == 302


# Passwords.

def test_passwords_are_stored_as_argon2id_hashes(make, db_session):
    user = create_user(email="hash.check@test.nhs.uk", name="Hash Check", organisation=make.org(),
                       roles=["auditor"], password="a long enough password")
    assert user.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in user.password_hash
    assert verify_password(user.password_hash, "a long enough password")
    assert not verify_password(user.password_hash, "a long enough passworD")


def test_the_demo_accounts_have_argon2id_hashes_at_full_cost(db_session):
    hashes = db_session.execute(
        select(User.password_hash).where(User.email.in_([u[0] for u in DEMO_USERS]))
    ).scalars().all()
    assert len(hashes) == len(DEMO_USERS)
    for h in hashes:
        assert h.startswith("$argon2id$")
        params = dict(p.split("=") for p in h.split("$")[3].split(","))
        # At least OWASP's minimum for Argon2id (19 MiB, 2 iterations).
        assert int(params["m"]) >= 19456 and int(params["t"]) >= 2
        assert not REAL_HASHER.check_needs_rehash(h)


def test_the_same_password_hashes_differently_each_time():
    assert hash_password("same password") != hash_password("same password")


def test_a_garbled_stored_hash_simply_fails_to_verify():
    assert verify_password("not-a-hash", "anything") is False


def test_an_account_without_a_password_cannot_sign_in(make, sign_in):
    user = make.user("auditor", password_hash=None)
    assert BAD_CREDENTIALS in page(sign_in(user.email, "anything"))


def test_an_old_style_hash_is_upgraded_at_sign_in(make, sign_in):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    user = make.user("auditor", password_hash=weak)
    assert sign_in(user.email, PASSWORD).status_code == 302
    assert user.password_hash != weak and user.password_hash.startswith("$argon2id$")


# Creating users.

def test_an_email_can_be_registered_only_once_whatever_its_case(make):
    create_user(email="once@test.nhs.uk", name="Once", organisation=make.org(), roles=["auditor"])
    with pytest.raises(DomainError, match="already exists") as e:
        create_user(email=" ONCE@test.nhs.uk ", name="Twice", organisation=make.org(), roles=["auditor"])
    assert e.value.field == "email"


def test_an_unknown_role_is_refused(make):
    with pytest.raises(DomainError, match="Unknown role: superuser") as e:
        create_user(email="role@test.nhs.uk", name="Role", organisation=make.org(), roles=["superuser"])
    assert e.value.field == "roles"


# Signing out.

def test_signing_out_is_a_post(client, make, login):
    """The address typed or reloaded asks (a button that posts back); it never signs out on a GET."""
    login(make.user("auditor"))
    asked = client.get("/sign-out")
    assert asked.status_code == 200 and '<form method="post"' in page(asked)
    assert client.get("/dashboard").status_code == 200


def test_signing_out_ends_the_session(client, make, login):
    login(make.user("auditor"))
    assert client.get("/dashboard").status_code == 200
    r = client.post("/sign-out")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert "You have signed out." in page(client.get("/"))
    assert client.get("/dashboard").status_code == 302


def test_the_sign_out_button_is_a_form_in_the_header(client, make, login):
    login(make.user("auditor"))
    html = page(client.get("/dashboard"))
    assert 'action="/sign-out" method="post"' in html


def test_signing_out_when_not_signed_in_goes_to_sign_in(client):
    r = client.post("/sign-out")
    assert r.status_code == 302 and r.headers["Location"].startswith("/sign-in")


def test_the_dashboard_needs_a_signed_in_user(client):
    r = client.get("/dashboard")
    assert r.status_code == 302
    assert r.headers["Location"] == "/sign-in?next=%2Fdashboard"


# Where to go after signing in.

@pytest.mark.parametrize("target", ["/frameworks", "/organisations?region=Y62&page=2", "/audit/"])
def test_a_local_next_page_is_followed_after_sign_in(make, sign_in, target):
    user = make.user("auditor")
    assert sign_in(user.email, PASSWORD, next=target).headers["Location"] == target


@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "https:/evil.example",
    " //evil.example",
    "",
    "/\r\nX-Injected:1",  # /sign-in?next=/%0d%0aX-Injected:1 answered 500 after signing in
    "/dashboard\nSet-Cookie: a=b",
    "/\x01",
    "/audit/\x7f",
    "/audit/\x85",
    "/" + "a" * 2001,
])
def test_a_next_page_on_another_site_is_ignored(make, sign_in, target):
    user = make.user("auditor")
    location = sign_in(user.email, PASSWORD, next=target).headers["Location"]
    assert location == "/dashboard"


def test_a_signed_in_page_redirects_back_after_sign_in(client, make, sign_in):
    user = make.user("auditor")
    r = client.get("/audit/")
    assert r.status_code == 302
    follow = r.headers["Location"]  # /sign-in?next=%2Faudit%2F
    g.pop("_login_user", None)
    r = client.post(follow, data={"email": user.email, "password": PASSWORD})
    assert r.headers["Location"] == "/audit/"


def test_signing_in_starts_a_new_session(client, make, sign_in):
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"
    user = make.user("auditor")
    sign_in(user.email, PASSWORD)
    with client.session_transaction() as s:
        assert "planted" not in s
        assert s["_user_id"] == user.get_id()


@pytest.mark.parametrize("role", ["follower_buyer", "evaluator", "exemplar_manager", "commercial_admin", "auditor"])
def test_every_role_has_a_dashboard_and_the_home_page(client, as_role, role):
    user = as_role(role)
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "Your dashboard" in page(dashboard) and user.name in page(dashboard)
    assert 'action="/sign-out"' in page(dashboard)
    assert client.get("/").status_code == 200
