"""Support for the form fuzz tests (tests/security/test_fuzz_forms.py).

* `FORMS`: every route of the app that accepts a POST, the demo user who may post it and the demo
  object its URL points at (target names as in tests/security/permission_matrix.py, plus a few
  made by the test: see `EXTRA`). `NOT_FUZZED` names the POST routes fuzzed elsewhere, with where.
* `page_fields`: the fields of the form a page renders (names, kinds, current values, choices),
  read from the HTML, so forms whose fields depend on data (one answer per question, one rating per
  condition) are covered too; `class_fields` reads a WTForms class for routes with no page of their
  own (one-button actions) and tells number, date and choice fields apart.
* `submissions`: a hypothesis strategy of hostile submissions built from those fields.
* `unsafe_markup`: what in a page would run script (inline script with our payload, event-handler
  attributes, javascript: links).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import strategies as st

# ---------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class FormCase:
    role: str                                   # who posts (a key of permission_matrix.EMAILS, or "anonymous")
    args: dict[str, str] = field(default_factory=dict)  # URL argument -> named target
    form: object = None                         # the WTForms class, for routes without a GET page
    valid: dict[str, str] = field(default_factory=dict)  # a valid submission to mutate (new-object forms)
    upload: bool = False                        # multipart with a file field


def F(role, form=None, valid=None, upload=False, **args):
    return FormCase(role, args, form, valid or {}, upload)


def _cls(path: str):
    """A WTForms class named "module:Class" (imported late: the app must be importable first)."""
    import importlib

    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


ADMIN, BUYER, EVALUATOR, EXEMPLAR = "commercial_admin", "follower_buyer", "evaluator", "exemplar_manager"
_OFFER = {"title": "Fuzz offer", "summary": "A summary.", "description": "Some **markdown**.",
          "pricing_model": "fixed", "price": "950", "vat": "exempt", "capacity_per_quarter": "2",
          "capacity_committed": "0", "lead_time_weeks": "4", "contact_name": "Ann Exemplar",
          "contact_email": "ann@example.nhs.uk"}
_FRAMEWORK = {"name": "Fuzz framework", "slug": "fuzz-fw", "description": "About it.", "quality_weight_min": "40",
              "quality_weight_max": "80", "min_invitees": "3", "clarification_days": "3", "response_days": "10",
              "standstill_days": "8", "max_calloff_months": "24", "criteria": "Capability\nApproach",
              "standstill_rule": "fixed", "over_budget_may_win": "yes", "direct_award_allowed": "no"}

FORMS: dict[str, FormCase] = {
    # accounts
    "accounts.login": F("anonymous", valid={"email": "buyer@demo.exemplar.nhs.uk", "password": "not the password 1"}),
    "accounts.logout": F(BUYER, form="app.accounts.forms:ConfirmForm"),
    "accounts.password": F(BUYER, valid={"current_password": "x", "password": "marble otter lantern quarry",
                                         "confirm": "marble otter lantern quarry"}),
    "accounts.set_password": F("invitee", valid={"password": "marble otter lantern quarry",
                                                 "confirm": "marble otter lantern quarry"}),
    "accounts.invite": F(ADMIN, valid={"name": "New Person", "email": "new.person@example.nhs.uk", "ods_code": "RJR",
                                       "roles": "follower_buyer"}),
    "accounts.deactivate": F(ADMIN, user_id="user_buyer"),
    "accounts.reactivate": F(ADMIN, form="app.accounts.forms:ConfirmForm", user_id="user_buyer"),
    "accounts.new_link": F(ADMIN, form="app.accounts.forms:ConfirmForm", user_id="user_buyer"),
    "accounts.roles": F(ADMIN, user_id="user_buyer"),
    "accounts.unlock": F(ADMIN, form="app.accounts.forms:ConfirmForm", user_id="user_buyer"),
    "accounts.email_preferences": F(BUYER),
    "operations.retry": F(ADMIN, form="app.operations.views:ConfirmForm", run_id="missing"),
    "api.tokens": F(BUYER, valid={"name": "Fuzz token", "scope": "read"}),
    "api.revoke_token": F(BUYER, form="app.accounts.forms:ConfirmForm", token_id="token_buyer"),
    # competitions: a draft of the demo buyer's for the set-up pages, the demo stages for the rest
    "competitions.new": F(BUYER, valid={"title": "Fuzz competition", "requirement": "What we need."}),
    "competitions.details": F(BUYER, competition_id="competition_draft"),
    "competitions.method": F(BUYER, competition_id="competition_draft"),
    "competitions.timetable": F(BUYER, competition_id="competition_draft"),
    "competitions.invitees": F(BUYER, competition_id="competition_draft"),
    "competitions.evaluators": F(BUYER, competition_id="competition_draft"),
    "competitions.publish": F(BUYER, competition_id="competition_draft"),
    "competitions.cancel": F(BUYER, competition_id="competition_draft"),
    "competitions.clarifications": F(EXEMPLAR, competition_id="competition_clarification"),
    "competitions.answer": F(BUYER, upload=True, competition_id="competition_clarification", item_id="clarification_open"),
    "competitions.bid": F(EXEMPLAR, competition_id="competition_clarification"),
    "competitions.withdraw": F(EXEMPLAR, form="app.competitions.forms:ReasonForm",
                               competition_id="competition_clarification"),
    "competitions.start_evaluation": F(BUYER, form="app.competitions.forms:NoteForm",
                                       competition_id="competition_clarification"),
    "competitions.evaluate": F(EVALUATOR, competition_id="competition_evaluation"),
    "competitions.moderate": F(BUYER, competition_id="competition_moderation", bid_id="bid_rbl_in_evaluation"),
    "competitions.intend": F(BUYER, competition_id="competition_evaluation"),
    "competitions.conflicts": F(BUYER, competition_id="competition_clarification"),
    "competitions.declare": F(EVALUATOR, competition_id="competition_clarification",
                              declaration_id="declaration_evaluator_open"),
    "competitions.assess": F(BUYER, competition_id="competition_clarification", declaration_id="declaration_evaluator_open"),
    "competitions.confirm_conflicts": F(BUYER, form="app.accounts.forms:ConfirmForm",
                                        competition_id="competition_clarification"),
    "competitions.notice": F(BUYER, form="app.competitions.notices.forms:PublishNoticeForm",
                             competition_id="competition_details_due", notice_id="notice_uk7_draft"),
    "competitions.contract_kpis": F(BUYER, competition_id="competition_awarded"),
    "competitions.contract_copy": F(BUYER, competition_id="competition_awarded"),
    "competitions.rate_kpis": F(BUYER, competition_id="competition_awarded"),
    "competitions.contract_change": F(BUYER, competition_id="competition_awarded"),
    "competitions.end_contract": F(BUYER, competition_id="competition_awarded"),
    "competitions.no_award": F(BUYER, competition_id="competition_evaluation"),
    "competitions.withdraw_intention": F(BUYER, competition_id="competition_awarded"),
    "competitions.make_award": F(BUYER, competition_id="competition_awarded"),
    "competitions.milestone": F(BUYER, partnership_id="partnership_of_milestone", milestone_id="milestone_rjr_rbl"),
    "competitions.open_notification": F(BUYER, form="app.accounts.forms:ConfirmForm",
                                        notification_id="notification_buyer"),
    "competitions.read_all": F(BUYER, form="app.accounts.forms:ConfirmForm"),
    # concentration
    "concentration.edit_rule": F(ADMIN, rule_id="alert_rule"),
    # governance
    "governance.apply": F(EXEMPLAR, lot_id="lot_rbl_may_apply"),
    "governance.assess": F(ADMIN, application_id="application_rbl"),
    "governance.decide": F(ADMIN, application_id="application_rbl"),
    "governance.criteria": F(ADMIN, valid={"name": "Fuzz criterion", "kind": "text"}, slug="framework"),
    "governance.default_criteria": F(ADMIN, form="app.governance.forms:ConfirmForm", slug="framework"),
    "governance.edit_criterion": F(ADMIN, criterion_id="admission_criterion"),
    "governance.toggle_criterion": F(ADMIN, form="app.governance.forms:ConfirmForm", criterion_id="admission_criterion"),
    "governance.review": F(ADMIN, membership_id="membership_rbl_admitted"),
    "governance.rate_partnership": F(BUYER, partnership_id="partnership_rjr_rbl"),
    "governance.new_agreement": F(ADMIN),
    "governance.edit_agreement": F(ADMIN, agreement_id="agreement_rjr"),
    "governance.close_agreement": F(ADMIN, agreement_id="agreement_rjr"),
    "governance.conditions": F(ADMIN, valid={"title": "Fuzz condition"}, agreement_id="agreement_rjr"),
    "governance.edit_condition": F(ADMIN, condition_id="condition_rjr"),
    "governance.toggle_condition": F(ADMIN, form="app.governance.forms:ConfirmForm", condition_id="condition_rjr"),
    "governance.new_checkin": F(BUYER, agreement_id="agreement_rjr"),
    "governance.resubmit_checkin": F(BUYER, checkin_id="checkin_rjr_queried"),
    "governance.checkin": F(ADMIN, form="app.governance.checkins.forms:CheckInReviewForm", checkin_id="checkin_submitted"),
    "governance.release_tranche": F(ADMIN, form="app.governance.checkins.views:ReleaseForm", tranche_id="tranche_rjr"),
    # offers
    "offers.new_offer": F(EXEMPLAR, valid=_OFFER),
    "offers.edit_offer": F(EXEMPLAR, offer_id="offer_rbl"),
    "offers.publish": F(EXEMPLAR, offer_id="offer_rbl"),
    "offers.withdraw": F(EXEMPLAR, offer_id="offer_rbl"),
    "offers.new_category": F(ADMIN, valid={"name": "Fuzz capability", "description": "About it.", "active": "y"}),
    "offers.edit_category": F(ADMIN, category_id="category"),
    "offers.new_project": F(BUYER, valid={"name": "Fuzz project"}),
    "offers.save_search": F(BUYER, valid={"project": "new", "new_name": "Fuzz search project", "query": "q=epr"}),
    "offers.shortlist_offer": F(BUYER, valid={"reason": "Looks right."}, offer_id="offer_rbl"),
    "offers.remove_entry": F(BUYER, form="app.offers.forms:ConfirmForm", project_id="project_rjr", entry_id="entry_rjr"),
    "offers.end_search": F(BUYER, form="app.offers.forms:ConfirmForm", project_id="project_rjr"),
    "offers.project_outcome": F(BUYER, valid={"outcome": "cancelled", "reason": "The need went away."},
                                project_id="project_rjr"),
    # registry
    "registry.new_framework": F(ADMIN, valid=_FRAMEWORK),
    "registry.edit_framework": F(ADMIN, slug="framework"),
    "registry.framework_status": F(ADMIN, slug="framework"),
    "registry.new_lot": F(ADMIN, valid={"number": "42", "name": "Fuzz lot"}, slug="framework"),
    "registry.edit_lot": F(ADMIN, slug="framework", number="lot_number"),
    "registry.new_deployment": F(ADMIN, valid={"status": "live", "source_url": "https://example.org/a",
                                               "confidence": "high"}, ods_code="ods_rjr"),
    "registry.end_deployment": F(ADMIN, deployment_id="deployment_rjr"),
    "registry.new_exclusion": F(ADMIN, valid={"ods_code": "RAE", "kind": "excluded", "ground_kind": "discretionary",
                                              "ground": "Fuzz ground", "starts_on-day": "1", "starts_on-month": "1",
                                              "starts_on-year": "2026"}),
    "registry.end_exclusion": F(ADMIN, entry_id="exclusion_entry"),
    "registry.exclusion_parent": F(ADMIN, valid={"ods_code": "RAE", "parent_ods_code": "RJR"}),
    "api.imports.import_upload": F(ADMIN, upload=True),
    # documents (targets made by permission_matrix.make_demo_documents)
    "competitions.documents": F(BUYER, upload=True, competition_id="competition_clarification"),
    "competitions.remove_document": F(BUYER, form="app.competitions.documents.forms:RemoveForm",
                                      competition_id="competition_awarded", link_id="pack_doc_awarded"),
    "competitions.bid_documents": F(EXEMPLAR, upload=True, competition_id="competition_clarification"),
    "competitions.remove_bid_document": F(EXEMPLAR, form="app.competitions.documents.forms:RemoveForm",
                                          competition_id="competition_clarification", link_id="bid_doc_sealed"),
    "offers.offer_documents_page": F(EXEMPLAR, upload=True, offer_id="offer_rbl"),
    "offers.remove_offer_document": F(EXEMPLAR, form="app.offers.documents.views:RemoveForm", offer_id="offer_rbl",
                                      link_id="offer_doc_rbl"),
    "governance.evidence": F(EXEMPLAR, upload=True, application_id="application_rbl"),
    "governance.remove_evidence": F(EXEMPLAR, form="app.governance.admission.evidence:RemoveForm",
                                    application_id="application_rbl", link_id="evidence_rbl"),
    "api.imports.import_check": F(ADMIN, run_id="import_run_pending"),
}

#: POST routes fuzzed by another test, and where.
NOT_FUZZED = {
    endpoint: "the JSON API: fuzzed from its OpenAPI document by tests/api/test_openapi_conformance.py"
    for endpoint in ("api.v1.create_deployment", "api.v1.create_offer", "api.v1.end_deployment", "api.v1.offer",
                     "api.v1.publish_offer", "api.v1.withdraw_offer")
} | {
    "accounts.unlock_page": "a one-button page reached only through an emailed link: "
                            "tests/accounts/test_unlock_by_email.py posts it",
    "registry.decide_membership": "an old address that only redirects to governance.membership_decision: it reads "
                                  "no form (tests/registry/test_admin_exemplars.py)",
}


#: Targets of this table not in the permission matrix's (SQL: first column of the first row).
EXTRA_IDS = {
    "lot_rbl_may_apply": "select l.id from lots l join frameworks f on f.id=l.framework_id where f.status='open' "
                         "and not exists (select 1 from memberships m join organisations o on o.id=m.organisation_id "
                         "where m.lot_id=l.id and o.ods_code='RBL') and not exists (select 1 from admission_applications a "
                         "join organisations o on o.id=a.organisation_id where a.lot_id=l.id and o.ods_code='RBL') order by l.id",
    "checkin_submitted": "select c.id from funding_checkins c join funding_agreements a on a.id=c.agreement_id "
                             "where c.status='submitted' order by c.id",
    "checkin_rjr_queried": "select c.id from funding_checkins c join funding_agreements a on a.id=c.agreement_id "
                           "join organisations o on o.id=a.organisation_id where o.ods_code='RJR' and c.status='queried'",
    "declaration_evaluator_open": "select d.id from conflict_declarations d join users u on u.id=d.user_id "
                                  "join competitions c on c.id=d.competition_id where c.status='clarification' "
                                  "and u.email='evaluator@demo.exemplar.nhs.uk'",
    "competition_details_due": "select n.competition_id from notices n where n.kind='UK7' and n.status='draft'",
    "notice_uk7_draft": "select n.id from notices n where n.kind='UK7' and n.status='draft'",
}


# ---------------------------------------------------------------------------------------------
# Reading a form's fields


@dataclass
class Field:
    name: str
    kind: str            # text, number, date, choice, multi, check, file, hidden
    value: str = ""
    options: list[str] = field(default_factory=list)


class _FormReader(HTMLParser):
    """The POST forms of a page: [(action, [Field])]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, Field], list[tuple[str, str]]]] = []
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.forms.append((a.get("action", ""), {}, []))
            else:
                self.forms.append(("<get>", {}, []))
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
                if "selected" in a:
                    self._select.value = a.get("value", "")
            return
        _, fields, checked = self.forms[-1]
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("radio", "checkbox"):
                f = fields.setdefault(name, Field(name, "choice" if kind == "radio" else "check"))
                f.options.append(a.get("value", "on"))
                if f.kind == "check" and len(f.options) > 1:
                    f.kind = "multi"
                if "checked" in a:
                    checked.append((name, a.get("value", "on")))
                return
            if re.search(r"-(day|month|year)$", name):
                kind = "date"
            elif a.get("inputmode") in ("numeric", "decimal") or kind == "number":
                kind = "number"
            elif kind == "file":
                kind = "file"
            elif kind != "hidden":
                kind = "text"
            fields[name] = Field(name, kind, a.get("value", ""))
        elif tag == "textarea":
            self._textarea = fields[name] = Field(name, "text")
        elif tag == "select":
            self._select = fields[name] = Field(name, "multi" if "multiple" in a else "choice")
        elif tag == "option" and self._select is not None:
            pass

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def page_fields(html: str, url: str) -> list[Field] | None:
    """The fields of the page's POST form sent to `url` (None when the page has no such form)."""
    reader = _FormReader()
    reader.feed(html)
    path = urlsplit(url).path
    for action, fields, checked in reader.forms:
        if action == "<get>":
            continue
        if (urlsplit(action).path or path) != path:
            continue
        for name, value in checked:
            f = fields[name]
            f.value = value if f.kind != "multi" else "\n".join(filter(None, [f.value, value]))
        for f in fields.values():
            if f.kind == "choice" and not f.value and f.options and f.options[0] == "":
                f.options = f.options[1:] or [""]
        return list(fields.values())
    return None


