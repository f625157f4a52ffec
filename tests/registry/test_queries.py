"""Register reads shared by other domains' forms."""
from __future__ import annotations

from app.registry.queries import organisation_by_ods_code


def test_an_ods_code_is_found_as_a_person_types_it(db_session):
    found = organisation_by_ods_code("  rbl ")
    assert found is not None and found.ods_code == "RBL"
    assert organisation_by_ods_code("RBL").id == found.id


def test_an_unknown_or_empty_code_finds_nothing(db_session):
    assert organisation_by_ods_code("ZZZ99") is None
    assert organisation_by_ods_code("") is None and organisation_by_ods_code(None) is None
    assert organisation_by_ods_code("RBL' OR '1'='1") is None
