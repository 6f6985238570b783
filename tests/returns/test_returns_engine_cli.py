"""The rule engine, the findings outputs and the `outstanding validate` command."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from outstanding.cli import main
from outstanding.returns import findings as F
from outstanding.returns.engine import CollectionYear, Context, Rule, run_rules
from outstanding.returns.testing import tables


def _ctx() -> Context:
    data = tables("903", {"Header": [{"CHILD": "1", "SEX": "1"}, {"CHILD": "2", "SEX": "3"}]})
    return Context("903", CollectionYear(2025), data)


def test_expression_rule_and_broken_rule_become_findings() -> None:
    good = Rule(
        "903",
        "X1",
        "error",
        "sex wrong",
        "Header",
        ("SEX",),
        frozenset({2025}),
        lambda ctx: ~pl.col("SEX").is_in(["1", "2"]),
    )
    broken = Rule(
        "903", "X2", "query", "broken", "Header", ("SEX",), frozenset({2025}), lambda ctx: pl.col("NOPE") == 1
    )
    result = run_rules(_ctx(), [good, broken])
    rows = result.findings.to_dicts()
    assert rows[0] == {
        "code": "X1",
        "type": "error",
        "message": "sex wrong",
        "child": "2",
        "table": "Header",
        "row": 3,
        "fields": "SEX",
        "values": "SEX=3",
    }
    assert result.failed_rules == ["X2"] and "could not be checked" in rows[1]["message"]


def test_outputs(tmp_path: Path) -> None:
    found = F.from_list(
        [
            F.Finding("100", "error", "m", "c1", "Header", 2, "A", "A=1"),
            F.Finding("101Q", "query", "q", "c2", "Header", 3, "B", "B="),
        ]
    )
    F.write_csv(found, tmp_path / "f.csv")
    F.write_excel(found, tmp_path / "f.xlsx")
    F.write_json(found, tmp_path / "f.json", {"return": "cin"})
    assert pl.read_csv(tmp_path / "f.csv").height == 2
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "f.xlsx")
    assert book.sheetnames == ["Summary", "Findings"] and book["Findings"].max_row == 3
    data = json.loads((tmp_path / "f.json").read_text())
    assert data["errors"] == 1 and data["queries"] == 1 and len(data["findings"]) == 2
    assert "1 error(s), 1 query(ies)" in F.format_summary(found, "t")


def test_cli_rules_listing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "rules", "--return", "cin", "--year", "2025-26", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["count"] == len(listed["rules"])
    for item in listed["rules"]:
        assert {"code", "type", "message", "fields"} <= set(item)


def test_cli_bad_input_exits_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "cin", str(tmp_path / "none.xml"), "--year", "2025-26"]) == 2
    bad = tmp_path / "bad.xml"
    bad.write_text("not xml")
    assert main(["validate", "cin", str(bad), "--year", "2025-26", "--quiet"]) == 2
    assert main(["validate", "903", str(tmp_path), "--year", "1999-00"]) == 2
    assert "not supported" in capsys.readouterr().err


def test_synthetic_returns_validate_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A clean synthetic year validates with exit 0 and no findings, through every output."""
    from outstanding.returns.synthetic import write_returns

    xml, folder, _, _ = write_returns(tmp_path / "returns", 300, year=2025, seed=11, previous=True)
    code = main(
        [
            "validate",
            "cin",
            str(xml),
            "--year",
            "2025-26",
            "--json",
            str(tmp_path / "c.json"),
            "--csv",
            str(tmp_path / "c.csv"),
            "--excel",
            str(tmp_path / "c.xlsx"),
        ]
    )
    out = json.loads((tmp_path / "c.json").read_text())
    assert out["rules_run"] > 0
    assert out["findings"] == [] and code == 0
    # Last year's return for the same children as --previous: the year-on-year rules agree with it.
    previous = folder.parent / "903-previous"
    code = main(
        ["validate", "903", str(folder), "--year", "2025-26", "--previous", str(previous), "--json", "-"]
    )
    printed = capsys.readouterr().out
    data = json.loads(printed[printed.index("{") :])
    assert data["findings"] == [] and code == 0
    code = main(["validate", "903", str(folder), "--year", "2025-26", "--json", str(tmp_path / "s.json")])
    assert json.loads((tmp_path / "s.json").read_text())["findings"] == []


def test_cli_writes_synthetic_returns_with_chosen_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["synthetic", str(tmp_path / "out"), "--children", "200", "--year", "2025-26", "--seed", "4"]
    assert main([*args, "--inject-903", "101", "--inject-cin", "8540"]) == 0
    printed = capsys.readouterr().out
    assert "injected SSDA903 rule 101 into child" in printed and "injected CIN census rule 8540" in printed
    assert main(["validate", "903", str(tmp_path / "out" / "903"), "--year", "2025-26", "--quiet"]) == 1
    assert main(["validate", "cin", str(tmp_path / "out" / "cin.xml"), "--year", "2025-26", "--quiet"]) == 1
    assert main([*args, "--inject-903", "no-such-rule"]) == 2
    assert "can't inject no-such-rule" in capsys.readouterr().err
