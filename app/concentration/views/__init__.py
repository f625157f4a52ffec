"""Pages of the concentration domain: the public summary and the commercial dashboard with their CSV
downloads (figures.py), what-if (what_if.py) and the alert rules (rules.py). Figures come from the
cached engine (services); charts are server-side SVG (charts.py)."""
from app.web import nav_item

from .. import bp  # noqa: F401  (create_app registers app.concentration.views.bp)

nav_item("concentration.summary", "Convergence", 50, prefix="/concentration")

from . import figures, rules, tables, what_if  # noqa: E402,F401  (their routes attach to bp)
from .. import cli  # noqa: E402,F401
