"""The "api" blueprint: the pages and files of the open-data layer (the OCDS packages under
/ocds, the downloads under /open-data, the "API tokens" pages). Ordinary routes with CSRF; the JSON
API is its nested blueprint `v1` (app/api/v1/blueprint.py).

Route modules import `bp` from here and nothing here imports them: app/api/views.py gathers them.
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)
