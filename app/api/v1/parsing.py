"""Reading what a client sends: the request body, made safe before any schema sees it, and
validation errors turned into the API's one error shape.

A body must be a JSON object (400 otherwise). Before it reaches a schema it is refused with 400
when it is nested deeper than any real request (a body nested 1,000 deep made Python's JSON
reader raise RecursionError, a 500), or when any string in it, key or value, holds a NUL
character (PostgreSQL cannot store one: DataError, a 500) or a lone surrogate such as "\\ud800"
(valid JSON, but no UTF-8 can encode it: a 500 on both databases).

Schema errors name the first field at fault, in the schema's order: 400 for a query parameter,
422 for a body field.
"""
from __future__ import annotations

import json
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError
from webargs.flaskparser import FlaskParser

from .core import ApiError

#: Deeper than any body this API takes (the deepest is an object holding a list of strings: 3).
MAX_DEPTH = 20
NOT_AN_OBJECT = "Send a JSON object as the request body (Content-Type: application/json)."


def _unsafe_string(text: str) -> str | None:
    """Why a string cannot be stored, or None."""
    if "\x00" in text:
        return "The request body holds a NUL character, which cannot be stored."
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return "The request body holds text that is not valid Unicode (a lone surrogate)."
    return None


def check_json(value: Any) -> None:
    """Refuse (400) a decoded JSON value nested deeper than MAX_DEPTH or holding an unsafe string.
    Iterative, so that checking cannot itself run out of stack."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ApiError(400, f"The request body is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(item, str):
            problem = _unsafe_string(item)
            if problem:
                raise ApiError(400, problem)
        elif isinstance(item, dict):
            for key, child in item.items():
                problem = _unsafe_string(key)
                if problem:
                    raise ApiError(400, problem)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


def read_json_object(*, optional: bool = False) -> dict:
    """The request body as a checked JSON object; {} for a missing or non-JSON body when `optional`."""
    raw = request.get_data(cache=True)
    if not request.is_json or not raw.strip():
        if optional:
            return {}
        raise ApiError(400, NOT_AN_OBJECT)
    try:
        body = json.loads(raw)
    except RecursionError:
        raise ApiError(400, f"The request body is nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError:  # not JSON, or not UTF-8
        raise ApiError(400, NOT_AN_OBJECT) from None
    if not isinstance(body, dict):
        if optional:
            return {}
        raise ApiError(400, NOT_AN_OBJECT)
    check_json(body)
    return body


def first_error(schema: Schema, messages: Any) -> tuple[str | None, str]:
    """The first field at fault, in the schema's order, and its first message."""
    def first_text(value: Any) -> str:
        while not isinstance(value, str):
            value = next(iter(value.values())) if isinstance(value, dict) else value[0]
        return value

    if isinstance(messages, dict):
        for name, field in schema.fields.items():
            key = field.data_key or name
            if key in messages:
                return key, first_text(messages[key])
        return None, first_text(messages)
    return None, first_text(messages)


class Parser(FlaskParser):
    """webargs's Flask parser with the body checks above and the API's errors."""

    def load_json(self, req, schema):
        return read_json_object(optional=getattr(schema, "OPTIONAL_BODY", False))

    def handle_error(self, error: ValidationError, req, schema, *, error_status_code, error_headers):
        (location, messages), = error.messages.items()
        field, message = first_error(schema, messages)
        raise ApiError(422 if location == "json" else 400, message, field)


PARSER = Parser()


def parse_query(schema: type[Schema]) -> dict:
    """Read the query string with a schema outside the JSON API (the OCDS endpoints): 400s alike."""
    return PARSER.parse(schema(), location="query")
