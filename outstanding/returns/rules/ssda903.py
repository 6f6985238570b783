"""SSDA903 rules (DfE validation rules, 2024-25 to 2026-27).

Messages are the DfE's. Checks are polars expressions on the flagged table, or joins returning its ``_row``.
Blank cells are missing values (the reader reads an empty cell as null), so "not a valid code" applies only to
a value that is present, unless the DfE rule also requires the field.
"""

from __future__ import annotations

import polars as pl

from outstanding.codes import SSDA903 as CODES
from outstanding.returns.engine import Context, not_in, rule
from outstanding.returns.rules.ssda903_common import episodes_in_order, unreadable
from outstanding.returns.schemas import RAW

S903 = "903"


# --- Header -------------------------------------------------------------------------------------


@rule(S903, 101, "The child or young person’s reported sex is not valid.", "Header", ["SEX"])
def r101(ctx: Context) -> pl.Expr:
    """SEX must be present and M, F or U (the 1/2 gender codes ended with 2023-24)."""
    return pl.col("SEX").is_null() | ~pl.col("SEX").is_in(sorted(CODES.SEX.valid(ctx.year.start)))


@rule(S903, 102, "Date of birth is not a valid date.", "Header", ["DOB"])
def r102(ctx: Context) -> pl.Expr:
    """DOB must be present and a valid date."""
    return pl.col("DOB").is_null()


@rule(S903, 103, "The ethnicity code is either not valid or has not been entered.", "Header", ["ETHNIC"])
def r103(ctx: Context) -> pl.Expr:
    return pl.col("ETHNIC").is_null() | ~pl.col("ETHNIC").is_in(sorted(CODES.ETHNIC.valid(ctx.year.start)))


# --- Episodes -----------------------------------------------------------------------------------


@rule(S903, 141, "Date episode began is not a valid date.", "Episodes", ["DECOM"])
def r141(ctx: Context) -> pl.Expr:
    """If present, DECOM must be a valid date."""
    return unreadable("DECOM")


@rule(
    S903,
    142,
    "A new episode has started, but the previous episode has not ended.",
    "Episodes",
    ["DECOM", "DEC", "REC"],
)
def r142(ctx: Context) -> pl.DataFrame:
    """Every episode of a child except the latest-starting one must have DEC and REC."""
    return episodes_in_order(ctx).filter(
        ~pl.col("_last") & (pl.col("DEC").is_null() | pl.col("REC").is_null())
    )


@rule(S903, 143, "The reason for new episode code is not a valid code.", "Episodes", ["RNE"])
def r143(ctx: Context) -> pl.Expr:
    return not_in("RNE", CODES.RNE.valid(ctx.year.start))


@rule(S903, 144, "The legal status code is not a valid code.", "Episodes", ["LS"])
def r144(ctx: Context) -> pl.Expr:
    return not_in("LS", CODES.LS.valid(ctx.year.start))


@rule(S903, 145, "Category of need code is not a valid code.", "Episodes", ["CIN"])
def r145(ctx: Context) -> pl.Expr:
    """CIN (category of need) is N1 to N8: N0 and N9 are CIN census codes only."""
    valid = {f"N{i}" for i in range(1, 9)} & CODES.CATEGORY_OF_NEED.valid(ctx.year.start)
    return not_in("CIN", valid)


@rule(S903, 146, "Placement type code is not a valid code.", "Episodes", ["PLACE"])
def r146(ctx: Context) -> pl.Expr:
    """PLACE, where present, must be a placement code valid in the collection year (K3 from 2024-25;
    Z1 split into Z11 to Z14 from 2025-26)."""
    return not_in("PLACE", CODES.PLACE.valid(ctx.year.start))


@rule(S903, 149, "Reason episode ceased code is not valid. ", "Episodes", ["REC"])
def r149(ctx: Context) -> pl.Expr:
    # The DfE's message carries a trailing space; kept as published.
    return not_in("REC", CODES.REC.valid(ctx.year.start))


# --- OC3 (care leavers) -------------------------------------------------------------------------


@rule(S903, 131, "Data entry for being in touch after leaving care is invalid.", "OC3", ["IN_TOUCH"])
def r131(ctx: Context) -> pl.Expr:
    """IN_TOUCH must be present and a valid code."""
    return pl.col("IN_TOUCH").is_null() | ~pl.col("IN_TOUCH").is_in(
        sorted(CODES.IN_TOUCH.valid(ctx.year.start))
    )


@rule(S903, 147, "Date episode ceased is not a valid date.", "Episodes", ["DEC"])
def r147(ctx: Context) -> pl.Expr:
    """If present, DEC must be a valid date."""
    return unreadable("DEC")


@rule(
    S903,
    148,
    "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
    "Episodes",
    ["DEC", "REC"],
)
def r148(ctx: Context) -> pl.Expr:
    # Judged on what was sent, so an unreadable DEC (rule 147) still counts as coded.
    return pl.col("DEC" + RAW).is_null() != pl.col("REC").is_null()


_OC3_DATA = ("IN_TOUCH", "ACTIV", "ACCOM")
_AD1_DATA = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")


@rule(
    S903,
    134,
    "Data on adoption should not be entered for the OC3 cohort.",
    "AD1",
    list(_AD1_DATA),
    reads=["OC3"],
)
def r134(ctx: Context) -> pl.DataFrame:
    """A child with care leaver (OC3) data must not also have adoption (AD1) data."""
    leavers = ctx.t("OC3").filter(pl.any_horizontal(pl.col(c).is_not_null() for c in _OC3_DATA))
    raw = [c + RAW if c + RAW in ctx.t("AD1").columns else c for c in _AD1_DATA]
    return (
        ctx.t("AD1")
        .filter(pl.any_horizontal(pl.col(c).is_not_null() for c in raw))
        .join(leavers.select("CHILD").unique(), on="CHILD", how="semi")
    )


@rule(
    S903,
    1000,
    "This child is recorded as having died in care and therefore should not have the care leaver information "
    "completed.",
    "OC3",
    list(_OC3_DATA),
    reads=["Episodes"],
)
def r1000(ctx: Context) -> pl.DataFrame:
    """A child with an episode ending E2 (died), this year or last year if sent, must have no OC3 data."""
    died = pl.concat(
        [t.filter(pl.col("REC") == "E2").select("CHILD") for t in (ctx.t("Episodes"), ctx.prev("Episodes"))]
    ).unique()
    return (
        ctx.t("OC3")
        .filter(pl.any_horizontal(pl.col(c).is_not_null() for c in _OC3_DATA))
        .join(died, on="CHILD", how="semi")
    )


# The other SSDA903 rule modules register their rules when this one is loaded.
from outstanding.returns.rules import (  # noqa: E402, F401
    ssda903_cross,
    ssda903_dolo,
    ssda903_episodes,
    ssda903_fields,
    ssda903_more,
    ssda903_placements,
    ssda903_r200s,
    ssda903_r300s,
    ssda903_r400s,
    ssda903_r500s,
    ssda903_r1000s_sw,
    ssda903_status,
)
