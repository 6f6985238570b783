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


# --- helpers for rows the test builder refuses (unreadable dates and numbers) ---------------------


def s903_raw(code: int | str, tables: dict[str, list[dict]], year: str = "2025-26") -> list[int]:
    """Like ``s903`` but types the rows as the reader does, so badly formed values reach the rule."""
    import polars as pl

    from outstanding.codes import year_start
    from outstanding.returns.engine import CollectionYear, Context, rules_for, run_rules
    from outstanding.returns.readers.coerce import type_table
    from outstanding.returns.schemas import SSDA903_TABLES

    typed = {}
    for name, rows in tables.items():
        kinds = SSDA903_TABLES[name]
        columns: dict[str, list] = {"_line": [i + 2 for i in range(len(rows))]}
        for field in kinds:
            columns[field] = [
                v.strftime("%d/%m/%Y") if isinstance(v := r.get(field), dt.date) else v for r in rows
            ]
        frame = pl.DataFrame(columns, schema={k: pl.Int64 if k == "_line" else pl.String for k in columns})
        typed[name], _ = type_table(frame, kinds, table=name, child_column="CHILD", date_format="%d/%m/%Y")
    start = year_start(year)
    chosen = [r for r in rules_for("903", start) if r.code == str(code)]
    assert chosen, f"rule {code} not registered for {year}"
    result = run_rules(Context("903", CollectionYear(start), typed), chosen)
    assert not result.failed_rules, result.findings["message"].to_list()
    return sorted(line - 2 for line in result.findings["row"].to_list())


# --- single-table rules ------------------------------------------------------------------------


def test_104_uasc_ceased_date() -> None:
    rows = [
        {"CHILD": "1", "DUC": D(2025, 6, 1)},
        {"CHILD": "2", "DUC": D(2025, 3, 31)},  # before the collection year
        {"CHILD": "3", "DUC": "31/02/2026"},
        {"CHILD": "4"},
    ]
    assert s903_raw(104, {"UASC": rows}) == [1, 2]


def test_112_113_adoption_dates() -> None:
    rows = [
        {"CHILD": "1", "DATE_INT": D(2025, 6, 1), "DATE_MATCH": "1/6/2025"},
        {"CHILD": "2", "DATE_INT": "38/04/2025", "DATE_MATCH": D(2025, 6, 1)},
        {"CHILD": "3"},
    ]
    assert s903_raw(112, {"AD1": rows}) == [1]
    assert s903_raw(113, {"AD1": rows}) == [0]


def test_112_date_should_be_placed() -> None:
    assert s903_raw(112, {"AD1": [{"CHILD": "1", "DATE_INT": "2025-06-01"}]}) == [0]


def test_113_date_matched() -> None:
    assert s903_raw(113, {"AD1": [{"CHILD": "1", "DATE_MATCH": D(2025, 6, 1)}]}) == []


def test_114_former_foster_carer() -> None:
    rows = [{"CHILD": "1", "FOSTER_CARE": "0"}, {"CHILD": "2", "FOSTER_CARE": "2"}, {"CHILD": "3"}]
    assert s903(114, {"AD1": rows}) == [1]


def test_115_116_placed_for_adoption_dates() -> None:
    rows = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 6, 1), "DATE_PLACED_CEASED": "2025/07/01"},
        {"CHILD": "2", "DATE_PLACED": "00/06/2025", "DATE_PLACED_CEASED": D(2025, 7, 1)},
        {"CHILD": "3"},
    ]
    assert s903_raw(115, {"PlacedAdoption": rows}) == [1]
    assert s903_raw(116, {"PlacedAdoption": rows}) == [0]


def test_115_date_placed() -> None:
    assert s903_raw(115, {"PlacedAdoption": [{"CHILD": "1", "DATE_PLACED": D(2025, 6, 1)}]}) == []


def test_116_date_placed_ceased() -> None:
    assert s903_raw(116, {"PlacedAdoption": [{"CHILD": "1", "DATE_PLACED_CEASED": "x"}]}) == [0]


def test_119_placed_ceased_date_and_reason_together() -> None:
    rows = [
        {"CHILD": "1", "DATE_PLACED_CEASED": D(2025, 6, 1), "REASON_PLACED_CEASED": "RD1"},
        {"CHILD": "2", "DATE_PLACED_CEASED": D(2025, 6, 1)},
        {"CHILD": "3", "REASON_PLACED_CEASED": "RD2"},
        {"CHILD": "4"},
    ]
    assert s903(119, {"PlacedAdoption": rows}) == [1, 2]


def test_120_reason_placed_ceased_code() -> None:
    rows = [
        {"CHILD": "1", "REASON_PLACED_CEASED": "RD4"},
        {"CHILD": "2", "REASON_PLACED_CEASED": "rd1"},
        {"CHILD": "3", "REASON_PLACED_CEASED": "RD0"},
        {"CHILD": "4"},
    ]
    assert s903(120, {"PlacedAdoption": rows}) == [1, 2]


def test_132_activity_code() -> None:
    rows = [
        {"CHILD": "1", "ACTIV": "F1"},
        {"CHILD": "2", "ACTIV": "0"},
        {"CHILD": "3", "ACTIV": "f1"},
        {"CHILD": "4", "ACTIV": "1"},
        {"CHILD": "5"},
    ]
    assert s903(132, {"OC3": rows}) == [2, 3]


def test_133_accommodation_code() -> None:
    rows = [
        {"CHILD": "1", "ACCOM": "B1"},
        {"CHILD": "2", "ACCOM": "S2"},
        {"CHILD": "3", "ACCOM": "S1"},  # no fixed abode is never suitable
        {"CHILD": "4", "ACCOM": "X"},
        {"CHILD": "5", "ACCOM": "0"},
    ]
    assert s903(133, {"OC3": rows}) == [2, 3]


def test_151_adoption_items_together() -> None:
    full = {
        "DATE_INT": D(2025, 5, 1),
        "DATE_MATCH": D(2025, 6, 1),
        "FOSTER_CARE": "1",
        "NB_ADOPTR": "2",
        "SEX_ADOPTR": "MF",
        "LS_ADOPTR": "L11",
    }
    rows = [
        {"CHILD": "1", **full},
        {"CHILD": "2"},
        {"CHILD": "3", **{**full, "SEX_ADOPTR": None}},
        {"CHILD": "4", "DATE_MATCH": D(2025, 6, 1)},
    ]
    assert s903(151, {"AD1": rows}) == [2, 3]


