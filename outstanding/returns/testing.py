"""Build typed tables from small Python literals, through the same typing as the readers.

Used by the rules' tests and the synthetic generator: ``tables("cin", {"CINdetails": [{...}, ...]})``.
Values may be ``datetime.date`` (written in the return's date format), ``bool``, ``int`` or text as it
would appear in the file. Every table of the return is present; unnamed fields are missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from outstanding.returns import findings as F
from outstanding.returns.engine import CollectionYear, Context, Return, rules_for, run_rules
from outstanding.returns.readers.coerce import type_table
from outstanding.returns.schemas import (
    CHILD_COLUMN,
    CIN_GENERATED,
    DATE_FORMAT,
    LINE,
    TABLES,
    empty_table,
)


def _text(value: Any, date_format: str) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.strftime(date_format)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def tables(return_: Return, data: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, pl.DataFrame]:
    out: dict[str, pl.DataFrame] = {}
    fmt = DATE_FORMAT[return_]
    generated = CIN_GENERATED if return_ == "cin" else frozenset()
    for name, kinds in TABLES[return_].items():
        rows = data.get(name)
        if not rows:
            out[name] = empty_table(return_, name)
            continue
        columns: dict[str, list[Any]] = {LINE: [i + 2 for i in range(len(rows))]}
        for field in kinds:
            if field in generated:
                columns[field] = [r.get(field) for r in rows]
            else:
                columns[field] = [_text(r.get(field), fmt) for r in rows]
        schema = {k: (pl.Int64 if k == LINE or k in generated else pl.String) for k in columns}
        typed, bad = type_table(
            pl.DataFrame(columns, schema=schema),
            kinds,
            table=name,
            child_column=CHILD_COLUMN[return_],
            date_format=fmt,
            generated=generated,
        )
        if bad.height:
            raise ValueError(f"test data for {name} is not readable: {bad['message'].to_list()}")
        out[name] = typed
    return out


def run(
    return_: Return,
    code: str | int,
    data: Mapping[str, Sequence[Mapping[str, Any]]],
    year: str = "2025-26",
    previous: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> pl.DataFrame:
    """Findings of one rule over the data. Raises if the rule is not registered for that year."""
    parsed = CollectionYear.parse(year)
    chosen = [r for r in rules_for(return_, parsed) if r.code == str(code)]
    if not chosen:
        raise LookupError(f"rule {code} is not registered for {return_} {year}")
    ctx = Context(
        return_, parsed, tables(return_, data), tables(return_, previous) if previous is not None else None
    )
    result = run_rules(ctx, chosen)
    if result.failed_rules:
        raise AssertionError(f"rule {code} raised: {result.findings['message'].to_list()}")
    return result.findings


def flagged(
    return_: Return,
    code: str | int,
    data: Mapping[str, Sequence[Mapping[str, Any]]],
    year: str = "2025-26",
    previous: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> list[int]:
    """Indexes (0-based) of the rows of the rule's table that the rule flags."""
    found = run(return_, code, data, year, previous)
    return sorted(line - 2 for line in found["row"].to_list())


def flagged_by_table(
    return_: Return,
    code: str | int,
    data: Mapping[str, Sequence[Mapping[str, Any]]],
    year: str = "2025-26",
    previous: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> dict[str, list[int]]:
    """For a rule that flags rows in more than one table: the indexes (0-based) it flags, by table."""
    found = run(return_, code, data, year, previous)
    out: dict[str, list[int]] = {}
    for table, line in zip(found["table"].to_list(), found["row"].to_list(), strict=True):
        out.setdefault(table, []).append(line - 2)
    return {table: sorted(rows) for table, rows in out.items()}


__all__ = ["F", "flagged", "flagged_by_table", "run", "tables"]
