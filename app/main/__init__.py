"""The pages no single domain owns: the home page, the signed-in dashboard, the data and
accessibility statements. The blueprint is declared here; the pages are in views.py."""
from flask import Blueprint

bp = Blueprint("main", __name__)
