"""The OCDS publication: a paginated release package of every release, and compiled records."""
from __future__ import annotations

from flask import request

from app.web.urls import external_url

from app.api.blueprint import bp
from app.api.v1.core import ApiError, ok
from app.api.v1.fields import Paged, day
from app.api.v1.parsing import parse_query

from . import data as ocds_data
from . import releases as ocds


class ReleasesQuery(Paged):
    since = day("since", "Releases on or after this date")
    until = day("until", "Releases on or before this date")


def _publisher() -> dict:
    org = ocds_data.publisher_org()
    return ocds.publisher(org["name"], org["ods_code"])


@bp.get("/ocds/releases.json")
def ocds_releases():
    """Every release of every public process, oldest first, filtered by date and paginated."""
    args = parse_query(ReleasesQuery)
    since, until, page, per_page = args.get("since"), args.get("until"), args["page"], args["per_page"]
    releases = [r for rs in ocds_data.all_releases().values() for r in rs]
    if since:
        releases = [r for r in releases if r["date"][:10] >= since.isoformat()]
    if until:
        releases = [r for r in releases if r["date"][:10] <= until.isoformat()]
    releases.sort(key=lambda r: r["date"])  # stable: same-moment releases keep their order
    total = len(releases)
    chunk = releases[(page - 1) * per_page: page * per_page]
    if not chunk:
        raise ApiError(404, "No releases match: try an earlier page or a wider date range.")
    args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}

    def link(n):
        return external_url("api.ocds_releases", **args, page=n, per_page=per_page)

    package = ocds.release_package(chunk, uri=link(page), published=ocds.parse_stamp(chunk[-1]["date"]),
                                   publisher_=_publisher())
    package["links"] = {"next": link(page + 1) if page * per_page < total else None,
                        "prev": link(page - 1) if page > 1 else None}
    package["links"] = {k: v for k, v in package["links"].items() if v}
    return ok(package, headers={"X-Total-Count": str(total)})


@bp.get("/ocds/records/<ocid>")
def ocds_record(ocid: str):
    """The record of one process: all its releases and the compiled release, in a record package."""
    releases = ocds_data.releases_for(ocid[:200])
    if not releases:
        raise ApiError(404, f"No public contracting process has the ocid {ocid[:200]}.")
    rec = ocds.record(releases)
    package = ocds.record_package([rec], uri=external_url("api.ocds_record", ocid=ocid),
                                  published=ocds.parse_stamp(rec["compiledRelease"]["date"]),
                                  publisher_=_publisher())
    return ok(package)
