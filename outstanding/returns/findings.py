"""Findings: one row per rule failure, as a polars table, and the ways they leave the program.

Columns: ``code`` (DfE rule code, or ``READ`` for input that could not be read), ``type`` (error or query),
``message``, ``child`` (LAchildID or CHILD), ``table``, ``row`` (line in the source file), ``fields``
(the fields
the rule reads on that table, comma-separated) and ``values`` (``FIELD=value`` pairs as sent).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import polars as pl

READ_CODE = "READ"
ERROR = "error"
QUERY = "query"

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.String(),
    "type": pl.String(),
    "message": pl.String(),
    "child": pl.String(),
    "table": pl.String(),
    "row": pl.Int64(),
    "fields": pl.String(),
    "values": pl.String(),
}
COLUMNS = list(FINDING_SCHEMA)


@dataclass(frozen=True)
class Finding:
    """One finding built in Python (readers use these for the rare unreadable value)."""

    code: str
    type: str
    message: str
    child: str | None = None
    table: str | None = None
    row: int | None = None
    fields: str = ""
    values: str = ""


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING_SCHEMA)


def from_list(items: Iterable[Finding]) -> pl.DataFrame:
    rows = [f.__dict__ for f in items]
    if not rows:
        return empty()
    return pl.DataFrame(rows, schema=FINDING_SCHEMA)


def concat(frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    frames = [f for f in frames if f.height]
    if not frames:
        return empty()
    return pl.concat([f.select(COLUMNS) for f in frames], how="vertical")


def sort(findings: pl.DataFrame) -> pl.DataFrame:
    return findings.sort(["table", "row", "code"], nulls_last=True, maintain_order=True)


def has_errors(findings: pl.DataFrame) -> bool:
    return bool(findings.height and (findings["type"] == ERROR).any())


def summary(findings: pl.DataFrame) -> pl.DataFrame:
    """Counts by rule: code, type, message, count (children and rows), most frequent first."""
    if not findings.height:
        return pl.DataFrame(
            schema={
                "code": pl.String,
                "type": pl.String,
                "message": pl.String,
                "rows": pl.UInt32,
                "children": pl.UInt32,
            }
        )
    return (
        findings.group_by(["code", "type", "message"])
        .agg(pl.len().alias("rows"), pl.col("child").n_unique().alias("children"))
        .sort(["type", "rows", "code"], descending=[False, True, False])
    )


def format_summary(findings: pl.DataFrame, title: str, width: int = 100) -> str:
    """A terminal summary: counts by rule, then totals."""
    table = summary(findings)
    lines = [title, ""]
    if not table.height:
        lines.append("No findings: the return passes every rule checked.")
        return "\n".join(lines)
    lines.append(f"{'code':<8} {'type':<6} {'rows':>8} {'children':>9}  message")
    for code, kind, message, rows, children in table.iter_rows():
        text = message if len(message) <= width - 36 else message[: width - 39] + "..."
        lines.append(f"{code:<8} {kind:<6} {rows:>8} {children:>9}  {text}")
    errors = int((findings["type"] == ERROR).sum())
    queries = int((findings["type"] == QUERY).sum())
    lines += ["", f"{errors} error(s), {queries} query(ies) from {table.height} rule(s)."]
    return "\n".join(lines)


# A cell starting with one of these is a formula to a spreadsheet: a value from a return must never run.
_FORMULA_START = r"^[=+\-@\t\r]"


def spreadsheet_safe(findings: pl.DataFrame) -> pl.DataFrame:
    """The findings with every text cell that a spreadsheet would take for a formula prefixed with an
    apostrophe (OWASP's advice for CSV injection); the text itself is unchanged after it."""
    text = [c for c, t in FINDING_SCHEMA.items() if t == pl.String()]
    return findings.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_START))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )


def write_csv(findings: pl.DataFrame, path: Path | str) -> None:
    spreadsheet_safe(findings.select(COLUMNS)).write_csv(path)


def to_json_obj(findings: pl.DataFrame, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        **(meta or {}),
        "errors": int((findings["type"] == ERROR).sum()) if findings.height else 0,
        "queries": int((findings["type"] == QUERY).sum()) if findings.height else 0,
        "summary": summary(findings).to_dicts(),
        "findings": findings.select(COLUMNS).to_dicts(),
    }


def write_json(findings: pl.DataFrame, out: Path | str | IO[str], meta: dict[str, Any] | None = None) -> None:
    obj = to_json_obj(findings, meta)
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(obj, fh, indent=1, default=str)
    else:
        json.dump(obj, out, indent=1, default=str)


# Excel holds a little over a million rows a sheet; more than that and the CSV is the file to use.
EXCEL_MAX_ROWS = 1_000_000


def write_excel(findings: pl.DataFrame, path: Path | str) -> None:
    """An .xlsx with a Summary sheet and a Findings sheet (write-only mode, so large files stay in
    memory bounds)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet: Any, names: Sequence[str]) -> None:
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    summ = book.create_sheet("Summary")
    table = summary(findings)
    header(summ, table.columns)
    for row in table.iter_rows():
        summ.append(list(row))
    detail = book.create_sheet("Findings")
    header(detail, COLUMNS)
    for i, row in enumerate(spreadsheet_safe(findings.select(COLUMNS)).iter_rows()):
        if i >= EXCEL_MAX_ROWS:
            detail.append(["…", "", f"{findings.height - i} more findings: see the CSV output"])
            break
        detail.append(list(row))
    book.save(path)
