"""Every registered rule carries its DfE facts and has its own tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from outstanding.returns.engine import SUPPORTED_YEARS, rules_for
from outstanding.returns.schemas import TABLES

HERE = Path(__file__).parent
TESTED = {
    "cin": (HERE / "test_returns_cin_rules.py").read_text(),
    "903": (HERE / "test_returns_903_rules.py").read_text(),
}


@pytest.mark.parametrize("return_", ["cin", "903"])
@pytest.mark.parametrize("year", SUPPORTED_YEARS)
def test_rules_are_described_and_tested(return_: str, year: int) -> None:
    rules = rules_for(return_, year)  # type: ignore[arg-type]
    assert rules
    for r in rules:
        assert r.type in ("error", "query") and r.message.strip()
        assert set(r.fields) <= set(TABLES[return_][r.table])
        assert re.search(rf"def test_{re.escape(r.code)}_", TESTED[return_]), f"rule {r.code} has no test"
