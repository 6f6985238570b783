"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_r400s.py (rules 432 to 547)."""

from __future__ import annotations

import datetime as dt

from outstanding.returns.engine import not_checkable_for, rules_for
from outstanding.returns.testing import flagged, flagged_by_table

D = dt.date


def s903(code: int | str, data: dict, year: str = "2025-26", previous: dict | None = None) -> list[int]:
    return flagged("903", code, data, year, previous)


def hits(code: int | str, data: dict, year: str = "2025-26") -> dict[str, list[int]]:
    """The rows (0-based indexes) the rule flags, by table."""
    return flagged_by_table("903", code, data, year)


def ep(child: str, decom: dt.date, dec: dt.date | None = None, **fields: object) -> dict:
    return {"CHILD": child, "DECOM": decom, "DEC": dec, **fields}


# --- How one episode follows another ------------------------------------------------------------------


def test_432_new_period_after_care_ceased() -> None:
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 6, 1), REC="E4A", RNE="S"),
        ep("1", D(2025, 7, 1), D(2025, 8, 1), REC="E13", RNE="S"),  # passes: a new period
        ep("1", D(2025, 9, 1), RNE="P"),  # fails: care ceased (E13) but RNE P
        ep("2", D(2025, 5, 1), D(2025, 6, 1), REC="X1", RNE="S"),
        ep("2", D(2025, 6, 1), RNE="P"),  # passes: X1 continues the period
        ep("3", D(2025, 5, 1), D(2025, 6, 1), REC="E3", RNE="S"),
        ep("3", D(2025, 7, 1)),  # fails: blank RNE
    ]
    assert s903(432, {"Episodes": rows}) == [2, 6]


def test_433_continuation_starts_when_last_ended() -> None:
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 6, 1), REC="X1", RNE="S"),
        ep("1", D(2025, 6, 1), D(2025, 7, 1), REC="X1", RNE="P"),  # passes
        ep("1", D(2025, 7, 3), RNE="L"),  # fails: a gap
        ep("2", D(2025, 5, 1), RNE="B"),  # the child's first: nothing to follow
        ep("3", D(2025, 5, 1), REC="X1", RNE="S"),
        ep("3", D(2025, 6, 1), RNE="T"),  # fails: the previous episode has no DEC
        ep("4", D(2025, 5, 1), D(2025, 6, 1), REC="E4A", RNE="S"),
        ep("4", D(2025, 8, 1), RNE="S"),  # passes: a new period of care
    ]
    assert s903(433, {"Episodes": rows}) == [2, 5]


_PLACE = {"PLACE": "U4", "PL_POST": "AB1 2CD", "URN": "XXXXXXX", "PLACE_PROVIDER": "PR1"}


def test_434_legal_status_only() -> None:
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 6, 1), RNE="S", LS="C1", **_PLACE),
        ep("1", D(2025, 6, 1), D(2025, 7, 1), RNE="L", LS="C2", **_PLACE),  # passes
        ep("1", D(2025, 7, 1), D(2025, 8, 1), RNE="L", LS="C2", **_PLACE),  # fails: LS the same
        ep("1", D(2025, 8, 1), RNE="L", LS="E1", **{**_PLACE, "PL_POST": "ZZ9 9ZZ"}),  # fails: moved
        ep("2", D(2025, 5, 1), RNE="L", LS="C1"),  # the child's first
    ]
    assert s903(434, {"Episodes": rows}) == [2, 3]


def test_435_placement_only() -> None:
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 6, 1), RNE="S", LS="C2", **_PLACE),
        ep("1", D(2025, 6, 1), D(2025, 7, 1), RNE="P", LS="C2", **{**_PLACE, "PLACE": "U6"}),  # passes
        ep("1", D(2025, 7, 1), D(2025, 8, 1), RNE="P", LS="C2", **{**_PLACE, "PLACE": "U6"}),  # fails: same
        ep("1", D(2025, 8, 1), RNE="T", LS="E1", **{**_PLACE, "PL_POST": "ZZ9 9ZZ"}),  # fails: LS changed
        ep("2", D(2025, 5, 1), D(2025, 6, 1), RNE="S", LS="C2", PLACE="U4"),
        ep("2", D(2025, 6, 1), RNE="P", LS="C2", PLACE="U4"),  # fails: blanks match blanks
    ]
    assert s903(435, {"Episodes": rows}) == [2, 3, 5]


