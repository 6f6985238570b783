"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_r300s.py."""

from __future__ import annotations

import datetime as dt

import pytest

from outstanding.returns.testing import flagged, flagged_by_table

D = dt.date
YEARS = ["2024-25", "2025-26", "2026-27"]


def s903(code: int | str, data: dict, year: str = "2025-26", previous: dict | None = None) -> list[int]:
    return flagged("903", code, data, year, previous)


def hits(code: int | str, data: dict, year: str = "2025-26") -> dict[str, list[int]]:
    """The rows (0-based indexes) the rule flags, by table."""
    return flagged_by_table("903", code, data, year)


@pytest.mark.parametrize("year", YEARS)
def test_331_matched_after_placement_for_adoption(year: str) -> None:
    ad1 = [
        {"CHILD": "1", "DATE_MATCH": D(2025, 5, 1)},  # on the DECOM: passes
        {"CHILD": "2", "DATE_MATCH": D(2025, 6, 2)},  # after the adoption episode began
        {"CHILD": "3", "DATE_MATCH": D(2025, 9, 1)},  # no episode ended in adoption
        {"CHILD": "4"},  # no date of matching
    ]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 11, 1), "REC": "E11"},
        {"CHILD": "2", "DECOM": D(2025, 4, 1), "DEC": D(2025, 6, 1), "REC": "X1"},
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "DEC": D(2025, 12, 1), "REC": "E12"},
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "DEC": D(2025, 8, 1), "REC": "E4a"},
        {"CHILD": "4", "DECOM": D(2025, 5, 1), "DEC": D(2025, 8, 1), "REC": "E11"},
    ]
    assert hits(331, {"AD1": ad1, "Episodes": episodes}, year) == {"AD1": [1], "Episodes": [2]}
    assert hits(331, {"AD1": [ad1[0], ad1[2]], "Episodes": episodes}, year) == {}


@pytest.mark.parametrize("year", YEARS)
def test_347_foyer_under_18(year: str) -> None:
    start = int(year[:4])
    rows = [
        {"CHILD": "1", "DOB": D(start - 18, 4, 1), "ACCOM": "T1"},  # 18 on 1 April: passes
        {"CHILD": "2", "DOB": D(start - 18, 4, 2), "ACCOM": "T1"},  # 18 the day after
        {"CHILD": "3", "DOB": D(start - 17, 6, 1), "ACCOM": "T2"},
        {"CHILD": "4", "DOB": D(start - 17, 6, 1), "ACCOM": "U1"},  # not a foyer
        {"CHILD": "5", "DOB": D(start - 20, 6, 1), "ACCOM": "T1"},
    ]
    assert s903(347, {"OC3": rows}, year) == [1, 2]


@pytest.mark.parametrize("year", ["2025-26", "2026-27"])
def test_348_previously_reported_died(year: str) -> None:
    last = [
        {"CHILD": "1", "IN_TOUCH": "DIED"},
        {"CHILD": "2", "IN_TOUCH": "DIED"},
        {"CHILD": "3", "IN_TOUCH": "DIED"},
        {"CHILD": "4", "IN_TOUCH": "YES"},
    ]
    this = [
        {"CHILD": "1", "IN_TOUCH": "DIED"},
        {"CHILD": "2", "IN_TOUCH": "YES"},  # alive again
        {"CHILD": "3"},  # blank is not DIED
        {"CHILD": "4", "IN_TOUCH": "NO"},
        {"CHILD": "5", "IN_TOUCH": "YES"},  # not in last year's return
    ]
    assert s903(348, {"OC3": this}, year, previous={"OC3": last}) == [1, 2]
    assert s903(348, {"OC3": this}, year) == []  # last year's return not sent


def test_348_not_before_2025() -> None:
    with pytest.raises(LookupError):
        s903(348, {"OC3": [{"CHILD": "1"}]}, "2024-25")


@pytest.mark.parametrize("year", YEARS)
def test_352_started_care_aged_18(year: str) -> None:
    header = [
        {"CHILD": "1", "DOB": D(2008, 3, 16)},
        {"CHILD": "2", "DOB": D(2007, 9, 23)},
        {"CHILD": "3", "DOB": D(2007, 6, 1)},
    ]
    episodes = [
        {"CHILD": "1", "DECOM": D(2026, 3, 15), "RNE": "S"},  # the day before the 18th birthday: passes
        {"CHILD": "2", "DECOM": D(2025, 9, 23), "RNE": "S"},  # on the 18th birthday
        {"CHILD": "3", "DECOM": D(2025, 7, 1), "RNE": "P"},  # not a start of care
        {"CHILD": "3", "DECOM": D(2025, 8, 1), "RNE": "S"},
    ]
    assert s903(352, {"Header": header, "Episodes": episodes}, year) == [1, 3]


@pytest.mark.parametrize("year", YEARS)
def test_353_episode_before_october_1991(year: str) -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(1991, 10, 14)},
        {"CHILD": "1", "DECOM": D(1991, 10, 13)},
        {"CHILD": "2", "DECOM": D(1980, 6, 2)},
        {"CHILD": "3"},
    ]
    assert s903(353, {"Episodes": rows}, year) == [1, 2]


