"""Governance of the exemplar programme: admissions to framework lots (admission/), periodic
reviews and followers' feedback (reviews/), funding agreements (funding/) and their quarterly
check-ins and tranche releases (checkins/). The blueprint is declared here; views.py gathers the
pages, models.py and services.py the subjects' public names."""
from flask import Blueprint

bp = Blueprint("governance", __name__, url_prefix="/governance")
