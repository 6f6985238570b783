"""SSDA903 rules: tests for outstanding/returns/rules/ssda903_r1000s_sw.py."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from outstanding.returns.engine import not_checkable_for
from outstanding.returns.testing import flagged, flagged_by_table

D = dt.date
OC3 = {"IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}


def s903(code: int | str, data: dict, year: str = "2025-26", previous: dict | None = None) -> list[int]:
    return flagged("903", code, data, year, previous)


def by_table(code: int | str, data: dict, year: str = "2025-26") -> dict[str, list[int]]:
    return flagged_by_table("903", code, data, year)


# --- 1001 to 1016 ---------------------------------------------------------------------------------


def test_1001_not_a_relevant_child() -> None:
    # 2025-26 with last year's return: the files show care from 1 April 2024 (and episodes open then).
    header = [
        {"CHILD": "1", "DOB": D(2008, 6, 1)},  # 16 on 1 June 2024, within the two years
        {"CHILD": "2", "DOB": D(2008, 6, 1)},
        {"CHILD": "3", "DOB": D(2008, 6, 1)},
        {"CHILD": "4", "DOB": D(2007, 6, 1)},  # 14 in 2021, 16 in 2023: before the two years
        {"CHILD": "5", "DOB": D(2007, 6, 1)},
        {"CHILD": "6", "DOB": D(2010, 6, 1)},  # 14 on 1 June 2024
    ]
    last_year = [
        # 1: in care from 14 and 6 months, well over 91 days, after 16 too: relevant.
        {"CHILD": "1", "DECOM": D(2022, 12, 1), "DEC": D(2024, 9, 1), "LS": "C2", "REC": "E4A"},
        # 2: care ended before 16, which fell within the two years: no care after 16.
        {"CHILD": "2", "DECOM": D(2024, 1, 1), "DEC": D(2024, 5, 31), "LS": "C2", "REC": "E4A"},
        # 3: a long short break only.
        {"CHILD": "3", "DECOM": D(2023, 6, 1), "DEC": D(2025, 1, 1), "LS": "V3", "REC": "E4A"},
        # 4: long enough, but adopted.
        {"CHILD": "4", "DECOM": D(2022, 1, 1), "DEC": D(2024, 6, 1), "LS": "E1", "REC": "E11"},
        # 5: only 30 days in the files, but 14 and 16 came before them: care before then cannot be seen.
        {"CHILD": "5", "DECOM": D(2024, 5, 1), "DEC": D(2024, 5, 31), "LS": "C2", "REC": "E4A"},
    ]
    # 6: open this year since 1 January 2026, counted to 31 March: 89 days since 14, not enough.
    episodes = [{"CHILD": "6", "DECOM": D(2026, 1, 1), "LS": "C2"}]
    oc3 = [{"CHILD": c, **OC3} for c in "123456"] + [
        {"CHILD": "2"}
    ]  # a blank OC3 row is not care leaver data
    data = {"Header": header, "Episodes": episodes, "OC3": oc3}
    assert s903(1001, data, previous={"Episodes": last_year}) == [1, 2, 3, 5]
    # Without last year's return nothing is judged.
    assert s903(1001, data) == []
    # 6 counts enough with an earlier start in the year (120 days), though not yet 16: the time after 16
    # is still none, and the 16th birthday is after the start of the files.
    episodes[0]["DECOM"] = D(2025, 12, 1)
    assert s903(1001, data, previous={"Episodes": last_year}) == [1, 2, 3, 5]


def test_1001_care_before_the_files_not_judged() -> None:
    # Born 1 May 2006 (14 in 2020, 16 in 2022); last year's only episode 1 March to 1 May 2024 (18th
    # birthday, E8): 61 days in the files, but in care since age 10, so a relevant child.
    header = [{"CHILD": "1", "DOB": D(2006, 5, 1)}]
    last_year = [
        {"CHILD": "1", "DECOM": D(2024, 3, 1), "RNE": "P", "DEC": D(2024, 5, 1), "LS": "C2", "REC": "E8"}
    ]
    data = {"Header": header, "OC3": [{"CHILD": "1", **OC3}]}
    assert s903(1001, data, previous={"Episodes": last_year}) == []
    # Had they turned 14 within the two years (born 1 May 2010), 61 days would be conclusive.
    data["Header"] = [{"CHILD": "1", "DOB": D(2010, 5, 1)}]
    last_year[0]["REC"] = "E4A"
    assert s903(1001, data, previous={"Episodes": last_year}) == [0]


def test_1002_care_leaver_with_no_episodes() -> None:
    seventeen = D(2008, 6, 1)  # 16 in June 2024, within last year's return
    oc3 = [{"CHILD": c, "DOB": seventeen, **OC3} for c in "123"] + [{"CHILD": "4", "DOB": seventeen}]
    # 5 is 20: they may have left care before last year's return, so the files can't say (not judged);
    # 6 has no DOB on its OC3 row, and the header's says they turned 16 in the year.
    oc3 += [{"CHILD": "5", "DOB": D(2005, 6, 1), **OC3}, {"CHILD": "6", **OC3}]
    header = [{"CHILD": "6", "DOB": D(2009, 1, 1)}]
    data = {"OC3": oc3, "Header": header, "Episodes": [{"CHILD": "1", "DECOM": D(2025, 5, 1)}]}
    previous = {"Episodes": [{"CHILD": "2", "DECOM": D(2024, 5, 1)}]}
    assert s903(1002, data, previous=previous) == [2, 5]
    assert s903(1002, data) == []


def test_1004_missing_start_date() -> None:
    from outstanding.returns.engine import CollectionYear, Context, rules_for, run_rules

    ctx = Context("903", CollectionYear(2025), {"Missing": _typed_missing()})
    rule = [r for r in rules_for("903", 2025) if r.code == "1004"]
    assert run_rules(ctx, rule).findings["row"].to_list() == [3, 4]


def test_1005_missing_end_date() -> None:
    from outstanding.returns.engine import CollectionYear, Context, rules_for, run_rules

    ctx = Context("903", CollectionYear(2025), {"Missing": _typed_missing()})
    rule = [r for r in rules_for("903", 2025) if r.code == "1005"]
    assert run_rules(ctx, rule).findings["row"].to_list() == [4]


def _typed_missing():  # type: ignore[no-untyped-def]
    import polars as pl

    from outstanding.returns.readers.coerce import type_table
    from outstanding.returns.schemas import SSDA903_TABLES

    raw = pl.DataFrame(
        {
            "_line": [2, 3, 4],
            "CHILD": ["1", "2", "3"],
            "MIS_START": ["01/05/2025", None, "2025/05/01"],
            "MIS_END": [None, "03/05/2025", "31/13/2025"],
        }
    )
    typed, _ = type_table(
        raw, SSDA903_TABLES["Missing"], table="Missing", child_column="CHILD", date_format="%d/%m/%Y"
    )
    return typed


def test_1011_transferred_to_another_council() -> None:
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E3"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "DEC": D(2025, 7, 1), "REC": "E4A"},  # latest is not E3
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "X1"},
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "DEC": D(2025, 7, 1), "REC": "E3"},
        {"CHILD": "3", "DECOM": D(2025, 6, 1), "DEC": D(2025, 7, 1), "REC": "E3"},
    ]
    oc3 = [{"CHILD": "1", **OC3}, {"CHILD": "2", **OC3}, {"CHILD": "3"}, {"CHILD": "4", **OC3}]
    assert s903(1011, {"Episodes": episodes, "OC3": oc3}) == [1]


def test_1012_no_other_data_for_care_leavers_without_episodes() -> None:
    data = {
        "OC3": [{"CHILD": "1", **OC3}, {"CHILD": "2", **OC3}],
        "Episodes": [{"CHILD": "2", "DECOM": D(2025, 5, 1)}],
        "Missing": [{"CHILD": "1", "MISSING": "M"}, {"CHILD": "2", "MISSING": "M"}],
        "OC2": [{"CHILD": "3"}, {"CHILD": "1"}],  # 3 is not a care leaver
        "Reviews": [{"CHILD": "2"}],
        "SWEpisodes": [{"CHILD": "1", "SW_ID": "SW1"}],
        "UASC": [{"CHILD": "1"}],  # not "other data"
    }
    assert by_table(1012, data) == {"Missing": [0], "OC2": [1], "SWEpisodes": [0]}
    data["PlacedAdoption"] = [{"CHILD": "2"}, {"CHILD": "1"}]
    assert by_table(1012, data) == {"Missing": [0], "OC2": [1], "PlacedAdoption": [1], "SWEpisodes": [0]}


def test_1014_uasc_information_for_care_leavers() -> None:
    data = {
        "OC3": [{"CHILD": "1", **OC3}, {"CHILD": "2", **OC3}, {"CHILD": "3", **OC3}, {"CHILD": "4"}],
        "Episodes": [
            {"CHILD": "2", "DECOM": D(2024, 5, 1)},  # open into the year: looked after
            {"CHILD": "3", "DECOM": D(2024, 5, 1), "DEC": D(2025, 3, 1)},  # ended before 1 April
        ],
        "UASC": [{"CHILD": c, "DUC": D(2025, 1, 1)} for c in "12345"],
    }
    assert by_table(1014, data) == {"UASC": [0, 2], "OC3": [0, 2]}


def test_1016_care_leaver_ceased_after_birthday() -> None:
    oc3 = [
        {"CHILD": "1", "DOB": D(2008, 6, 1), **OC3},  # 17 on 1 June 2025, left after it
        {"CHILD": "2", "DOB": D(2008, 6, 1), **OC3},  # left before the birthday
        {"CHILD": "3", "DOB": D(2007, 6, 1), **OC3},  # 18 on 1 June 2025, left after it
        {"CHILD": "4", "DOB": D(2008, 6, 1), **OC3},  # still looked after (rule 1007's)
        {"CHILD": "5", "DOB": D(2006, 6, 1), **OC3},  # 19: not this rule's
        {"CHILD": "6", "DOB": D(2008, 6, 1)},  # no care leaver data
    ]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 4, 1), "DEC": D(2025, 7, 1), "REC": "E4A"},
        {"CHILD": "2", "DECOM": D(2025, 4, 1), "DEC": D(2025, 5, 1), "REC": "E4A"},
        {"CHILD": "3", "DECOM": D(2025, 4, 1), "DEC": D(2025, 5, 1), "REC": "X1"},
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "DEC": D(2025, 8, 1), "REC": "E5"},
        {"CHILD": "4", "DECOM": D(2025, 4, 1)},
        {"CHILD": "5", "DECOM": D(2025, 4, 1), "DEC": D(2025, 7, 1), "REC": "E5"},
        {"CHILD": "6", "DECOM": D(2025, 4, 1), "DEC": D(2025, 7, 1), "REC": "E5"},
    ]
    assert s903(1016, {"OC3": oc3, "Episodes": episodes}) == [0, 2]
    # A year earlier 1 is 16 (not judged), 3 is 17 and 5 is 18.
    assert s903(1016, {"OC3": oc3, "Episodes": episodes}, year="2024-25") == [2, 4]


def test_1008_and_1015_are_listed_as_not_checkable() -> None:
    codes = {r.code: r for r in not_checkable_for("903", 2026)}
    for code in ["1008", "1015"]:
        assert code in codes
    assert "PL_LA" in codes["1015"].reason


# --- social worker episodes ----------------------------------------------------------------------


def test_SW01_looked_after_with_no_social_worker() -> None:
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "LS": "C2"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "LS": "C2"},
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "LS": "C2", "REC": "E4A"},
        {"CHILD": "4", "DECOM": D(2025, 5, 1), "LS": "V4"},
        {"CHILD": "5", "DECOM": D(2025, 5, 1), "LS": "C2"},
        {"CHILD": "6", "DECOM": D(2025, 5, 1), "LS": "C2"},
    ]
    sw = [
        {"CHILD": "1", "SW_ID": "SW1", "SW_DECOM": D(2025, 5, 1)},
        {"CHILD": "5", "SW_DECOM": D(2025, 5, 1)},  # no ID anywhere
        {"CHILD": "6", "SW_ID": "SW1"},  # an ID on one row, a start on another
        {"CHILD": "6", "SW_DECOM": D(2025, 5, 1)},
    ]
    for year in ("2024-25", "2025-26", "2026-27"):
        assert s903("SW01", {"Episodes": episodes, "SWEpisodes": sw}, year=year) == [1, 4]


def test_SW01a_complete_before_april_2023() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2023, 1, 1)},  # no ID
        {"CHILD": "2", "SW_DECOM": D(2023, 1, 1), "SW_ID": "SW1"},  # no reason needed then
        {"CHILD": "3", "SW_DECOM": D(2024, 1, 1)},  # SW01b's
        {"CHILD": "4", "SW_ID": "SW1"},  # SW01b's
    ]
    assert s903("SW01a", {"SWEpisodes": rows}) == [0]


def test_SW01b_complete_from_april_2023() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2024, 1, 1), "SW_ID": "SW1", "SW_REASON": "MANAGE"},
        {"CHILD": "2", "SW_DECOM": D(2024, 1, 1), "SW_ID": "SW1"},
        {"CHILD": "3", "SW_DECOM": D(2024, 1, 1), "SW_REASON": "MANAGE"},
        {"CHILD": "4", "SW_ID": "SW1", "SW_REASON": "MANAGE"},
        {"CHILD": "5", "SW_DECOM": D(2023, 1, 1)},  # SW01a's
    ]
    assert s903("SW01b", {"SWEpisodes": rows}) == [1, 2, 3]


def test_SW02_social_worker_id_prefix() -> None:
    rows = [{"CHILD": "1", "SW_ID": v} for v in ("SW000", "XX000", "aa00", "xx000", "SW", "XX1")]
    rows.append({"CHILD": "1"})
    assert s903("SW02", {"SWEpisodes": rows}, year="2024-25") == [2, 3]
    assert s903("SW02", {"SWEpisodes": rows}) == [2, 3, 4, 5]


def _typed_sw(decom: list[str | None], dec: list[str | None]):  # type: ignore[no-untyped-def]
    import polars as pl

    from outstanding.returns.readers.coerce import type_table
    from outstanding.returns.schemas import SSDA903_TABLES

    raw = pl.DataFrame(
        {
            "_line": [i + 2 for i in range(len(decom))],
            "CHILD": [str(i) for i in range(len(decom))],
            "SW_ID": ["SW1"] * len(decom),
            "SW_DECOM": decom,
            "SW_DEC": dec,
        }
    )
    typed, _ = type_table(
        raw, SSDA903_TABLES["SWEpisodes"], table="SWEpisodes", child_column="CHILD", date_format="%d/%m/%Y"
    )
    return typed


def _rows(code: str, year: int, typed) -> list[int]:  # type: ignore[no-untyped-def]
    from outstanding.returns.engine import CollectionYear, Context, rules_for, run_rules

    ctx = Context("903", CollectionYear(year), {"SWEpisodes": typed})
    rule = [r for r in rules_for("903", year) if r.code == code]
    return sorted(r - 2 for r in run_rules(ctx, rule).findings["row"].to_list())


def test_SW04_start_date_valid() -> None:
    values = ["01/01/2025", "ZZ/ZZ/ZZZZ", "01/ZZ/2025", "zz", None, "2025/01/01"]
    typed = _typed_sw(values, [None] * len(values))
    assert _rows("SW04", 2024, typed) == [3, 4, 5]
    assert _rows("SW04", 2025, typed) == [1, 2, 3, 4, 5]


def test_SW05_end_date_valid() -> None:
    values = ["01/01/2025", "ZZ/ZZ/ZZZZ", "zz", None, "2025/01/01"]
    typed = _typed_sw(["01/01/2024"] * len(values), values)
    assert _rows("SW05", 2024, typed) == [2, 4]
    assert _rows("SW05", 2025, typed) == [1, 2, 4]


def test_SW06_start_within_reporting_year() -> None:
    rows = [{"CHILD": "1", "SW_DECOM": d} for d in (D(2026, 3, 31), D(2026, 4, 1), D(2020, 1, 1))]
    assert s903("SW06", {"SWEpisodes": rows}) == [1]


def test_SW07_end_within_reporting_period() -> None:
    # For 2025-26 the social worker reporting period runs from 1 April 2024.
    dates = (D(2024, 4, 1), D(2024, 3, 31), D(2026, 3, 31), D(2026, 4, 1), None)
    rows = [{"CHILD": "1", "SW_DECOM": D(2020, 1, 1), "SW_DEC": d} for d in dates]
    assert s903("SW07", {"SWEpisodes": rows}) == [1, 3]
    assert s903("SW07", {"SWEpisodes": rows}, year="2024-25") == [2, 3]


def test_SW08_previous_episode_not_ended() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 6, 1), "SW_DEC": D(2025, 6, 4)},
        {"CHILD": "1", "SW_DECOM": D(2025, 6, 5)},  # open, but the latest
        {"CHILD": "2", "SW_DECOM": D(2025, 6, 6)},  # open, with one after it
        {"CHILD": "2", "SW_DECOM": D(2025, 6, 7), "SW_DEC": D(2025, 6, 8)},
        {"CHILD": "3"},
    ]
    assert s903("SW08", {"SWEpisodes": rows}) == [2]


def test_SW09_episode_under_a_day() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 6, 1), "SW_DEC": D(2025, 6, 1)},
        {"CHILD": "1", "SW_DECOM": D(2025, 6, 1), "SW_DEC": D(2025, 6, 3)},
        {"CHILD": "1", "SW_DECOM": D(2025, 6, 1), "SW_DEC": D(2025, 6, 4)},
        {"CHILD": "1", "SW_DECOM": D(2025, 6, 5), "SW_DEC": D(2025, 6, 1)},  # SW18's
        {"CHILD": "1", "SW_DECOM": D(2025, 6, 5)},
    ]
    assert s903("SW09", {"SWEpisodes": rows}, year="2024-25") == [0]
    assert s903("SW09", {"SWEpisodes": rows}) == [0, 1]
    assert s903("SW09", {"SWEpisodes": rows}, year="2026-27") == [0, 1]


_SW10_ROWS = [
    {"CHILD": "1", "SW_DECOM": D(2025, 1, 1), "SW_DEC": D(2025, 1, 9), "SW_REASON": "MANAGE"},
    {"CHILD": "1", "SW_DECOM": D(2025, 1, 2), "SW_DEC": D(2025, 1, 3), "SW_REASON": "MANAGE"},  # 7 before
    {"CHILD": "2", "SW_DECOM": D(2024, 1, 1), "SW_DEC": D(2025, 1, 9), "SW_REASON": "MANAGE"},
    {"CHILD": "2", "SW_DECOM": D(2025, 1, 1), "SW_DEC": D(2025, 1, 10), "SW_REASON": "MANAGE"},  # 8 before
    {"CHILD": "2", "SW_DECOM": D(2025, 1, 18), "SW_DEC": D(2025, 1, 20), "SW_REASON": "MANAGE"},  # 8 after
    {"CHILD": "3", "SW_DECOM": D(2024, 1, 1), "SW_DEC": D(2025, 1, 9), "SW_REASON": "MANAGE"},
    {
        "CHILD": "3",
        "SW_DECOM": D(2025, 1, 1),
        "SW_DEC": D(2025, 1, 10),
        "SW_REASON": "FCONTA",
    },  # first contact
    {"CHILD": "4", "SW_DECOM": D(2024, 1, 1), "SW_REASON": "MANAGE"},  # no end: SW08's
    {"CHILD": "4", "SW_DECOM": D(2025, 1, 1), "SW_REASON": "MANAGE"},
]


def test_SW10_start_near_previous_end() -> None:
    assert s903("SW10", {"SWEpisodes": _SW10_ROWS}, year="2024-25") == [3, 4]
    with pytest.raises(LookupError):
        s903("SW10", {"SWEpisodes": _SW10_ROWS})


def test_SW10a_start_within_7_days_of_previous_end() -> None:
    assert s903("SW10a", {"SWEpisodes": _SW10_ROWS}) == [3, 4]
    assert s903("SW10a", {"SWEpisodes": _SW10_ROWS}, year="2026-27") == [3, 4]


def test_SW10b_first_contact_before_previous_end() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 1), "SW_DEC": D(2025, 1, 9), "SW_REASON": "MANAGE"},
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 9), "SW_DEC": D(2025, 1, 20), "SW_REASON": "FCONTA"},
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 21), "SW_REASON": "FCONTA"},
        {"CHILD": "2", "SW_DECOM": D(2025, 1, 1), "SW_DEC": D(2025, 1, 9), "SW_REASON": "MANAGE"},
        {"CHILD": "2", "SW_DECOM": D(2025, 1, 5), "SW_REASON": "MANAGE"},  # not first contact
    ]
    assert s903("SW10b", {"SWEpisodes": rows}) == [1]


def test_SW11a_ended_with_no_next_episode() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 4, 1), "SW_DEC": D(2025, 6, 1)},
        {"CHILD": "1", "SW_DECOM": D(2025, 6, 6)},  # starts 5 days after: fine
        {"CHILD": "2", "SW_DECOM": D(2025, 4, 1), "SW_DEC": D(2025, 6, 1)},
        {"CHILD": "2", "SW_DECOM": D(2025, 6, 7)},  # 6 days after
        {"CHILD": "3", "SW_DECOM": D(2025, 4, 1), "SW_DEC": D(2025, 6, 1)},  # nothing after
        {"CHILD": "4", "SW_DECOM": D(2025, 4, 1), "SW_DEC": D(2026, 3, 28)},  # SW11b's
    ]
    assert s903("SW11a", {"SWEpisodes": rows}) == [2, 4]


def test_SW11b_ended_near_31_march_with_no_next_episode() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 4, 1), "SW_DEC": D(2026, 3, 28)},  # nothing after
        {"CHILD": "2", "SW_DECOM": D(2025, 4, 1), "SW_DEC": D(2026, 3, 28)},
        {"CHILD": "2", "SW_DECOM": D(2026, 3, 30)},
        {"CHILD": "3", "SW_DECOM": D(2025, 4, 1), "SW_DEC": D(2026, 1, 1)},  # SW11a's
        {"CHILD": "4", "SW_DECOM": D(2025, 4, 1)},
    ]
    assert s903("SW11b", {"SWEpisodes": rows}) == [0]


def test_SW12_social_worker_episodes_for_the_year() -> None:
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "RNE": "S", "LS": "C2"},  # covered
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "RNE": "S", "LS": "C2"},  # social worker began later
        {"CHILD": "3", "DECOM": D(2024, 6, 1), "DEC": D(2024, 9, 1), "RNE": "S", "REC": "E4A", "LS": "C2"},
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "RNE": "S", "LS": "C2"},  # back in care: both covered
        {"CHILD": "4", "DECOM": D(2024, 6, 1), "DEC": D(2024, 9, 1), "RNE": "S", "REC": "E4A", "LS": "C2"},
        {"CHILD": "4", "DECOM": D(2025, 5, 1), "RNE": "S", "LS": "C2"},  # gap in social work before
        {"CHILD": "5", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "RNE": "S", "REC": "E4A", "LS": "C2"},
        {"CHILD": "6", "DECOM": D(2025, 5, 1), "RNE": "S", "LS": "V4"},  # short breaks
        {"CHILD": "7", "DECOM": D(2023, 5, 1), "RNE": "S", "LS": "C2"},  # began before the period
    ]
    sw = [
        {"CHILD": "1", "SW_DECOM": D(2025, 4, 1)},
        {"CHILD": "2", "SW_DECOM": D(2025, 6, 1)},
        {"CHILD": "3", "SW_DECOM": D(2024, 5, 1), "SW_DEC": D(2025, 1, 1)},
        {"CHILD": "3", "SW_DECOM": D(2025, 1, 1)},
        {"CHILD": "4", "SW_DECOM": D(2024, 5, 1), "SW_DEC": D(2024, 10, 1)},
        {"CHILD": "4", "SW_DECOM": D(2025, 6, 1)},
    ]
    assert s903("SW12", {"Episodes": episodes, "SWEpisodes": sw}) == [1, 5]
    # In 2024-25 the reporting period starts 1 April 2023: 7's start counts, and there is no SW.
    assert 8 in s903("SW12", {"Episodes": episodes, "SWEpisodes": sw}, year="2024-25")


def test_SW13_reason_for_change() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 4, 1), "SW_DEC": D(2025, 4, 2), "SW_REASON": "OTHERS"},
        {"CHILD": "2", "SW_DECOM": D(2025, 4, 1), "SW_DEC": D(2025, 4, 2)},  # first of the year: may be blank
        {"CHILD": "2", "SW_DECOM": D(2025, 4, 3), "SW_DEC": D(2025, 4, 4)},
        {"CHILD": "3", "SW_DECOM": D(2024, 4, 3), "SW_DEC": D(2025, 4, 4)},  # open on 1 April
        {"CHILD": "3", "SW_DECOM": D(2025, 4, 5)},
        {"CHILD": "4", "SW_DECOM": D(2024, 4, 5), "SW_DEC": D(2025, 3, 31)},  # ended before the year
        {"CHILD": "4", "SW_DECOM": D(2025, 4, 5), "SW_REASON": "MANAGE"},
        {"CHILD": "5", "SW_DECOM": D(2025, 4, 5), "SW_REASON": "manage"},
        {"CHILD": "6", "SW_DECOM": D(2022, 4, 5), "SW_DEC": D(2023, 1, 1)},  # before reasons were recorded
        {"CHILD": "6", "SW_DECOM": D(2023, 1, 1), "SW_REASON": "LEFTRL"},
    ]
    assert s903("SW13", {"SWEpisodes": rows}) == [2, 4, 5, 7]


def test_SW14_end_date_blank() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 1), "SW_DEC": D(2025, 1, 1)},
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 2)},
        {"CHILD": "2", "SW_DECOM": D(2025, 1, 1)},
        {"CHILD": "2", "SW_DECOM": D(2025, 1, 2)},
        {"CHILD": "3", "SW_DECOM": D(2025, 1, 1)},
    ]
    assert s903("SW14", {"SWEpisodes": rows}) == [2]


def test_SW15_reason_missing() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2024, 4, 1)},  # in the reporting period for 2025-26
        {"CHILD": "2", "SW_DECOM": D(2024, 3, 31)},
        {"CHILD": "3", "SW_DECOM": D(2024, 4, 1), "SW_REASON": "OTHERS"},
        {"CHILD": "4"},
    ]
    assert s903("SW15", {"SWEpisodes": rows}) == [0, 3]
    assert s903("SW15", {"SWEpisodes": rows}, year="2024-25") == [0, 1, 3]


_LAST_YEAR_SW = [
    {"CHILD": "1", "SW_ID": "SW1", "SW_DECOM": D(2024, 1, 1), "SW_DEC": D(2024, 6, 1), "SW_REASON": "MANAGE"},
    {"CHILD": "1", "SW_ID": "SW2", "SW_DECOM": D(2024, 6, 1), "SW_REASON": "LEFTRL"},
    {"CHILD": "2", "SW_ID": "SW1", "SW_DECOM": D(2024, 1, 1), "SW_REASON": "MANAGE"},
    {"CHILD": "3", "SW_ID": "SW1", "SW_DECOM": D(2024, 1, 1), "SW_DEC": D(2025, 3, 1), "SW_REASON": "MANAGE"},
]
_THIS_YEAR_SW = [
    {"CHILD": "1", "SW_ID": "SW2", "SW_DECOM": D(2024, 6, 1), "SW_DEC": D(2025, 6, 1), "SW_REASON": "LEFTRL"},
    {"CHILD": "1", "SW_ID": "SW3", "SW_DECOM": D(2025, 6, 1), "SW_REASON": "MANAGE"},
    {"CHILD": "2", "SW_ID": "SW9", "SW_DECOM": D(2024, 1, 2), "SW_REASON": "OTHERS"},  # none match
    {"CHILD": "3", "SW_ID": "SW9", "SW_DECOM": D(2025, 5, 1), "SW_REASON": "OTHERS"},  # last year's ended
]


def test_SW16a_first_id_matches_last_years_open_episode() -> None:
    data, previous = {"SWEpisodes": _THIS_YEAR_SW}, {"SWEpisodes": _LAST_YEAR_SW}
    assert s903("SW16a", data, year="2024-25", previous=previous) == [2]
    assert s903("SW16a", data, year="2024-25") == []
    with pytest.raises(LookupError):
        s903("SW16a", data, previous=previous)


def test_SW16b_first_start_matches_last_years_open_episode() -> None:
    data, previous = {"SWEpisodes": _THIS_YEAR_SW}, {"SWEpisodes": _LAST_YEAR_SW}
    assert s903("SW16b", data, previous=previous) == [2]
    assert s903("SW16b", data, year="2024-25", previous=previous) == [2]


def test_SW16c_first_reason_matches_last_years_open_episode() -> None:
    data, previous = {"SWEpisodes": _THIS_YEAR_SW}, {"SWEpisodes": _LAST_YEAR_SW}
    assert s903("SW16c", data, year="2024-25", previous=previous) == [2]
    with pytest.raises(LookupError):
        s903("SW16c", data, previous=previous)


def test_SW16b_compares_the_episode_open_at_last_years_end() -> None:
    # This year's file starts a year early (as SW12, SW07 and SW15 allow), so its first row may be an
    # episode that ended last year: the one to compare is the episode open on last year's 31 March.
    for year in ("2025-26", "2026-27"):
        y = int(year[:4]) - 1  # last year's start
        sw = [
            {
                "CHILD": "1",
                "SW_ID": "SWA",
                "SW_DECOM": D(y, 5, 1),
                "SW_DEC": D(y + 1, 1, 1),
                "SW_REASON": "MANAGE",
            },
            {"CHILD": "1", "SW_ID": "SWB", "SW_DECOM": D(y + 1, 1, 1), "SW_REASON": "LEFTRL"},
        ]
        data = {
            "SWEpisodes": sw,
            "Episodes": [{"CHILD": "1", "DECOM": D(y, 6, 1), "RNE": "S", "LS": "C2", "PLACE": "U1"}],
        }
        previous = {"SWEpisodes": sw}
        assert s903("SW16b", data, year, previous=previous) == []
        # B's start sent differently this year: B (the episode covering 31 March) is flagged, not A.
        changed = [sw[0], {**sw[1], "SW_DECOM": D(y + 1, 1, 2)}]
        assert s903("SW16b", {**data, "SWEpisodes": changed}, year, previous=previous) == [1]
        # Two episodes open over last year's 31 March (the earlier one never ended): the later one, the
        # one last year's file ends with, is compared, whichever row comes first.
        both_open = [{**sw[0], "SW_DEC": None}, sw[1]]
        assert s903("SW16b", {**data, "SWEpisodes": both_open}, year, previous=previous) == []
        assert s903("SW16b", {**data, "SWEpisodes": both_open[::-1]}, year, previous=previous) == []


def test_SW16b_unreadable_end_last_year_is_not_open() -> None:
    from outstanding.returns.engine import CollectionYear, Context, rules_for, run_rules
    from outstanding.returns.testing import tables

    this_year = tables("903", {"SWEpisodes": [{"CHILD": "1", "SW_ID": "SW2", "SW_DECOM": D(2025, 6, 1)}]})
    last = tables("903", {"SWEpisodes": [{"CHILD": "1", "SW_ID": "SW1", "SW_DECOM": D(2024, 6, 1)}]})
    chosen = [r for r in rules_for("903", 2025) if r.code == "SW16b"]

    def rows(previous: dict) -> list[int]:
        ctx = Context("903", CollectionYear.parse("2025-26"), dict(this_year), previous)
        return sorted(line - 2 for line in run_rules(ctx, chosen).findings["row"].to_list())

    assert rows(last) == [0]  # last year's episode was open: this year's first must start with it
    sent_end = last["SWEpisodes"].with_columns(pl.lit("31/13/2024").alias("SW_DEC__raw"))
    assert rows({**last, "SWEpisodes": sent_end}) == []  # an end was sent, though unreadable


def test_SW17_no_episode_open_at_31_march() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 1)},
        {"CHILD": "1", "SW_DECOM": D(2024, 1, 1), "SW_DEC": D(2025, 1, 1)},
        {"CHILD": "2", "SW_DECOM": D(2024, 1, 1), "SW_DEC": D(2025, 1, 1)},
        {"CHILD": "2", "SW_DECOM": D(2024, 1, 2), "SW_DEC": D(2025, 1, 1)},
    ]
    assert s903("SW17", {"SWEpisodes": rows}) == [3]
    with pytest.raises(LookupError):
        s903("SW17", {"SWEpisodes": rows}, year="2024-25")


def test_SW18_end_before_start() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 1)},
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 1), "SW_DEC": D(2025, 1, 2)},
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 2), "SW_DEC": D(2025, 1, 1)},
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 2), "SW_DEC": D(2025, 1, 2)},
    ]
    assert s903("SW18", {"SWEpisodes": rows}) == [2, 3]
    assert s903("SW18", {"SWEpisodes": rows}, year="2026-27") == [2, 3]


def test_SW19_two_episodes_starting_the_same_day() -> None:
    rows = [
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 1)},
        {"CHILD": "2", "SW_DECOM": D(2025, 1, 1), "SW_DEC": D(2025, 1, 2)},
        {"CHILD": "2", "SW_DECOM": D(2024, 1, 2), "SW_DEC": D(2025, 1, 1)},
        {"CHILD": "1", "SW_DECOM": D(2025, 1, 1), "SW_DEC": D(2025, 1, 2)},
    ]
    assert s903("SW19", {"SWEpisodes": rows}) == [0, 3]
