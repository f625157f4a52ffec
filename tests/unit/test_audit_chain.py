"""The audit log's hash chain (app/audit/chain.py), as pure functions: no app, no database."""
from __future__ import annotations

import ast
import dataclasses
import inspect
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.audit import chain
from app.audit.chain import GENESIS, Entry, canonical_json, entry_hash, verify

HASHED_FIELDS = ("occurred_at", "actor_label", "action", "object_type", "object_id", "summary", "before", "after")


def make_chain(n: int, start_id: int = 1) -> list[Entry]:
    """n well-formed entries, each linked to the one before it."""
    entries: list[Entry] = []
    prev = GENESIS
    for i in range(start_id, start_id + n):
        fields = dict(
            occurred_at=f"2026-11-24T10:{i % 60:02d}:00.123456+00:00",
            actor_label=f"Cam Commercial <admin{i}@example.nhs.uk> (X24)",
            action="framework.update",
            object_type="Framework",
            object_id=str(i),
            summary=f"Updated framework {i}",
            before=canonical_json({"name": f"old {i}"}),
            after=canonical_json({"name": f"new {i}"}),
        )
        h = entry_hash(prev, **fields)
        entries.append(Entry(id=i, prev_hash=prev, hash=h, **fields))
        prev = h
    return entries


def rehashed(e: Entry, **changes) -> Entry:
    """The entry with some fields changed and its own hash recomputed (a careful forger)."""
    e = dataclasses.replace(e, **changes)
    return dataclasses.replace(e, hash=entry_hash(e.prev_hash, *(getattr(e, f) for f in HASHED_FIELDS)))


def test_the_chain_module_imports_neither_flask_nor_a_database():
    tree = ast.parse(inspect.getsource(chain))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"flask", "sqlalchemy", "flask_sqlalchemy", "app"}


def test_an_empty_log_verifies():
    report = verify([])
    assert report.ok and report.checked == 0 and report.first_broken_id is None and report.problem is None


def test_a_good_chain_verifies_and_counts_every_entry():
    report = verify(make_chain(20))
    assert report.ok
    assert report.checked == 20


def test_the_first_entry_must_point_to_the_genesis_hash():
    entries = make_chain(3)
    entries[0] = rehashed(entries[0], prev_hash="f" * 64)
    report = verify(entries)
    assert not report.ok
    assert report.first_broken_id == 1
    assert "does not point" in report.problem


@pytest.mark.parametrize("field", HASHED_FIELDS)
def test_changing_any_field_of_an_entry_is_detected_at_that_entry(field):
    entries = make_chain(10)
    value = getattr(entries[4], field)
    entries[4] = dataclasses.replace(entries[4], **{field: (value or "") + "x"})
    report = verify(entries)
    assert report.first_broken_id == entries[4].id == 5
    assert report.checked == 4
    assert report.problem == "its content does not match its hash"


@pytest.mark.parametrize("field", ["object_id", "before", "after"])
def test_blanking_an_optional_field_is_detected(field):
    entries = make_chain(5)
    entries[2] = dataclasses.replace(entries[2], **{field: None})
    assert verify(entries).first_broken_id == 3


def test_changing_the_stored_hash_is_detected_at_that_entry():
    entries = make_chain(5)
    entries[1] = dataclasses.replace(entries[1], hash="0" * 63 + "1")
    assert verify(entries).first_broken_id == 2


def test_rewriting_an_entry_and_its_hash_is_detected_at_the_next_entry():
    entries = make_chain(6)
    entries[2] = rehashed(entries[2], summary="Nothing happened here")
    report = verify(entries)
    assert report.first_broken_id == 4
    assert "does not point" in report.problem
    assert report.checked == 3


def test_deleting_an_entry_is_detected_at_the_entry_after_the_gap():
    entries = make_chain(8)
    del entries[3]  # id 4
    report = verify(entries)
    assert report.first_broken_id == 5
    assert report.checked == 3


def test_deleting_the_first_entry_is_detected():
    entries = make_chain(4)[1:]
    assert verify(entries).first_broken_id == 2


def test_reordering_two_entries_is_detected_at_the_first_one_out_of_place():
    entries = make_chain(6)
    entries[2], entries[3] = entries[3], entries[2]
    report = verify(entries)
    assert report.first_broken_id == 4  # entry 4 now stands where entry 3 should