def class_fields(form_cls) -> list[Field]:
    """The fields a WTForms class declares (for routes whose form has no page of its own)."""
    from wtforms import fields as wf
    from wtforms.fields.core import UnboundField

    out = []
    for klass in reversed(form_cls.__mro__):
        for name, unbound in vars(klass).items():
            if not isinstance(unbound, UnboundField):
                continue
            fc = unbound.field_class
            choices = [c[0] if isinstance(c, tuple) else getattr(c, "value", c)
                       for c in (unbound.kwargs.get("choices") or [])]
            if issubclass(fc, (wf.IntegerField, wf.DecimalField, wf.FloatField)):
                kind = "number"
            elif issubclass(fc, wf.DateField):
                kind = "date"
            elif issubclass(fc, wf.SelectMultipleField):
                kind = "multi"
            elif issubclass(fc, (wf.SelectField, wf.RadioField)):
                kind = "choice"
            elif issubclass(fc, wf.BooleanField):
                kind = "check"
            else:
                kind = "text"
            out.append(Field(name, kind, options=[str(c) for c in choices]))
    return out


# ---------------------------------------------------------------------------------------------
# Hostile values

SCRIPT_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "javascript:alert(1)",
    "https://example.org/\" onmouseover=\"alert(1)",
    "\"><svg onload=alert(1)>",
    "'><script>alert(1)</script>",
    "[x](&#106;avascript:alert(1))",
    "<iframe src=javascript:alert(1)></iframe>",
    "**bold** <script>alert(1)</script> [ok](https://example.org)",
    "Evidence javascript:alert(1)\nhttps://example.org/ok",
    "{{ 7*7 }} {% raw %} ${7*7}",
    "Robert'); DROP TABLE users;--",
]
ODD_TEXT = [
    "", " ", "\x00", "a\x00b", "\x01\x02\x1b[31m\x7f", "\u202eevil\u202c", "\u200b\ufeff", "\ud7ff\ue000\U0010ffff",
    "😀" * 50, "Ω≈ç√∫", "\r\n\r\n", "\t", "ａｂｃ", "١٢٣", "%s%n%x", "../../etc/passwd", "NaN",
]
NUMBERS = ["-1", "0", "1", "101", "1000001", "99999999999999999999999", "1e309", "-1e309", "NaN", "inf", "1.5",
           " 7 ", "0x10", "1_000", "١٢", "٣", "-0", "+5", "1,000", "£5", "", "abc", "9" * 400]
