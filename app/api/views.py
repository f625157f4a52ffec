"""The api package's blueprints, gathered for create_app: the JSON API, the OCDS publication,
the open-data downloads, the register's imports and the "API tokens" pages.

`bp` ("api", app/api/blueprint.py) holds the pages and files; `v1` (app/api/v1/blueprint.py) the
JSON API at /api/v1 and `imports` (app/api/registry_io.py) the register's imports, both nested
in it. Importing the route modules here registers their routes; none of them imports this
module, so the package has no import circle.
"""
from __future__ import annotations

from app.extensions import db

from . import registry_io, token_pages  # noqa: F401  (routes on bp and on imports)
from .blueprint import bp
from .ocds import views as _ocds_views  # noqa: F401  (routes on bp)
from .open_data import views as _open_data_views  # noqa: F401  (routes on bp)
from .v1 import competitions, concentration, document, offers, registry  # noqa: F401  (routes on v1)
from .v1.blueprint import v1
from .v1.core import ApiError, error_response

__all__ = ["bp"]


@bp.errorhandler(ApiError)
def _api_error(e: ApiError):
    """The OCDS endpoints answer their errors in the JSON API's shape."""
    db.session.rollback()
    return error_response(e.status, e.message, e.field)


bp.register_blueprint(v1)
bp.register_blueprint(registry_io.bp)