def test_436_both_changed() -> None:
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 6, 1), RNE="S", LS="C1", **_PLACE),
        ep("1", D(2025, 6, 1), D(2025, 7, 1), RNE="B", LS="C2", **{**_PLACE, "PLACE": "K2"}),  # passes
        ep("1", D(2025, 7, 1), D(2025, 8, 1), RNE="U", LS="C2", **{**_PLACE, "PLACE": "U6"}),  # fails: LS
        ep("1", D(2025, 8, 1), RNE="B", LS="E1", **{**_PLACE, "PLACE": "U6"}),  # fails: placement same
    ]
    assert s903(436, {"Episodes": rows}) == [2, 3]


def test_437_no_episodes_after_death_or_age_assessment() -> None:
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 6, 1), REC="E15"),  # fails: a later episode
        ep("1", D(2025, 7, 1)),
        ep("2", D(2025, 5, 1), D(2025, 6, 1), REC="X1"),
        ep("2", D(2025, 6, 1), D(2025, 7, 1), REC="E2"),  # passes: the last
    ]
    assert s903(437, {"Episodes": rows}) == [0]


# --- Reviews ------------------------------------------------------------------------------------------


def test_440_under_4_code_for_a_child_of_4() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2022, 1, 1), "REVIEW": D(2025, 12, 31), "REVIEW_CODE": "PN0"},  # 3
        {"CHILD": "2", "DOB": D(2021, 6, 1), "REVIEW": D(2025, 6, 1), "REVIEW_CODE": "PN0"},  # 4 that day
        {"CHILD": "3", "DOB": D(2015, 1, 1), "REVIEW": D(2025, 6, 1), "REVIEW_CODE": "PN1"},
    ]
    assert s903(440, {"Reviews": rows}) == [1]


def test_441_over_4_code_for_a_child_under_4() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2022, 1, 1), "REVIEW": D(2025, 12, 31), "REVIEW_CODE": "PN1"},  # 3
        {"CHILD": "2", "DOB": D(2021, 6, 1), "REVIEW": D(2025, 6, 1), "REVIEW_CODE": "PN7"},  # 4 that day
        {"CHILD": "3", "DOB": D(2022, 1, 1), "REVIEW": D(2025, 6, 1), "REVIEW_CODE": "PN0"},
    ]
    assert s903(441, {"Reviews": rows}) == [0]


# --- The UPN -----------------------------------------------------------------------------------------


def test_442_upn_completed() -> None:
    header = [
        {"CHILD": "1"},  # fails: looked after, no UPN
        {"CHILD": "2", "UPN": "UN1"},
        {"CHILD": "3"},  # passes: short breaks only
        {"CHILD": "4"},  # passes: no episodes
        {"CHILD": "5"},  # fails: a blank LS is not a short break
    ]
    episodes = [
        ep("1", D(2025, 5, 1), LS="C2"),
        ep("2", D(2025, 5, 1), LS="C2"),
        ep("3", D(2025, 5, 1), LS="V4"),
        ep("5", D(2025, 5, 1)),
    ]
    assert s903(442, {"Header": header, "Episodes": episodes}) == [0, 4]


def test_444_duplicate_upn_from_2025() -> None:
    header = [
        {"CHILD": "1", "UPN": "A123456789012"},
        {"CHILD": "2", "UPN": "A123456789012"},
        {"CHILD": "3", "UPN": "UN1"},
        {"CHILD": "4", "UPN": "UN1"},  # unknown UPN codes may repeat
        {"CHILD": "5", "UPN": "B123456789012"},
        {"CHILD": "6"},
        {"CHILD": "7"},
    ]
    assert s903(444, {"Header": header}) == [0, 1]
    assert s903(444, {"Header": header}, year="2026-27") == [0, 1]
    assert "444" not in {r.code for r in rules_for("903", 2024)}


# --- Legal status -------------------------------------------------------------------------------------


def test_445_freeing_order_after_2005() -> None:
    rows = [
        ep("1", D(2005, 12, 31), LS="D1"),
        ep("2", D(2006, 1, 1), LS="D1"),
        ep("3", D(2025, 5, 1), LS="E1"),
    ]
    assert s903(445, {"Episodes": rows}) == [1]


def test_446_placement_order_before_december_2005() -> None:
    rows = [
        ep("1", D(2005, 11, 30), LS="E1"),
        ep("2", D(2005, 12, 1), LS="E1"),
        ep("3", D(2004, 5, 1), LS="D1"),
    ]
    assert s903(446, {"Episodes": rows}) == [0]


