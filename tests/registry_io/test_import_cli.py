"""`flask registry import organisations|deployments FILE`: dry runs, bad rows, nothing half-imported,
idempotent re-runs."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.registry.models import Deployment, Organisation

from .conftest import DEP_HEADER, etr_line

SHARED_ETR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "etr_nhs_trusts_2026.csv"


def write(tmp_path, text: str, encoding="utf-8", name="file.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def org(db_session, code):
    return db_session.execute(select(Organisation).where(Organisation.ods_code == code)).unique().scalar_one_or_none()


def test_the_real_ods_extract_is_already_in_the_register_so_nothing_changes(runner):
    if not SHARED_ETR.exists():
        pytest.skip(f"shared data not found at {SHARED_ETR}")
    result = runner.invoke(args=["registry", "import", "organisations", str(SHARED_ETR), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "0 new, 0 updated, 199 unchanged, 75 skipped, 0 bad rows." in result.output


def test_importing_organisations_creates_and_updates_then_a_rerun_changes_nothing(runner, tmp_path, db_session):
    rbl = org(db_session, "RBL")
    text = "\n".join([
        etr_line(code="RZ1", name="NEWTOWN COMMUNITY HEALTHCARE NHS TRUST", region="Y62", icb=rbl.icb.ods_code),
        etr_line(code="RBL", name=rbl.name, region="Y62", icb=rbl.icb.ods_code, town="BIRKENHEAD",
                 postcode="CH49 5PE", opened=rbl.opened_on.strftime("%Y%m%d")),
    ])
    path = write(tmp_path, text)
    result = runner.invoke(args=["registry", "import", "organisations", path])
    assert result.exit_code == 0, result.output
    assert "1 new, 1 updated" in result.output
    new = org(db_session, "RZ1")
    assert new.kind == "trust" and new.trust_type == "community" and new.trust_type_source == "name"
    assert new.icb_id == rbl.icb_id and org(db_session, "RBL").town == "BIRKENHEAD"
    actions = db_session.execute(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(4)).scalars().all()
    assert {"organisation.import_create", "organisation.import_update", "import.organisations"} <= set(actions)
    again = runner.invoke(args=["registry", "import", "organisations", path])
    assert again.exit_code == 0 and "0 new, 0 updated, 2 unchanged" in again.output


def test_a_file_with_bad_rows_is_reported_line_by_line_and_nothing_is_imported(runner, tmp_path, db_session):
    text = "\n".join([etr_line(code="RZ2"), etr_line(code="RZ3", opened="yesterday"), "RZ4,SHORT ROW",
                      etr_line(code="RZ5", icb="QQQ")])
    before = db_session.scalar(select(func.count()).select_from(Organisation))
    result = runner.invoke(args=["registry", "import", "organisations", write(tmp_path, text)])
    assert result.exit_code == 1
    assert "line 2: RZ3: Open date ‘yesterday’ is not a date (YYYYMMDD)." in result.output
    assert "line 3: " in result.output and "Expected 27 columns" in result.output
    assert "line 4: RZ5: ICB QQQ is not in the register." in result.output
    assert "Nothing was imported" in result.output
    # The good row on line 1 is not imported either: all or nothing.
    assert db_session.scalar(select(func.count()).select_from(Organisation)) == before
    assert org(db_session, "RZ2") is None


def test_a_dry_run_changes_nothing(runner, tmp_path, db_session):
    result = runner.invoke(args=["registry", "import", "organisations", write(tmp_path, etr_line(code="RZ6")),
                                 "--dry-run"])
    assert result.exit_code == 0 and "1 new" in result.output and "Dry run" in result.output
    assert org(db_session, "RZ6") is None


@pytest.mark.parametrize("encode", [
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),  # UTF-8 with a BOM, as Excel writes it
    lambda text: text.encode("latin-1"),  # an old Windows / Latin-1 file
], ids=["utf8-bom", "latin-1"])
def test_deployments_from_a_file_with_a_bom_windows_line_endings_and_latin_1_characters(
        runner, tmp_path, db_session, encode):
    text = (DEP_HEADER + "\r\n"
            "RJR,Epic,planned,2027-04,,Board papers of the Countess of Chester (résumé),medium\r\n"
            "RJR,oracle-health-millennium,live,2015-06-01,,https://example.org/coch,low\r\n")
    path = tmp_path / "deployments.csv"
    path.write_bytes(encode(text))
    result = runner.invoke(args=["registry", "import", "deployments", str(path)])
    assert result.exit_code == 0, result.output
    rjr = org(db_session, "RJR")
    deps = db_session.execute(select(Deployment).where(Deployment.organisation_id == rjr.id)).unique().scalars().all()
    planned = next(d for d in deps if d.status == "planned" and d.system.slug == "epic-ehr")
    assert planned.source_text == "Board papers of the Countess of Chester (résumé)"
    assert planned.confidence == "medium" and planned.since.isoformat() == "2027-04-01"
    again = runner.invoke(args=["registry", "import", "deployments", str(path)])
    assert again.exit_code == 0 and "0 new, 0 updated, 2 unchanged" in again.output


def test_a_deployment_row_updates_the_matching_deployment(runner, tmp_path, db_session):
    path = write(tmp_path, DEP_HEADER + "\nRJR,Epic,planned,2027-04-01,,https://example.org/a,low\n")
    assert runner.invoke(args=["registry", "import", "deployments", path]).exit_code == 0
    path = write(tmp_path, DEP_HEADER + "\nRJR,Epic,live,2027-04-01,,https://example.org/b,high\n", name="b.csv")
    result = runner.invoke(args=["registry", "import", "deployments", path])
    assert "0 new, 1 updated" in result.output
    dep = db_session.execute(select(Deployment).where(Deployment.source_url == "https://example.org/b")).unique() \
        .scalar_one()
    assert dep.status == "live" and dep.confidence == "high"


def test_mixed_deployments_file_imports_nothing(runner, tmp_path, db_session):
    before = db_session.scalar(select(func.count()).select_from(Deployment))
    text = DEP_HEADER + "\nRJR,Epic,planned,,,https://example.org/a,low\nRJR,Unknown EPR,live,,,src,low\n"
    result = runner.invoke(args=["registry", "import", "deployments", write(tmp_path, text)])
    assert result.exit_code == 1 and "line 3: RJR: No system is called ‘Unknown EPR’." in result.output
    assert db_session.scalar(select(func.count()).select_from(Deployment)) == before