def test_153_care_leaver_items_together() -> None:
    rows = [
        {"CHILD": "1", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"},
        {"CHILD": "2"},
        {"CHILD": "3", "IN_TOUCH": "YES"},
        {"CHILD": "4", "ACTIV": "F1", "ACCOM": "B1"},
    ]
    assert s903(153, {"OC3": rows}) == [2, 3]


def test_158_intervention_offered_blank_if_received() -> None:
    rows = [
        {"CHILD": "1", "INTERVENTION_RECEIVED": "1"},
        {"CHILD": "2", "INTERVENTION_RECEIVED": "0", "INTERVENTION_OFFERED": "1"},
        {"CHILD": "3", "INTERVENTION_RECEIVED": "1", "INTERVENTION_OFFERED": "0"},
    ]
    assert s903(158, {"OC2": rows}) == [2]


def test_159_intervention_offered_needed_if_not_received() -> None:
    rows = [
        {"CHILD": "1", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0", "INTERVENTION_OFFERED": "1"},
        {"CHILD": "2", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0"},
        {"CHILD": "3", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1"},
        {"CHILD": "4", "SUBSTANCE_MISUSE": "0", "INTERVENTION_RECEIVED": "0"},
    ]
    assert s903(159, {"OC2": rows}) == [1]


def test_166_review_date() -> None:
    rows = [{"CHILD": "1", "REVIEW": D(2025, 6, 1)}, {"CHILD": "2", "REVIEW": "1/6/25"}, {"CHILD": "3"}]
    assert s903_raw(166, {"Reviews": rows}) == [1, 2]


def test_167_review_participation() -> None:
    rows = [
        {"CHILD": "1", "REVIEW": D(2025, 6, 1), "REVIEW_CODE": "PN3"},
        {"CHILD": "2", "REVIEW": D(2025, 6, 1), "REVIEW_CODE": "pn3"},
        {"CHILD": "3", "REVIEW": D(2025, 6, 1)},
        {"CHILD": "4"},
        {"CHILD": "5", "REVIEW_CODE": "PN1"},
    ]
    assert s903(167, {"Reviews": rows}) == [1, 2, 4]


def test_168_upn() -> None:
    rows = [
        {"CHILD": "1", "UPN": "UN3"},
        {"CHILD": "2", "UPN": "A123456789012"},
        {"CHILD": "3", "UPN": "A12345678901B"},
        {"CHILD": "4", "UPN": "UN7"},
        {"CHILD": "5", "UPN": "I123456789012"},
        {"CHILD": "6", "UPN": "A12345678901"},
        {"CHILD": "7"},
    ]
    assert s903(168, {"Header": rows}) == [3, 4, 5]


def test_171_mothers_child_dob() -> None:
    rows = [{"CHILD": "1", "MC_DOB": D(2025, 6, 1)}, {"CHILD": "2", "MC_DOB": "31/06/2025"}, {"CHILD": "3"}]
    assert s903_raw(171, {"Header": rows}) == [1]


def test_174_mothers_child_but_male() -> None:
    rows = [
        {"CHILD": "1", "SEX": "F", "MC_DOB": D(2025, 6, 1)},
        {"CHILD": "2", "SEX": "M", "MC_DOB": D(2025, 6, 1)},
        {"CHILD": "3", "SEX": "M"},
    ]
    assert s903(174, {"Header": rows}) == [1]


def test_175_number_of_adopters() -> None:
    rows = [{"CHILD": "1", "NB_ADOPTR": "1"}, {"CHILD": "2", "NB_ADOPTR": "0"}, {"CHILD": "3"}]
    assert s903(175, {"AD1": rows}) == [1]


def test_176_sex_of_adopters() -> None:
    rows = [{"CHILD": "1", "SEX_ADOPTR": "MF"}, {"CHILD": "2", "SEX_ADOPTR": "m1"}, {"CHILD": "3"}]
    assert s903(176, {"AD1": rows}) == [1]


def test_177_legal_status_of_adopters() -> None:
    rows = [{"CHILD": "1", "LS_ADOPTR": "L12"}, {"CHILD": "2", "LS_ADOPTR": "L1"}, {"CHILD": "3"}]
    assert s903(177, {"AD1": rows}) == [1]


def test_178_placement_provider() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "U1", "PLACE_PROVIDER": "PR1"},
        {"CHILD": "2", "PLACE": "U1", "PLACE_PROVIDER": "pr1"},
        {"CHILD": "3", "PLACE": "T0", "PLACE_PROVIDER": "PR1"},
        {"CHILD": "4", "PLACE": "T0"},
        {"CHILD": "5", "PLACE": "Z11", "PLACE_PROVIDER": "PR4"},
        {"CHILD": "6", "PLACE": "T4", "PLACE_PROVIDER": "PR4"},
    ]
    assert s903(178, {"Episodes": rows}, year="2025-26") == [1, 2, 4]
    assert s903(178, {"Episodes": rows}, year="2024-25") == [1, 2, 5]


def test_180_sdq_score() -> None:
    rows = [
        {"CHILD": "1", "SDQ_SCORE": "40"},
        {"CHILD": "2", "SDQ_SCORE": "41"},
        {"CHILD": "3", "SDQ_SCORE": "XX"},
        {"CHILD": "4", "SDQ_SCORE": "0"},
        {"CHILD": "5"},
    ]
    assert s903_raw(180, {"OC2": rows}) == [1, 2]


def test_181_oc2_items_zero_or_one() -> None:
    rows = [
        {"CHILD": "1", "CONVICTED": "0", "HEALTH_CHECK": "1"},
        {"CHILD": "2", "TEETH_CHECK": "2"},
        {"CHILD": "3", "INTERVENTION_OFFERED": "Y"},
        {"CHILD": "4"},
    ]
    assert s903(181, {"OC2": rows}) == [1, 2]


def test_182_oc2_core_items_complete() -> None:
    core = {"IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0"}
    rows = [
        {"CHILD": "1", **core, "CONVICTED": "0"},
        {"CHILD": "2"},
        {"CHILD": "3", "CONVICTED": "0"},
        {"CHILD": "4", **{**core, "TEETH_CHECK": None}},
    ]
    assert s903(182, {"OC2": rows}) == [2, 3]


def test_184_placed_for_adoption_before_birth() -> None:
    header = [{"CHILD": "1", "DOB": D(2020, 1, 1)}, {"CHILD": "2", "DOB": D(2020, 1, 1)}]
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2020, 1, 1)},
        {"CHILD": "2", "DATE_PLACED": D(2019, 12, 31)},
        {"CHILD": "3", "DATE_PLACED": D(2019, 12, 31)},
    ]
    assert s903(184, {"Header": header, "PlacedAdoption": placed}) == [1]


def test_188_sdq_for_under_4() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2022, 3, 31), "SDQ_SCORE": "10"},  # 4 on 31 March 2026
        {"CHILD": "2", "DOB": D(2022, 4, 1), "SDQ_SCORE": "10"},
        {"CHILD": "3", "DOB": D(2023, 1, 1), "SDQ_REASON": "SDQ1"},
        {"CHILD": "4", "DOB": D(2023, 1, 1)},
    ]
    assert s903(188, {"OC2": rows}) == [1, 2]


def test_189_sdq_for_17_and_over() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2008, 4, 2), "SDQ_SCORE": "10"},
        {"CHILD": "2", "DOB": D(2008, 4, 1), "SDQ_SCORE": "10"},  # 17 on 1 April 2025
        {"CHILD": "3", "DOB": D(2007, 1, 1), "SDQ_REASON": "SDQ1"},
        {"CHILD": "4", "DOB": D(2007, 1, 1)},
    ]
    assert s903(189, {"OC2": rows}) == [1, 2]