def test_relinking_an_entry_to_an_older_one_is_detected_at_that_entry():
    entries = make_chain(6)
    entries[4] = rehashed(entries[4], prev_hash=entries[1].hash)
    report = verify(entries)
    assert report.first_broken_id == 5
    assert "does not point" in report.problem


def test_inserting_a_forged_entry_is_detected():
    entries = make_chain(5)
    forged = rehashed(entries[2], id=99, summary="forged", prev_hash=entries[1].hash)
    entries.insert(2, forged)
    report = verify(entries)
    assert report.first_broken_id == 3  # the genuine entry 3 no longer follows its predecessor


def test_verification_stops_at_the_first_break_and_ignores_later_ones():
    entries = make_chain(10)
    entries[2] = dataclasses.replace(entries[2], summary="tampered")
    entries[7] = dataclasses.replace(entries[7], summary="tampered too")
    assert verify(entries).first_broken_id == 3


def test_verify_accepts_any_iterable_such_as_a_generator():
    assert verify(e for e in make_chain(3)).checked == 3


@settings(deadline=None, max_examples=50)
@given(n=st.integers(min_value=1, max_value=15), data=st.data())
def test_any_single_change_to_any_entry_is_detected_at_or_before_the_next_entry(n, data):
    entries = make_chain(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    field = data.draw(st.sampled_from(HASHED_FIELDS + ("prev_hash", "hash")))
    new = data.draw(st.text(min_size=1, max_size=20))
    old = getattr(entries[i], field)
    if new == old:
        return
    entries[i] = dataclasses.replace(entries[i], **{field: new})
    assert verify(entries).first_broken_id == entries[i].id


# The hash itself.

def test_the_hash_is_a_sha256_hex_digest():
    h = entry_hash(GENESIS, "2026-01-01T00:00:00+00:00", "someone", "x.y", "Thing", "1", "", None, None)
    assert len(h) == 64 and int(h, 16) >= 0


def test_the_hash_depends_on_the_previous_hash():
    args = ("2026-01-01T00:00:00+00:00", "someone", "x.y", "Thing", "1", "", None, None)
    assert entry_hash(GENESIS, *args) != entry_hash("1" * 64, *args)


def test_none_and_an_empty_string_hash_differently():
    base = [GENESIS, "2026-01-01T00:00:00+00:00", "someone", "x.y", "Thing", None, "", None, None]
    other = list(base)
    other[5] = ""
    assert entry_hash(*base) != entry_hash(*other)


def test_field_boundaries_cannot_be_shifted_to_forge_the_same_hash():
    # "ab" + "c" and "a" + "bc" must not collide: the fields are hashed as a JSON list.
    one = entry_hash(GENESIS, "t", "ab", "c", "T", None, "", None, None)
    two = entry_hash(GENESIS, "t", "a", "bc", "T", None, "", None, None)
    assert one != two


# Canonical JSON for before/after.

def test_canonical_json_of_none_is_none():
    assert canonical_json(None) is None


def test_canonical_json_sorts_keys_and_has_no_spaces():
    assert canonical_json({"b": 1, "a": [1, 2]}) == '{"a":[1,2],"b":1}'


def test_canonical_json_keeps_non_ascii_text_as_it_is():
    assert canonical_json({"name": "Ysbyty Gwynedd – £5"}) == '{"name":"Ysbyty Gwynedd – £5"}'


def test_canonical_json_writes_dates_datetimes_decimals_and_sets_predictably():
    value = {
        "on": date(2026, 11, 24),
        "at": datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc),
        "amount": Decimal("12.50"),
        "roles": {"b", "a"},
        "frozen": frozenset({3, 1}),
    }
    assert canonical_json(value) == (
        '{"amount":"12.50","at":"2026-11-24T09:30:00+00:00","frozen":[1,3],'
        '"on":"2026-11-24","roles":["a","b"]}'
    )


def test_canonical_json_refuses_values_it_cannot_write_faithfully():
    with pytest.raises(TypeError, match="cannot put object in an audit entry"):
        canonical_json({"x": object()})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@settings(deadline=None, max_examples=50)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_canonical_json_does_not_depend_on_key_order(d):
    reordered = dict(reversed(list(d.items())))
    assert canonical_json(d) == canonical_json(reordered)
