"""The framework register: organisations, suppliers, systems and deployments (organisations/),
frameworks, lots and memberships (frameworks/), and the partnerships awards make. The blueprint is
declared here; views.py gathers its pages."""
from flask import Blueprint

bp = Blueprint("registry", __name__)
