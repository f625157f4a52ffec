"""The running service, for the commercial admins: background jobs that failed (with their errors,
and a button to try again), email deliveries and their failures, and the development mailbox
(every message written to the mail folder). The blueprint is declared here; the pages are in
views.py."""
from flask import Blueprint

bp = Blueprint("operations", __name__, url_prefix="/admin")
