"""The dated-period rules, without a database."""

from datetime import date

import pytest

from outstanding.partnership.rules import Period, Shortfall, first_overlap, intersect, sharing_shortfalls

D = date


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="can't end"):
        Period(D(2020, 1, 2), D(2020, 1, 1))


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (Period(D(2020, 1, 1), D(2020, 12, 31)), Period(D(2021, 1, 1)), False),
        (Period(D(2020, 1, 1), D(2020, 12, 31)), Period(D(2020, 12, 31)), True),  # one shared day counts
        (Period(D(2020, 1, 1)), Period(D(2030, 1, 1), D(2030, 2, 1)), True),  # open-ended runs on
        (Period(D(2020, 6, 1), D(2020, 6, 30)), Period(D(2020, 1, 1), D(2020, 5, 31)), False),
    ],
)
def test_overlaps(a, b, overlap):
    assert a.overlaps(b) is overlap
    assert b.overlaps(a) is overlap


def test_first_overlap_finds_the_earliest_clash():
    existing = [Period(D(2019, 1, 1), D(2019, 12, 31)), Period(D(2015, 1, 1), D(2016, 12, 31))]
    assert first_overlap(Period(D(2016, 6, 1), D(2019, 6, 1)), existing) == existing[1]
    assert first_overlap(Period(D(2017, 1, 1), D(2018, 12, 31)), existing) is None


def test_intersect():
    assert intersect(Period(D(2012, 4, 1)), Period(D(2010, 1, 1), D(2018, 3, 31))) == Period(
        D(2012, 4, 1), D(2018, 3, 31)
    )
    assert intersect(Period(D(2012, 4, 1), D(2013, 1, 1)), Period(D(2014, 1, 1))) is None
    assert intersect(Period(D(2012, 4, 1)), Period(D(2014, 1, 1))) == Period(D(2014, 1, 1))


def test_two_councils_throughout_has_no_shortfall():
    arrangement = Period(D(2012, 4, 1))
    assert sharing_shortfalls(arrangement, {"a": [Period(D(2012, 4, 1))], "b": [Period(D(2012, 4, 1))]}) == []


def test_a_council_leaving_leaves_one_from_the_next_day():
    arrangement = Period(D(2012, 4, 1))
    councils = {"a": [Period(D(2012, 4, 1))], "b": [Period(D(2012, 4, 1), D(2018, 3, 31))]}
    assert sharing_shortfalls(arrangement, councils) == [Shortfall(D(2018, 4, 1), None, 1)]


def test_a_late_joiner_leaves_a_gap_at_the_start():
    arrangement = Period(D(2012, 4, 1), D(2020, 3, 31))
    councils = {"a": [Period(D(2012, 4, 1), D(2020, 3, 31))], "b": [Period(D(2013, 1, 1), D(2020, 3, 31))]}
    assert sharing_shortfalls(arrangement, councils) == [Shortfall(D(2012, 4, 1), D(2012, 12, 31), 1)]


def test_three_councils_with_one_leaving_still_shared():
    arrangement = Period(D(2012, 4, 1))
    councils = {
        "a": [Period(D(2012, 4, 1))],
        "b": [Period(D(2012, 4, 1))],
        "c": [Period(D(2012, 4, 1), D(2018, 3, 31))],
    }
    assert sharing_shortfalls(arrangement, councils) == []


def test_nobody_at_all():
    assert sharing_shortfalls(Period(D(2012, 4, 1), D(2012, 4, 30)), {}) == [
        Shortfall(D(2012, 4, 1), D(2012, 4, 30), 0)
    ]
