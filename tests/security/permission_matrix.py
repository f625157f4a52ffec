"""The permission matrix, as data: every route of the app × role × whose object it is.

Each endpoint maps to one or more *cases*. A case names the object the URL points at (its
"target", looked up by name in the demo data, see `demo_ids`), and the expected GET status for
each role. Roles: anonymous and the five roles of app/accounts/roles.py, each signed in as the
demo user who holds it (buyer@ and evaluator@ at RJR, exemplar@ at RBL, admin@ and auditor@ at
X24). "own" / "other" in a case label is from the point of view of RJR, the demo buyer's trust.

Statuses: 200 ok, 302 a redirect (anonymous: to sign-in; the test checks where it goes), 401 an
API refusal without a valid token, 403 refused, 404 not found or hidden, 405 the route has no
GET. `secret` names a demo text private to the object's owner; a refused request must not show it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text

ROLES = ("anonymous", "follower_buyer", "evaluator", "exemplar_manager", "commercial_admin", "auditor")
EMAILS = {
    "follower_buyer": "buyer@demo.exemplar.nhs.uk",
    "evaluator": "evaluator@demo.exemplar.nhs.uk",
    "exemplar_manager": "exemplar@demo.exemplar.nhs.uk",
    "commercial_admin": "admin@demo.exemplar.nhs.uk",
    "auditor": "auditor@demo.exemplar.nhs.uk",
}


def S(anonymous, follower_buyer, evaluator, exemplar_manager, commercial_admin, auditor):
    """Expected statuses in ROLES order (a row of the matrix)."""
    return dict(zip(ROLES, (anonymous, follower_buyer, evaluator, exemplar_manager, commercial_admin, auditor)))


@dataclass(frozen=True)
class Case:
    """One row: a URL (endpoint + args taken from the demo data) and the GET status per role."""

    label: str
    args: dict[str, str]
    expect: dict[str, int] | None
    secret: str | None = None
    post: bool = False  # also POST (empty form) as anonymous and as each role refused on GET
    api: bool = False


@dataclass
class Route:
    cases: list[Case] = field(default_factory=list)


# SQL (first column, first row) for each named target in the demo data.
_IDS = {
    "competition_awarded": "select c.id from competitions c where c.status='awarded' order by c.id",
    "declaration_evaluator_awarded": "select d.id from conflict_declarations d join users u on u.id=d.user_id "
                                     "join competitions c on c.id=d.competition_id where c.status='awarded' "
                                     "and u.email='evaluator@demo.exemplar.nhs.uk' order by c.id",
    "notice_uk7_awarded": "select n.id from notices n join competitions c on c.id=n.competition_id "
                          "where c.status='awarded' and n.kind='UK7' order by c.id",
    # Made by the test (the demo names nobody excluded).
    "exclusion_entry": "select id from exclusion_entries order by id",
    "competition_evaluation": "select c.id from competitions c where c.status='evaluation'",
    "competition_clarification": "select c.id from competitions c where c.status='clarification'",
    "competition_awarded_title": "select c.title from competitions c where c.status='awarded' order by c.id",
    "bid_rbl_in_evaluation": "select b.id from bids b join competitions c on c.id=b.competition_id "
                             "join organisations o on o.id=b.organisation_id where c.status='evaluation' and o.ods_code='RBL'",
    "clarification_awarded": "select k.id from clarifications k join competitions c on c.id=k.competition_id "
                             "where c.status='awarded'",
    "notification_buyer": "select n.id from notifications n join users u on u.id=n.user_id "
                          "where u.email='buyer@demo.exemplar.nhs.uk' order by n.id",
    "notification_exemplar": "select n.id from notifications n join users u on u.id=n.user_id "
                             "where u.email='exemplar@demo.exemplar.nhs.uk' order by n.id",
    "partnership_rjr_rbl": "select p.id from partnerships p join organisations f on f.id=p.follower_id "
                           "join organisations e on e.id=p.exemplar_id where f.ods_code='RJR' and e.ods_code='RBL' order by p.id",
    "partnership_other": "select p.id from partnerships p join organisations f on f.id=p.follower_id "
                         "join organisations e on e.id=p.exemplar_id where f.ods_code<>'RJR' and e.ods_code<>'RBL' order by p.id",
    "project_rjr": "select p.id from projects p join organisations o on o.id=p.organisation_id where o.ods_code='RJR'",
    "project_rjr_name": "select p.name from projects p join organisations o on o.id=p.organisation_id where o.ods_code='RJR'",
    "entry_rjr": "select e.id from shortlist_entries e join projects p on p.id=e.project_id "
                 "join organisations o on o.id=p.organisation_id where o.ods_code='RJR'",
    "offer_rbl": "select f.id from offers f join organisations o on o.id=f.organisation_id where o.ods_code='RBL' order by f.id",
    "offer_other": "select f.id from offers f join organisations o on o.id=f.organisation_id where o.ods_code='RBS' order by f.id",
    "category": "select id from capability_categories order by id",
    "framework": "select slug from frameworks order by id",
    "lot_number": "select l.number from lots l join frameworks f on f.id=l.framework_id order by f.id, l.number",
    "lot_id": "select l.id from lots l join frameworks f on f.id=l.framework_id order by f.id, l.number",
    "supplier": "select slug from suppliers order by id",
    "system": "select slug from systems order by id",
    "deployment_rjr": "select d.id from deployments d join organisations o on o.id=d.organisation_id where o.ods_code='RJR' order by d.id",
    "deployment_rbl": "select d.id from deployments d join organisations o on o.id=d.organisation_id where o.ods_code='RBL' order by d.id",
    "ods_rjr": "select 'RJR'",
    "ods_rbl": "select 'RBL'",
    "membership_rbl_applied": "select m.id from memberships m join organisations o on o.id=m.organisation_id "
                              "where o.ods_code='RBL' and m.status='applied'",
    "membership_rbl_admitted": "select m.id from memberships m join organisations o on o.id=m.organisation_id "
                               "where o.ods_code='RBL' and m.status='admitted'",
    "application_rbl": "select a.id from admission_applications a join organisations o on o.id=a.organisation_id where o.ods_code='RBL'",
    "application_other": "select a.id from admission_applications a join organisations o on o.id=a.organisation_id where o.ods_code<>'RBL' order by a.id",
    "admission_criterion": "select id from admission_criteria order by id",
    "agreement_rjr": "select a.id from funding_agreements a join organisations o on o.id=a.organisation_id "
                     "where o.ods_code='RJR' and a.status='active'",
    "agreement_rbl": "select a.id from funding_agreements a join organisations o on o.id=a.organisation_id "
                     "where o.ods_code='RBL' and a.status='active'",
    "condition_rjr": "select c.id from agreement_conditions c join funding_agreements a on a.id=c.agreement_id "
                     "join organisations o on o.id=a.organisation_id where o.ods_code='RJR' and a.status='active' order by c.id",
    "checkin_rjr": "select c.id from funding_checkins c join funding_agreements a on a.id=c.agreement_id "
                   "join organisations o on o.id=a.organisation_id where o.ods_code='RJR' order by c.id",
    "checkin_rbl": "select c.id from funding_checkins c join funding_agreements a on a.id=c.agreement_id "
                   "join organisations o on o.id=a.organisation_id where o.ods_code='RBL' order by c.id",
    "tranche_rjr": "select t.id from funding_tranches t join funding_agreements a on a.id=t.agreement_id "
                   "join organisations o on o.id=a.organisation_id where o.ods_code='RJR' and a.status='active' order by t.id",
    "alert_rule": "select id from concentration_alert_rules order by id",
    "import_run": "select id from import_runs order by id",
    "audit_event": "select id from audit_events order by id",
    "user_buyer": "select id from users where email='buyer@demo.exemplar.nhs.uk'",
    # Made by the test (the demo has no tokens); never the token the walk itself uses.
    "token_buyer": "select t.id from api_tokens t join users u on u.id=t.user_id "
                   "where u.email='buyer@demo.exemplar.nhs.uk' and t.name='matrix target' order by t.id",
    "ocid": "select 'ocds-exex01-co-' || c.id from competitions c where c.status='awarded' order by c.id",
    "bid_rbs_eval_pence": "select cast(b.price_pence as varchar(20)) from bids b join competitions c on c.id=b.competition_id "
                          "join organisations o on o.id=b.organisation_id where c.status='evaluation' and o.ods_code='RBS'",
    "table": "select 'suppliers'",
    "invite_token": "select 'not-a-real-token'",
    "missing": "select 999999",
    "one": "select 1",
    # Made by make_demo_documents (the demo has no uploaded documents).
    "pack_doc_awarded": "select id from competition_documents order by id",
    "bid_doc_evaluation": "select d.id from bid_documents d join competitions c on c.id=d.competition_id "
                          "where c.status='evaluation'",
    "bid_doc_sealed": "select d.id from bid_documents d join competitions c on c.id=d.competition_id "
                      "where c.status='clarification'",
    "bid_doc_sealed_name": "select 'Matrix sealed bid RBL'",
    "offer_doc_rbl": "select id from offer_documents order by id",
    "evidence_rbl": "select id from application_documents order by id",
    "partnership_of_milestone": "select m.partnership_id from partnership_milestones m join partnerships p on p.id=m.partnership_id "
                                "join organisations f on f.id=p.follower_id join organisations e on e.id=p.exemplar_id "
                                "where f.ods_code='RJR' and e.ods_code='RBL' order by p.id, m.id",
    "milestone_rjr_rbl": "select m.id from partnership_milestones m join partnerships p on p.id=m.partnership_id "
                         "join organisations f on f.id=p.follower_id join organisations e on e.id=p.exemplar_id "
                         "where f.ods_code='RJR' and e.ods_code='RBL' order by p.id, m.id",
}


def make_demo_documents(session) -> None:
    """The demo has no uploaded documents: attach one of each kind the routes serve (a pack
    document of the awarded competition, RBL's bid documents in the competitions under evaluation
    and in clarification — the latter sealed — a document of RBL's offer and evidence of RBL's
    application), through the services, as a person would. Once per transaction."""
    from app.competitions.documents.models import BidDocument, CompetitionDocument, bid_series
    from app.documents import services as docs
    from app.governance.admission.models import ApplicationDocument
    from app.offers.documents.models import OfferDocument

    if session.execute(text("select count(*) from competition_documents")).scalar():
        return
    from tests.documents import samples

    ids = {k: session.execute(text(_IDS[k])).scalar() for k in (
        "competition_awarded", "competition_evaluation", "competition_clarification", "offer_rbl", "application_rbl")}
    rbl = session.execute(text("select id from organisations where ods_code='RBL'")).scalar()
    buyer = session.execute(select_user(EMAILS["follower_buyer"])).scalar_one()
    exemplar = session.execute(select_user(EMAILS["exemplar_manager"])).scalar_one()

    def attach(link, name, actor):
        docs.attach(link, docs.check_upload(samples.pdf(name), name), actor=actor, summary=f"matrix target {name}")

    attach(CompetitionDocument(competition_id=ids["competition_awarded"], kind="specification",
                               series="specification"), "Matrix specification.pdf", buyer)
    for comp, name in ((ids["competition_evaluation"], "Matrix bid evaluation.pdf"),
                       (ids["competition_clarification"], "Matrix sealed bid RBL.pdf")):
        attach(BidDocument(competition_id=comp, organisation_id=rbl, series=bid_series(None, name.lower())),
               name, exemplar)
    attach(OfferDocument(offer_id=ids["offer_rbl"], kind="service_definition", series="service_definition"),
           "Matrix service definition.pdf", exemplar)
    attach(ApplicationDocument(application_id=ids["application_rbl"], series="evidence:matrix evidence.pdf"),
           "Matrix evidence.pdf", exemplar)
    session.flush()


def select_user(email: str):
    from sqlalchemy import select

    from app.accounts.models import User

    return select(User).where(User.email == email)


def demo_ids(session) -> dict[str, object]:
    """Every named target, looked up in the seeded demo data (None when the demo has none)."""
    out = {}
    for name, sql in _IDS.items():
        row = session.execute(text(sql)).first()
        out[name] = row[0] if row else None
    return out


def C(label, expect=None, secret=None, post=False, **args):
    return Case(label, args, expect, secret, post)


def A(label, expect=None, secret=None, **args):
    return Case(label, args, expect, secret, api=True)


MATRIX: dict[str, list[Case]] = {
    "main.home": [C("public", S(200, 200, 200, 200, 200, 200))],
    "main.accessibility": [C("public", S(200, 200, 200, 200, 200, 200))],
    "main.dashboard": [C("mine", S(302, 200, 200, 200, 200, 200))],
    "main.data": [C("public", S(200, 200, 200, 200, 200, 200))],
    "accounts.account": [C("mine", S(302, 200, 200, 200, 200, 200))],
    "accounts.password": [C("mine", S(302, 200, 200, 200, 200, 200), post=True)],
    "accounts.users": [C("admin", S(302, 403, 403, 403, 200, 403))],
    "accounts.user": [C("a user", S(302, 403, 403, 403, 200, 403), user_id="user_buyer")],
    "accounts.deactivate": [C("a user", S(302, 403, 403, 403, 200, 403), post=True, user_id="user_buyer")],
    "accounts.new_link": [C("a user", S(302, 403, 403, 403, 302, 403), post=True, user_id="user_buyer")],
    "accounts.reactivate": [C("a user", S(302, 403, 403, 403, 302, 403), post=True, user_id="user_buyer")],
    "accounts.roles": [C("a user", S(302, 403, 403, 403, 200, 403), post=True, user_id="user_buyer")],
    "accounts.unlock": [C("a user", S(302, 403, 403, 403, 302, 403), post=True, user_id="user_buyer")],
    "accounts.invite": [C("admin", S(302, 403, 403, 403, 200, 403), post=True)],
    "accounts.open_link": [C("bad token", S(404, 404, 404, 404, 404, 404), token="invite_token")],
    "accounts.set_password": [C("no invitation", S(404, 404, 404, 404, 404, 404))],
    "accounts.open_unlock": [C("bad token", S(404, 404, 404, 404, 404, 404), token="invite_token")],
    "accounts.unlock_page": [C("no unlock link", S(404, 404, 404, 404, 404, 404))],
    "accounts.email_preferences": [C("mine", S(302, 200, 200, 200, 200, 200), post=True)],
    "operations.jobs": [C("admin", S(302, 403, 403, 403, 200, 403))],
    "operations.retry": [C("missing run", S(302, 403, 403, 403, 404, 403), run_id="missing")],
    "operations.email": [C("admin", S(302, 403, 403, 403, 200, 403))],
    "operations.mailbox": [C("admin", S(302, 403, 403, 403, 200, 403))],
    "operations.mailbox_message": [C("missing", S(302, 403, 403, 403, 404, 403), name="invite_token")],
    "accounts.login": [C("public", S(200, 200, 200, 200, 200, 200))],
    "accounts.logout": [C("mine", S(302, 200, 200, 200, 200, 200), post=True)],
    "api.tokens": [C("mine", S(302, 200, 200, 200, 200, 200), post=True)],
    "api.revoke_token": [C("buyer's token", S(302, 302, 404, 404, 404, 404), post=True, token_id="token_buyer")],
    "api.ocds_record": [C("awarded", S(200, 200, 200, 200, 200, 200), ocid="ocid")],
    "api.ocds_releases": [C("public", S(200, 200, 200, 200, 200, 200))],
    "api.open_data": [C("public", S(200, 200, 200, 200, 200, 200))],
    "api.api_reference": [C("public", S(200, 200, 200, 200, 200, 200))],
    "api.register_sqlite": [C("public", S(200, 200, 200, 200, 200, 200))],
    "api.v1.competitions": [A("list", S(401, 200, 200, 200, 200, 200))],
    "api.v1.competition": [A("awarded", S(401, 200, 200, 200, 200, 200), competition_id="competition_awarded"),
                           A("in evaluation", S(401, 200, 200, 200, 200, 200), competition_id="competition_evaluation")],
    # The demo evaluator declared no interest before the evaluation (the conflicts assessment), so reads the bids.
    "api.v1.competition_bids": [A("in evaluation", S(401, 200, 200, 403, 200, 200), secret="bid_rbs_eval_pence", competition_id="competition_evaluation"),
                                A("awarded", S(401, 200, 200, 403, 200, 200), competition_id="competition_awarded")],
    "api.v1.competition_scores": [A("in evaluation", S(401, 200, 200, 403, 200, 200), secret="bid_rbs_eval_pence", competition_id="competition_evaluation"),
                                  A("awarded", S(401, 200, 200, 403, 200, 200), competition_id="competition_awarded")],
    "api.v1.concentration": [A("public", S(200, 200, 200, 200, 200, 200))],
    "api.v1.deployments": [A("list", S(200, 200, 200, 200, 200, 200))],
    "api.v1.create_deployment": [A("write", S(401, 403, 403, 403, 403, 403))],
    "api.v1.deployment": [A("RJR's", S(200, 200, 200, 200, 200, 200), deployment_id="deployment_rjr")],
    "api.v1.end_deployment": [A("RJR's", S(401, 403, 403, 403, 403, 403), deployment_id="deployment_rjr")],
    "api.v1.frameworks": [A("list", S(200, 200, 200, 200, 200, 200))],
    "api.v1.framework": [A("one", S(200, 200, 200, 200, 200, 200), slug="framework")],
    "api.v1.lots": [A("one", S(200, 200, 200, 200, 200, 200), slug="framework")],
    "api.v1.lot": [A("one", S(200, 200, 200, 200, 200, 200), slug="framework", number="lot_number")],
    "api.v1.me": [A("mine", S(401, 200, 200, 200, 200, 200))],
    "api.v1.memberships": [A("list", S(200, 200, 200, 200, 200, 200))],
    "api.v1.offers_search": [A("list", S(200, 200, 200, 200, 200, 200))],
    "api.v1.create_offer": [A("write", S(401, 403, 403, 403, 403, 403))],
    "api.v1.offer": [A("RBL's", S(200, 200, 200, 200, 200, 200), offer_id="offer_rbl")],
    "api.v1.publish_offer": [A("RBL's", S(401, 403, 403, 403, 403, 403), offer_id="offer_rbl")],
    "api.v1.withdraw_offer": [A("RBL's", S(401, 403, 403, 403, 403, 403), offer_id="offer_rbl")],
    "api.v1.openapi": [A("public", S(200, 200, 200, 200, 200, 200))],
    "api.v1.organisations": [A("list", S(200, 200, 200, 200, 200, 200))],
    "api.v1.organisation": [A("RJR", S(200, 200, 200, 200, 200, 200), ods_code="ods_rjr")],
    "api.v1.suppliers": [A("list", S(200, 200, 200, 200, 200, 200))],
    "api.v1.supplier": [A("one", S(200, 200, 200, 200, 200, 200), slug="supplier")],
    "api.v1.systems": [A("list", S(200, 200, 200, 200, 200, 200))],
    "api.v1.system": [A("one", S(200, 200, 200, 200, 200, 200), slug="system")],
    "audit.log": [C("all", S(302, 403, 403, 403, 200, 200))],
    "audit.entry": [C("one", S(302, 403, 403, 403, 200, 200), event_id="audit_event")],
    "audit.verify": [C("the check", S(302, 403, 403, 403, 200, 200))],
    "offers.categories": [C("all", S(302, 403, 403, 403, 200, 403))],
    "offers.edit_category": [C("one", S(302, 403, 403, 403, 200, 403), post=True, category_id="category")],
    "offers.new_category": [C("new", S(302, 403, 403, 403, 200, 403), post=True)],
    "offers.my_offers": [C("mine", S(302, 403, 403, 200, 403, 403))],
    "offers.search_page": [C("public", S(200, 200, 200, 200, 200, 200))],
    "offers.offer": [C("RBL's", S(200, 200, 200, 200, 200, 200), offer_id="offer_rbl")],
    "offers.edit_offer": [C("RBL's", S(302, 403, 403, 200, 403, 403), post=True, offer_id="offer_rbl")],
    "offers.publish": [C("RBL's", S(302, 403, 403, 200, 403, 403), post=True, offer_id="offer_rbl")],
    "offers.shortlist_offer": [C("RBL's", S(302, 200, 403, 403, 403, 403), post=True, offer_id="offer_rbl")],
    "offers.history": [C("RBL's", S(200, 200, 200, 200, 200, 200), offer_id="offer_rbl")],
    "offers.offer_version": [C("RBL's v1", S(200, 200, 200, 200, 200, 200), offer_id="offer_rbl", number="one")],
    "offers.withdraw": [C("RBL's", S(302, 403, 403, 200, 403, 403), post=True, offer_id="offer_rbl")],
    "offers.new_offer": [C("new", S(302, 403, 403, 200, 403, 403), post=True)],
    "offers.save_search": [C("new", S(302, 200, 403, 403, 403, 403), post=True)],
    "offers.projects": [C("mine", S(302, 200, 200, 403, 403, 403))],
    "offers.project": [C("RJR's", S(302, 200, 200, 404, 404, 404), secret="project_rjr_name", project_id="project_rjr")],
    "offers.compare": [C("RJR's", S(302, 200, 200, 404, 404, 404), secret="project_rjr_name", project_id="project_rjr")],
    "offers.remove_entry": [C("RJR's", S(302, 302, 404, 404, 404, 404), post=True, project_id="project_rjr", entry_id="entry_rjr")],
    # A project's search: ended by its organisation's buyers (GET shows the project it is ended from);
    # the demo project's search is not ended, so its locked list is "not found" for everyone
    # (tests/offers/test_locked_search.py covers who reads one that exists).
    "offers.end_search": [C("RJR's", S(302, 302, 404, 404, 404, 404), post=True, project_id="project_rjr")],
    "offers.project_outcome": [C("RJR's", S(302, 200, 404, 404, 404, 404), post=True, secret="project_rjr_name",
                                 project_id="project_rjr")],
    "offers.locked_search": [C("RJR's", S(302, 404, 404, 404, 404, 404), project_id="project_rjr")],
    "offers.new_project": [C("new", S(302, 200, 403, 403, 403, 403), post=True)],
    "competitions.index": [C("list", S(302, 200, 200, 200, 200, 200))],
    "competitions.inbox": [C("mine", S(302, 200, 200, 200, 200, 200))],
    "competitions.open_notification": [C("buyer's", S(302, 302, 404, 404, 404, 404), post=True, notification_id="notification_buyer")],
    "competitions.read_all": [C("mine", S(302, 302, 302, 302, 302, 302), post=True)],
    "competitions.new": [C("new", S(302, 200, 403, 403, 403, 403), post=True)],
    "competitions.partnership": [C("RJR-RBL", S(302, 200, 200, 200, 200, 200), partnership_id="partnership_rjr_rbl"),
                                 C("others'", S(302, 404, 404, 404, 200, 200), partnership_id="partnership_other")],
    "competitions.milestone": [C("RJR-RBL", S(302, 200, 403, 403, 403, 403), post=True, partnership_id="partnership_of_milestone",
                                 milestone_id="milestone_rjr_rbl"),
                               # A milestone id under a partnership it does not belong to (an IDOR probe).
                               C("RJR-RBL, milestone of another", S(302, 404, 403, 403, 403, 403), partnership_id="partnership_rjr_rbl",
                                 milestone_id="milestone_rjr_rbl")],
    "concentration.summary": [C("all", S(200, 200, 200, 200, 200, 200))],
    "concentration.summary_csv": [C("suppliers", S(200, 200, 200, 200, 200, 200), table="table")],
    "concentration.rules": [C("all", S(302, 403, 403, 403, 200, 200))],
    "concentration.edit_rule": [C("one", S(302, 403, 403, 403, 200, 403), post=True, rule_id="alert_rule")],
    "concentration.dashboard_page": [C("all", S(302, 403, 403, 403, 200, 200))],
    "concentration.dashboard_csv": [C("suppliers", S(302, 403, 403, 403, 200, 200), table="table")],
    "concentration.what_if": [C("all", S(302, 403, 403, 403, 200, 200))],
    "concentration.what_if_csv": [C("all", S(302, 403, 403, 403, 200, 200))],
    "registry.end_deployment": [C("RJR's", S(302, 403, 403, 403, 200, 403), post=True, deployment_id="deployment_rjr"),
                                C("RBL's", S(302, 403, 403, 403, 200, 403), deployment_id="deployment_rbl")],
    "registry.exemplars": [C("public", S(200, 200, 200, 200, 200, 200))],
    "registry.exclusions": [C("the register", S(302, 403, 403, 403, 200, 200))],
    "registry.new_exclusion": [C("new", S(302, 403, 403, 403, 200, 403), post=True)],
    "registry.end_exclusion": [C("an entry", S(302, 403, 403, 403, 200, 403), post=True, entry_id="exclusion_entry")],
    "registry.exclusion_parent": [C("a parent", S(302, 403, 403, 403, 200, 403), post=True)],
    "registry.frameworks": [C("public", S(200, 200, 200, 200, 200, 200))],
    "registry.framework": [C("one", S(200, 200, 200, 200, 200, 200), slug="framework")],
    "registry.edit_framework": [C("one", S(302, 403, 403, 403, 200, 403), post=True, slug="framework")],
    "registry.lot": [C("one", S(200, 200, 200, 200, 200, 200), slug="framework", number="lot_number")],
    "registry.edit_lot": [C("one", S(302, 403, 403, 403, 200, 403), post=True, slug="framework", number="lot_number")],
    "registry.new_lot": [C("one", S(302, 403, 403, 403, 200, 403), post=True, slug="framework")],
    "registry.framework_status": [C("one", S(302, 403, 403, 403, 200, 403), post=True, slug="framework")],
    "registry.new_framework": [C("new", S(302, 403, 403, 403, 200, 403), post=True)],
    "registry.decide_membership": [C("RBL applied", S(302, 403, 403, 403, 303, 403), post=True, membership_id="membership_rbl_applied")],
    "registry.organisations": [C("public", S(200, 200, 200, 200, 200, 200))],
    "registry.organisation": [C("RJR", S(200, 200, 200, 200, 200, 200), ods_code="ods_rjr")],
    "registry.new_deployment": [C("RJR", S(302, 403, 403, 403, 200, 403), post=True, ods_code="ods_rjr"), C("RBL", S(302, 403, 403, 403, 200, 403), ods_code="ods_rbl")],
    "api.imports.import_upload": [C("new", S(302, 403, 403, 403, 200, 403), post=True)],
    "api.imports.import_check": [C("missing run", S(302, 403, 403, 403, 404, 403), post=True, run_id="missing")],
    "api.imports.import_progress": [C("missing run", S(302, 403, 403, 403, 404, 403), run_id="missing")],
    "api.imports.import_progress_json": [C("missing run", S(302, 403, 403, 403, 404, 403), run_id="missing")],
    "registry.suppliers": [C("public", S(200, 200, 200, 200, 200, 200))],
    "registry.supplier": [C("one", S(200, 200, 200, 200, 200, 200), slug="supplier")],
    "registry.systems": [C("public", S(200, 200, 200, 200, 200, 200))],
    "registry.system": [C("one", S(200, 200, 200, 200, 200, 200), slug="system")],
    "competitions.overview": [C("awarded", S(302, 200, 200, 200, 200, 200), competition_id="competition_awarded"),
                          C("in evaluation", S(302, 200, 200, 200, 200, 200), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 200, 200, 200, 200, 200), competition_id="competition_clarification")],
    "competitions.make_award": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 404, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 404, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.bid": [C("awarded", S(302, 403, 403, 200, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 403, 403, 200, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 403, 403, 200, 403, 403), competition_id="competition_clarification")],
    "competitions.withdraw": [C("awarded", S(302, 403, 403, 302, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 403, 403, 302, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 403, 403, 302, 403, 403), competition_id="competition_clarification")],
    "competitions.cancel": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 200, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 200, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.clarifications": [C("awarded", S(302, 200, 200, 200, 200, 200), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 200, 200, 200, 200, 200), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 200, 200, 200, 200, 200), competition_id="competition_clarification")],
    "competitions.details": [C("awarded", S(302, 409, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 409, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 409, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.evaluate": [C("awarded", S(302, 403, 200, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 403, 200, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 403, 200, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.evaluation_page": [C("awarded", S(302, 200, 200, 403, 200, 200), competition_id="competition_awarded"),
                          C("in evaluation", S(302, 200, 200, 403, 200, 200), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 403, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.evaluators": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 200, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 200, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.intend": [C("awarded", S(302, 409, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_evaluation"),
                          C("in clarification", S(302, 409, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.conflicts": [C("awarded", S(302, 200, 200, 403, 200, 200), post=True, competition_id="competition_awarded"),
                               C("in clarification", S(302, 200, 200, 403, 200, 200), competition_id="competition_clarification")],
    "competitions.declare": [C("the evaluator's, awarded", S(302, 200, 200, 403, 403, 403), post=True,
                               competition_id="competition_awarded", declaration_id="declaration_evaluator_awarded")],
    "competitions.assess": [C("the evaluator's, awarded", S(302, 200, 403, 403, 403, 403), post=True,
                              competition_id="competition_awarded", declaration_id="declaration_evaluator_awarded")],
    "competitions.confirm_conflicts": [C("awarded", S(302, 302, 403, 403, 403, 403), post=True,
                                         competition_id="competition_awarded")],
    "competitions.notices_page": [C("awarded", S(200, 200, 200, 200, 200, 200), competition_id="competition_awarded"),
                                  C("in clarification", S(200, 200, 200, 200, 200, 200), competition_id="competition_clarification"),
                                  C("missing", S(404, 404, 404, 404, 404, 404), competition_id="missing")],
    "competitions.notice": [C("UK7 of the awarded", S(302, 200, 403, 403, 403, 403), post=True,
                              competition_id="competition_awarded", notice_id="notice_uk7_awarded")],
    "competitions.contract": [C("awarded", S(302, 200, 200, 200, 200, 200), competition_id="competition_awarded"),
                              C("in evaluation", S(302, 404, 404, 403, 404, 404), competition_id="competition_evaluation")],
    "competitions.contract_kpis": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded")],
    "competitions.contract_copy": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded")],
    "competitions.rate_kpis": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded")],
    "competitions.contract_change": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded")],
    "competitions.end_contract": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded")],
    "competitions.invitees": [C("awarded", S(302, 409, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 409, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 409, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.method": [C("awarded", S(302, 409, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 409, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 409, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.no_award": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 200, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 200, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.outcome": [C("awarded", S(302, 403, 403, 200, 403, 403), competition_id="competition_awarded"),
                          C("in evaluation", S(302, 403, 403, 404, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 403, 403, 404, 403, 403), competition_id="competition_clarification")],
    "competitions.publish": [C("awarded", S(302, 302, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 302, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 302, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.start_evaluation": [C("awarded", S(302, 302, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 302, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 302, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.timetable": [C("awarded", S(302, 409, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 409, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 409, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.withdraw_intention": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded"),
                          C("in evaluation", S(302, 200, 403, 403, 403, 403), competition_id="competition_evaluation"),
                          C("in clarification", S(302, 200, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.answer": [C("awarded", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_awarded", item_id="clarification_awarded")],
    "competitions.moderate": [C("in evaluation, RBL bid", S(302, 200, 403, 403, 403, 403), post=True, competition_id="competition_evaluation", bid_id="bid_rbl_in_evaluation")],
    "governance.overview": [C("all", S(302, 403, 403, 403, 200, 200))],
    "governance.applications": [C("all", S(302, 403, 403, 403, 200, 200))],
    "governance.application": [C("RBL's", S(302, 404, 404, 200, 200, 200), application_id="application_rbl"), C("another's", S(302, 404, 404, 404, 200, 200), application_id="application_other")],
    "governance.assess": [C("RBL's", S(302, 403, 403, 403, 200, 403), post=True, application_id="application_rbl")],
    "governance.membership_decision": [C("RBL applied", S(302, 403, 403, 403, 302, 403), membership_id="membership_rbl_applied")],
    "governance.decide": [C("RBL's", S(302, 403, 403, 403, 200, 403), post=True, application_id="application_rbl")],
    "governance.my_applications": [C("mine", S(302, 200, 403, 200, 403, 403))],
    "governance.edit_criterion": [C("one", S(302, 403, 403, 403, 200, 403), post=True, criterion_id="admission_criterion")],
    "governance.toggle_criterion": [C("one", S(302, 403, 403, 403, 302, 403), post=True, criterion_id="admission_criterion")],
    "governance.exemplars": [C("all", S(302, 403, 403, 403, 200, 200))],
    "governance.criteria": [C("one", S(302, 403, 403, 403, 200, 200), post=True, slug="framework")],
    "governance.default_criteria": [C("one", S(302, 403, 403, 403, 302, 403), post=True, slug="framework")],
    "governance.funding": [C("all", S(302, 403, 403, 403, 200, 200))],
    "governance.agreements": [C("all", S(302, 403, 403, 403, 200, 200))],
    "governance.agreement": [C("RJR's", S(302, 200, 404, 404, 200, 200), agreement_id="agreement_rjr"), C("RBL's", S(302, 404, 404, 200, 200, 200), agreement_id="agreement_rbl")],
    "governance.new_checkin": [C("RJR's", S(302, 200, 404, 404, 403, 403), post=True, agreement_id="agreement_rjr"), C("RBL's", S(302, 404, 404, 200, 403, 403), agreement_id="agreement_rbl")],
    "governance.close_agreement": [C("RJR's", S(302, 403, 403, 403, 200, 403), post=True, agreement_id="agreement_rjr")],
    "governance.conditions": [C("RJR's", S(302, 200, 404, 404, 200, 200), post=True, agreement_id="agreement_rjr")],
    "governance.edit_agreement": [C("RJR's", S(302, 403, 403, 403, 200, 403), post=True, agreement_id="agreement_rjr")],
    "governance.new_agreement": [C("new", S(302, 403, 403, 403, 200, 403), post=True)],
    "governance.checkin": [C("RJR's", S(302, 200, 404, 404, 200, 200), post=True, checkin_id="checkin_rjr"), C("RBL's", S(302, 404, 404, 200, 200, 200), checkin_id="checkin_rbl")],
    "governance.resubmit_checkin": [C("RJR's", S(302, 302, 404, 404, 403, 403), post=True, checkin_id="checkin_rjr")],
    "governance.edit_condition": [C("RJR's", S(302, 403, 403, 403, 200, 403), post=True, condition_id="condition_rjr")],
    "governance.toggle_condition": [C("RJR's", S(302, 403, 403, 403, 302, 403), post=True, condition_id="condition_rjr")],
    "governance.my_funding": [C("mine", S(302, 200, 403, 200, 403, 403))],
    "governance.programmes": [C("all", S(302, 403, 403, 403, 200, 200))],
    "governance.release_tranche": [C("RJR's", S(302, 403, 403, 403, 200, 403), post=True, tranche_id="tranche_rjr")],
    "governance.apply": [C("a lot", S(302, 200, 403, 200, 403, 403), post=True, lot_id="lot_id")],
    "governance.review": [C("RBL admitted", S(302, 403, 403, 403, 200, 200), post=True, membership_id="membership_rbl_admitted")],
    "governance.rate_partnership": [C("RJR-RBL", S(302, 200, 404, 404, 404, 404), post=True, partnership_id="partnership_rjr_rbl")],
    "governance.my_partnerships": [C("mine", S(302, 200, 403, 200, 403, 403))],
    "governance.trust_home": [C("mine", S(302, 200, 403, 200, 403, 403))],
    # documents: the pack is for whoever sees the competition; a bid's documents are sealed with it
    "competitions.documents": [C("awarded", S(302, 200, 200, 200, 200, 200), post=True, competition_id="competition_awarded")],
    "competitions.document": [C("awarded pack", S(302, 200, 200, 200, 200, 200), competition_id="competition_awarded",
                                link_id="pack_doc_awarded")],
    "competitions.remove_document": [C("awarded pack", S(302, 302, 403, 403, 403, 403), competition_id="competition_awarded",
                                       link_id="pack_doc_awarded")],
    "competitions.pack_zip": [C("awarded", S(302, 200, 200, 200, 200, 200), competition_id="competition_awarded")],
    "competitions.bid_documents": [C("in clarification", S(302, 403, 403, 200, 403, 403), post=True,
                                     competition_id="competition_clarification")],
    # the demo evaluator declared before the evaluation started (the conflicts assessment), so sees the bids
    "competitions.bid_document": [C("RBL's, in evaluation", S(302, 200, 200, 200, 200, 200), competition_id="competition_evaluation",
                                    link_id="bid_doc_evaluation"),
                                  C("RBL's, sealed", S(302, 404, 404, 200, 404, 404), secret="bid_doc_sealed_name",
                                    competition_id="competition_clarification", link_id="bid_doc_sealed")],
    "competitions.remove_bid_document": [C("RBL's, sealed", S(302, 403, 403, 302, 403, 403), competition_id="competition_clarification",
                                           link_id="bid_doc_sealed")],
    "competitions.bids_zip": [C("in evaluation", S(302, 200, 200, 403, 200, 200), competition_id="competition_evaluation"),
                              C("in clarification", S(302, 403, 403, 403, 403, 403), competition_id="competition_clarification")],
    # printable records: the PDFs for those who may read the bids; the timetable for every viewer
    "competitions.evaluation_report": [C("awarded", S(302, 200, 200, 403, 200, 200), competition_id="competition_awarded"),
                                       C("in evaluation", S(302, 200, 200, 403, 200, 200), competition_id="competition_evaluation"),
                                       C("in clarification", S(302, 403, 403, 403, 403, 403), competition_id="competition_clarification")],
    "competitions.award_decision": [C("awarded", S(302, 200, 200, 403, 200, 200), competition_id="competition_awarded"),
                                    C("in evaluation", S(302, 404, 404, 403, 404, 404), competition_id="competition_evaluation")],
    "competitions.timetable_calendar": [C("awarded", S(302, 200, 200, 200, 200, 200), competition_id="competition_awarded"),
                                        C("in clarification", S(302, 200, 200, 200, 200, 200), competition_id="competition_clarification")],
    "offers.offer_documents_page": [C("RBL's", S(302, 403, 403, 200, 403, 403), post=True, offer_id="offer_rbl")],
    "offers.offer_document": [C("RBL's", S(200, 200, 200, 200, 200, 200), offer_id="offer_rbl", link_id="offer_doc_rbl")],
    "offers.remove_offer_document": [C("RBL's", S(302, 403, 403, 302, 403, 403), offer_id="offer_rbl", link_id="offer_doc_rbl")],
    "governance.evidence": [C("RBL's", S(302, 404, 404, 200, 200, 200), post=True, application_id="application_rbl")],
    "governance.evidence_document": [C("RBL's", S(302, 404, 404, 200, 200, 200), application_id="application_rbl",
                                       link_id="evidence_rbl")],
    "governance.remove_evidence": [C("RBL's", S(302, 404, 404, 302, 403, 403), application_id="application_rbl",
                                     link_id="evidence_rbl")],
}