def test_192_substance_misuse_intervention_received() -> None:
    rows = [
        {"CHILD": "1", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0"},
        {"CHILD": "2", "SUBSTANCE_MISUSE": "1"},
        {"CHILD": "3", "SUBSTANCE_MISUSE": "0"},
    ]
    assert s903(192, {"OC2": rows}) == [1]


# Children 1 and 2 are looked after all year; 3 started in the year; 4 left in the year; 5 had a short break.
_CLA_EPISODES = [
    {"CHILD": "1", "DECOM": D(2024, 1, 1), "RNE": "S", "LS": "C2"},
    {"CHILD": "2", "DECOM": D(2024, 1, 1), "RNE": "S", "LS": "C2", "DEC": D(2025, 8, 1), "REC": "X1"},
    {"CHILD": "2", "DECOM": D(2025, 8, 1), "RNE": "P", "LS": "C2"},
    {"CHILD": "3", "DECOM": D(2025, 5, 1), "RNE": "S", "LS": "C2"},
    {"CHILD": "4", "DECOM": D(2024, 1, 1), "RNE": "S", "LS": "C2", "DEC": D(2025, 8, 1), "REC": "E4A"},
    {"CHILD": "5", "DECOM": D(2024, 1, 1), "RNE": "S", "LS": "V3"},
]


def test_continuously_looked_after() -> None:
    from outstanding.returns.engine import CollectionYear, Context
    from outstanding.returns.rules.ssda903_common import continuously_looked_after
    from outstanding.returns.testing import tables

    ctx = Context("903", CollectionYear(2025), tables("903", {"Episodes": _CLA_EPISODES}))
    assert sorted(continuously_looked_after(ctx)["CHILD"].to_list()) == ["1", "2"]


def test_157_sdq1_reason_for_child_aged_4_to_16() -> None:
    oc2 = [
        {"CHILD": "1", "DOB": D(2015, 1, 1), "SDQ_REASON": "SDQ1"},
        {"CHILD": "2", "DOB": D(2015, 1, 1), "SDQ_REASON": "SDQ2"},
        {"CHILD": "3", "DOB": D(2015, 1, 1), "SDQ_REASON": "SDQ1"},  # not looked after all year
        {"CHILD": "1", "DOB": D(2005, 1, 1), "SDQ_REASON": "SDQ1"},  # too old
    ]
    assert s903(157, {"OC2": oc2, "Episodes": _CLA_EPISODES}) == [0]


def test_185_sdq_score_but_not_looked_after_12_months() -> None:
    oc2 = [{"CHILD": "1", "SDQ_SCORE": "10"}, {"CHILD": "3", "SDQ_SCORE": "10"}, {"CHILD": "4"}]
    assert s903(185, {"OC2": oc2, "Episodes": _CLA_EPISODES}) == [1]


def test_186_sdq_needed_for_child_looked_after_12_months() -> None:
    oc2 = [
        {"CHILD": "1", "DOB": D(2015, 1, 1), "SDQ_SCORE": "10"},
        {"CHILD": "2", "DOB": D(2015, 1, 1)},  # neither a score nor a reason
        {"CHILD": "3", "DOB": D(2015, 1, 1)},  # not looked after all year
        {"CHILD": "1", "DOB": D(2023, 1, 1)},  # under 4
        {"CHILD": "2", "DOB": D(2015, 1, 1), "SDQ_REASON": "SDQ2"},  # the reason there is no score
    ]
    assert s903(186, {"OC2": oc2, "Episodes": _CLA_EPISODES}) == [1]


def test_190_oc2_items_but_not_looked_after_12_months() -> None:
    oc2 = [
        {"CHILD": "1", "CONVICTED": "0"},
        {"CHILD": "4", "CONVICTED": "0"},
        {"CHILD": "5", "IMMUNISATIONS": "1"},
        {"CHILD": "3"},
    ]
    assert s903(190, {"OC2": oc2, "Episodes": _CLA_EPISODES}) == [1, 2]


# --- episodes, header and last year's return -----------------------------------------------------


def test_193_intervention_without_substance_misuse() -> None:
    rows = [
        {"CHILD": "1", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1"},
        {"CHILD": "2", "SUBSTANCE_MISUSE": "0", "INTERVENTION_OFFERED": "0"},
        {"CHILD": "3", "INTERVENTION_RECEIVED": "1"},
        {"CHILD": "4", "SUBSTANCE_MISUSE": "0"},
    ]
    assert s903(193, {"OC2": rows}) == [1, 2]


def test_196_sdq_reason_code() -> None:
    rows = [{"CHILD": "1", "SDQ_REASON": "SDQ5"}, {"CHILD": "2", "SDQ_REASON": "sdq2"}, {"CHILD": "3"}]
    assert s903(196, {"OC2": rows}) == [1]


def test_198_sdq_reason_but_not_looked_after_12_months() -> None:
    oc2 = [{"CHILD": "1", "SDQ_REASON": "SDQ2"}, {"CHILD": "3", "SDQ_REASON": "SDQ2"}, {"CHILD": "4"}]
    assert s903(198, {"OC2": oc2, "Episodes": _CLA_EPISODES}) == [1]


def test_199_episode_after_adoption() -> None:
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E11"},
        {"CHILD": "1", "DECOM": D(2025, 9, 1)},  # after the adoption
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "X1"},
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "DEC": D(2025, 7, 1), "REC": "E12"},
        {"CHILD": "3", "DECOM": D(2025, 5, 1)},
    ]
    previous = {"Episodes": [{"CHILD": "3", "DECOM": D(2024, 5, 1), "DEC": D(2024, 6, 1), "REC": "E12"}]}
    assert s903(199, {"Episodes": episodes}) == [1]
    assert s903(199, {"Episodes": episodes}, previous=previous) == [1, 4]


def test_202_sex_differs_from_last_year() -> None:
    header = [
        {"CHILD": "1", "SEX": "M"},
        {"CHILD": "2", "SEX": "F"},
        {"CHILD": "3", "SEX": "F"},
        {"CHILD": "4", "SEX": "M"},
        {"CHILD": "5"},
    ]
    last = [
        {"CHILD": "1", "SEX": "1"},  # last year's gender code for male
        {"CHILD": "2", "SEX": "M"},
        {"CHILD": "3", "SEX": "F"},
        {"CHILD": "5", "SEX": "F"},
    ]
    assert s903(202, {"Header": header}) == []
    assert s903(202, {"Header": header}, previous={"Header": last}) == [1, 4]


def test_203_dob_differs_from_last_year() -> None:
    header = [{"CHILD": "1", "DOB": D(2015, 1, 1)}, {"CHILD": "2", "DOB": D(2015, 1, 2)}, {"CHILD": "3"}]
    last = [{"CHILD": "1", "DOB": D(2015, 1, 1)}, {"CHILD": "2", "DOB": D(2015, 1, 1)}]
    assert s903(203, {"Header": header}, previous={"Header": last}) == [1]


def test_204_ethnicity_differs_from_last_year() -> None:
    header = [
        {"CHILD": "1", "ETHNIC": "WBRI"},
        {"CHILD": "2", "ETHNIC": "WBRI"},
        {"CHILD": "3", "ETHNIC": "NOBT"},
    ]
    last = [{"CHILD": "1", "ETHNIC": "wbri"}, {"CHILD": "2", "ETHNIC": "NOBT"}]
    assert s903(204, {"Header": header}, previous={"Header": last}) == [1]


def test_207_mother_status_differs_from_last_year() -> None:
    header = [
        {"CHILD": "1", "MOTHER": "1"},
        {"CHILD": "2", "MOTHER": "0"},
        {"CHILD": "3"},
        {"CHILD": "4", "MOTHER": "0"},  # no episodes this year
        {"CHILD": "5", "MOTHER": "1"},
    ]
    last = [
        {"CHILD": c, "MOTHER": m} for c, m in (("1", "1"), ("2", "1"), ("3", "1"), ("4", "1"), ("5", "0"))
    ]
    episodes = [{"CHILD": c, "DECOM": D(2025, 5, 1)} for c in ("1", "2", "3", "5")]
    assert s903(207, {"Header": header, "Episodes": episodes}, previous={"Header": last}) == [1, 2]


def test_209_school_age_child_with_un1() -> None:
    rows = [
        {"CHILD": "1", "UPN": "UN1", "DOB": D(2020, 8, 31)},  # 4 on 31 August 2024
        {"CHILD": "2", "UPN": "UN1", "DOB": D(2020, 9, 1)},
        {"CHILD": "3", "UPN": "UN2", "DOB": D(2010, 1, 1)},
    ]
    assert s903(209, {"Header": rows}) == [0]


