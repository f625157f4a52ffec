"""Call-off competitions among a lot's admitted exemplars: setting one up (setup/), sealed bids
(bidding/), evaluation (evaluation/), the award and the partnership it makes (award/), and telling
people (notifications/). The blueprint is declared here; views.py gathers the pages and models.py
every model of the domain."""
from flask import Blueprint

bp = Blueprint("competitions", __name__, url_prefix="/competitions")