DATE_PARTS = ["", "0", "1", "31", "32", "13", "-1", "2026", "99999", "0000", "9999", "10000", "ab", "١", "1e3",
              "2147483648", " 2 "]
DATES = ["", "2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "10000-01-01", "31/12/2026", "yesterday",
         "2026-1-1", "\x00"]


def long_text():
    return st.sampled_from([201, 501, 2001, 5001, 20001, 100_000]).map(lambda n: "x" * n)


def hostile_text():
    return st.one_of(st.sampled_from(SCRIPT_PAYLOADS), st.sampled_from(ODD_TEXT), st.text(max_size=60),
                     long_text())


def _hostile(f: Field):
    if f.kind == "number":
        return st.one_of(st.sampled_from(NUMBERS), st.integers(-2**70, 2**70).map(str), hostile_text())
    if f.kind == "date":
        return st.one_of(st.sampled_from(DATE_PARTS if re.search(r"-(day|month|year)$", f.name) else DATES),
                         hostile_text())
    if f.kind in ("choice", "multi", "check"):
        return st.one_of(st.sampled_from(["", "not-a-choice", "999999", "-1", "0", "y", "<script>alert(1)</script>"]),
                         hostile_text())
    return hostile_text()


def _fine(f: Field, valid: dict[str, str]):
    """A value the form should accept (from the page, the table or the choices)."""
    if f.name in valid:
        return st.just(valid[f.name])
    if f.kind in ("choice", "multi") and f.options and not f.value:
        return st.sampled_from(f.options)
    return st.just(f.value)