def test_210_un4_with_late_episode() -> None:
    header = [{"CHILD": "1", "UPN": "UN4"}, {"CHILD": "2", "UPN": "UN4"}, {"CHILD": "3", "UPN": "UN3"}]
    episodes = [
        {"CHILD": "1", "DECOM": D(2026, 3, 24)},
        {"CHILD": "2", "DECOM": D(2026, 3, 23)},
        {"CHILD": "3", "DECOM": D(2026, 3, 30)},
    ]
    assert s903(210, {"Header": header, "Episodes": episodes}) == [0]


def test_213_no_provider_for_temporary_placements() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "T1", "PLACE_PROVIDER": "PR1"},
        {"CHILD": "1", "PLACE": "T1"},
        {"CHILD": "1", "PLACE": "U1", "PLACE_PROVIDER": "PR1"},
        {"CHILD": "1", "PLACE": "Z12", "PLACE_PROVIDER": "PR1"},
    ]
    assert s903(213, {"Episodes": rows}, year="2025-26") == [0, 3]
    assert s903(213, {"Episodes": rows}, year="2024-25") == [0]


def test_214_no_location_for_short_breaks() -> None:
    rows = [
        {"CHILD": "1", "LS": "V3", "PL_POST": "AB1 2"},
        {"CHILD": "1", "LS": "V4", "URN": "SC123456"},
        {"CHILD": "1", "LS": "V3"},
        {"CHILD": "1", "LS": "C2", "PL_POST": "AB1 2", "URN": "SC123456"},
    ]
    assert s903(214, {"Episodes": rows}) == [0, 1]


def test_215_care_leaver_with_oc2_items() -> None:
    oc3 = [{"CHILD": "1", "IN_TOUCH": "YES"}, {"CHILD": "2"}]
    oc2 = [
        {"CHILD": "1", "CONVICTED": "0"},
        {"CHILD": "2", "CONVICTED": "0"},
        {"CHILD": "3", "CONVICTED": "0"},
    ]
    assert s903(215, {"OC2": oc2, "OC3": oc3}) == [0]


def test_217_adoption_by_foster_carer_reason_for_new_episode() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "A3", "DECOM": D(2025, 5, 1), "RNE": "T"},
        {"CHILD": "1", "PLACE": "A5", "DECOM": D(2025, 5, 1), "RNE": "P"},
        {"CHILD": "1", "PLACE": "A5", "DECOM": D(2025, 5, 1)},
        {"CHILD": "1", "PLACE": "A4", "DECOM": D(2025, 5, 1), "RNE": "P"},
    ]
    assert s903(217, {"Episodes": rows}) == [1, 2]


def test_222_urn_not_for_this_placement() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "R1", "URN": "SC123456"},
        {"CHILD": "1", "PLACE": "R1", "URN": "XXXXXXX"},
        {"CHILD": "1", "PLACE": "K2", "URN": "SC123456"},
        {"CHILD": "1", "PLACE": "T2"},
    ]
    assert s903(222, {"Episodes": rows}) == [0]


def test_225_reason_for_placement_change() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "REC": "X1", "PLACE": "U1"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "RNE": "P", "PLACE": "U4", "REC": "X1"},
        {"CHILD": "1", "DECOM": D(2025, 7, 1), "RNE": "L", "PLACE": "U4"},  # legal status only
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "REC": "X1", "PLACE": "U1", "REASON_PLACE_CHANGE": "CARPL"},
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "RNE": "P", "PLACE": "U4", "REC": "X1"},
        {"CHILD": "2", "DECOM": D(2025, 7, 1), "RNE": "P", "PLACE": "T1"},  # to a temporary placement
    ]
    assert s903(225, {"Episodes": rows}) == [0]


def test_226_no_reason_for_temporary_placement() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "PLACE": "U1", "REASON_PLACE_CHANGE": "CARPL"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "PLACE": "T1"},  # the episode before gave a reason
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "PLACE": "U1"},
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "PLACE": "T2", "REASON_PLACE_CHANGE": "CARPL"},
        {"CHILD": "3", "DECOM": D(2025, 6, 1), "PLACE": "T2"},
    ]
    assert s903(226, {"Episodes": rows}) == [1, 3]


def test_333_date_int_before_date_match() -> None:
    rows = [
        {"CHILD": "1", "DATE_INT": D(2025, 5, 1), "DATE_MATCH": D(2025, 6, 1)},
        {"CHILD": "2", "DATE_INT": D(2025, 7, 1), "DATE_MATCH": D(2025, 6, 1)},
        {"CHILD": "3", "DATE_MATCH": D(2025, 6, 1)},
        {"CHILD": "4", "DATE_INT": D(2025, 7, 1)},
    ]
    assert s903(333, {"AD1": rows}) == [1, 2]


def test_334_date_int_after_latest_period_of_care() -> None:
    episodes = [
        {"CHILD": "1", "DECOM": D(2020, 1, 1), "RNE": "S"},
        {"CHILD": "1", "DECOM": D(2024, 1, 1), "RNE": "S"},
        {"CHILD": "2", "DECOM": D(2024, 1, 1), "RNE": "S"},
        {"CHILD": "2", "DECOM": D(2025, 1, 1), "RNE": "P"},
    ]
    ad1 = [{"CHILD": "1", "DATE_INT": D(2023, 1, 1)}, {"CHILD": "2", "DATE_INT": D(2024, 6, 1)}]
    assert s903(334, {"Episodes": episodes, "AD1": ad1}) == [0]


def test_335_foster_care_and_adoption_placement() -> None:
    episodes = [
        {"CHILD": "1", "PLACE": "A3", "REC": "E11"},
        {"CHILD": "2", "PLACE": "A4", "REC": "E12"},
        {"CHILD": "3", "PLACE": "A5", "REC": "E11"},
        {"CHILD": "4", "PLACE": "A3", "REC": "X1"},
    ]
    ad1 = [
        {"CHILD": "1", "FOSTER_CARE": "0"},
        {"CHILD": "2", "FOSTER_CARE": "1"},
        {"CHILD": "3", "FOSTER_CARE": "1"},
        {"CHILD": "4", "FOSTER_CARE": "0"},
    ]
    assert s903(335, {"Episodes": episodes, "AD1": ad1}) == [0, 1]


def test_344_died_or_returned_home_no_activity() -> None:
    rows = [
        {"CHILD": "1", "IN_TOUCH": "DIED", "ACTIV": "0", "ACCOM": "0"},
        {"CHILD": "2", "IN_TOUCH": "RHOM", "ACTIV": "F1", "ACCOM": "0"},
        {"CHILD": "3", "IN_TOUCH": "DIED", "ACCOM": "0"},
        {"CHILD": "4", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"},
    ]
    assert s903(344, {"OC3": rows}) == [1, 2]


def test_345_in_touch_with_zero_activity() -> None:
    rows = [
        {"CHILD": "1", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"},
        {"CHILD": "2", "IN_TOUCH": "YES", "ACTIV": "0", "ACCOM": "B1"},
        {"CHILD": "3", "IN_TOUCH": "NO", "ACTIV": "0", "ACCOM": "0"},
    ]
    assert s903(345, {"OC3": rows}) == [1]


def test_351_over_21() -> None:
    rows = [{"CHILD": "1", "DOB": D(2004, 4, 1)}, {"CHILD": "2", "DOB": D(2004, 3, 31)}, {"CHILD": "3"}]
    assert s903(351, {"Header": rows}) == [1]


def test_355_episode_under_a_day() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 5, 1)},
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 5, 2)},
        {"CHILD": "1", "DECOM": D(2025, 5, 1)},
    ]
    assert s903(355, {"Episodes": rows}) == [0]


