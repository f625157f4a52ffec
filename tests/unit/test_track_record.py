"""An exemplar's track record (app/registry/track_record.py): followers served and go-lives on time."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from app.registry.track_record import MilestoneFact, TrackRecord, track_records

JAN, FEB, MAR = date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)


def go_live(exemplar=1, partnership=10, planned=FEB, actual=FEB, kind="go_live"):
    return MilestoneFact(exemplar, partnership, kind, planned, actual)


def test_no_partnerships_and_no_milestones_give_no_records():
    assert track_records([], []) == {}


def test_followers_are_counted_once_each_however_many_partnerships():
    records = track_records([(1, 100), (1, 100), (1, 101), (2, 100)], [])
    assert records[1].followers_served == 2
    assert records[2].followers_served == 1


def test_an_exemplar_with_partners_but_no_go_live_has_no_on_time_rate():
    record = track_records([(1, 100)], [])[1]
    assert record == TrackRecord(1, 0, 0)
    assert record.on_time_rate is None


def test_a_go_live_on_the_planned_date_is_on_time():
    assert track_records([(1, 100)], [go_live(planned=FEB, actual=FEB)])[1] == TrackRecord(1, 1, 1)


def test_a_go_live_before_the_planned_date_is_on_time():
    assert track_records([], [go_live(planned=FEB, actual=JAN)])[1].go_lives_on_time == 1


def test_a_go_live_after_the_planned_date_is_late():
    record = track_records([], [go_live(planned=FEB, actual=MAR)])[1]
    assert (record.go_lives, record.go_lives_on_time) == (1, 0)
    assert record.on_time_rate == 0.0


def test_a_go_live_with_no_plan_counts_but_is_not_on_time():
    record = track_records([], [go_live(planned=None, actual=FEB)])[1]
    assert (record.go_lives, record.go_lives_on_time) == (1, 0)


def test_a_planned_go_live_that_has_not_happened_does_not_count():
    assert track_records([(1, 100)], [go_live(actual=None)])[1] == TrackRecord(1, 0, 0)


def test_milestones_other_than_go_live_do_not_count():
    facts = [go_live(kind="kick_off"), go_live(kind="other")]
    assert track_records([(1, 100)], facts)[1] == TrackRecord(1, 0, 0)


def test_an_exemplar_with_go_lives_but_no_listed_partnership_still_has_a_record():
    records = track_records([], [go_live(exemplar=7)])
    assert records[7] == TrackRecord(0, 1, 1)


def test_the_on_time_rate_is_the_share_of_go_lives_on_time():
    facts = [go_live(actual=JAN), go_live(actual=FEB), go_live(actual=MAR), go_live(actual=MAR)]
    assert track_records([], facts)[1].on_time_rate == 0.5


def test_records_are_kept_apart_per_exemplar():
    facts = [go_live(exemplar=1, actual=JAN), go_live(exemplar=2, actual=MAR)]
    records = track_records([(1, 100), (2, 101)], facts)
    assert records[1] == TrackRecord(1, 1, 1)
    assert records[2] == TrackRecord(1, 1, 0)


def test_track_records_accepts_generators():
    records = track_records(((1, f) for f in (100, 101)), (f for f in [go_live()]))
    assert records[1] == TrackRecord(2, 1, 1)


dates = st.one_of(st.none(), st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)))
facts = st.builds(MilestoneFact, st.integers(1, 4), st.integers(1, 20),
                  st.sampled_from(["go_live", "kick_off", "other"]), dates, dates)


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(100, 110)), max_size=20), st.lists(facts, max_size=30))
def test_on_time_never_exceeds_go_lives_and_the_rate_is_a_share(pairs, milestones):
    for record in track_records(pairs, milestones).values():
        assert 0 <= record.go_lives_on_time <= record.go_lives
        assert record.on_time_rate is None or 0.0 <= record.on_time_rate <= 1.0
        assert record.followers_served >= 0