def _one(f: Field, valid: dict[str, str]):
    """(name, value) pairs for one field: mostly fine, else hostile, missing or sent twice."""
    fine = _fine(f, valid)
    hostile = _hostile(f)
    multi = f.kind == "multi" or (f.name in valid and "\n" in valid[f.name] and f.kind != "text")

    def pairs(v):
        if multi:
            return [(f.name, x) for x in v.split("\n") if x]
        return [(f.name, v)]

    return st.integers(0, 11).flatmap(lambda n: (
        fine.map(pairs) if n <= 4 else
        hostile.map(lambda v: [(f.name, v)]) if n <= 8 else
        st.just([]) if n == 9 else
        st.tuples(hostile, hostile).map(lambda vs: [(f.name, vs[0]), (f.name, vs[1])]) if n == 10 else
        st.lists(_hostile(f), min_size=2, max_size=4).map(lambda vs: [(f.name, v) for v in vs])))


def submissions(fields: list[Field], valid: dict[str, str] | None = None, keep: set[str] = frozenset()):
    """Hostile submissions of a form: a list of (name, value) pairs (names may repeat), sometimes with
    unknown extra fields. Fields named in `keep` (the CSRF token, an idempotency key) are sent as
    the page gave them."""
    valid = dict(valid or {})
    names = {f.name for f in fields}
    fields = fields + [Field(n, "text") for n in valid if n not in names]
    parts = [st.just([(f.name, f.value)]) if f.name in keep else _one(f, valid)
             for f in fields if f.kind != "file"]
    extra = st.lists(st.tuples(st.sampled_from(["extra", "id", "organisation_id", "status", "__proto__", "a[b]"]),
                               hostile_text()), max_size=2)
    return st.tuples(st.tuples(*parts) if parts else st.just(()), extra).map(
        lambda t: [pair for group in t[0] for pair in group] + list(t[1]))