def test_356_ceased_before_started() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 2), "DEC": D(2025, 5, 1)},
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 5, 1)},
        {"CHILD": "1", "DECOM": D(2025, 5, 1)},
    ]
    assert s903(356, {"Episodes": rows}) == [0]


def test_357_first_episode_starts_with_s() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "RNE": "P"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "RNE": "P"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "RNE": "S"},
        {"CHILD": "3", "DECOM": D(2024, 5, 1), "RNE": "P"},  # began before the year
        {"CHILD": "4", "DECOM": D(2025, 5, 1)},
    ]
    assert s903(357, {"Episodes": rows}) == [0, 4]


def test_359_over_18_in_community_home_under_s20() -> None:
    header = [
        {"CHILD": "1", "DOB": D(2007, 6, 1)},
        {"CHILD": "2", "DOB": D(2007, 6, 1)},
        {"CHILD": "3", "DOB": D(2010, 1, 1)},
    ]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "LS": "V2", "PLACE": "K2"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "LS": "C2", "PLACE": "U4"},
        {"CHILD": "2", "DECOM": D(2025, 1, 1), "DEC": D(2025, 5, 1), "LS": "C2", "PLACE": "U4", "REC": "X1"},
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "LS": "C2", "PLACE": "U4"},
    ]
    assert s903(359, {"Header": header, "Episodes": episodes}) == [1]


# --- 197B to 367: SDQ ages, UASC, placement change reasons, legal status spells -------------------


def _all_year(child: str) -> dict:
    """An episode open all of 2025-26, so the child is looked after continuously for 12 months."""
    return {"CHILD": child, "DECOM": D(2024, 1, 1), "RNE": "S", "LS": "C2", "PLACE": "U4"}


def test_197B_sdq_at_4_or_17() -> None:
    episodes = [_all_year(c) for c in ("1", "2", "3", "4", "5")]
    oc2 = [
        {"CHILD": "1", "DOB": D(2021, 6, 1)},  # turns 4 in the year, nothing given
        {"CHILD": "2", "DOB": D(2008, 6, 1)},  # turns 17, nothing given
        {"CHILD": "3", "DOB": D(2021, 6, 1), "SDQ_REASON": "SDQ1"},
        {"CHILD": "4", "DOB": D(2021, 6, 1), "SDQ_SCORE": 10},
        {"CHILD": "5", "DOB": D(2015, 6, 1)},  # 10: not this rule's
        {"CHILD": "6", "DOB": D(2021, 6, 1)},  # not looked after all year
    ]
    assert s903("197B", {"Episodes": episodes, "OC2": oc2}) == [0, 1]


def test_205D_uasc_this_year_not_last() -> None:
    uasc = [{"CHILD": "1", "SEX": "M"}, {"CHILD": "2", "SEX": "M"}, {"CHILD": "3", "SEX": "M"}]
    previous = {
        "Header": [{"CHILD": "1"}, {"CHILD": "2"}],
        "UASC": [{"CHILD": "2", "SEX": "M"}],
    }
    assert s903("205D", {"UASC": uasc}, previous=previous) == [0]
    # Without last year's UASC table nothing is known of last year's status.
    assert s903("205D", {"UASC": uasc}, previous={"Header": previous["Header"]}) == []
    assert s903("205D", {"UASC": uasc}) == []


def test_231_uasc_under_11_is_a_query() -> None:
    uasc = [
        {"CHILD": "1", "DOB": D(2015, 4, 1)},  # 10 at 31 March 2026
        {"CHILD": "2", "DOB": D(2015, 3, 31)},  # 11 that day
        {"CHILD": "3", "DOB": D(2010, 1, 1)},
    ]
    assert s903(231, {"UASC": uasc}) == [0]
    from outstanding.returns.testing import run

    assert run("903", 231, {"UASC": uasc})["type"].to_list() == ["query"]


def test_232_sex_unknown_is_a_query() -> None:
    rows = [{"CHILD": "1", "SEX": "U"}, {"CHILD": "2", "SEX": "F"}, {"CHILD": "3"}]
    assert s903(232, {"Header": rows}, year="2024-25") == [0]
    from outstanding.returns.testing import run

    assert run("903", 232, {"Header": rows})["type"].to_list() == ["query"]


def test_233_reason_for_change_on_open_episode() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "REASON_PLACE_CHANGE": "CARPL"},
        {
            "CHILD": "2",
            "DECOM": D(2025, 5, 1),
            "DEC": D(2025, 6, 1),
            "REC": "X1",
            "REASON_PLACE_CHANGE": "CARPL",
        },
        {"CHILD": "3", "DECOM": D(2025, 5, 1)},
    ]
    assert s903(233, {"Episodes": rows}) == [0]


def test_234_custody_under_10() -> None:
    header = [{"CHILD": "1", "DOB": D(2016, 6, 1)}, {"CHILD": "2", "DOB": D(2010, 6, 1)}]
    episodes = [
        {
            "CHILD": "1",
            "DECOM": D(2025, 5, 1),
            "DEC": D(2025, 7, 1),
            "REC": "X1",
            "REASON_PLACE_CHANGE": "CUSTOD",
        },
        {"CHILD": "1", "DECOM": D(2025, 7, 1)},  # 9 when it starts
        {
            "CHILD": "2",
            "DECOM": D(2025, 5, 1),
            "DEC": D(2025, 7, 1),
            "REC": "X1",
            "REASON_PLACE_CHANGE": "CUSTOD",
        },
        {"CHILD": "2", "DECOM": D(2025, 7, 1)},  # 15
    ]
    assert s903(234, {"Header": header, "Episodes": episodes}) == [0]


def test_242_urn_xxxxxxx_only_for_adoption_agencies() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "A3", "URN": "XXXXXXX"},
        {"CHILD": "1", "PLACE": "K2", "URN": "XXXXXXX"},
        {"CHILD": "1", "URN": "XXXXXXX"},
        {"CHILD": "1", "PLACE": "K2", "URN": "SC123456"},
    ]
    assert s903(242, {"Episodes": rows}) == [1, 2]
    try:
        s903(242, {"Episodes": rows}, year="2024-25")
    except LookupError:
        pass
    else:
        raise AssertionError("rule 242 starts in 2025-26")


def test_301_born_after_year_end() -> None:
    rows = [{"CHILD": "1", "DOB": D(2026, 4, 1)}, {"CHILD": "2", "DOB": D(2026, 3, 31)}, {"CHILD": "3"}]
    assert s903(301, {"Header": rows}) == [0]


def test_302_first_episode_before_birth() -> None:
    header = [{"CHILD": "1", "DOB": D(2025, 6, 1)}, {"CHILD": "2", "DOB": D(2025, 6, 1)}]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1)},  # before birth
        {"CHILD": "1", "DECOM": D(2025, 5, 2)},  # not the first
        {"CHILD": "2", "DECOM": D(2025, 6, 1)},
    ]
    assert s903(302, {"Header": header, "Episodes": episodes}) == [0]


def test_304_uasc_ceased_after_18() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2007, 6, 1), "DUC": D(2025, 6, 2)},
        {"CHILD": "2", "DOB": D(2007, 6, 1), "DUC": D(2025, 6, 1)},
        {"CHILD": "3", "DOB": D(2007, 6, 1)},
    ]
    assert s903(304, {"UASC": rows}) == [0]


