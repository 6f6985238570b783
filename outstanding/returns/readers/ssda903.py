"""SSDA903 CSV tables → typed tables.

Each CSV is recognised by its header row (the set of column names), not by its file name, because councils'
systems name the files differently. Files are read as text by polars' CSV reader (fast, multi-threaded), then
typed strictly (dates DD/MM/YYYY). ``row`` in findings is the line in the CSV file (the header is line 1).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from outstanding.returns import findings as F
from outstanding.returns.readers import ReadResult
from outstanding.returns.readers.coerce import type_table
from outstanding.returns.schemas import LINE, SSDA903_CHILD, SSDA903_DATE_FORMAT, SSDA903_TABLES, empty_table

_HEADER_SETS = {name: frozenset(fields) for name, fields in SSDA903_TABLES.items()}


def recognise(columns: list[str]) -> tuple[str | None, list[str]]:
    """The table a header row belongs to, and any extra columns it carries beyond that table's."""
    have = {c.strip().upper() for c in columns}
    for name, fields in _HEADER_SETS.items():
        if have == fields:
            return name, []
    # A header with every column of a table and a few more (some systems add their own) is still that table;
    # prefer the table with the most columns matched.
    best = max(
        ((name, fields) for name, fields in _HEADER_SETS.items() if fields <= have),
        key=lambda pair: len(pair[1]),
        default=None,
    )
    if best is None:
        return None, []
    return best[0], sorted(have - best[1])


def _read_text(path: Path) -> tuple[pl.DataFrame | None, str | None]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        return None, "the file is neither UTF-8 nor Windows-1252 text"
    if not text.strip():
        return None, "the file is empty"
    try:
        frame = pl.read_csv(text.encode("utf-8"), infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, pl.exceptions.ShapeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"the file could not be read as CSV: {first}"
    return frame, None


def csv_files(folder: Path | str) -> list[Path]:
    path = Path(folder)
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")


def read_903(folder: Path | str | list[Path]) -> ReadResult:
    """Read every CSV in a folder (or the given files). Never raises for bad input."""
    problems: list[F.Finding] = []
    tables: dict[str, pl.DataFrame] = {name: empty_table("903", name) for name in SSDA903_TABLES}
    seen: dict[str, Path] = {}
    found: list[pl.DataFrame] = []
    try:
        files = list(folder) if isinstance(folder, list) else csv_files(folder)
    except OSError as exc:
        problems.append(
            F.Finding(F.READ_CODE, F.ERROR, f"{folder}: could not be opened: {exc.strerror or exc}")
        )
        return ReadResult(tables, F.from_list(problems), fatal=True)
    for path in files:
        try:
            frame, error = _read_text(path)
        except OSError as exc:
            frame, error = None, f"could not be opened: {exc.strerror or exc}"
        if frame is None:
            problems.append(F.Finding(F.READ_CODE, F.ERROR, f"{path.name}: {error}"))
            continue
        frame = frame.rename({c: c.strip().upper() for c in frame.columns})
        table, extra = recognise(frame.columns)
        if table is None:
            problems.append(
                F.Finding(
                    F.READ_CODE,
                    F.ERROR,
                    f"{path.name}: header row matches no SSDA903 table: " + ", ".join(frame.columns[:15]),
                    row=1,
                )
            )
            continue
        if table in seen:
            problems.append(
                F.Finding(
                    F.READ_CODE,
                    F.ERROR,
                    f"{path.name}: a second {table} table (first was "
                    f"{seen[table].name}); only the first is validated",
                    table=table,
                    row=1,
                )
            )
            continue
        seen[table] = path
        if extra:
            problems.append(
                F.Finding(
                    F.READ_CODE,
                    F.QUERY,
                    f"{path.name}: columns not in the {table} table were ignored: " + ", ".join(extra),
                    table=table,
                    row=1,
                )
            )
        kinds = SSDA903_TABLES[table]
        raw = frame.select(list(kinds)).with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(LINE))
        typed, bad = type_table(
            raw, kinds, table=table, child_column=SSDA903_CHILD, date_format=SSDA903_DATE_FORMAT
        )
        tables[table] = typed
        found.append(bad)
    fatal = not seen
    if fatal and not problems:
        problems.append(F.Finding(F.READ_CODE, F.ERROR, f"{folder}: no CSV files found"))
    elif fatal:
        problems.append(F.Finding(F.READ_CODE, F.ERROR, f"{folder}: no SSDA903 table was recognised"))
    return ReadResult(tables, F.concat([F.from_list(problems), *found]), fatal=fatal)


def present_tables(result: ReadResult) -> set[str]:
    return {name for name, frame in result.tables.items() if frame.height}
