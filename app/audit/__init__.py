"""The append-only audit log: its blueprint (the pages are in views.py)."""
from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")
