"""The OpenAPI document of the JSON API."""
from __future__ import annotations

from .core import ok
from .openapi import document
from .views import v1


@v1.get("/openapi.json")
def openapi():
    return ok(document())