def test_336_foster_placement_before_adoption_with_foster_carer() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "PLACE": "U4"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "PLACE": "A5"},  # after foster: fine
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "PLACE": "K2"},
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "PLACE": "A3"},  # after a children's home
        {"CHILD": "3", "DECOM": D(2025, 6, 1), "PLACE": "A3"},  # first episode here: not judged
        {"CHILD": "4", "DECOM": D(2025, 5, 1), "PLACE": "K2"},
        {"CHILD": "4", "DECOM": D(2025, 6, 1), "PLACE": "A4"},  # not with the foster carer
    ]
    assert s903(336, {"Episodes": rows}) == [3]


def test_358_youth_justice_status_under_10() -> None:
    header = [{"CHILD": "1", "DOB": D(2016, 1, 1)}, {"CHILD": "2", "DOB": D(2010, 1, 1)}]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "LS": "J1"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "LS": "C2"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "LS": "J2"},
    ]
    assert s903(358, {"Header": header, "Episodes": episodes}) == [0]


def _spell_rows(status: str) -> list[dict]:
    return [
        # Child 1: two episodes under the status, chained, 4 + 20 days.
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "DEC": D(2025, 6, 5), "REC": "X1", "LS": status},
        {"CHILD": "1", "DECOM": D(2025, 6, 5), "DEC": D(2025, 6, 25), "REC": "X1", "LS": status},
        {"CHILD": "1", "DECOM": D(2025, 6, 25), "DEC": D(2025, 9, 1), "REC": "E4A", "LS": "C2"},
        # Child 2: three days, then a new period of care three days long.
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "DEC": D(2025, 6, 4), "REC": "E4A", "LS": status},
        {"CHILD": "2", "DECOM": D(2025, 7, 1), "DEC": D(2025, 7, 4), "REC": "E4A", "LS": status},
        # Child 3: open at 31 March, started 10 days before.
        {"CHILD": "3", "DECOM": D(2026, 3, 21), "LS": status},
    ]


def test_361_police_protection_over_72_hours() -> None:
    assert s903(361, {"Episodes": _spell_rows("L1")}) == [0, 1, 5]


def test_362_emergency_protection_over_21_days() -> None:
    assert s903(362, {"Episodes": _spell_rows("L2")}) == [0, 1]


def test_363_child_assessment_order_over_7_days() -> None:
    assert s903(363, {"Episodes": _spell_rows("L3")}) == [0, 1, 5]


def test_364_pace_over_21_days() -> None:
    assert s903(364, {"Episodes": _spell_rows("J2")}) == [0, 1]
    assert s903(364, {"Episodes": _spell_rows("C2")}) == []


def test_365_short_break_over_17_days() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "DEC": D(2025, 6, 18), "LS": "V3"},  # 17 days
        {"CHILD": "1", "DECOM": D(2025, 7, 1), "DEC": D(2025, 7, 19), "LS": "V3"},  # 18 days
        {"CHILD": "2", "DECOM": D(2026, 3, 1), "LS": "V3"},  # open: 30 days to 31 March
        {"CHILD": "3", "DECOM": D(2025, 6, 1), "DEC": D(2025, 9, 1), "LS": "C2"},
    ]
    assert s903(365, {"Episodes": rows}) == [1, 2]


def test_366_short_break_starts_a_period_of_care() -> None:
    rows = [
        {"CHILD": "1", "LS": "V3", "RNE": "S"},
        {"CHILD": "1", "LS": "V3", "RNE": "P"},
        {"CHILD": "1", "LS": "V3"},
        {"CHILD": "1", "LS": "V4", "RNE": "P"},
    ]
    assert s903(366, {"Episodes": rows}) == [1, 2]


def test_367_short_breaks_over_75_days_a_year() -> None:
    rows = [
        # Child 1: 40 + 40 days of breaks in the year.
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 10), "LS": "V3"},
        {"CHILD": "1", "DECOM": D(2025, 8, 1), "DEC": D(2025, 9, 10), "LS": "V3"},
        {"CHILD": "1", "DECOM": D(2025, 10, 1), "DEC": D(2025, 12, 1), "LS": "C2"},
        # Child 2: the break started last year; only 30 days of it fall in this one, plus 40.
        {"CHILD": "2", "DECOM": D(2025, 2, 1), "DEC": D(2025, 5, 1), "LS": "V3"},
        {"CHILD": "2", "DECOM": D(2025, 8, 1), "DEC": D(2025, 9, 10), "LS": "V3"},
    ]
    assert s903(367, {"Episodes": rows}) == [0, 1]


# --- 371 to 399: placement ages, temporary placements, ending episodes, OC3 ages, mother field -----


def _aged(child: str, dob: dt.date) -> dict:
    return {"CHILD": child, "DOB": dob}


def _young_placement(code: int, place: str, years: int) -> None:
    header = [_aged("1", D(2010, 6, 1)), _aged("2", D(2010, 6, 1))]
    episodes = [
        {"CHILD": "1", "DECOM": D(2010 + years, 5, 31), "PLACE": place},  # the day before the birthday
        {"CHILD": "2", "DECOM": D(2010 + years, 6, 1), "PLACE": place},  # on it
        {"CHILD": "1", "DECOM": D(2010 + years, 5, 1), "PLACE": "U4"},
    ]
    assert s903(code, {"Header": header, "Episodes": episodes}) == [0]


def test_371_supported_accommodation_under_16() -> None:
    _young_placement(371, "K3", 16)


def test_372_custody_under_10() -> None:
    _young_placement(372, "R5", 10)


def test_373_school_under_4() -> None:
    _young_placement(373, "S1", 4)


def test_374_residential_employment_under_14() -> None:
    _young_placement(374, "P3", 14)


def _lasting(place: str, days: int) -> list[dict]:
    start = D(2025, 6, 1)
    return [
        {"CHILD": "1", "DECOM": start, "DEC": start + dt.timedelta(days=days), "PLACE": place},
        {"CHILD": "2", "DECOM": start, "DEC": start + dt.timedelta(days=days + 1), "PLACE": place},
        {"CHILD": "3", "DECOM": start, "DEC": start + dt.timedelta(days=days + 1), "PLACE": "U4"},
        {"CHILD": "4", "DECOM": start, "PLACE": place},  # open: judged when it ends
    ]


def test_375_hospital_over_six_weeks() -> None:
    assert s903(375, {"Episodes": _lasting("T1", 42)}) == [1]


def test_376_foster_carer_holiday_over_three_weeks() -> None:
    assert s903(376, {"Episodes": _lasting("T3", 21)}) == [1]


def test_377_more_than_two_holiday_placements() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "PLACE": "T3"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "PLACE": "U4"},
        {"CHILD": "1", "DECOM": D(2025, 7, 1), "PLACE": "T3"},
        {"CHILD": "1", "DECOM": D(2025, 8, 1), "PLACE": "T3"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "PLACE": "T3"},
        {"CHILD": "2", "DECOM": D(2025, 7, 1), "PLACE": "T3"},
    ]
    assert s903(377, {"Episodes": rows}) == [0, 2, 3]


def test_378_placed_with_parents_under_section_20() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "P1", "LS": "V2"},
        {"CHILD": "1", "PLACE": "P1", "LS": "C2"},
        {"CHILD": "1", "PLACE": "U4", "LS": "V2"},
    ]
    assert s903(378, {"Episodes": rows}) == [0]


def test_379_unspecified_temporary_over_seven_days() -> None:
    assert s903(379, {"Episodes": _lasting("T4", 7)}) == [1]


