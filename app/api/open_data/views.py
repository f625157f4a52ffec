"""Open data downloads: the page that lists them, the register as a SQLite database, and the API's
browsable reference."""
from __future__ import annotations

from flask import Response, render_template
from werkzeug.http import http_date

from app.api.blueprint import bp
from app.api.ocds.data import public_frameworks
from app.api.ocds.ids import framework_ocid
from app.web import nav_item

from . import regenerate

nav_item("api.open_data", "Open data", 80, prefix="/open-data")


@bp.route("/open-data")
def open_data():
    frameworks = [{"name": f.name, "ocid": framework_ocid(f.slug)} for f in public_frameworks()]
    return render_template("api/open_data.html", frameworks=frameworks)


@bp.route("/open-data/register.sqlite")
def register_sqlite():
    """The public register as a SQLite file: the latest one the regeneration job wrote (only on a
    database that never had one is it built here, once, for this download)."""
    export = regenerate.latest()
    data = export.data if export is not None else regenerate.build_file()
    headers = {"Content-Disposition": 'attachment; filename="exemplar-exchange-register.sqlite"',
               "Cache-Control": "public, max-age=300"}
    if export is not None:
        headers["Last-Modified"] = http_date(export.built_at)
        headers["ETag"] = f'"{export.sha256}"'
    return Response(data, mimetype="application/vnd.sqlite3", headers=headers)


@bp.route("/api/docs")
def api_reference():
    """The OpenAPI document, browsable (Swagger UI): a developer tool page, linked from docs/api.md
    and the open-data page, not part of the service's pages (it has none of their layout). Its
    scripts and styles are swagger-ui-dist's, served by the app (scripts/build_assets.sh), started
    by an external script under the app's Content-Security-Policy."""
    return render_template("api/swagger_ui.html")
