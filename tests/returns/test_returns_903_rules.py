"""SSDA903 rules: for each, rows that pass and rows that fail (indexes are rows of the flagged table)."""

from __future__ import annotations

import datetime as dt

from outstanding.returns.testing import flagged

D = dt.date


def s903(code: int | str, data: dict, year: str = "2025-26", previous: dict | None = None) -> list[int]:
    return flagged("903", code, data, year, previous)


def test_101_sex() -> None:
    rows = [
        {"CHILD": "1", "SEX": "M"},
        {"CHILD": "2", "SEX": "F"},
        {"CHILD": "3", "SEX": "U"},
        {"CHILD": "4", "SEX": "1"},  # the gender codes ended with 2023-24
        {"CHILD": "5", "SEX": "m"},
        {"CHILD": "6"},
    ]
    assert s903(101, {"Header": rows}) == [3, 4, 5]
    assert s903(101, {"Header": rows}, year="2024-25") == [3, 4, 5]


def test_102_dob() -> None:
    rows = [{"CHILD": "1", "DOB": D(2010, 1, 1)}, {"CHILD": "2"}]
    assert s903(102, {"Header": rows}) == [1]


def test_103_ethnicity() -> None:
    rows = [{"CHILD": "1", "ETHNIC": "WBRI"}, {"CHILD": "2", "ETHNIC": "wbri"}, {"CHILD": "3"}]
    assert s903(103, {"Header": rows}) == [1, 2]


def test_141_decom_valid_date() -> None:
    import polars as pl

    from outstanding.returns.engine import CollectionYear, Context, rules_for, run_rules
    from outstanding.returns.readers.coerce import type_table
    from outstanding.returns.schemas import SSDA903_TABLES

    raw = pl.DataFrame(
        {"_line": [2, 3, 4], "CHILD": ["1", "2", "3"], "DECOM": ["01/01/2021", "38/04/2019", None]}
    )
    typed, _ = type_table(
        raw, SSDA903_TABLES["Episodes"], table="Episodes", child_column="CHILD", date_format="%d/%m/%Y"
    )
    ctx = Context("903", CollectionYear(2025), {"Episodes": typed})
    rule = [r for r in rules_for("903", 2025) if r.code == "141"]
    assert run_rules(ctx, rule).findings["row"].to_list() == [3]


def test_142_previous_episode_not_ended() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "DEC": D(2025, 6, 4), "REC": "X1"},
        {"CHILD": "1", "DECOM": D(2025, 6, 5), "DEC": D(2025, 6, 6)},  # not the last, no REC
        {"CHILD": "1", "DECOM": D(2025, 6, 6)},  # the last may be open
        {"CHILD": "2", "DECOM": D(2025, 6, 6), "REC": "E11"},  # not the last, no DEC
        {"CHILD": "2", "DECOM": D(2025, 6, 7)},
        {"CHILD": "3", "DECOM": D(2025, 6, 7)},
    ]
    assert s903(142, {"Episodes": rows}) == [1, 3]


def test_143_rne_code() -> None:
    rows = [{"CHILD": "1", "RNE": "S"}, {"CHILD": "1", "RNE": "p"}, {"CHILD": "1"}]
    assert s903(143, {"Episodes": rows}) == [1]


def test_144_legal_status() -> None:
    rows = [{"CHILD": "1", "LS": "C1"}, {"CHILD": "1", "LS": "c1"}, {"CHILD": "1"}]
    assert s903(144, {"Episodes": rows}) == [1]


def test_145_category_of_need() -> None:
    rows = [
        {"CHILD": "1", "CIN": "N1"},
        {"CHILD": "1", "CIN": "N0"},
        {"CHILD": "1", "CIN": "N9"},
        {"CHILD": "1"},
    ]
    assert s903(145, {"Episodes": rows}) == [1, 2]


def test_146_placement_type_by_year() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "U4"},
        {"CHILD": "1", "PLACE": "Z1"},
        {"CHILD": "1", "PLACE": "Z11"},
        {"CHILD": "1", "PLACE": "K3"},
        {"CHILD": "1", "PLACE": "H5"},
    ]
    assert s903(146, {"Episodes": rows}, year="2024-25") == [2, 4]
    assert s903(146, {"Episodes": rows}, year="2025-26") == [1, 4]


def test_149_reason_ceased() -> None:
    rows = [
        {"CHILD": "1", "REC": "E4A"},
        {"CHILD": "1", "REC": "E4b"},
        {"CHILD": "1", "REC": "X"},
        {"CHILD": "1"},
    ]
    assert s903(149, {"Episodes": rows}) == [1, 2]


def test_131_in_touch() -> None:
    rows = [
        {"CHILD": "1", "IN_TOUCH": "YES"},
        {"CHILD": "2", "IN_TOUCH": "yes"},
        {"CHILD": "3"},
        {"CHILD": "4", "IN_TOUCH": "RHOM"},
    ]
    assert s903(131, {"OC3": rows}) == [1, 2]


def test_147_dec_valid_date() -> None:
    rows = [{"CHILD": "1", "DEC": "01/01/2021"}, {"CHILD": "1", "DEC": "38/04/2019"}, {"CHILD": "1"}]
    import polars as pl

    from outstanding.returns.engine import CollectionYear, Context, rules_for, run_rules
    from outstanding.returns.readers.coerce import type_table
    from outstanding.returns.schemas import SSDA903_TABLES

    raw = pl.DataFrame({"_line": [2, 3, 4], "CHILD": ["1", "1", "1"], "DEC": [r.get("DEC") for r in rows]})
    typed, _ = type_table(
        raw, SSDA903_TABLES["Episodes"], table="Episodes", child_column="CHILD", date_format="%d/%m/%Y"
    )
    ctx = Context("903", CollectionYear(2025), {"Episodes": typed})
    chosen = [r for r in rules_for("903", 2025) if r.code == "147"]
    assert run_rules(ctx, chosen).findings["row"].to_list() == [3]


def test_148_dec_and_rec_together() -> None:
    rows = [
        {"CHILD": "1", "DEC": D(2025, 6, 4)},
        {"CHILD": "1", "DEC": D(2025, 6, 6), "REC": "X1"},
        {"CHILD": "1", "REC": "X1"},
        {"CHILD": "1"},
    ]
    assert s903(148, {"Episodes": rows}) == [0, 2]


def test_134_no_adoption_data_for_care_leavers() -> None:
    oc3 = [{"CHILD": "A"}, {"CHILD": "B", "IN_TOUCH": "YES"}, {"CHILD": "C", "ACCOM": "B1"}]
    ad1 = [
        {"CHILD": "A", "DATE_INT": D(2025, 5, 1)},
        {"CHILD": "B", "DATE_MATCH": D(2025, 5, 1)},
        {"CHILD": "C"},
        {"CHILD": "D", "NB_ADOPTR": "1"},
    ]
    assert s903(134, {"OC3": oc3, "AD1": ad1}) == [1]


def test_1000_died_in_care_no_care_leaver_data() -> None:
    oc3 = [
        {"CHILD": "1", "IN_TOUCH": "YES"},
        {"CHILD": "2", "IN_TOUCH": "DIED"},
        {"CHILD": "3", "ACTIV": "F1"},
    ]
    episodes = [{"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E2"}]
    previous = {"Episodes": [{"CHILD": "3", "DECOM": D(2024, 5, 1), "DEC": D(2024, 6, 1), "REC": "E2"}]}
    assert s903(1000, {"OC3": oc3, "Episodes": episodes}) == [1]
    assert s903(1000, {"OC3": oc3, "Episodes": episodes}, previous=previous) == [1, 2]
