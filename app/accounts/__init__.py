"""Users, roles, passwords, sign-in and the permission layer: the accounts blueprint (its pages are
in views.py and admin.py)."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)