def test_451_still_freed_for_adoption() -> None:
    rows = [
        ep("1", D(2005, 5, 1), LS="D1"),  # fails: still open
        ep("2", D(2005, 5, 1), D(2025, 6, 1), LS="D1", REC="E11"),
        ep("3", D(2025, 5, 1), LS="C2"),
    ]
    assert s903(451, {"Episodes": rows}) == [0]


def test_452_453_454_derived_from_postcodes_are_not_checked() -> None:
    for year in (2024, 2025, 2026):
        unchecked = {r.code for r in not_checkable_for("903", year)}
        assert {"452", "453", "503G", "503H", "503J"} <= unchecked
    assert "454" in {r.code for r in not_checkable_for("903", 2025)}
    assert "454" not in {r.code for r in not_checkable_for("903", 2024)}


def test_460_staying_put_under_18() -> None:
    header = [{"CHILD": "1", "DOB": D(2007, 9, 1)}, {"CHILD": "2", "DOB": D(2007, 9, 1)}]
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 8, 31), REC="E17"),  # the day before their 18th birthday
        ep("2", D(2025, 5, 1), D(2025, 9, 1), REC="E17"),
    ]
    assert s903(460, {"Header": header, "Episodes": rows}) == [0]


# --- Episodes against each other and against last year ------------------------------------------------


def test_501_starts_before_previous_ended() -> None:
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 6, 4)),
        ep("1", D(2025, 6, 2), D(2025, 6, 6)),  # fails
        ep("1", D(2025, 6, 6)),  # passes: the same day
        ep("2", D(2025, 6, 1)),
    ]
    assert s903(501, {"Episodes": rows}) == [1]


def test_502_first_episode_continues_last_years_open_one() -> None:
    previous = {
        "Episodes": [
            ep("1", D(2024, 5, 1)),  # open: this year's first episode should start then
            ep("2", D(2024, 5, 1)),
            ep("3", D(2024, 5, 1), D(2024, 9, 1), REC="E4A"),  # closed
        ]
    }
    episodes = [
        ep("1", D(2025, 4, 1)),  # fails
        ep("2", D(2024, 5, 1), D(2025, 6, 1), REC="X1"),  # passes
        ep("2", D(2025, 6, 1)),
        ep("3", D(2025, 6, 1), RNE="S"),  # passes: last year's ended
    ]
    assert s903(502, {"Episodes": episodes}, previous=previous) == [0]
    assert s903(502, {"Episodes": episodes}) == []  # no last year: nothing judged


def test_504_category_of_need_within_a_period() -> None:
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 6, 1), REC="X1", CIN="N1"),
        ep("1", D(2025, 6, 1), D(2025, 7, 1), REC="X1", CIN="N2"),  # fails
        ep("1", D(2025, 7, 1), D(2025, 8, 1), REC="E4A", CIN="N2"),  # fails: still not the start's N1
        ep("1", D(2025, 9, 1), CIN="N3"),  # passes: a new period of care
        ep("2", D(2025, 5, 1), D(2025, 6, 1), REC="X1", CIN="N4"),
        ep("2", D(2025, 6, 1), CIN="N4"),  # passes
    ]
    assert s903(504, {"Episodes": rows}) == [1, 2]


# --- Adopters -----------------------------------------------------------------------------------------


def _ad1(*pairs: tuple[str | None, str | None], key: str) -> list[dict]:
    return [{"CHILD": str(i), key: a, "SEX_ADOPTR": b} for i, (a, b) in enumerate(pairs)]


def test_511_two_adopters_are_a_couple() -> None:
    rows = _ad1(("2", "MM"), ("2", "MF"), ("2", "M1"), ("1", "F1"), ("2", None), key="NB_ADOPTR")
    assert s903(511, {"AD1": rows}) == [2, 4]


def test_514_single_adopter() -> None:
    rows = _ad1(("L0", "M1"), ("L0", "F1"), ("L0", "MF"), ("L2", "MF"), key="LS_ADOPTR")
    assert s903(514, {"AD1": rows}) == [2]


def test_517_living_together_is_male_and_female() -> None:
    rows = _ad1(("L3", "MF"), ("L3", "FF"), ("L4", "FF"), key="LS_ADOPTR")
    assert s903(517, {"AD1": rows}) == [1]


def test_518_other_is_a_same_sex_couple() -> None:
    rows = _ad1(("L4", "MM"), ("L4", "FF"), ("L4", "MF"), ("L3", "MF"), key="LS_ADOPTR")
    assert s903(518, {"AD1": rows}) == [2]


