"""The import upload page: a dry run first, every bad row shown, then a confirmed import."""
from __future__ import annotations

import re

import io

from sqlalchemy import select

from app import jobs
from app.api.models import ImportRun
from app.registry.models import Organisation

from .conftest import DEP_HEADER, etr_line


def upload(client, text: str | bytes, kind="organisations", name="etr.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post("/register/import", data={"kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_anonymous_visitors_are_asked_to_sign_in(client):
    assert client.get("/register/import").status_code == 302


def test_only_the_commercial_team_may_import(client, make, login):
    login(make.user("exemplar_manager"))
    assert client.get("/register/import").status_code == 403
    assert upload(client, etr_line()).status_code == 403


def test_upload_shows_a_dry_run_then_imports_on_confirmation(client, admin, login, db_session):
    login(admin)
    page = client.get("/register/import").get_data(as_text=True)
    assert "Import into the register" in page and 'enctype="multipart/form-data"' in page
    r = upload(client, etr_line(code="RZ7", name="PAGE TEST NHS TRUST", region="Y56", icb="QKK"))
    assert r.status_code == 302
    check = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "This is a dry run" in check and "RZ7" in check and "Import 1 change" in check
    assert db_session.execute(select(Organisation).where(Organisation.ods_code == "RZ7")).first() is None
    # The import runs as a job: its progress page follows it, with and without JavaScript.
    started = client.post(r.headers["Location"])
    assert started.status_code == 302 and started.headers["Location"].endswith("/progress")
    waiting = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Importing: etr.csv" in waiting and "Waiting to start" in waiting
    assert '<meta http-equiv="refresh" content="3">' in waiting and "build/progress.js" in waiting
    assert '<progress id="import-progress"' in waiting and "0 errors so far" in waiting
    status = client.get(started.headers["Location"] + ".json").get_json()
    assert status["status"] == "queued" and status["finished"] is False
    assert db_session.execute(select(Organisation).where(Organisation.ods_code == "RZ7")).first() is None
    jobs.drain()
    done = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Imported etr.csv: 1 new" in done and "http-equiv" not in done
    assert client.get(started.headers["Location"] + ".json").get_json()["finished"] is True
    # The file's page, once imported, gives the import's own counts, not the file checked again.
    checked = client.get(r.headers["Location"]).get_data(as_text=True)
    counts = dict(re.findall(r'<dt class="nhsuk-summary-list__key">([^<]+)</dt><dd class="nhsuk-summary-list__value">(\d+)</dd>',
                             checked))
    assert counts["New"] == "1" and counts["Unchanged"] == "0"
    assert db_session.execute(select(Organisation).where(Organisation.ods_code == "RZ7")).unique().scalar_one()
    run = db_session.execute(select(ImportRun).order_by(ImportRun.id.desc())).scalars().first()
    assert run.applied_at is not None and run.created_count == 1
    # A second confirmation does not import twice.
    again = client.post(r.headers["Location"]).get_data(as_text=True)
    assert "already been imported" in again


def test_bad_rows_are_listed_and_the_file_cannot_be_imported(client, admin, login, db_session):
    login(admin)
    r = upload(client, DEP_HEADER + "\nRJR,Epic,live,,,https://example.org/a,high\nRJR,Epic,someday,,,x,low\n",
               kind="deployments", name="deps.csv")
    check = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "The file has 1 bad row" in check
    assert "Status ‘someday’ is not one of planned, live, retiring, ended." in check
    assert "Import 1 change" not in check
    refused = client.post(r.headers["Location"]).get_data(as_text=True)
    assert "nothing was imported" in refused
    report = client.get(r.headers["Location"] + "?format=csv")
    assert report.mimetype == "text/csv"
    lines = report.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "line,result,entry,details" and lines[1].startswith("2,create,RJR epic-ehr")
    assert lines[2].startswith('3,bad row,RJR,"Status ‘someday’')


def test_a_file_over_5_mb_is_refused_with_a_clear_message(client, admin, login):
    login(admin)
    r = upload(client, b"x" * (5 * 1024 * 1024 + 10))
    assert r.status_code == 200
    assert "The file is larger than 5 MB" in r.get_data(as_text=True)


def test_an_empty_upload_asks_for_a_file(client, admin, login):
    login(admin)
    r = client.post("/register/import", data={"kind": "organisations"}, content_type="multipart/form-data")
    assert "Choose a CSV file" in r.get_data(as_text=True)