def files():
    """Malformed CSV uploads: (filename, bytes)."""
    return st.one_of(
        st.sampled_from([
            ("empty.csv", b""),
            ("binary.csv", bytes(range(256)) * 8),
            ("utf16.csv", "ods_code,system,status,since,until,source,confidence\nRJR,Epic,live,,,,high\n".encode("utf-16")),
            ("wrong.csv", b"a,b,c\n1,2,3\n"),
            ("nul.csv", b"ods_code,system\x00,status\nRJR\x00,x,y\n"),
            ("quotes.csv", b'"unclosed,"field\n"'),
            ("script.csv", b"ods_code,system,status,since,until,source,confidence\n"
                           b"<script>alert(1)</script>,<img src=x onerror=alert(1)>,live,,,javascript:alert(1),high\n"),
            ("x.exe", b"MZ\x90\x00\x03" + b"\x00" * 100),
            ("many.csv", b"ods_code,system,status,since,until,source,confidence\n" + b"RJR,Epic,live,,,x,high\n" * 20000),
            ("wide.csv", b",".join([b"x" * 100] * 2000) + b"\n"),
        ]),
        st.tuples(st.text(max_size=30), st.binary(max_size=300)),
    )


# ---------------------------------------------------------------------------------------------
# Script in the output

_SCHEMES = re.compile(r"^(javascript|vbscript|data):", re.I)
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}


class _MarkupChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>: an event-handler attribute")
            if name in _URL_ATTRS and value:
                plain = re.sub(r"[\x00-\x20]", "", value)
                if _SCHEMES.match(plain) and not plain.lower().startswith("data:image/"):
                    self.problems.append(f"<{tag} {name}={value!r}>: a script URL")
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.problems.append(f"<{tag}>: an element user text must never make")
        self._script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._script = False

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and "alert(" in data:
            self.problems.append("<script> holding alert(…): user text ran as script")


def unsafe_markup(html: str) -> list[str]:
    """What in the page would run script: our payloads unescaped, handlers, javascript: URLs."""
    checker = _MarkupChecker()
    checker.feed(html)
    checker.close()
    problems = checker.problems
    if "<script>alert" in html.lower():
        problems.append("'<script>alert' appears unescaped")
    return problems