def test_380_period_of_care_starting_temporary() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "T1", "RNE": "P"},
        {"CHILD": "1", "PLACE": "T2", "RNE": "B"},
        {"CHILD": "1", "PLACE": "T0", "RNE": "S"},
        {"CHILD": "1", "PLACE": "T0"},
        {"CHILD": "1", "PLACE": "U4", "RNE": "S"},
    ]
    assert s903(380, {"Episodes": rows}) == [2, 3]


def test_381_period_of_care_ending_temporary() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "T1", "REC": "X1"},
        {"CHILD": "1", "PLACE": "T1", "REC": "E4A"},
        {"CHILD": "1", "PLACE": "T1"},
        {"CHILD": "1", "PLACE": "U4", "REC": "E4A"},
    ]
    assert s903(381, {"Episodes": rows}) == [1]


def test_382_short_break_in_temporary_placement() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "T1", "LS": "V3"},
        {"CHILD": "1", "PLACE": "T2", "LS": "V4"},
        {"CHILD": "1", "PLACE": "T2", "LS": "C2"},
        {"CHILD": "1", "PLACE": "U6", "LS": "V3"},
    ]
    assert s903(382, {"Episodes": rows}) == [0, 1]


def test_383_return_to_normal_placement() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "PLACE": "U4", "PL_POST": "AB1 2", "RNE": "S"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "PLACE": "T1", "PL_POST": "AB9 9", "RNE": "P"},
        {"CHILD": "1", "DECOM": D(2025, 6, 9), "PLACE": "U4", "PL_POST": "AB1 2", "RNE": "P"},  # back home
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "PLACE": "U4", "PL_POST": "AB1 2", "RNE": "S"},
        {"CHILD": "2", "DECOM": D(2025, 6, 1), "PLACE": "T3", "PL_POST": "AB9 9", "RNE": "P"},
        {"CHILD": "2", "DECOM": D(2025, 6, 9), "PLACE": "U4", "PL_POST": "CD3 4", "RNE": "P"},  # elsewhere
        {"CHILD": "3", "DECOM": D(2025, 6, 1), "PLACE": "T3", "RNE": "P"},  # nothing before it here
        {"CHILD": "3", "DECOM": D(2025, 6, 9), "PLACE": "U4", "RNE": "P"},
    ]
    assert s903(383, {"Episodes": rows}) == [5]


def test_384_short_break_in_long_term_foster_placement() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "U1", "LS": "V3"},
        {"CHILD": "1", "PLACE": "U4", "LS": "V4"},
        {"CHILD": "1", "PLACE": "U6", "LS": "V4"},
        {"CHILD": "1", "PLACE": "U4", "LS": "C2"},
    ]
    assert s903(384, {"Episodes": rows}) == [0, 1]


def test_385_ceased_after_year_end() -> None:
    rows = [{"CHILD": "1", "DEC": D(2026, 4, 1)}, {"CHILD": "1", "DEC": D(2026, 3, 31)}, {"CHILD": "1"}]
    assert s903(385, {"Episodes": rows}) == [0]


def test_386_adopted_at_18() -> None:
    header = [_aged("1", D(2007, 6, 1)), _aged("2", D(2007, 6, 1))]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 5, 31), "REC": "E11"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E12"},  # the 18th birthday
    ]
    assert s903(386, {"Header": header, "Episodes": episodes}) == [1]


def test_387_independent_living_under_14() -> None:
    header = [_aged("1", D(2011, 6, 1)), _aged("2", D(2011, 6, 1))]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 5, 31), "REC": "E5"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E6"},
    ]
    assert s903(387, {"Header": header, "Episodes": episodes}) == [0]


def test_388_x1_means_a_continuation() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "X1"},  # fine
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "DEC": D(2025, 7, 1), "REC": "X1"},  # next starts later
        {"CHILD": "1", "DECOM": D(2025, 7, 5), "DEC": D(2025, 8, 1), "REC": "E4A"},  # but followed same day
        {"CHILD": "1", "DECOM": D(2025, 8, 1), "DEC": D(2025, 9, 1), "REC": "X1"},  # last, ends X1
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E4A"},  # last: fine
        {"CHILD": "3", "DECOM": D(2025, 5, 1)},
    ]
    assert s903(388, {"Episodes": rows}) == [1, 2, 3]


def test_389_adult_social_care_under_16() -> None:
    header = [_aged("1", D(2009, 6, 1)), _aged("2", D(2009, 6, 1))]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 5, 31), "REC": "E7"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E7"},
    ]
    assert s903(389, {"Header": header, "Episodes": episodes}) == [0]


def test_390_adopted_without_adoption_placement() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "A5", "REC": "E11"},
        {"CHILD": "1", "PLACE": "U4", "REC": "E12"},
        {"CHILD": "1", "REC": "E11"},
        {"CHILD": "1", "PLACE": "U4", "REC": "E4A"},
    ]
    assert s903(390, {"Episodes": rows}) == [1, 2]


def test_391_care_leaver_under_17() -> None:
    rows = [
        {"CHILD": "1", "DOB": D(2009, 4, 1), "IN_TOUCH": "YES"},  # 17 on 1 April 2026
        {"CHILD": "2", "DOB": D(2009, 3, 31), "IN_TOUCH": "YES"},  # 17 on 31 March
        {"CHILD": "3", "DOB": D(2010, 1, 1)},
    ]
    assert s903(391, {"OC3": rows}) == [0]


def test_393_mother_field_missing() -> None:
    header = [
        {"CHILD": "1", "SEX": "F"},
        {"CHILD": "2", "SEX": "F", "MOTHER": "0"},
        {"CHILD": "3", "SEX": "M"},
        {"CHILD": "4", "SEX": "F"},  # short breaks only
    ]
    episodes = [
        {"CHILD": "1", "LS": "C2"},
        {"CHILD": "2", "LS": "C2"},
        {"CHILD": "3", "LS": "C2"},
        {"CHILD": "4", "LS": "V3"},
    ]
    assert s903(393, {"Header": header, "Episodes": episodes}, year="2024-25") == [0]


def test_399_short_breaks_only_with_mother_or_review() -> None:
    episodes = [
        {"CHILD": "1", "LS": "V3"},
        {"CHILD": "1", "LS": "V4"},
        {"CHILD": "2", "LS": "V3"},
        {"CHILD": "2", "LS": "C2"},  # not only short breaks
        {"CHILD": "3", "LS": "V4"},
        {"CHILD": "4", "LS": "V4"},  # nothing recorded
    ]
    header = [{"CHILD": "1", "MOTHER": "0"}, {"CHILD": "2", "MOTHER": "0"}, {"CHILD": "3"}, {"CHILD": "4"}]
    reviews = [{"CHILD": "3", "REVIEW": D(2025, 6, 1), "REVIEW_CODE": "PN1"}]
    assert s903(399, {"Episodes": episodes, "Header": header, "Reviews": reviews}) == [0, 1, 4]


# --- 407 to 503F ----------------------------------------------------------------------------------


def test_407_special_guardianship_after_18() -> None:
    header = [_aged("1", D(2007, 6, 1)), _aged("2", D(2007, 6, 1))]
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E45"},  # on the birthday
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 2), "REC": "E48"},
    ]
    assert s903(407, {"Header": header, "Episodes": episodes}) == [1]


