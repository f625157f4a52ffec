"""Supplier concentration and convergence: the figures over the register, their pages and the
`flask concentration` commands. The blueprint is declared here; its pages are in views/."""
from flask import Blueprint

bp = Blueprint("concentration", __name__, url_prefix="/concentration")
