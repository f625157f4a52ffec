"""Pages of the concentration domain."""
from flask import Blueprint

bp = Blueprint("concentration", __name__)