def test_408_adoption_placement_order_without_e1() -> None:
    rows = [
        {"CHILD": "1", "PLACE": "A5", "LS": "E1"},
        {"CHILD": "1", "PLACE": "A6", "LS": "C2"},
        {"CHILD": "1", "PLACE": "A5"},
        {"CHILD": "1", "PLACE": "A3", "LS": "C2"},
    ]
    assert s903(408, {"Episodes": rows}) == [1, 2]


def test_426_v3_and_v4_in_one_year() -> None:
    rows = [
        {"CHILD": "1", "LS": "V3"},
        {"CHILD": "1", "LS": "V4"},
        {"CHILD": "1", "LS": "C2"},
        {"CHILD": "2", "LS": "V3"},
        {"CHILD": "2", "LS": "V3"},
    ]
    assert s903(426, {"Episodes": rows}) == [0, 1]


def test_431_new_period_of_care_the_day_the_last_ended() -> None:
    rows = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E4A", "RNE": "S"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), "RNE": "S"},  # same day
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "E4A", "RNE": "S"},
        {"CHILD": "2", "DECOM": D(2025, 6, 2), "RNE": "S"},
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "DEC": D(2025, 6, 1), "REC": "X1", "RNE": "S"},
        {"CHILD": "3", "DECOM": D(2025, 6, 1), "RNE": "P"},
    ]
    assert s903(431, {"Episodes": rows}) == [1]


def _503(field: str, now: str | None, before: str | None, year: str = "2025-26") -> list[int]:
    episodes = [
        {"CHILD": "1", "DECOM": D(2024, 9, 1), field: now, "DEC": D(2025, 6, 1), "REC": "X1"},
        {"CHILD": "1", "DECOM": D(2025, 6, 1), field: "??"},  # not the first episode
        {"CHILD": "2", "DECOM": D(2024, 9, 1), field: now},  # last year's episode ended
    ]
    previous = {
        "Episodes": [
            {"CHILD": "1", "DECOM": D(2024, 5, 1), "DEC": D(2024, 9, 1), "REC": "X1", field: "??"},
            {"CHILD": "1", "DECOM": D(2024, 9, 1), field: before},  # open at 31 March
            {"CHILD": "2", "DECOM": D(2024, 9, 1), "DEC": D(2025, 1, 1), "REC": "E4A", field: before},
        ]
    }
    code = {
        "RNE": "503A",
        "LS": "503B",
        "CIN": "503C",
        "PLACE": "503D",
        "PLACE_PROVIDER": "503E",
        "URN": "503F",
    }
    return s903(code[field], {"Episodes": episodes}, year=year, previous=previous)


def test_503A_rne_continues_last_year() -> None:
    assert _503("RNE", "P", "P") == []
    assert _503("RNE", "P", "S") == [0]
    assert _503("RNE", None, "S") == [0]


def test_503B_legal_status_continues_last_year() -> None:
    assert _503("LS", "C2", "C2") == []
    assert _503("LS", "C2", "C1") == [0]


def test_503C_category_of_need_continues_last_year() -> None:
    assert _503("CIN", "N1", "N1") == []
    assert _503("CIN", "N2", "N1") == [0]


def test_503D_placement_continues_last_year() -> None:
    assert _503("PLACE", "U4", "U4") == []
    assert _503("PLACE", "U4", "U6") == [0]
    # Codes the DfE replaced that year carry over under the new code.
    assert _503("PLACE", "K3", "H5", year="2024-25") == []
    assert _503("PLACE", "Z12", "Z1") == []
    assert _503("PLACE", "Z12", "Z1", year="2026-27") == [0]


def test_503E_provider_continues_last_year() -> None:
    assert _503("PLACE_PROVIDER", "PR1", "PR1") == []
    assert _503("PLACE_PROVIDER", "PR1", "PR4") == [0]


def test_503F_urn_continues_last_year() -> None:
    assert _503("URN", "SC123456", "SC123456") == []
    assert _503("URN", "SC123456", None) == [0]
    # Without last year's return there is nothing to compare.
    assert s903("503F", {"Episodes": [{"CHILD": "1", "DECOM": D(2025, 5, 1), "URN": "X"}]}) == []


# --- 1003 to 1010 ---------------------------------------------------------------------------------


def test_1003_placed_for_adoption_before_care() -> None:
    episodes = [
        {"CHILD": "1", "DECOM": D(2025, 5, 1), "RNE": "S"},
        {"CHILD": "2", "DECOM": D(2025, 5, 1), "RNE": "S"},
        {"CHILD": "3", "DECOM": D(2025, 5, 1), "RNE": "P"},  # no start of care here
    ]
    placed = [
        {"CHILD": "1", "DATE_PLACED": D(2025, 4, 30)},
        {"CHILD": "2", "DATE_PLACED": D(2025, 5, 1)},
        {"CHILD": "3", "DATE_PLACED": D(2025, 1, 1)},
    ]
    assert s903(1003, {"Episodes": episodes, "PlacedAdoption": placed}) == [0]


def test_1006_missing_type() -> None:
    rows = [{"CHILD": "1", "MISSING": "M"}, {"CHILD": "1", "MISSING": "A"}, {"CHILD": "1", "MISSING": "m"}]
    assert s903(1006, {"Missing": [*rows, {"CHILD": "1"}]}) == [2]


def test_1007_care_leaver_data_while_looked_after() -> None:
    oc3 = [
        {"CHILD": "1", "DOB": D(2008, 6, 1), "IN_TOUCH": "YES"},  # 17 on 1 June 2025, in care then
        {"CHILD": "2", "DOB": D(2008, 6, 1), "IN_TOUCH": "YES"},  # left care before the birthday
        {"CHILD": "3", "DOB": D(2005, 6, 1), "IN_TOUCH": "YES"},  # 20: not this rule's
        {"CHILD": "4", "DOB": D(2007, 6, 1), "IN_TOUCH": "YES"},  # 18 on 1 June 2025, ended on the day
    ]
    episodes = [
        {"CHILD": "1", "DECOM": D(2024, 1, 1)},
        {"CHILD": "2", "DECOM": D(2024, 1, 1), "DEC": D(2025, 5, 1), "REC": "E4A"},
        {"CHILD": "3", "DECOM": D(2024, 1, 1)},
        {"CHILD": "4", "DECOM": D(2024, 1, 1), "DEC": D(2025, 6, 1), "REC": "E17"},
    ]
    assert s903(1007, {"OC3": oc3, "Episodes": episodes}) == [0]


def test_1009_reason_for_placement_change_code() -> None:
    rows = [
        {"CHILD": "1", "REASON_PLACE_CHANGE": "CARPL"},
        {"CHILD": "1", "REASON_PLACE_CHANGE": "carpl"},
        {"CHILD": "1"},
    ]
    assert s903(1009, {"Episodes": rows}) == [1]


def test_1010_care_leaver_with_open_episode_last_year() -> None:
    oc3 = [{"CHILD": "1", "IN_TOUCH": "YES"}, {"CHILD": "2", "IN_TOUCH": "YES"}, {"CHILD": "3"}]
    previous = {
        "Episodes": [
            {"CHILD": "1", "DECOM": D(2024, 5, 1)},  # open at 31 March 2025
            {"CHILD": "2", "DECOM": D(2024, 5, 1), "DEC": D(2024, 9, 1), "REC": "E4A"},
            {"CHILD": "3", "DECOM": D(2024, 5, 1)},  # open, and has episodes this year
        ]
    }
    episodes = [{"CHILD": "3", "DECOM": D(2024, 5, 1)}]
    assert s903(1010, {"OC3": oc3, "Episodes": episodes}, previous=previous) == [0]
    assert s903(1010, {"OC3": oc3, "Episodes": episodes}) == []
