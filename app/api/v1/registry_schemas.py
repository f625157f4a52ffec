"""The register's schemas: what the register endpoints take and answer (one declaration each)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.offers.text import MAX_QUERY_LENGTH
from app.registry.vocab import (
    CONFIDENCE,
    DEPLOYMENT_STATUSES,
    FRAMEWORK_STATUSES,
    MEMBERSHIP_STATUSES,
    ORG_KINDS,
    SYSTEM_CATEGORIES,
    TRUST_TYPES,
)

from .fields import Body, Day, IsoDate, Paged, Text, choice, one_of, page_of, text

Str, Int, Bool = fields.String, fields.Integer, fields.Boolean
#: Words to look for, in the register and in offers alike: one limit, the offers search's.
Q_MAX = MAX_QUERY_LENGTH
CODE, SLUG = 10, 60


def enum(values, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(list(values)), **kwargs)


# ---------------------------------------------------------------------------------------------
# Answers

class Organisation(Schema):
    ods_code = Str(required=True)
    name = Str(required=True, metadata={"description": "As every page shows it (title case)"})
    official_name = Str(metadata={"description": "As the NHS ODS publishes it (capitals)"})
    kind = enum(ORG_KINDS, required=True)
    trust_type = enum(TRUST_TYPES, allow_none=True, metadata={"description": "Trusts only; null for others"})
    region = Str(allow_none=True)
    icb = Str(allow_none=True)
    town = Str(allow_none=True)
    postcode = Str(allow_none=True)
    opened_on = IsoDate(allow_none=True)
    closed_on = IsoDate(allow_none=True)
    url = Str(required=True)
    html_url = Str()


class Deployment(Schema):
    id = Int(required=True)
    organisation = Str(required=True)
    organisation_name = Str()
    system = Str(required=True)
    system_name = Str()
    status = enum(DEPLOYMENT_STATUSES, required=True)
    since = IsoDate(allow_none=True)
    until = IsoDate(allow_none=True)
    status_as_of = Str(allow_none=True)
    confidence = enum(CONFIDENCE, required=True)
    historical = Bool()
    source_url = Str(allow_none=True)
    source_text = Str(allow_none=True)
    notes = Str(allow_none=True)
    url = Str()


class Membership(Schema):
    id = Int(required=True)
    framework = Str(required=True)
    lot = Int(required=True)
    lot_label = Str()
    organisation = Str(required=True)
    organisation_name = Str()
    status = enum(MEMBERSHIP_STATUSES, required=True)
    name_at_admission = Str(allow_none=True)
    admitted_on = IsoDate(allow_none=True)


class OrganisationDetail(Organisation):
    deployments = fields.List(fields.Nested(Deployment), required=True)
    memberships = fields.List(fields.Nested(Membership), required=True)


class System(Schema):
    slug = Str(required=True)
    name = Str(required=True)
    supplier = Str(required=True)
    supplier_name = Str()
    category = enum(SYSTEM_CATEGORIES, required=True)
    standards = fields.List(Str(), required=True)
    live_organisations = Int(metadata={"description": "Organisations running it live or retiring it"})
    url = Str()


class Supplier(Schema):
    slug = Str(required=True)
    register_id = Str(required=True)
    name = Str(required=True)
    url = Str()
    systems = fields.List(Str(), metadata={"description": "The slugs of its systems"})


class SupplierDetail(Supplier):
    systems = fields.List(fields.Nested(System), required=True)


class Lot(Schema):
    framework = Str(required=True)
    number = Int(required=True)
    name = Str(required=True)
    label = Str()
    description = Str()
    url = Str()
    admitted_exemplars = Int()


class LotDetail(Lot):
    memberships = fields.List(fields.Nested(Membership), required=True)


class Framework(Schema):
    slug = Str(required=True)
    name = Str(required=True)
    status = enum(FRAMEWORK_STATUSES, required=True)
    description = Str()
    starts_on = IsoDate(allow_none=True)
    ends_on = IsoDate(allow_none=True)
    source_url = Str(allow_none=True)
    ocid = Str(required=True, metadata={"description": "The framework's contracting process in the OCDS data"})
    url = Str()


class CallOffRules(Schema):
    quality_weight_min = Int()
    quality_weight_max = Int()
    min_invitees = Int()
    clarification_days = Int()
    response_days = Int()
    standstill_days = Int()
    max_calloff_months = Int()


class FrameworkDetail(Framework):
    call_off_rules = fields.Nested(CallOffRules)
    award_criteria = fields.List(Str())
    lots = fields.List(fields.Nested(Lot), required=True)


class TokenInfo(Schema):
    prefix = Str(required=True)
    name = Str()
    scope = enum(("read", "write"), required=True)


class Me(Schema):
    email = Str(required=True)
    name = Str(required=True)
    organisation = Str(required=True)
    roles = fields.List(Str(), required=True)
    token = fields.Nested(TokenInfo, required=True)


OrganisationPage = page_of(Organisation, "OrganisationPage")
SupplierPage = page_of(Supplier, "SupplierPage")
SystemPage = page_of(System, "SystemPage")
DeploymentPage = page_of(Deployment, "DeploymentPage")
FrameworkPage = page_of(Framework, "FrameworkPage")
LotPage = page_of(Lot, "LotPage")
MembershipPage = page_of(Membership, "MembershipPage")


# ---------------------------------------------------------------------------------------------
# Query parameters

class OrganisationQuery(Paged):
    q = text("q", Q_MAX, "Name or ODS code contains")
    kind = choice("kind", ORG_KINDS, "Kind")
    type = choice("type", TRUST_TYPES, "Trust type")
    region = text("region", CODE, "Region ODS code")
    icb = text("icb", CODE, "ICB ODS code")


class SystemQuery(Paged):
    category = choice("category", SYSTEM_CATEGORIES, "Category")
    supplier = text("supplier", SLUG, "Supplier slug")


class DeploymentQuery(Paged):
    organisation = text("organisation", CODE, "ODS code")
    system = text("system", SLUG, "System slug")
    status = choice("status", DEPLOYMENT_STATUSES, "Status")
    confidence = choice("confidence", CONFIDENCE, "Confidence")


class FrameworkQuery(Paged):
    status = choice("status", FRAMEWORK_STATUSES, "Status")


class MembershipQuery(Paged):
    framework = text("framework", SLUG, "Framework slug")
    status = choice("status", MEMBERSHIP_STATUSES, "Status")
    organisation = text("organisation", CODE, "ODS code")


# ---------------------------------------------------------------------------------------------
# Bodies

WEB_ADDRESS = validate.Regexp(r"^[Hh][Tt][Tt][Pp][Ss]?://",
                              error="source_url must be a web address starting with https://.")


class DeploymentInput(Body):
    organisation = Text("organisation", CODE, required=True, description="ODS code of the trust")
    system = Text("system", SLUG, required=True, description="Slug of the system")
    status = one_of("status", DEPLOYMENT_STATUSES, required=True)
    since = Day("since")
    until = Day("until")
    confidence = one_of("confidence", CONFIDENCE, allow_none=True, description="Left out or null: not rated")
    source_url = Text("source_url", 500, required=True, validate=WEB_ADDRESS,
                      description="Where the fact comes from: a web address")
    notes = Text("notes", 5000)


class EndDeploymentInput(Body):
    until = Day("until", required=True)
    reason = Text("reason", 5000, required=True)
