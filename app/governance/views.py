"""Pages of the governance domain."""
from flask import Blueprint

bp = Blueprint("governance", __name__)