@pytest.mark.parametrize("year", YEARS)
def test_354_episode_starts_after_the_year(year: str) -> None:
    end = D(int(year[:4]) + 1, 3, 31)
    rows = [
        {"CHILD": "1", "DECOM": end},
        {"CHILD": "2", "DECOM": end + dt.timedelta(days=1)},
        {"CHILD": "3", "DECOM": D(2020, 1, 1)},
        {"CHILD": "4"},
    ]
    assert s903(354, {"Episodes": rows}, year) == [1]


@pytest.mark.parametrize("year", YEARS)
def test_370_independent_living_under_16(year: str) -> None:
    header = [
        {"CHILD": "1", "DOB": D(2009, 6, 1)},
        {"CHILD": "2", "DOB": D(2009, 6, 1)},
        {"CHILD": "3", "DOB": D(2010, 6, 1)},
        {"CHILD": "4", "DOB": D(2010, 6, 1)},
    ]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "PLACE": "P2"},  # on the 16th birthday: passes
        {"CHILD": "2", "DECOM": D(2025, 5, 31), "PLACE": "P2"},
        {"CHILD": "3", "DECOM": D(2025, 7, 1), "PLACE": "P2"},  # aged 15 (allowed until 2022-23)
        {"CHILD": "4", "DECOM": D(2025, 7, 1), "PLACE": "U1"},
    ]
    assert s903(370, {"Header": header, "Episodes": episodes}, year) == [1, 2]


def _postcode_episodes() -> list[dict]:
    return [
        {"CHILD": "1", "LS": "C2", "HOME_POST": "AB1 2", "PL_POST": "AB3 4"},  # 0 both postcodes
        {"CHILD": "2", "LS": "C2", "HOME_POST": "AB1 2"},  # 1 no placement postcode
        {"CHILD": "2", "LS": "V3"},  # 2 short break: none needed
        {"CHILD": "3", "LS": "C2", "PL_POST": "AB3 4"},  # 3 no home postcode
        {"CHILD": "4", "LS": "C2"},  # 4 UASC this year
        {"CHILD": "5", "LS": "C2"},  # 5 UASC last year
        {"CHILD": "6", "LS": "V4", "HOME_POST": "AB1 2", "PL_POST": "AB3 4"},  # 6 short break with both
        {"CHILD": "7", "LS": "V3", "PL_POST": "AB3 4"},  # 7 short break with a placement postcode
        {"CHILD": "4", "LS": "C2", "HOME_POST": "AB1 2", "PL_POST": "AB3 4"},  # 8 UASC with both
    ]


UASC_THIS = [{"CHILD": "4", "DOB": D(2009, 1, 1), "DUC": D(2026, 1, 1)}]
UASC_LAST = [{"CHILD": "5", "DOB": D(2009, 1, 1)}]


@pytest.mark.parametrize("year", YEARS)
def test_392A_no_distance(year: str) -> None:
    data = {"Episodes": _postcode_episodes(), "UASC": UASC_THIS}
    assert s903("392A", data, year, previous={"UASC": UASC_LAST}) == [1, 3]
    assert s903("392A", data, year) == [1, 3, 5]  # without last year's return, child 5 is not known as UASC


@pytest.mark.parametrize("year", YEARS)
def test_392B_no_postcodes(year: str) -> None:
    data = {"Episodes": _postcode_episodes(), "UASC": UASC_THIS}
    assert s903("392B", data, year, previous={"UASC": UASC_LAST}) == [1, 3]
    assert s903("392B", {"Episodes": _postcode_episodes()[:2]}, year) == [1]


@pytest.mark.parametrize("year", YEARS)
def test_398_distance_for_short_break(year: str) -> None:
    assert s903(398, {"Episodes": _postcode_episodes()}, year) == [6]


@pytest.mark.parametrize("year", YEARS)
def test_406_distance_for_uasc(year: str) -> None:
    episodes = [
        *_postcode_episodes(),
        {"CHILD": "5", "LS": "C2", "HOME_POST": "AB1 2", "PL_POST": "AB3 4"},  # 9 UASC last year
        {"CHILD": "5", "LS": "C2", "PL_POST": "AB3 4"},  # 10 no distance
    ]
    data = {"Episodes": episodes, "UASC": UASC_THIS}
    assert s903(406, data, year, previous={"UASC": UASC_LAST}) == [8, 9]
    assert s903(406, data, year) == [8]


@pytest.mark.parametrize("year", YEARS)
def test_420_placing_authority_for_short_break(year: str) -> None:
    assert s903(420, {"Episodes": _postcode_episodes()}, year) == [6, 7]


def test_300s_not_checkable_say_why() -> None:
    from outstanding.returns.engine import not_checkable_for

    for start in (2024, 2025, 2026):
        codes = {r.code: r.reason for r in not_checkable_for("903", start)}
        assert {"303", "411"} <= set(codes) and "392c" not in codes
        assert "postcode directory" in codes["411"] and "UASC" in codes["303"]


def test_392c_postcodes_that_are_not_postcodes() -> None:
    rows = [
        {"CHILD": "1", "HOME_POST": "SW1A 1", "PL_POST": "ls6 2"},  # sectors, as the 903 sends them
        {"CHILD": "2", "HOME_POST": "SW1A 1AA", "PL_POST": "M1 1AE"},  # in full
        {"CHILD": "3", "HOME_POST": "invalid"},
        {"CHILD": "4", "PL_POST": "12345"},
        {"CHILD": "5"},  # none sent: other rules ask for them
        {"CHILD": "6", "HOME_POST": "EC1A1BB"},  # no space
    ]
    assert s903("392c", {"Episodes": rows}) == [2, 3]
