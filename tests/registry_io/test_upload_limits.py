"""Malformed and oversized import files: each is refused (or shown as bad rows that cannot be
imported) with a clear message, and nothing reaches the register.

(The 5 MB limit and an upload with no file are in test_import_pages.py.)
"""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import jobs
from app.api.models import ImportRun
from app.audit.models import AuditEvent
from app.registry.models import Deployment, Organisation

from .conftest import DEP_HEADER, etr_line


def upload(client, data: bytes, kind="deployments", name="deps.csv"):
    return client.post("/register/import", data={"kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def counts(db_session):
    return tuple(db_session.scalar(select(func.count()).select_from(m))
                 for m in (ImportRun, Deployment, Organisation, AuditEvent))


@pytest.mark.parametrize("kind, name, data", [
    ("deployments", "binary.csv", bytes(range(256)) * 64),
    ("organisations", "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200),
    ("deployments", "utf16.csv", (DEP_HEADER + "\nRJR,Epic,live,,,https://example.org/a,high\n").encode("utf-16")),
    ("organisations", "nul.csv", etr_line(code="RZ8", name="NUL\x00 HOSPITAL NHS TRUST").encode()),
])
def test_a_binary_file_or_one_holding_nul_characters_is_refused(client, admin, login, db_session, kind, name, data):
    login(admin)
    before = counts(db_session)
    r = upload(client, data, kind=kind, name=name)
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "is not a text CSV file" in page and "UTF-8" in page
    assert counts(db_session) == before  # nothing stored, nothing imported, nothing audited


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n  ", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(client, admin, login, db_session, data):
    login(admin)
    before = counts(db_session)
    r = upload(client, data)
    assert r.status_code == 200 and "The file is empty." in r.get_data(as_text=True)
    assert counts(db_session) == before


def _checked(client, r):
    assert r.status_code == 302
    return r.headers["Location"], client.get(r.headers["Location"]).get_data(as_text=True)


def test_wrong_columns_are_reported_and_nothing_can_be_imported(client, admin, login, db_session):
    login(admin)
    location, page = _checked(client, upload(client, b"ods_code,system,colour\nRJR,Epic,blue\n"))
    assert "The header is wrong: missing column(s): status" in page and "unknown column(s): colour" in page
    _, page = _checked(client, upload(client, b"name,colour\nEpic,blue\n"))  # no header: every row too short
    assert "Expected 7 columns, found 2." in page
    before = counts(db_session)
    refused = client.post(location).get_data(as_text=True)
    assert "nothing was imported" in refused
    assert counts(db_session)[1:3] == before[1:3]


def test_rows_with_the_wrong_number_of_cells_and_broken_quotes_are_bad_rows(client, admin, login, db_session):
    login(admin)
    data = (DEP_HEADER + '\nRJR,Epic,live\nRJR,"Epic,live,,,x,high\n').encode()
    location, page = _checked(client, upload(client, data))
    assert "Expected 7 columns, found 3." in page
    assert "nothing was imported" in client.post(location).get_data(as_text=True)


def test_a_windows_1252_file_is_read_not_refused(client, admin, login, db_session):
    login(admin)
    data = (DEP_HEADER + "\nRJR,Epic,live,,,Board papers – café,high\n").encode("cp1252")
    location, page = _checked(client, upload(client, data))
    assert "This is a dry run" in page and "Import 1 change" in page
    report = client.get(location + "?format=csv").get_data(as_text=True)
    assert "create,RJR epic-ehr" in report


def test_script_in_a_file_is_shown_as_text(client, admin, login, db_session):
    login(admin)
    data = (DEP_HEADER + "\n<script>alert(1)</script>,<img src=x onerror=alert(1)>,live,,,javascript:alert(1),high\n").encode()
    _, page = _checked(client, upload(client, data))
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page or "not an ODS code" in page


def test_a_file_with_many_rows_is_checked_within_the_limit_and_bad_rows_are_capped(client, admin, login, db_session):
    """About 4.9 MB of rows, every one bad: the check stops listing after 1,000 and imports nothing."""
    login(admin)
    row = b"ZZZZZZZ,No such system,someday,,,x,high\n"
    data = DEP_HEADER.encode() + b"\n" + row * ((5 * 1024 * 1024 - 100) // len(row))
    before = counts(db_session)
    location, page = _checked(client, upload(client, data))
    assert "The file has at least 1,000 bad rows" in page  # reading stops there (it used to list all ~130,000)
    assert "Reading stopped at the 1,000th bad row" in page
    assert "nothing was imported" in client.post(location).get_data(as_text=True)
    assert counts(db_session)[1:3] == before[1:3]


def test_a_file_with_many_good_rows_imports_them_all_in_one_go(client, admin, login, db_session):
    """A 300-row file: the dry run lists it and the import (a job, writing in batches) applies every
    row once, with an audit entry each. (bench/imports.py measures 20,000 rows.)"""
    login(admin)
    start = date(1960, 1, 1)
    rows = "".join(f"RJR,Epic,ended,{start + timedelta(days=2 * i)},{start + timedelta(days=2 * i + 1)},"
                   f"https://example.org/{i},high\n" for i in range(300))
    before = counts(db_session)
    location, page = _checked(client, upload(client, (DEP_HEADER + "\n" + rows).encode()))
    assert "Import 300 changes" in page
    progress = client.post(location).headers["Location"]
    jobs.drain()
    done = client.get(progress).get_data(as_text=True)
    assert "300 new" in done
    assert counts(db_session)[1] == before[1] + 300
    from app.audit.services import verify_chain

    created = db_session.execute(select(AuditEvent).where(AuditEvent.action == "deployment.import_create")
                                 .order_by(AuditEvent.id.desc()).limit(300)).scalars().all()
    assert len(created) == 300 and all("(line " in e.summary for e in created)
    assert verify_chain().ok


def test_a_request_far_over_the_limit_is_refused_before_it_is_read(client, admin, login, db_session, app):
    """Past MAX_CONTENT_LENGTH the server refuses the request (413) with a page saying why."""
    login(admin)
    before = counts(db_session)
    r = upload(client, b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert r.status_code == 413
    page = r.get_data(as_text=True)
    assert "too large" in page and "5 MB" in page and "nhsuk" in page
    assert counts(db_session) == before
