"""Account management: invitations, passwords, roles, deactivation, unlocking and sessions."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts import services
from app.accounts.invitations import LINK_LIFETIME, hash_token, invite_user, link_for_token, reissue_link
from app.accounts.models import AccountInvitation, User
from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.accounts.throttling import PAIR
from app.audit.models import AuditEvent
from app.errors import DomainError
from app.models_base import utcnow
from tests.factories import PASSWORD
from tests.security.browser import Browser, new_browser

GOOD_PASSWORD = "marble otter lantern quarry"
LINK = re.compile(r"/invite/([A-Za-z0-9_\-]{20,})")


def _admin(db_session) -> User:
    return services.user_by_email("admin@demo.exemplar.nhs.uk")


def _audit(db_session, action: str, user: User) -> list[AuditEvent]:
    return db_session.execute(
        select(AuditEvent).where(AuditEvent.action == action, AuditEvent.object_type == "User",
                                 AuditEvent.object_id == str(user.id))
    ).scalars().all()


def _sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


def _signed_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


@pytest.fixture()
def browser(app, db_session):
    """A factory of independent browsers, optionally signed in as a user (without typing a password)."""
    return lambda user=None: new_browser(app, user)


@pytest.fixture()
def admin_client(browser, db_session):
    return browser(_admin(db_session))


@pytest.fixture()
def other_client(browser):
    """A second browser, nobody signed in."""
    return browser()


def _invite(admin_client, **overrides):
    data = {"name": "Nia Newcomer", "email": "nia.newcomer@test.nhs.uk", "ods_code": "rbl",
            "roles": [EXEMPLAR_MANAGER]}
    data.update(overrides)
    return admin_client.post("/admin/users/invite", data=data)


# ---------------------------------------------------------------------------------------- invitations

def test_the_commercial_admin_invites_a_user_and_sees_a_one_time_link_once(admin_client, db_session):
    response = _invite(admin_client)
    assert response.status_code == 200
    token = LINK.search(response.get_data(as_text=True)).group(1)
    user = services.user_by_email("nia.newcomer@test.nhs.uk")
    assert user.organisation.ods_code == "RBL" and user.roles == {EXEMPLAR_MANAGER}
    assert user.password_hash is None
    link = db_session.execute(select(AccountInvitation).where(AccountInvitation.user_id == user.id)).scalar_one()
    assert link.token_hash == hash_token(token) and token not in link.token_hash
    assert link.expires_at - link.created_at == LINK_LIFETIME == timedelta(days=7)
    assert _audit(db_session, "user.create", user) and _audit(db_session, "user.invite_link", user)
    everything = " ".join(f"{e.summary} {e.before} {e.after}" for e in db_session.execute(select(AuditEvent)).scalars())
    assert token not in everything
    # The user's page does not show the secret again.
    assert token not in admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)


def test_the_invitee_sets_a_password_on_the_link_and_is_signed_in(admin_client, other_client, db_session):
    token = LINK.search(_invite(admin_client).get_data(as_text=True)).group(1)
    opened = other_client.get(f"/invite/{token}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/invite/set-password")
    page = other_client.get("/invite/set-password")
    assert page.status_code == 200 and "Choose your password" in page.get_data(as_text=True)
    done = other_client.post("/invite/set-password", data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/dashboard")
    assert _signed_in(other_client)
    user = services.user_by_email("nia.newcomer@test.nhs.uk")
    assert _audit(db_session, "user.invite_accept", user)
    other_client.post("/sign-out")
    assert _sign_in(other_client, user.email, GOOD_PASSWORD).status_code == 302


def test_an_invitation_link_works_only_once(admin_client, other_client, db_session):
    token = LINK.search(_invite(admin_client).get_data(as_text=True)).group(1)
    other_client.get(f"/invite/{token}")
    other_client.post("/invite/set-password", data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    third = Browser(other_client.application, other_client.application.response_class)
    again = third.get(f"/invite/{token}")
    assert again.status_code == 404 and "This link does not work" in again.get_data(as_text=True)
    assert third.get("/invite/set-password").status_code == 404


def test_an_invitation_link_expires_after_seven_days(db_session, make):
    org = make.org()
    start = utcnow()
    user, token = invite_user(email="late@test.nhs.uk", name="Lee Late", organisation=org, roles=[EVALUATOR],
                              now=start)
    assert link_for_token(token, now=start + timedelta(days=7) - timedelta(seconds=1)) is not None
    assert link_for_token(token, now=start + timedelta(days=7)) is None


def test_an_expired_link_opens_nothing(admin_client, other_client, db_session):
    token = LINK.search(_invite(admin_client).get_data(as_text=True)).group(1)
    link = db_session.execute(select(AccountInvitation).where(AccountInvitation.token_hash == hash_token(token))).scalar_one()
    link.created_at = utcnow() - timedelta(days=8)
    link.expires_at = utcnow() - timedelta(days=1)
    db_session.flush()
    assert other_client.get(f"/invite/{token}").status_code == 404


def test_a_link_opened_then_expired_before_the_form_is_sent_sets_nothing(admin_client, other_client, db_session):
    token = LINK.search(_invite(admin_client).get_data(as_text=True)).group(1)
    other_client.get(f"/invite/{token}")
    link = db_session.execute(select(AccountInvitation).where(AccountInvitation.token_hash == hash_token(token))).scalar_one()
    link.revoked_at = utcnow()
    db_session.flush()
    response = other_client.post("/invite/set-password", data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 404 and link.user.password_hash is None


def test_a_new_link_revokes_the_older_one(db_session, make):
    user, first = invite_user(email="twice@test.nhs.uk", name="Tess Twice", organisation=make.org(),
                              roles=[FOLLOWER_BUYER])
    second = reissue_link(user)
    assert link_for_token(first) is None and link_for_token(second) is not None


def test_a_reset_link_for_a_locked_user_sets_a_new_password_and_unlocks(admin_client, other_client, db_session, make):
    user = make.user(FOLLOWER_BUYER)
    for _ in range(PAIR.lock_at):
        _sign_in(other_client, user.email, "wrong password entirely")
    assert user.is_locked
    response = admin_client.post(f"/admin/users/{user.id}/link")
    assert response.status_code == 200 and "Password reset link created" in response.get_data(as_text=True)
    token = LINK.search(response.get_data(as_text=True)).group(1)
    other_client.get(f"/invite/{token}")
    other_client.post("/invite/set-password", data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert not user.is_locked and _sign_in(other_client, user.email, GOOD_PASSWORD).status_code == 302
    assert _audit(db_session, "user.reset_accept", user)


@pytest.mark.parametrize("overrides, message", [
    ({"email": "admin@demo.exemplar.nhs.uk"}, "already exists"),
    ({"ods_code": "ZZZ99"}, "No organisation has this ODS code"),
    ({"roles": []}, "Choose at least one role"),
    ({"email": "not-an-email"}, "correct format"),
    ({"name": ""}, "Enter the person"),
])
def test_an_invitation_with_a_mistake_is_refused_on_the_form(admin_client, db_session, overrides, message):
    response = _invite(admin_client, **overrides)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and "There is a problem" in html and LINK.search(html) is None


@pytest.mark.parametrize("password, message", [
    ("short words", "at least 12 characters"),
    ("password1234", "too common"),
    ("nia.newcomer is me", "email"),
    ("aaaaaaaaaaaaaaaa", "too easy to guess"),
])
def test_the_invitee_cannot_choose_a_weak_password(admin_client, other_client, db_session, password, message):
    token = LINK.search(_invite(admin_client).get_data(as_text=True)).group(1)
    other_client.get(f"/invite/{token}")
    response = other_client.post("/invite/set-password", data={"password": password, "confirm": password})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert services.user_by_email("nia.newcomer@test.nhs.uk").password_hash is None


def test_the_two_passwords_must_match(admin_client, other_client, db_session):
    token = LINK.search(_invite(admin_client).get_data(as_text=True)).group(1)
    other_client.get(f"/invite/{token}")
    response = other_client.post("/invite/set-password", data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD + "x"})
    assert "do not match" in response.get_data(as_text=True)


# ------------------------------------------------------------------------------------------ permissions

ADMIN_PAGES = ["/admin/users", "/admin/users/invite", "/admin/users/{id}", "/admin/users/{id}/roles",
               "/admin/users/{id}/deactivate", "/admin/users?format=csv"]
ADMIN_POSTS = ["/admin/users/{id}/unlock", "/admin/users/{id}/reactivate", "/admin/users/{id}/link"]


@pytest.mark.parametrize("role", [FOLLOWER_BUYER, EVALUATOR, EXEMPLAR_MANAGER, AUDITOR])
def test_only_the_commercial_admin_may_manage_accounts(browser, make, role):
    target = make.user(FOLLOWER_BUYER)
    client = browser(make.user(role))
    for page in ADMIN_PAGES:
        assert client.get(page.format(id=target.id)).status_code == 403, page
    for page in ADMIN_POSTS + ["/admin/users/{id}/deactivate", "/admin/users/{id}/roles"]:
        assert client.post(page.format(id=target.id), data={"reason": "x", "roles": [AUDITOR]}).status_code == 403
    assert target.active and target.roles == {FOLLOWER_BUYER}


def test_anonymous_visitors_are_sent_to_sign_in(browser, make):
    client = browser()
    target = make.user(FOLLOWER_BUYER)
    for page in ADMIN_PAGES + ["/account", "/account/password"]:
        response = client.get(page.format(id=target.id))
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], page
    assert client.post(f"/admin/users/{target.id}/unlock").status_code == 302


def test_the_commercial_admin_sees_every_account_page(admin_client, make):
    target = make.user(FOLLOWER_BUYER)
    for page in ADMIN_PAGES:
        assert admin_client.get(page.format(id=target.id)).status_code == 200, page
    assert admin_client.get("/admin/users/999999").status_code == 404


def test_the_user_list_filters_by_name_organisation_role_and_status(admin_client, db_session, make):
    org = make.org()
    alice = make.user(EVALUATOR, org=org, name="Alice Filterable")
    bob = make.user(AUDITOR, org=org, name="Bob Filterable", active=False)
    html = admin_client.get("/admin/users?q=filterable").get_data(as_text=True)
    assert "Alice Filterable" in html and "Bob Filterable" in html
    html = admin_client.get(f"/admin/users?q=filterable&role={EVALUATOR}").get_data(as_text=True)
    assert "Alice Filterable" in html and "Bob Filterable" not in html
    html = admin_client.get(f"/admin/users?org={org.ods_code.lower()}&status=deactivated").get_data(as_text=True)
    assert "Bob Filterable" in html and "Alice Filterable" not in html
    html = admin_client.get("/admin/users?status=active&q=%25").get_data(as_text=True)
    assert "No users match" in html  # the LIKE wildcard is taken literally
    csv = admin_client.get(f"/admin/users?format=csv&org={org.ods_code}").get_data(as_text=True)
    assert alice.email in csv and bob.email in csv and "deactivated" in csv


# ----------------------------------------------------------------------------------- roles and status

def test_changing_roles_ends_the_users_sessions_and_is_audited(admin_client, browser, db_session, make):
    user = make.user(FOLLOWER_BUYER)
    other_client = browser(user)
    assert _signed_in(other_client)
    response = admin_client.post(f"/admin/users/{user.id}/roles", data={"roles": [EVALUATOR, FOLLOWER_BUYER]})
    assert response.status_code == 302
    assert user.roles == {EVALUATOR, FOLLOWER_BUYER}
    assert not _signed_in(other_client)
    (entry,) = _audit(db_session, "user.change_roles", user)
    assert '"follower_buyer"' in entry.before and '"evaluator"' in entry.after


def test_unchanged_or_empty_roles_are_refused(admin_client, db_session, make):
    user = make.user(FOLLOWER_BUYER)
    db_session.commit()  # a refused change rolls the request back: keep the user made here
    assert "unchanged" in admin_client.post(f"/admin/users/{user.id}/roles",
                                            data={"roles": [FOLLOWER_BUYER]}).get_data(as_text=True)
    assert "Choose at least one role" in admin_client.post(f"/admin/users/{user.id}/roles",
                                                           data={}).get_data(as_text=True)


def test_an_admin_cannot_remove_their_own_admin_role_or_deactivate_themselves(admin_client, db_session):
    me = _admin(db_session)
    response = admin_client.post(f"/admin/users/{me.id}/roles", data={"roles": [AUDITOR]})
    assert "cannot remove your own" in response.get_data(as_text=True) and COMMERCIAL_ADMIN in me.roles
    response = admin_client.post(f"/admin/users/{me.id}/deactivate", data={"reason": "testing"})
    assert "cannot deactivate your own" in response.get_data(as_text=True) and me.active


def test_an_admin_adding_a_role_to_themselves_stays_signed_in(admin_client, db_session):
    me = _admin(db_session)
    assert admin_client.post(f"/admin/users/{me.id}/roles", data={"roles": [AUDITOR, COMMERCIAL_ADMIN]}).status_code == 302
    assert me.roles == {AUDITOR, COMMERCIAL_ADMIN} and _signed_in(admin_client)


def test_the_last_active_commercial_admin_is_kept(db_session, make):
    admins = db_session.execute(select(User).where(User.active.is_(True))).unique().scalars().all()
    admins = [u for u in admins if u.has_role(COMMERCIAL_ADMIN)]
    actor = make.user(AUDITOR)
    for other in admins[1:]:
        services.deactivate(other, reason="test", actor=actor)
    last = admins[0]
    with pytest.raises(DomainError, match="last active commercial admin"):
        services.deactivate(last, reason="test", actor=actor)
    with pytest.raises(DomainError, match="last active commercial admin"):
        services.change_roles(last, [AUDITOR], actor=actor)


def test_deactivation_ends_sessions_refuses_sign_in_and_revokes_links(admin_client, browser, other_client, db_session, make):
    user = make.user(EVALUATOR)
    token = reissue_link(user)
    signed_in = browser(user)
    assert _signed_in(signed_in)
    assert "Enter a reason" in admin_client.post(f"/admin/users/{user.id}/deactivate", data={}).get_data(as_text=True)
    response = admin_client.post(f"/admin/users/{user.id}/deactivate", data={"reason": "Left the trust"})
    assert response.status_code == 302 and not user.active
    assert not _signed_in(signed_in)
    refused = _sign_in(other_client, user.email)
    assert refused.status_code == 200 and "deactivated" in refused.get_data(as_text=True)
    assert link_for_token(token) is None
    (entry,) = _audit(db_session, "user.deactivate", user)
    assert "Left the trust" in entry.summary and entry.actor_id == _admin(db_session).id


def test_a_deactivated_user_can_be_reactivated(admin_client, other_client, db_session, make):
    user = make.user(EVALUATOR, active=False)
    assert admin_client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    assert user.active and _audit(db_session, "user.reactivate", user)
    assert _sign_in(other_client, user.email).status_code == 302 and _signed_in(other_client)
    admin_client.post(f"/admin/users/{user.id}/reactivate")
    assert len(_audit(db_session, "user.reactivate", user)) == 1  # "already active" changes nothing


def test_a_locked_account_is_unlocked_by_the_admin(admin_client, other_client, db_session, make):
    user = make.user(EVALUATOR)
    for _ in range(PAIR.lock_at):
        _sign_in(other_client, user.email, "wrong password entirely")
    assert user.is_locked
    assert "Too many failed sign-in attempts" in _sign_in(other_client, user.email).get_data(as_text=True)
    user_page = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert re.search(r"Failed sign-ins \(last 24 hours, from any address\)\s*</dt>\s*<dd[^>]*>\s*5\s*<", user_page)
    assert "Locked" in admin_client.get("/admin/users?status=locked").get_data(as_text=True)
    assert user.name in admin_client.get("/dashboard").get_data(as_text=True)  # the "locked accounts" panel
    assert admin_client.post(f"/admin/users/{user.id}/unlock").status_code == 302
    assert not user.is_locked and _audit(db_session, "user.unlock", user)
    assert _sign_in(other_client, user.email).status_code == 302


# ------------------------------------------------------------------------------ passwords and sessions

def test_a_user_changes_their_password_with_the_current_one(browser, db_session, make):
    user = make.user(FOLLOWER_BUYER)
    db_session.commit()  # a refused change rolls the request back: keep the user made here
    here, elsewhere = browser(user), browser(user)
    wrong = here.post("/account/password", data={"current_password": "not it at all",
                                                  "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert "current password is not correct" in wrong.get_data(as_text=True)
    weak = here.post("/account/password", data={"current_password": PASSWORD,
                                                 "password": "password1234", "confirm": "password1234"})
    assert "too common" in weak.get_data(as_text=True)
    done = here.post("/account/password", data={"current_password": PASSWORD,
                                                 "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert done.status_code == 302
    assert _signed_in(here) and not _signed_in(elsewhere)
    assert len(_audit(db_session, "user.change_password", user)) == 1
    here.post("/sign-out")
    assert _sign_in(here, user.email, PASSWORD).status_code == 200  # the old password no longer works
    assert _sign_in(here, user.email, GOOD_PASSWORD).status_code == 302


def test_signing_in_starts_a_new_session(browser, db_session, make):
    user = make.user(FOLLOWER_BUYER)
    c = browser()
    with c.session_transaction() as s:
        s["planted"] = "by an attacker"
    _sign_in(c, user.email)
    with c.session_transaction() as s:
        assert "planted" not in s and s["_user_id"] == user.get_id()


def test_signing_out_ends_the_session_even_for_a_copy_of_the_cookie(browser, db_session, make):
    user = make.user(FOLLOWER_BUYER)
    c = browser()
    _sign_in(c, user.email)
    stolen = c.get_cookie("session").value
    assert c.post("/sign-out").status_code == 302
    assert _audit(db_session, "user.logout", user)
    thief = browser()
    thief.set_cookie("session", stolen)
    assert not _signed_in(thief)


def test_the_account_page_shows_the_users_own_details(browser, make):
    user = make.user(EVALUATOR, name="Pat Own")
    client = browser(user)
    html = client.get("/account").get_data(as_text=True)
    assert "Pat Own" in html and user.email in html and "Change your password" in html
