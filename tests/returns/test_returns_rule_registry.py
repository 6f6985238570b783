"""Every registered rule carries its DfE facts and has its own tests; every rule left unchecked says why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from outstanding.returns.engine import SUPPORTED_YEARS, not_checkable_for, rules_for
from outstanding.returns.schemas import TABLES

HERE = Path(__file__).parent
# A return's rule tests may be split over several files: test_returns_<cin|903>_rules*.py.
TESTED = {
    return_: "\n".join(p.read_text() for p in sorted(HERE.glob(f"test_returns_{return_}_rules*.py")))
    for return_ in ("cin", "903")
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


@pytest.mark.parametrize("return_", ["cin", "903"])
@pytest.mark.parametrize("year", SUPPORTED_YEARS)
def test_rules_not_checked_say_why_and_are_not_also_checked(return_: str, year: int) -> None:
    checked = {r.code for r in rules_for(return_, year)}  # type: ignore[arg-type]
    for r in not_checkable_for(return_, year):  # type: ignore[arg-type]
        assert len(r.reason) > 20 and r.message.strip(), r.code
        assert r.code not in checked
