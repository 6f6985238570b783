"""Read a return, run the year's rules, and gather the findings: the one entry point for CLI, bench and
tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from outstanding.returns import findings as F
from outstanding.returns.engine import (
    SUPPORTED_YEARS,
    CollectionYear,
    Context,
    Return,
    Rule,
    rules_for,
    run_rules,
)
from outstanding.returns.readers import ReadResult
from outstanding.returns.readers.cin import read_cin
from outstanding.returns.readers.ssda903 import read_903


class UnsupportedYear(ValueError):
    pass


@dataclass
class Validation:
    return_: Return
    year: CollectionYear
    findings: pl.DataFrame
    read: ReadResult
    rules_run: int
    read_seconds: float
    rule_seconds: float
    failed_rules: list[str]

    @property
    def has_errors(self) -> bool:
        return F.has_errors(self.findings)

    def meta(self) -> dict[str, object]:
        return {
            "return": self.return_,
            "year": self.year.label,
            "rules_run": self.rules_run,
            "rows_read": {k: v.height for k, v in self.read.tables.items()},
        }


def check_year(year: str | int) -> CollectionYear:
    parsed = CollectionYear.parse(year)
    if parsed.start not in SUPPORTED_YEARS:
        supported = ", ".join(CollectionYear(y).label for y in SUPPORTED_YEARS)
        raise UnsupportedYear(f"collection year {parsed.label} is not supported (supported: {supported})")
    return parsed


def _run(
    return_: Return,
    year: CollectionYear,
    read: ReadResult,
    read_seconds: float,
    previous: ReadResult | None = None,
    progress: Callable[[Rule], None] | None = None,
) -> Validation:
    if read.fatal:
        return Validation(return_, year, F.sort(read.findings), read, 0, read_seconds, 0.0, [])
    ctx = Context(return_, year, dict(read.tables), previous.tables if previous else None)
    result = run_rules(ctx, progress=progress)
    extra = (
        [] if previous is None else [previous.findings.with_columns(pl.lit("previous year").alias("fields"))]
    )
    findings = F.sort(F.concat([read.findings, *extra, result.findings]))
    return Validation(
        return_, year, findings, read, result.rules_run, read_seconds, result.seconds, result.failed_rules
    )


def validate_cin(
    path: Path | str,
    year: str | int,
    progress: Callable[[Rule], None] | None = None,
    read_progress: Callable[[int], None] | None = None,
) -> Validation:
    parsed = check_year(year)
    began = time.perf_counter()
    read = read_cin(path, progress=read_progress)
    return _run("cin", parsed, read, time.perf_counter() - began, progress=progress)


def validate_903(
    folder: Path | str,
    year: str | int,
    previous: Path | str | None = None,
    progress: Callable[[Rule], None] | None = None,
) -> Validation:
    parsed = check_year(year)
    began = time.perf_counter()
    read = read_903(folder)
    prev = read_903(previous) if previous is not None else None
    return _run("903", parsed, read, time.perf_counter() - began, prev, progress=progress)


def rule_count(return_: Return, year: str | int) -> int:
    return len(rules_for(return_, check_year(year)))
