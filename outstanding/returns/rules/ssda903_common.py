"""Helpers the SSDA903 rule modules share (no rules here).

The DfE's rule text leans on a few derived facts about a child, such as whether they have been looked after
continuously for the 12 months to 31 March; they are computed once here, as joins over the typed tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl

from outstanding.returns.engine import Context

# Shared by both returns; kept importable from here, where the SSDA903 rules look for them.
from outstanding.returns.engine import no_rows as no_rows
from outstanding.returns.engine import sent as sent
from outstanding.returns.engine import unreadable as unreadable
from outstanding.returns.schemas import ROW

S903 = "903"


def code_in(name: str, codes: set[str] | frozenset[str] | list[str] | tuple[str, ...]) -> pl.Expr:
    return pl.col(name).is_in(sorted(codes))


def birthday(dob: str, years: int) -> pl.Expr:
    """The date a child born on ``dob`` turns ``years`` (29 February birthdays fall on 28 February)."""
    return pl.col(dob).dt.offset_by(f"{years}y")


def continuously_looked_after(ctx: Context) -> pl.DataFrame:
    """CHILD of each child looked after continuously for the 12 months to 31 March (DfE Annex B).

    A child counts if some episode is open during the year, and no episode in the year
    starts a period of care (RNE S after 1 April), ends one (DEC in the year with REC other than X1,
    before 31 March), or is a short break (LS V3/V4).
    """
    return memo(ctx, "continuously_looked_after", lambda: _continuously_looked_after(ctx))


def _continuously_looked_after(ctx: Context) -> pl.DataFrame:
    start, end = ctx.start, ctx.end
    eps = ctx.t("Episodes").filter(pl.col("CHILD").is_not_null())
    during = (pl.col("DECOM") <= end) & ((pl.col("DEC") >= start) | pl.col("DEC").is_null())
    enters = (pl.col("RNE") == "S") & (pl.col("DECOM") > start) & (pl.col("DECOM") <= end)
    # A blank REC is not X1, so an episode that ends in the year without a reason ends the period of care.
    leaves = (pl.col("REC").fill_null("") != "X1") & (pl.col("DEC") >= start) & (pl.col("DEC") < end)
    short_break = pl.col("LS").is_in(["V3", "V4"]) & during
    return (
        eps.group_by("CHILD")
        .agg(
            during.fill_null(False).any().alias("in_year"),
            (enters | leaves | short_break).fill_null(False).any().alias("broken"),
        )
        .filter(pl.col("in_year") & ~pl.col("broken"))
        .select("CHILD")
    )


def with_cla(ctx: Context, table: str) -> pl.DataFrame:
    """``table`` with a boolean ``_cla``: the row's child was looked after continuously for 12 months."""
    cla = continuously_looked_after(ctx).with_columns(pl.lit(True).alias("_cla"))
    return ctx.t(table).join(cla, on="CHILD", how="left").with_columns(pl.col("_cla").fill_null(False))


def memo(ctx: Context, key: str, build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """A derived frame computed once per context (many rules read the same episode sequence)."""
    cache: dict[str, pl.DataFrame] = ctx.__dict__.setdefault("_ssda903_cache", {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


_SEQUENCE_FIELDS = ("DECOM", "DEC", "RNE", "LS", "PLACE", "REC", "REASON_PLACE_CHANGE", "PLACE_PROVIDER")


def episodes_in_order(ctx: Context) -> pl.DataFrame:
    """This year's episodes with a CHILD and DECOM, in each child's order, with the neighbouring episode's
    fields as ``<field>_prev`` and ``<field>_next`` (null at a child's first or last episode), ``_first``
    and ``_last``, and the child's date of birth from the header as ``_dob``."""

    def build() -> pl.DataFrame:
        eps = (
            ctx.t("Episodes")
            .filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null())
            .sort(["CHILD", "DECOM", ROW])
        )
        # Sorted by child, a plain shift is the neighbour when the child matches: much faster than over().
        same_next = pl.col("CHILD").shift(-1) == pl.col("CHILD")
        same_prev = pl.col("CHILD").shift(1) == pl.col("CHILD")
        dob = ctx.t("Header").select("CHILD", pl.col("DOB").alias("_dob")).unique("CHILD", keep="first")
        return eps.with_columns(
            *[pl.when(same_next).then(pl.col(c).shift(-1)).alias(f"{c}_next") for c in _SEQUENCE_FIELDS],
            *[pl.when(same_prev).then(pl.col(c).shift(1)).alias(f"{c}_prev") for c in _SEQUENCE_FIELDS],
            same_prev.fill_null(False).not_().alias("_first"),
            same_next.fill_null(False).not_().alias("_last"),
        ).join(dob, on="CHILD", how="left", maintain_order="left")

    return memo(ctx, "episodes_in_order", build)


def in_codes(name: str, codes: Iterable[str]) -> pl.Expr:
    """In the list; a blank is not (so ``~in_codes`` is true for a blank, as "not one of these codes")."""
    return pl.col(name).is_in(sorted(codes)).fill_null(False)