def test_519_civil_partnership_is_a_couple() -> None:
    rows = _ad1(("L2", "MM"), ("L2", "MF"), ("L2", "M1"), ("L0", "M1"), key="LS_ADOPTR")
    assert s903(519, {"AD1": rows}) == [2]


def test_520_different_sex_married_couple() -> None:
    rows = _ad1(("L11", "MF"), ("L11", "MM"), ("L12", "MM"), key="LS_ADOPTR")
    assert s903(520, {"AD1": rows}) == [1]


def test_524_same_sex_married_couple() -> None:
    rows = _ad1(("L12", "MM"), ("L12", "FF"), ("L12", "MF"), ("L11", "MF"), key="LS_ADOPTR")
    assert s903(524, {"AD1": rows}) == [2]


# --- Former foster carers, and the adoption dates -----------------------------------------------------


def test_516_special_guardianship_to_former_foster_carer() -> None:
    rows = [
        ep("1", D(2025, 5, 1), D(2025, 6, 1), REC="E45", PLACE="U1"),
        ep("2", D(2025, 5, 1), D(2025, 6, 1), REC="E46", PLACE="K2"),  # fails
        ep("3", D(2025, 5, 1), D(2025, 6, 1), REC="E47", PLACE="K2"),
    ]
    assert s903(516, {"Episodes": rows}) == [1]


def test_521_placed_for_adoption_after_the_decision() -> None:
    episodes = [
        ep("1", D(2025, 5, 1), PLACE="A4"),  # fails: before DATE_INT
        ep("2", D(2025, 7, 1), PLACE="A5"),  # passes
        ep("3", D(2025, 5, 1), PLACE="U4"),  # not placed for adoption
    ]
    ad1 = [
        {"CHILD": "1", "DATE_INT": D(2025, 6, 1)},
        {"CHILD": "2", "DATE_INT": D(2025, 7, 1)},
        {"CHILD": "3", "DATE_INT": D(2025, 6, 1)},
    ]
    assert hits(521, {"Episodes": episodes, "AD1": ad1}) == {"Episodes": [0], "AD1": [0]}


def test_522_placed_before_no_longer_placed() -> None:
    rows = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 5, 1), "DATE_PLACED_CEASED": D(2025, 5, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 5, 1), "DATE_PLACED_CEASED": D(2025, 4, 30)},
        {"CHILD": "3", "DATE_PLACED": D(2025, 5, 1)},
    ]
    assert s903(522, {"PlacedAdoption": rows}) == [1]


def test_523_placed_and_best_interest_dates_agree() -> None:
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 5, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 5, 1)},  # fails
        {"CHILD": "3"},
    ]
    ad1 = [
        {"CHILD": "2", "DATE_INT": D(2025, 5, 2)},
        {"CHILD": "1", "DATE_INT": D(2025, 5, 1)},
        {"CHILD": "3", "DATE_INT": D(2025, 5, 2)},
    ]
    assert hits(523, {"PlacedAdoption": placed, "AD1": ad1}) == {"PlacedAdoption": [1], "AD1": [0]}


def test_525_reversed_decision_but_adoption_details() -> None:
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 5, 1), "DATE_PLACED_CEASED": D(2025, 8, 1)},  # fails
        {"CHILD": "2", "DATE_PLACED": D(2025, 5, 1), "DATE_PLACED_CEASED": D(2025, 8, 1)},  # passes
        {"CHILD": "3", "DATE_PLACED": D(2025, 5, 1)},  # passes: not reversed
    ]
    ad1 = [
        {"CHILD": "1", "LS_ADOPTR": "L0"},
        {"CHILD": "2"},
        {"CHILD": "3", "DATE_INT": D(2025, 5, 1)},
    ]
    assert hits(525, {"PlacedAdoption": placed, "AD1": ad1}) == {"PlacedAdoption": [0], "AD1": [0]}


# --- Placement providers ------------------------------------------------------------------------------


def test_526_placement_provider_by_year() -> None:
    rows = [
        ep("1", D(2025, 5, 1), PLACE="U4", PLACE_PROVIDER="PR1"),
        ep("2", D(2025, 5, 1), PLACE="U4"),  # fails
        ep("3", D(2025, 5, 1), PLACE="T1"),
        ep("4", D(2025, 5, 1), PLACE="Z1"),
        ep("5", D(2025, 5, 1), PLACE="Z12"),
    ]
    assert s903(526, {"Episodes": rows}, year="2024-25") == [1, 4]
    assert s903(526, {"Episodes": rows}) == [1, 3]
    assert s903(526, {"Episodes": rows}, year="2026-27") == [1, 3]


