"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_cross.py (rules flagging rows in two tables)."""

from __future__ import annotations

import datetime as dt

from outstanding.returns.testing import flagged_by_table

D = dt.date


def hits(code: int | str, data: dict, year: str = "2025-26") -> dict[str, list[int]]:
    """The rows (0-based indexes) the rule flags, by table."""
    return flagged_by_table("903", code, data, year)


def test_117_placed_for_adoption_after_the_year_or_care() -> None:
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 9, 1), "REC": "E11"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 8, 1), "REC": "X1"},
        {"CHILD": "2", "DECOM": D(2025, 8, 1), "DEC": D(2025, 10, 1), "REC": "E11"},
        {"CHILD": "3", "DECOM": D(2025, 5, 1)},  # still looked after
        {"CHILD": "4", "DECOM": D(2025, 5, 1), "DEC": D(2025, 7, 1), "REC": "X1"},
    ]
    placed = [
        {
            "CHILD": "1",
            "DATE_PLACED": D(2025, 6, 1),
            "DATE_PLACED_CEASED": D(2025, 9, 1),
        },  # on the DEC: passes
        {"CHILD": "2", "DATE_PLACED": D(2025, 9, 1), "DATE_PLACED_CEASED": D(2025, 10, 2)},  # after the DEC
        {"CHILD": "3", "DATE_PLACED": D(2026, 4, 1)},  # after 31 March: the open episode is not to blame
        {"CHILD": "4", "DATE_PLACED": D(2025, 7, 2)},  # only an X1 episode, so no DEC to pass
    ]
    data = {"Episodes": episodes, "PlacedAdoption": placed}
    assert hits(117, data) == {"PlacedAdoption": [1, 2], "Episodes": [2]}
    assert hits(117, {"Episodes": episodes, "PlacedAdoption": [placed[0], placed[3]]}) == {}


def test_118_placement_ceased_before_the_year_or_care() -> None:
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "LS": "C2"},
        {"CHILD": "2", "DECOM": D(2025, 4, 10), "LS": "V3"},  # short breaks do not count
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "LS": "E1"},
        {"CHILD": "3", "DECOM": D(2024, 6, 1), "LS": "C2"},
    ]
    placed = [
        {"CHILD": "1", "DATE_PLACED_CEASED": D(2025, 5, 1)},
        {"CHILD": "2", "DATE_PLACED_CEASED": D(2025, 5, 1)},  # before the E1 episode began
        {"CHILD": "3", "DATE_PLACED_CEASED": D(2025, 3, 31)},  # before 1 April
        {"CHILD": "3"},
    ]
    data = {"Episodes": episodes, "PlacedAdoption": placed}
    assert hits(118, data) == {"PlacedAdoption": [1, 2], "Episodes": [2]}
    assert hits(118, {"Episodes": episodes, "PlacedAdoption": [placed[0], placed[3]]}) == {}


def test_165_mother_status() -> None:
    header = [
        {"CHILD": "1", "SEX": "F", "MOTHER": "1"},
        {"CHILD": "2", "SEX": "F", "MOTHER": "2"},  # not a valid value
        {"CHILD": "3", "SEX": "M", "MOTHER": "0"},  # given for a boy
        {"CHILD": "4", "SEX": "F"},  # looked after this year: must be given
        {"CHILD": "5", "SEX": "F"},  # care leaver with no episode this year: need not be
        {"CHILD": "6", "SEX": "F"},  # short breaks only
        {"CHILD": "7", "SEX": "M"},
        {"CHILD": "8", "SEX": "F"},  # care leaver data but looked after this year too
    ]
    episodes = [{"CHILD": c, "DECOM": D(2025, 6, 1), "LS": "V3" if c == "6" else "C2"} for c in "1234678"] + [
        {"CHILD": "5", "DECOM": D(2023, 1, 1), "DEC": D(2024, 5, 1), "LS": "C2"}
    ]
    oc3 = [{"CHILD": "5", "IN_TOUCH": "YES"}, {"CHILD": "8", "IN_TOUCH": "YES"}, {"CHILD": "1"}]
    data = {"Header": header, "Episodes": episodes, "OC3": oc3}
    assert hits(165, data) == {"Header": [1, 2, 3, 7], "OC3": [1]}
    assert hits(165, {"Header": [header[0], header[4]], "Episodes": episodes, "OC3": oc3}) == {}


def _twelve_months(child: str) -> dict:
    return {"CHILD": child, "DECOM": D(2024, 1, 1), "RNE": "S", "LS": "C2", "PLACE": "U1"}


def test_187_adoption_or_care_leaver_data_for_a_child_in_care_all_year() -> None:
    episodes = [
        _twelve_months("1"),
        _twelve_months("2"),
        {"CHILD": "3", "DECOM": D(2025, 6, 1), "RNE": "S", "LS": "C2"},  # came into care this year
    ]
    ad1 = [
        {"CHILD": "1", "DATE_INT": D(2025, 1, 1)},
        {"CHILD": "2"},
        {"CHILD": "3", "DATE_INT": D(2025, 7, 1)},
    ]
    oc3 = [{"CHILD": "1"}, {"CHILD": "2", "ACCOM": "S1"}, {"CHILD": "3", "ACTIV": "F1"}]
    assert hits(187, {"Episodes": episodes, "AD1": ad1, "OC3": oc3}) == {"AD1": [0], "OC3": [1]}
    assert hits(187, {"Episodes": episodes, "AD1": ad1[1:], "OC3": [oc3[0], oc3[2]]}) == {}


def test_191_outcome_items_left_blank() -> None:
    filled = {"IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0"}
    episodes = [
        _twelve_months("1"),
        _twelve_months("2"),
        {**_twelve_months("3"), "DECOM": D(2024, 3, 1), "DEC": D(2024, 5, 1), "REC": "X1"},
        {**_twelve_months("3"), "DECOM": D(2024, 5, 1), "RNE": "P"},
        {"CHILD": "4", "DECOM": D(2025, 6, 1), "RNE": "S", "LS": "C2"},  # came into care this year
    ]
    oc2 = [
        {"CHILD": "1", **filled},
        {"CHILD": "2", **{**filled, "TEETH_CHECK": None}},
        {"CHILD": "4"},
    ]
    # Child 2 has a blank item; child 3 has no OC2 row at all, so their first episode is flagged.
    assert hits(191, {"Episodes": episodes, "OC2": oc2}) == {"OC2": [1], "Episodes": [2]}
    oc2_ok = [oc2[0], {"CHILD": "2", **filled}, {"CHILD": "3", **filled}]
    assert hits(191, {"Episodes": episodes, "OC2": oc2_ok}) == {}
