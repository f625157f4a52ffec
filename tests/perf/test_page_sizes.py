"""No signed-in dashboard, nor the public concentration summary, grows with the data.

Each page is requested at one data size large enough to fill every bounded list (each table's first
rows, each panel's items, a page of a long table), then at a much larger one; its bytes and its
SQL statements must not grow (a few bytes' leeway: counts shown in the page get more digits).
An unbounded table of partnerships or suppliers would add hundreds of bytes per row.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, select

from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER
from app.concentration import services as concentration
from app.concentration.services.rebuild import build
from app.concentration.tables import TOP_ROWS
from app.registry.models import Deployment, Organisation, Partnership

from .conftest import NOW, count_statements

#: What a page may gain from one size to the next: numbers in it get a digit or two longer, the
#: first rows of a table are other rows, with other names, and an alert may fire at one size only
#: (a sentence on the commercial admin's dashboard). One more row of any table is 300–700 bytes,
#: and the larger size has 40 more of everything, so a list that grows fails by far.
LEEWAY_BYTES, LEEWAY_SHARE = 1000, 0.01

PAGES = {
    "concentration dashboard": (COMMERCIAL_ADMIN, lambda g: "/concentration/dashboard"),
    "concentration dashboard, per deployment": (AUDITOR, lambda g: "/concentration/dashboard?weighting=deployment"),
    "concentration network table, a page": (COMMERCIAL_ADMIN, lambda g: "/concentration/dashboard/tables/network"),
    "concentration network table, filtered": (COMMERCIAL_ADMIN,
                                              lambda g: "/concentration/dashboard/tables/network?q=bench&page=2"),
    "concentration suppliers table, a page": (COMMERCIAL_ADMIN, lambda g: "/concentration/dashboard/tables/suppliers"),
    "concentration summary": (None, lambda g: "/concentration/"),
    "dashboard, commercial admin": (COMMERCIAL_ADMIN, lambda g: "/dashboard"),
    "dashboard, buyer": ("buyer", lambda g: "/dashboard"),
    "dashboard, exemplar manager": ("exemplar", lambda g: "/dashboard"),
    "dashboard, evaluator": (EVALUATOR, lambda g: "/dashboard"),
}


def _grow(grower, n: int) -> None:
    """The grower's n of everything, and more shapes of network: every new trust beyond the first
    few becomes an exemplar of the next (so exemplar load and the network's exemplars grow), and
    half of the new trusts have a historical and a planned deployment (historical and pipeline)."""
    s = grower.s
    before = set(s.execute(select(Organisation.id).where(Organisation.ods_code.like("Q%"))).scalars())
    grower.grow(n)
    new = sorted(set(s.execute(select(Organisation.id).where(Organisation.ods_code.like("Q%"))).scalars()) - before)
    s.execute(insert(Partnership.__table__), [dict(follower_id=f, exemplar_id=e, origin="gde_fast_follower",
                                                   status="active", started_on=date(2022, 1, 1), created_at=NOW)
                                              for f, e in zip(new[1:], new[:-1])])
    system = s.execute(select(Deployment.system_id).where(Deployment.organisation_id == grower.exemplar.id)
                       .order_by(Deployment.id)).scalars().first()
    s.execute(insert(Deployment.__table__), [
        dict(organisation_id=o, system_id=system, status=status, since=date(2019, 1, 1), confidence="medium",
             historical=historical, created_at=NOW)
        for o in new[::2] for status, historical in (("live", True), ("planned", False))])
    s.flush()
    s.expire_all()
    concentration.clear_cache()
    build(force=True)  # the figures the pages show for today, as the job queue would store them


def _get(client, path: str) -> tuple[int, int]:
    """The page's bytes, and its statements once warm: the fewer of two requests, so that a cache
    refreshed by time between them (the data version is read at most once a second, and a busy
    machine may cross that second on either request) is not taken for growth; a page whose
    statements grow with the data sends more on every request."""
    body = client.get(path).get_data()
    return len(body), min(count_statements(client, path) for _ in range(2))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_does_not_grow_with_the_data(name, client, grower, as_role, login, make):
    role, path_of = PAGES[name]
    if role == "buyer":
        login(grower.buyer_user)
    elif role == "exemplar":  # invited to, and bidding in, every competition the grower adds
        login(make.user(EXEMPLAR_MANAGER, org=grower.exemplar))
    else:
        as_role(role)
    _grow(grower, 4 * TOP_ROWS)
    small_bytes, small_statements = _get(client, path_of(grower))
    _grow(grower, 8 * TOP_ROWS)
    large_bytes, large_statements = _get(client, path_of(grower))
    assert large_statements <= small_statements, f"{name}: {small_statements} → {large_statements} statements"
    assert large_bytes <= small_bytes * (1 + LEEWAY_SHARE) + LEEWAY_BYTES, \
        f"{name}: {small_bytes:,} → {large_bytes:,} bytes"


def test_the_grown_rows_are_on_the_table_pages_and_in_the_csv(client, grower, as_role):
    """The dashboard shows the first rows; every row is a page (or a filter) away, and in the CSV."""
    as_role(COMMERCIAL_ADMIN)
    _grow(grower, 4 * TOP_ROWS)
    page = client.get("/concentration/dashboard").get_data(as_text=True)
    assert "See every row of “Partnerships: follower → exemplar, each pair once”" in page
    name = grower.s.execute(select(Organisation.name).where(Organisation.ods_code.like("Q%"))
                            .order_by(Organisation.id.desc())).scalars().first()
    csv = client.get("/concentration/dashboard/network.csv").get_data(as_text=True)
    assert name.title()[:10].casefold() in csv.casefold()
    found = client.get("/concentration/dashboard/tables/network", query_string={"q": name[-12:]}).get_data(as_text=True)
    assert "rows contain" in found and name[-12:].casefold() in found.casefold()
    everything = client.get("/concentration/dashboard/tables/network").get_data(as_text=True)
    assert "nhsuk-pagination" in everything and "Download the whole table (CSV)" in everything
