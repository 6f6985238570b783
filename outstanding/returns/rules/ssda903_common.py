"""Helpers the SSDA903 rule modules share (no rules here).

The DfE's rule text leans on a few derived facts about a child, such as whether they have been looked after
continuously for the 12 months to 31 March; they are computed once here, as joins over the typed tables.
"""

from __future__ import annotations

import polars as pl

from outstanding.returns.engine import Context
from outstanding.returns.schemas import RAW

S903 = "903"


def unreadable(name: str) -> pl.Expr:
    """Sent, but not a date in the DD/MM/YYYY form (or not a whole number, for a number field)."""
    return pl.col(name + RAW).is_not_null() & pl.col(name).is_null()


def sent(name: str) -> pl.Expr:
    """The cell was filled in, readable or not: typed fields keep their text in ``<name>__raw``."""
    return pl.col(name + RAW).is_not_null()


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
