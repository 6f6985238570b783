"""Strict, vectorised typing of text columns into the schema's kinds, with a finding per unreadable value."""

from __future__ import annotations

import polars as pl

from outstanding.returns import findings as F
from outstanding.returns.schemas import LINE, RAW, ROW, Kind

_DATE_SHAPE = {"%Y-%m-%d": r"^\d{4}-\d{2}-\d{2}$", "%d/%m/%Y": r"^\d{2}/\d{2}/\d{4}$"}
_DATE_WORDS = {"%Y-%m-%d": "YYYY-MM-DD", "%d/%m/%Y": "DD/MM/YYYY"}
_TRUE = ("true", "1")
_FALSE = ("false", "0")


def _typed(name: str, kind: Kind, date_format: str) -> pl.Expr:
    raw = pl.col(name)
    if kind == "date":
        shaped = raw.str.contains(_DATE_SHAPE[date_format])
        return pl.when(shaped).then(raw.str.to_date(date_format, strict=False)).otherwise(None)
    if kind == "bool":
        return (
            pl.when(raw.is_in(_TRUE))
            .then(pl.lit(True))
            .when(raw.is_in(_FALSE))
            .then(pl.lit(False))
            .otherwise(pl.lit(None, dtype=pl.Boolean))
        )
    if kind == "int":
        return (
            pl.when(raw.str.contains(r"^[+-]?\d{1,15}$"))
            .then(raw.cast(pl.Int64, strict=False))
            .otherwise(None)
        )
    return raw


def type_table(
    raw: pl.DataFrame,
    kinds: dict[str, Kind],
    *,
    table: str,
    child_column: str,
    date_format: str,
    generated: frozenset[str] = frozenset(),
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Type a table read as text. Text is stripped and blank means missing; typed fields keep
    ``<field>__raw``.

    ``raw`` must hold ``_line`` and a text column per field (missing fields are added as nulls).
    Returns the typed table (with ``_row``) and the findings for values that are present but unreadable.
    """
    for name in kinds:
        if name not in raw.columns:
            raw = raw.with_columns(
                pl.lit(None, dtype=pl.Int64 if name in generated else pl.String).alias(name)
            )
    cleaned = raw.with_columns(
        [
            pl.col(n).cast(pl.String).str.strip_chars().replace("", None).alias(n)
            for n in kinds
            if n not in generated
        ]
    )
    typed_cols: list[pl.Expr] = []
    for name, kind in kinds.items():
        if name in generated:
            typed_cols.append(pl.col(name).cast(pl.Int64))
        else:
            typed_cols.append(_typed(name, kind, date_format).alias(name))
    raws = [pl.col(n).alias(n + RAW) for n, k in kinds.items() if k != "str" and n not in generated]
    typed = cleaned.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW), pl.col(LINE).cast(pl.Int64), *typed_cols, *raws
    )
    bad_frames = []
    for name, kind in kinds.items():
        if kind == "str" or name in generated:
            continue
        bad = typed.filter(pl.col(name + RAW).is_not_null() & pl.col(name).is_null())
        if bad.height:
            expected = {
                "date": f"a date ({_DATE_WORDS[date_format]})",
                "bool": "true or false (or 1 or 0)",
                "int": "a whole number",
            }[kind]
            bad_frames.append(
                bad.select(
                    pl.lit(F.READ_CODE).alias("code"),
                    pl.lit(F.ERROR).alias("type"),
                    pl.lit(f"{name} is not {expected}").alias("message"),
                    pl.col(child_column).alias("child")
                    if child_column in typed.columns
                    else pl.lit(None, pl.String),
                    pl.lit(table).alias("table"),
                    pl.col(LINE).alias("row"),
                    pl.lit(name).alias("fields"),
                    pl.format("{}={}", pl.lit(name), pl.col(name + RAW)).alias("values"),
                )
            )
    return typed, F.concat(bad_frames)
