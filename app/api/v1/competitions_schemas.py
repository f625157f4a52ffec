"""Competition schemas: a competition, its bids and its result table."""
from __future__ import annotations

from marshmallow import Schema, fields

from app.competitions.rules import STATUSES

from .fields import IsoDateTime, Paged, page_of
from .registry_schemas import enum

Str, Int, Num, Bool = fields.String, fields.Integer, fields.Float, fields.Boolean

__all__ = ["Bids", "Competition", "CompetitionDetail", "CompetitionPage", "Paged", "Scores"]


class Competition(Schema):
    id = Int(required=True)
    reference = Str(required=True)
    title = Str(required=True)
    status = enum(STATUSES, required=True)
    status_text = Str()
    buyer = Str(required=True)
    buyer_name = Str()
    framework = Str(required=True)
    lot = Int(required=True)
    budget_pence = Int(allow_none=True)
    published_at = IsoDateTime(allow_none=True)
    clarification_deadline = IsoDateTime(allow_none=True)
    response_deadline = IsoDateTime(allow_none=True)
    standstill_ends_at = IsoDateTime(allow_none=True)
    awarded_at = IsoDateTime(allow_none=True)
    bid_count = Int(allow_none=True)
    ocid = Str(allow_none=True, metadata={"description": "Its contracting process in the OCDS data (null for a draft)"})
    url = Str()


class Question(Schema):
    id = Int(required=True)
    name = Str(required=True)
    question = Str()
    weight = Int(required=True)


class Scoring(Schema):
    quality_weight = Int(required=True)
    price_weight = Int(required=True)
    scale_max = Int()
    threshold_percent = Int(allow_none=True)
    questions = fields.List(fields.Nested(Question), required=True)


class CompetitionDetail(Competition):
    requirement = Str(required=True)
    scoring = fields.Nested(Scoring, required=True)
    invited = fields.List(Str(), metadata={"description": "ODS codes of the invited exemplars"})


class Answer(Schema):
    question = Int(required=True)
    answer = Str(required=True)


class BidDocument(Schema):
    """A document of a bid, as it stood at the deadline (the file itself: the link, signed in)."""
    id = Int(required=True)
    question = Int(allow_none=True, metadata={"description": "The quality question it answers; null: general"})
    file = Str(required=True)
    type = Str(required=True)
    size_bytes = Int(required=True)
    sha256 = Str(required=True)
    version = Int(required=True)
    url = Str(required=True)


class Bid(Schema):
    id = Int(required=True)
    organisation = Str(required=True)
    organisation_name = Str()
    status = enum(("submitted", "withdrawn", "invalid"), required=True)
    price_pence = Int(required=True)
    revision = Int()
    submitted_at = IsoDateTime(allow_none=True)
    invalid_reason = Str(allow_none=True)
    answers = fields.List(fields.Nested(Answer))
    documents = fields.List(fields.Nested(BidDocument))


class Bids(Schema):
    competition = Int(required=True)
    items = fields.List(fields.Nested(Bid), required=True)


class ScoreRow(Schema):
    bid = Int(required=True)
    organisation = Str(required=True)
    price_pence = Int()
    over_budget = Bool()
    quality_percent = Num(allow_none=True)
    quality_score = Num(allow_none=True)
    price_score = Num(allow_none=True)
    total = Num(allow_none=True)
    rank = Int(allow_none=True)
    passed_threshold = Bool(allow_none=True)
    abnormally_low = Bool(allow_none=True)
    excluded = Bool(allow_none=True)


class Scores(Schema):
    competition = Int(required=True)
    complete = Bool(required=True)
    missing_marks = Int()
    rows = fields.List(fields.Nested(ScoreRow), required=True)


CompetitionPage = page_of(Competition, "CompetitionPage")
