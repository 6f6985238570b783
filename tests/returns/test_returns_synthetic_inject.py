"""Injected errors: every injectable code at once into a clean synthetic year gives exactly the injected
findings (code, child), no more and no fewer."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from outstanding.returns.engine import REGISTRY, SUPPORTED_YEARS, load_rules
from outstanding.returns.synthetic import write_903_folder, write_cin_xml, write_returns
from outstanding.returns.synthetic_inject import INJECTABLE, injectable
from outstanding.returns.validate import validate_903, validate_cin

# Rules whose reading flags data the DfE message allows (see test_returns_synthetic.py).
KNOWN_DISAGREEMENTS: dict[str, set[str]] = {"903": set(), "cin": set()}


def _found(findings: pl.DataFrame, return_: str) -> set[tuple[str, str]]:
    kept = findings.filter(~pl.col("code").is_in(sorted(KNOWN_DISAGREEMENTS[return_])))
    return {(r["code"], r["child"]) for r in kept.select("code", "child").unique().to_dicts()}


@pytest.mark.parametrize("year", SUPPORTED_YEARS)
def test_injected_errors_are_exactly_the_findings(tmp_path: Path, year: int) -> None:
    cin_codes, ssda_codes = injectable("cin", year), injectable("903", year)
    assert len(cin_codes) >= 85 and len(ssda_codes) >= 105
    xml, folder, got_cin, got_903 = write_returns(
        tmp_path, 3000, year=year, seed=year, inject_cin=cin_codes, inject_903=ssda_codes
    )
    # Each code went to a child of its own.
    assert set(got_cin) == set(cin_codes) and len(set(got_cin.values())) == len(cin_codes)
    assert set(got_903) == set(ssda_codes) and len(set(got_903.values())) == len(ssda_codes)
    assert _found(validate_cin(xml, year).findings, "cin") == set(got_cin.items())
    assert _found(validate_903(folder, year).findings, "903") == set(got_903.items())


@pytest.mark.parametrize("year", SUPPORTED_YEARS)
def test_injectable_codes_are_rules_of_the_year(year: int) -> None:
    load_rules()
    for return_ in ("cin", "903"):
        codes = {r.code for r in REGISTRY[return_] if r.applies_to(year)}  # type: ignore[index]
        assert set(injectable(return_, year)) <= codes


def test_one_injected_error(tmp_path: Path) -> None:
    injected: dict[str, str] = {}
    folder = write_903_folder(tmp_path, 300, year=2025, seed=2, inject=["103"], injected=injected)
    assert _found(validate_903(folder, 2025).findings, "903") == {("103", injected["103"])}


def test_unknown_code_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot inject"):
        write_903_folder(tmp_path, 10, inject=["NOPE"])
    assert INJECTABLE["cin"] and INJECTABLE["903"]


def test_module_5_codes_are_injectable_in_2026_27_only(tmp_path: Path) -> None:
    """The pre-proceedings rules (CIN module 5, from 2026-27) each take an error in one child; 8995Q is
    about the whole return (no child has module 5), so it is not injected."""
    module_5 = {"9000Q", "9005", "9006", "9007", "9008", "9009", "9010Q", "9011", "9012", "9013", "9015Q"}
    assert module_5 <= set(injectable("cin", 2026)) and "8995Q" not in injectable("cin", 2026)
    for year in (2024, 2025):
        assert not module_5 & set(injectable("cin", year))
    with pytest.raises(ValueError, match="cannot inject"):
        write_cin_xml(tmp_path / "2025.xml", 10, year=2025, inject=["9011"])
    injected: dict[str, str] = {}
    xml = write_cin_xml(tmp_path / "2026.xml", 1500, year=2026, seed=8, inject=["9012"], injected=injected)
    assert _found(validate_cin(xml, 2026).findings, "cin") == {("9012", injected["9012"])}
