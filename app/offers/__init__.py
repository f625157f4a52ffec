"""The exemplars' service offers: the offers themselves and the capability catalogue (at this
package's top), searching them (search/), and followers' projects with their shortlists
(projects/). The blueprint is declared here; views.py gathers the pages and models.py every model
of the domain."""
from flask import Blueprint

bp = Blueprint("offers", __name__)
