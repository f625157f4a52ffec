"""The rules of funding agreements, check-ins and releases (pure)."""
from datetime import date

from hypothesis import given, settings, strategies as st

from app.governance.calendar import Quarter
from app.governance.checkins.rules import (
    CheckInFact,
    check_ratings,
    fileable_quarter_problem,
    open_quarters,
    overdue_quarters,
    rag_counts,
    release_blocker,
)
from app.governance.funding.rules import TrancheFact, YearAmounts, check_agreement

M = 100_000_000  # £1m in pence


def _check(central=4 * M, local=4 * M, first_year=2025, years=4, profile=None, tranches=None, **kw):
    profile = profile if profile is not None else [YearAmounts(M, M)] * 4
    tranches = tranches if tranches is not None else [TrancheFact(i + 1, M, date(2025 + i, 7, 1)) for i in range(4)]
    return check_agreement(central=central, local=local, first_year=first_year, years=years, profile=profile,
                           tranches=tranches, **kw)


def test_an_agreement_whose_totals_add_up_has_no_problems():
    assert _check() == []


def test_the_yearly_profile_must_add_up_to_the_central_amount_and_the_local_match():
    problems = _check(profile=[YearAmounts(M, M)] * 3 + [YearAmounts(M - 1, M)])
    assert [p.field for p in problems] == ["profile"]
    assert "£3,999,999.99" in problems[0].message
    assert _check(profile=[YearAmounts(M, M)] * 3 + [YearAmounts(M, M + 1)])[0].field == "profile"


def test_money_is_profiled_over_one_to_four_years():
    assert _check(years=5)[0].field == "years"
    assert _check(years=0)[0].field == "years"
    assert _check(years=4, max_years=3)[0].field == "years"


def test_each_year_of_the_agreement_has_a_profile_row():
    assert _check(years=3)[0].field == "profile"


def test_the_tranches_must_add_up_to_the_central_amount():
    problems = _check(tranches=[TrancheFact(1, 3 * M, date(2025, 7, 1))])
    assert [p.field for p in problems] == ["tranches"]


def test_central_money_needs_at_least_one_tranche():
    assert _check(tranches=[])[0].message.startswith("Add at least one tranche")


def test_tranches_are_positive_and_planned_within_the_funded_years():
    assert any("more than £0" in p.message for p in _check(
        tranches=[TrancheFact(1, 4 * M, date(2025, 7, 1)), TrancheFact(2, 0, date(2026, 7, 1))]))
    assert any("within the funded years" in p.message for p in _check(
        tranches=[TrancheFact(1, 4 * M, date(2029, 4, 1))]))


def test_a_programme_can_ask_for_matched_local_funding():
    problems = _check(local=2 * M, profile=[YearAmounts(M, M // 2)] * 4, min_match_percent=100)
    assert [p.field for p in problems] == ["local"]
    assert _check(min_match_percent=100) == []


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 10**10), st.integers(0, 10**10)), min_size=1, max_size=4))
def test_a_profile_is_accepted_exactly_when_it_adds_up(years):
    central, local = sum(c for c, _ in years), sum(l for _, l in years)
    profile = [YearAmounts(c, l) for c, l in years]
    tranches = [TrancheFact(1, central, date(2025, 7, 1))] if central else []
    assert check_agreement(central=central, local=local, first_year=2025, years=len(years), profile=profile,
                           tranches=tranches) == []
    assert check_agreement(central=central + 1, local=local, first_year=2025, years=len(years), profile=profile,
                           tranches=tranches) != []


def _blocker(checkins=(), used=(), released=False, before=0, active=True):
    return release_blocker(tranche_number=2, released=released, unreleased_before=before, agreement_active=active,
                           checkins=checkins, used_checkin_ids=used)


def test_no_tranche_is_released_before_any_check_in_is_accepted():
    assert "No check-in has been accepted" in _blocker([CheckInFact(1, Quarter(2025, 1), "submitted", 0)])


def test_a_red_condition_in_the_latest_accepted_check_in_blocks_the_release():
    checkins = [CheckInFact(1, Quarter(2025, 1), "accepted", 0), CheckInFact(2, Quarter(2025, 2), "accepted", 1)]
    assert "has 1 red condition." in _blocker(checkins)


def test_an_accepted_check_in_with_no_red_allows_the_release():
    checkins = [CheckInFact(1, Quarter(2025, 1), "accepted", 2), CheckInFact(2, Quarter(2025, 2), "accepted", 0),
                CheckInFact(3, Quarter(2025, 3), "submitted", 4)]
    assert _blocker(checkins) is None


def test_a_queried_check_in_does_not_count_as_accepted():
    assert _blocker([CheckInFact(1, Quarter(2025, 1), "queried", 0)]) is not None


def test_one_check_in_releases_one_tranche_only():
    checkins = [CheckInFact(7, Quarter(2025, 1), "accepted", 0)]
    assert "already released a tranche" in _blocker(checkins, used=[7])


def test_tranches_are_released_in_order_and_only_once_while_the_agreement_is_active():
    ok = [CheckInFact(1, Quarter(2025, 1), "accepted", 0)]
    assert "in order" in _blocker(ok, before=1)
    assert "already been released" in _blocker(ok, released=True)
    assert "closed" in _blocker(ok, active=False)


def test_check_ins_are_filed_only_for_started_quarters_of_the_funded_years():
    today = date(2026, 11, 24)
    assert fileable_quarter_problem(Quarter(2026, 3), first_year=2025, years=4, today=today) is None
    assert "not started" in fileable_quarter_problem(Quarter(2026, 4), first_year=2025, years=4, today=today)
    assert "outside" in fileable_quarter_problem(Quarter(2024, 4), first_year=2025, years=4, today=today)
    assert "outside" in fileable_quarter_problem(Quarter(2029, 1), first_year=2025, years=4, today=today)
    assert open_quarters(first_year=2026, years=1, today=today) == [Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)]


def test_a_check_in_never_filed_is_overdue_once_its_due_date_has_passed():
    today = date(2026, 11, 24)
    overdue = overdue_quarters(first_year=2026, years=4, filed=[Quarter(2026, 1)], today=today, due_days=30)
    assert overdue == [Quarter(2026, 2)]  # due 30 October; Q3 is due 30 January
    assert overdue_quarters(first_year=2026, years=4, filed=[], today=date(2026, 7, 30), due_days=30) == []


def test_every_condition_is_rated_and_red_or_amber_is_explained():
    problems = check_ratings([1, 2, 3, 4], {1: ("green", ""), 2: ("red", " "), 3: ("purple", "x")})
    assert problems == {2: "Say why this condition is red", 3: "Choose red, amber or green",
                        4: "Choose red, amber or green"}
    assert check_ratings([1], {1: ("amber", "Staff shortages")}) == {}


def test_rag_counts_count_each_colour():
    assert rag_counts(["red", "green", "green"]) == {"green": 2, "amber": 0, "red": 1}