def _providers(*pairs: tuple[str, str]) -> list[dict]:
    return [ep(str(i), D(2025, 5, 1), PLACE=p, PLACE_PROVIDER=pr) for i, (p, pr) in enumerate(pairs)]


def test_527_own_council_provider() -> None:
    rows = _providers(("P1", "PR1"), ("R5", "PR1"), ("U4", "PR1"), ("R2", "PR3"))
    assert s903(527, {"Episodes": rows}) == [0, 1]


def test_528_other_council_provider() -> None:
    rows = _providers(("R2", "PR2"), ("U4", "PR2"), ("P1", "PR0"))
    assert s903(528, {"Episodes": rows}) == [0]


def test_529_other_public_provider() -> None:
    rows = _providers(("A3", "PR3"), ("U6", "PR3"), ("K2", "PR3"), ("R2", "PR3"), ("K2", "PR4"))
    assert s903(529, {"Episodes": rows}) == [0, 1, 2]


def test_530_private_provider() -> None:
    rows = _providers(("P1", "PR4"), ("K2", "PR4"), ("P1", "PR0"))
    assert s903(530, {"Episodes": rows}) == [0]


def test_531_voluntary_provider() -> None:
    rows = _providers(("P1", "PR5"), ("U4", "PR5"), ("P1", "PR0"))
    assert s903(531, {"Episodes": rows}) == [0]


# --- Health and offending (OC2) -----------------------------------------------------------------------

# Child 1 is looked after all year; child 2 starts in the year.
_EPISODES = [
    ep("1", D(2024, 1, 1), RNE="S", LS="C2"),
    ep("2", D(2025, 6, 1), RNE="S", LS="C2"),
]
_FULL = {"IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0"}


def test_542_no_conviction_data_under_10() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2016, 4, 1), "CONVICTED": "0"},  # 9 at 31 March 2026
        {"CHILD": "2", "DOB": D(2016, 3, 31), "CONVICTED": "0"},  # 10 that day
        {"CHILD": "3", "DOB": D(2020, 1, 1)},
    ]
    assert s903(542, {"OC2": rows}) == [0]


def test_543_conviction_data_from_10() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2016, 3, 31)},  # fails: 10 and looked after all year
        {"CHILD": "2", "DOB": D(2010, 1, 1)},  # passes: not continuously looked after
        {"CHILD": "1", "DOB": D(2010, 1, 1), "CONVICTED": "0"},
    ]
    assert s903(543, {"OC2": rows, "Episodes": _EPISODES}) == [0]


def test_544_health_data_with_conviction_data() -> None:
    rows = [
        {"CHILD": "1", "CONVICTED": "0", **_FULL},
        {"CHILD": "2", "CONVICTED": "1", **{**_FULL, "TEETH_CHECK": None}},  # fails
        {"CHILD": "3", "CONVICTED": "0"},  # fails
        {"CHILD": "4"},
    ]
    assert s903(544, {"OC2": rows}) == [1, 2]


def test_545_health_promotion_under_5() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2021, 4, 1)},  # fails: 4 at 31 March
        {"CHILD": "2", "DOB": D(2022, 1, 1)},  # passes: not continuously looked after
        {"CHILD": "1", "DOB": D(2021, 3, 31)},  # passes: 5 that day
        {"CHILD": "1", "DOB": D(2022, 1, 1), "HEALTH_CHECK": "1"},
    ]
    assert s903(545, {"OC2": rows, "Episodes": _EPISODES}) == [0]


def test_546_no_health_promotion_from_5() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2021, 3, 31), "HEALTH_CHECK": "1"},  # fails: 5
        {"CHILD": "1", "DOB": D(2021, 4, 1), "HEALTH_CHECK": "1"},  # passes: 4
        {"CHILD": "2", "DOB": D(2015, 1, 1), "HEALTH_CHECK": "1"},  # passes: not continuously looked after
    ]
    assert s903(546, {"OC2": rows, "Episodes": _EPISODES}) == [0]


def test_547_health_data_with_health_promotion() -> None:
    rows = [
        {"CHILD": "1", "HEALTH_CHECK": "1", **_FULL},
        {"CHILD": "2", "HEALTH_CHECK": "0", **{**_FULL, "IMMUNISATIONS": None}},  # fails
        {"CHILD": "3"},
    ]
    assert s903(547, {"OC2": rows}) == [1]
