"""Pages of the concentration domain: the public summary and the commercial dashboard with their CSV
downloads (figures.py), what-if (what_if.py) and the alert rules (rules.py). Figures come from the
cached engine (services); charts are server-side SVG (charts.py)."""
import re

from flask import Blueprint
from markupsafe import Markup

from app.web import nav_item

bp = Blueprint("concentration", __name__, url_prefix="/concentration")

nav_item("concentration.summary", "Convergence", 50, prefix="/concentration")

_SPACE = re.compile(r"\s+")


@bp.app_template_filter("collapse_whitespace")
def collapse_whitespace(html: str) -> Markup:
    """Markup with every run of white space made one space: the nhsuk table macro indents each cell
    over a dozen lines, which made the figures pages (a dozen tables) over half a megabyte. Only for
    markup without <pre> or <textarea>."""
    return Markup(_SPACE.sub(" ", str(html)))

from . import figures, rules, what_if  # noqa: E402,F401  (their routes attach to bp)
from .. import cli  # noqa: E402,F401
