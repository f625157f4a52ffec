"""Framework and lot services: rules checked, lifecycle guarded, an audit entry for each change."""
from __future__ import annotations

import json
from datetime import date

import pytest

from app.errors import DomainError, IllegalTransition
from app.registry import services

from .helpers import last_entry, nothing_recorded


FRAMEWORK = dict(name="Test framework", description="For tests", starts_on=date(2027, 4, 1),
                 ends_on=date(2029, 3, 31), quality_weight_min=50, quality_weight_max=70, min_invitees=2,
                 clarification_days=4, response_days=12, standstill_days=10, max_calloff_months=18)


# Frameworks.

def test_a_new_framework_is_a_draft_with_its_rules_and_criteria(db_session):
    fw = services.create_framework(slug="test-fw", criteria=["Quality", "Capacity"], **FRAMEWORK)
    assert fw.status == "draft"
    assert (fw.quality_weight_min, fw.quality_weight_max, fw.min_invitees) == (50, 70, 2)
    assert [(c.position, c.name) for c in fw.criteria] == [(0, "Quality"), (1, "Capacity")]
    entry = last_entry(db_session)
    assert (entry.action, entry.object_type, entry.object_id) == ("framework.create", "Framework", str(fw.id))
    after = json.loads(entry.after)
    assert after["slug"] == "test-fw" and after["status"] == "draft" and after["starts_on"] == "2027-04-01"
    assert entry.before is None


def test_a_framework_gets_the_default_call_off_rules_when_none_are_given(db_session):
    fw = services.create_framework(slug="defaults", name="Defaults")
    db_session.flush()
    assert (fw.quality_weight_min, fw.quality_weight_max, fw.min_invitees, fw.response_days) == (40, 80, 3, 10)


def test_a_framework_short_name_must_be_unique(db_session):
    with nothing_recorded(db_session), pytest.raises(DomainError, match="already exists") as e:
        services.create_framework(slug="gde", name="Another GDE")
    assert e.value.field == "slug"


@pytest.mark.parametrize("low,high", [(80, 40), (-1, 50), (40, 101)])
def test_a_framework_quality_range_must_run_low_to_high_within_0_to_100(db_session, low, high):
    with nothing_recorded(db_session), pytest.raises(DomainError, match="quality weighting range") as e:
        services.create_framework(slug="bad-range", name="Bad", quality_weight_min=low, quality_weight_max=high)
    assert e.value.field == "quality_weight_max"


def test_a_framework_cannot_end_before_it_starts(db_session):
    with nothing_recorded(db_session), pytest.raises(DomainError, match="on or after the start date") as e:
        services.create_framework(slug="backwards", name="Backwards", starts_on=date(2027, 1, 2),
                                  ends_on=date(2027, 1, 1))
    assert e.value.field == "ends_on"


def test_a_framework_may_start_and_end_on_the_same_day(db_session):
    services.create_framework(slug="one-day", name="One day", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 1))


def test_updating_a_framework_records_before_and_after(db_session, make):
    fw = make.framework(status="live", name="Old name")
    services.update_framework(fw, name="New name", min_invitees=4, slug="ignored", status="expired")
    assert (fw.name, fw.min_invitees, fw.status) == ("New name", 4, "live")  # slug and status are not fields
    entry = last_entry(db_session)
    assert entry.action == "framework.update"
    assert json.loads(entry.before)["name"] == "Old name" and json.loads(entry.after)["name"] == "New name"


def test_an_update_that_breaks_a_rule_is_refused(db_session, make):
    fw = make.framework(status="live")
    with nothing_recorded(db_session), pytest.raises(DomainError, match="quality weighting range"):
        services.update_framework(fw, quality_weight_min=90, quality_weight_max=10)


@pytest.mark.parametrize("path", [["open"], ["open", "live"], ["open", "live", "open"], ["open", "live", "expired"]])
def test_a_framework_moves_along_its_lifecycle_with_an_entry_for_each_step(db_session, make, path):
    fw = make.framework(status="draft", lots=1)
    for target in path:
        services.change_framework_status(fw, target)
        entry = last_entry(db_session)
        assert fw.status == target
        assert entry.action == f"framework.{target}"
        assert json.loads(entry.after)["status"] == target


@pytest.mark.parametrize("current,target", [("draft", "live"), ("draft", "expired"), ("open", "draft"),
                                            ("open", "expired"), ("live", "draft"), ("expired", "live"),
                                            ("expired", "open"), ("live", "live")])
def test_a_framework_step_outside_the_lifecycle_is_refused_and_changes_nothing(db_session, make, current, target):
    fw = make.framework(status=current, lots=1)
    with nothing_recorded(db_session), pytest.raises(IllegalTransition, match="cannot become"):
        services.change_framework_status(fw, target)
    assert fw.status == current


def test_a_framework_without_lots_cannot_open(db_session, make):
    fw = make.framework(status="draft", lots=0)
    with nothing_recorded(db_session), pytest.raises(DomainError, match="Add at least one lot"):
        services.change_framework_status(fw, "open")
    assert fw.status == "draft"


def test_adding_a_lot_records_it(db_session, make):
    fw = make.framework(status="draft", lots=0)
    lot = services.add_lot(fw, number=1, name="Acute", description="Acute trusts")
    assert lot in fw.lots and lot.label == "Lot 1: Acute"
    entry = last_entry(db_session)
    assert (entry.action, entry.object_id) == ("lot.create", str(lot.id))
    services.change_framework_status(fw, "open")  # now it may open


def test_a_lot_number_is_used_once_per_framework(db_session, make):
    fw = make.framework(status="live", lots=2)
    with nothing_recorded(db_session), pytest.raises(DomainError, match="Lot 2 already exists") as e:
        services.add_lot(fw, number=2, name="Again")
    assert e.value.field == "number"
    services.add_lot(make.framework(status="live", lots=0), number=2, name="Elsewhere is fine")


def test_an_expired_framework_gains_no_lots(db_session, make):
    fw = make.framework(status="expired", lots=1)
    with nothing_recorded(db_session), pytest.raises(DomainError, match="expired framework cannot gain lots"):
        services.add_lot(fw, number=2, name="Late")


def test_updating_a_lot_records_before_and_after(db_session, make):
    lot = make.framework(lots=1).lots[0]
    services.update_lot(lot, name="Renamed", description="Changed")
    entry = last_entry(db_session)
    assert entry.action == "lot.update"
    assert json.loads(entry.before)["name"] == "Lot 1" and json.loads(entry.after)["name"] == "Renamed"


