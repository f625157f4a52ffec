"""Records are compiled by ocdsmerge from the local copy of the release schema: never a download
(the network is blocked while it runs), and the result is what the hand-written merge routine it
replaced gave, for every public record of the demo data."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from app.api.ocds import compile as ocds_compile
from app.api.ocds import data as ocds_data

from . import merge_reference, ocds_schema


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"a network connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    ocds_compile.merger.cache_clear()  # the schema is read afresh, under the block
    yield attempts
    ocds_compile.merger.cache_clear()


def test_the_network_block_really_blocks(no_network):
    with pytest.raises(AssertionError):
        socket.create_connection(("127.0.0.1", 9))
    assert no_network


def test_every_demo_record_compiles_offline_to_what_the_old_routine_gave(app, db_session, no_network):
    records = ocds_data.all_releases()
    assert len(records) >= 4 and any("-co-" in ocid for ocid in records) and any("-fw-" in ocid for ocid in records)
    for ocid, releases in records.items():
        assert ocds_compile.compile_releases(releases) == merge_reference.compile_releases(releases), ocid
    assert no_network == []


def test_a_record_is_served_offline(client, no_network):
    r = client.get("/ocds/records/ocds-exex01-fw-gde")
    assert r.status_code == 200 and r.get_json()["records"][0]["compiledRelease"]["tag"] == ["compiled"]
    assert no_network == []


def test_the_merge_rules_come_from_the_schema_with_its_extensions():
    rules = ocds_compile.merger().merge_rules
    assert rules[("tag",)] == "omitWhenMerged"
    assert rules[("parties", "additionalIdentifiers")] == "wholeListMerge"
    # The bids extension's fields are in the schema the rules were read from.
    assert "bids" in ocds_compile.release_schema()["properties"]


def test_the_schema_kept_in_the_app_is_the_one_in_shared():
    ocds_schema.skip_without_schemas()
    kept = ocds_compile.SCHEMA_DIR
    for path in sorted(p for p in kept.rglob("*") if p.is_file() and p.name != "README.md"):
        original = Path(ocds_schema.OCDS_DIR) / path.relative_to(kept)
        assert original.read_bytes() == path.read_bytes(), path
