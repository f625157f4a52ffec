"""The public register as a standalone SQLite database (sqlite-utils), by command and download."""
from __future__ import annotations

import sqlite3

from sqlalchemy import func, select

from app.registry.models import Deployment, Framework, Lot, Membership, NoSystemFinding, Organisation, System


def open_db(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def test_export_sqlite_writes_the_public_register_with_keys_and_search(runner, tmp_path, db_session, make):
    make.framework(status="draft", slug="not-yet-public")
    path = tmp_path / "register.sqlite"
    result = runner.invoke(args=["registry", "export-sqlite", str(path)])
    assert result.exit_code == 0, result.output
    conn = open_db(path)
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert {"organisations", "suppliers", "systems", "deployments", "frameworks", "lots", "exemplars", "offers",
            "contracts", "organisations_fts", "offers_fts"} <= tables
    count = lambda t: conn.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: E731
    assert count("organisations") == db_session.scalar(select(func.count()).select_from(Organisation))
    assert count("systems") == db_session.scalar(select(func.count()).select_from(System))
    assert count("deployments") == db_session.scalar(select(func.count()).select_from(Deployment))
    # Trusts known to run no EPR are in the file too (known, not unknown), keyed to their organisation.
    findings = db_session.scalar(select(func.count()).select_from(NoSystemFinding))
    assert count("no_system_findings") == findings > 0
    assert conn.execute("select count(*) from no_system_findings where category like '%epr' "
                        "and category_name is not null and source_url is not null").fetchone()[0] > 0
    public_members = db_session.scalar(
        select(func.count()).select_from(Membership).join(Lot).join(Framework)
        .where(Membership.status.in_(("admitted", "suspended")), Framework.status != "draft"))
    assert count("exemplars") == public_members >= 26
    assert conn.execute("select count(*) from frameworks where slug = 'not-yet-public'").fetchone()[0] == 0
    fks = {(r["from"], r["table"]) for r in conn.execute("pragma foreign_key_list(deployments)")}
    assert fks == {("ods_code", "organisations"), ("system_slug", "systems")}
    assert conn.execute("pragma foreign_key_check").fetchall() == []
    hits = conn.execute("select ods_code from organisations where rowid in "
                        "(select rowid from organisations_fts where organisations_fts match 'wirral')").fetchall()
    assert "RBL" in [h[0] for h in hits]
    rbl = conn.execute("select o.name, r.name as region from organisations o join organisations r "
                       "on r.ods_code = o.region_code where o.ods_code = 'RBL'").fetchone()
    assert rbl["region"] == "North West"
    conn.close()


def test_the_register_database_can_be_downloaded(client):
    r = client.get("/open-data/register.sqlite")
    assert r.status_code == 200 and r.data.startswith(b"SQLite format 3\x00")
    assert r.mimetype == "application/vnd.sqlite3" and "attachment" in r.headers["Content-Disposition"]


def test_the_open_data_page_links_everything(client):
    page = client.get("/open-data").get_data(as_text=True)
    for href in ("/open-data/register.sqlite", "/ocds/releases.json", "/api/v1/openapi.json",
                 "/ocds/records/ocds-exex01-fw-gde"):
        assert href in page


def test_the_register_file_is_regenerated_by_a_job_after_a_change_not_by_the_download(client, db_session,
                                                                                       monkeypatch, make):
    from sqlalchemy import select as sa_select

    from app import jobs
    from app.api.models import OpenDataExport
    from app.api.open_data import regenerate

    latest = db_session.execute(sa_select(OpenDataExport).order_by(OpenDataExport.id.desc())).scalars().first()
    assert latest is not None  # built with the demo data
    monkeypatch.setattr(regenerate, "build_file", lambda: (_ for _ in ()).throw(AssertionError("built on request")))
    r = client.get("/open-data/register.sqlite")
    assert r.data == latest.data and r.headers["ETag"] == f'"{latest.sha256}"'
    monkeypatch.undo()
    latest_id, latest_sha = latest.id, latest.sha256

    org = make.org()
    make.deployment(org, make.system(), status="live")
    from app import signals

    signals.data_changed.send("deployment")
    db_session.commit()
    jobs.drain()
    newer = db_session.execute(sa_select(OpenDataExport).order_by(OpenDataExport.id.desc())).scalars().first()
    assert newer.id != latest_id and newer.sha256 != latest_sha
    assert client.get("/open-data/register.sqlite").data == newer.data
