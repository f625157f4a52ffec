"""Fixtures for the import and export tests."""
from __future__ import annotations

import pytest

from tests import factories
from tests.api.conftest import CommitOnFlush


@pytest.fixture()
def make(db_session):
    return factories.Factory(CommitOnFlush(db_session))


@pytest.fixture()
def admin(make):
    return make.user("commercial_admin", org=make.org("X24"))


def etr_line(code="RXX", name="TEST HOSPITALS NHS TRUST", region="Y62", icb="QE1", town="WIGAN",
             postcode="WN1 2NN", opened="20200401", closed="") -> str:
    cells = [code, name, region, icb, "1 HOSPITAL ROAD", "", "", town, "", postcode, opened, closed]
    return ",".join(cells + [""] * (27 - len(cells)))


DEP_HEADER = "ods_code,system,status,since,until,source,confidence"
