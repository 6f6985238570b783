"""SSDA903 rules found missing by a coverage audit (DfE validation rules, 2024-25 to 2026-27).

The 2024-25 wordings of 226 and 383 (their reworded 2025-26 versions live with the other episode and
placement rules), the care leaver rule 3001, and the DfE portal's checks that episodes are loaded: NoE
(against last year's return) and EPI (a child in the header with nothing else sent).
"""

from __future__ import annotations

import polars as pl

from outstanding.returns.engine import Context, no_rows, rule
from outstanding.returns.rules.ssda903_common import S903, birthday, episodes_in_order, in_codes
from outstanding.returns.schemas import ROW

_TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
_FORMER_FOSTER_CARERS = ("Z1", "Z2")


# --- Temporary placements, 2024-25 wordings ------------------------------------------------------


@rule(
    S903,
    226,
    "Reason for placement change is not required.",
    "Episodes",
    ["PLACE", "REASON_PLACE_CHANGE"],
    years=["2024-25"],
)
def r226_2024(ctx: Context) -> pl.DataFrame:
    """A temporary placement (T0-T4) gives no reason for placement change, nor does the episode before it
    (the move into the temporary placement needs none either). Same check as from 2025-26, older wording."""
    return episodes_in_order(ctx).filter(
        in_codes("PLACE", _TEMPORARY)
        & (pl.col("REASON_PLACE_CHANGE").is_not_null() | pl.col("REASON_PLACE_CHANGE_prev").is_not_null())
    )


@rule(
    S903,
    383,
    "A child in a temporary placement must subsequently return to his/her normal placement.",
    "Episodes",
    ["PLACE", "RNE"],
    years=["2024-25"],
)
def r383_2024(ctx: Context) -> pl.DataFrame:
    """The temporary placement (T0-T4) is flagged unless the next episode is a change of placement (RNE P)
    back to the placement type of the episode before it. Judged only where both neighbours are in the
    return; until 2024-25 the postcode was not compared (from 2025-26 it is, and the episode after is
    flagged)."""
    return episodes_in_order(ctx).filter(
        in_codes("PLACE", _TEMPORARY)
        & pl.col("DECOM_prev").is_not_null()
        & pl.col("DECOM_next").is_not_null()
        & (pl.col("RNE_next").ne_missing(pl.lit("P")) | pl.col("PLACE_next").ne_missing(pl.col("PLACE_prev")))
    )


# --- Care leavers --------------------------------------------------------------------------------


@rule(
    S903,
    3001,
    "Where care leavers information is being returned for a young person around their 17th birthday, the "
    "accommodation cannot be with their former foster carer(s).",
    "OC3",
    ["DOB", "ACCOM"],
    reads=["Header"],
)
def r3001(ctx: Context) -> pl.DataFrame:
    """A young person whose 17th birthday falls in the collection year cannot be living with former foster
    carers (staying put, ACCOM Z1/Z2): that arrangement starts at 18. The date of birth is OC3's own, or the
    header's where OC3 gives none (the reference reads only the header's)."""
    dob = ctx.t("Header").select("CHILD", pl.col("DOB").alias("_dob")).unique("CHILD", keep="first")
    seventeenth = birthday("_born", 17)
    return (
        ctx.t("OC3")
        .join(dob, on="CHILD", how="left")
        .with_columns(pl.coalesce("DOB", "_dob").alias("_born"))
        .filter(
            in_codes("ACCOM", _FORMER_FOSTER_CARERS) & (seventeenth >= ctx.start) & (seventeenth <= ctx.end)
        )
        .select(ROW)
    )


# --- Episodes loaded -----------------------------------------------------------------------------


@rule(
    S903,
    "NoE",
    "This child has no episodes loaded for previous year even though child started to be looked after "
    "before this current year.",
    "Episodes",
    ["DECOM"],
)
def rNoE(ctx: Context) -> pl.DataFrame:
    """An episode that started before 1 April means the child was looked after last year, so last year's
    return must hold episodes for them. Judged only when last year's episodes were sent: a previous return
    without its episodes file says nothing about any child's episodes."""
    if not ctx.has_previous or ctx.prev("Episodes").height == 0:
        return no_rows(ctx, "Episodes")
    last_year = ctx.prev("Episodes").filter(pl.col("CHILD").is_not_null()).select("CHILD").unique()
    return (
        ctx.t("Episodes")
        .filter(pl.col("CHILD").is_not_null() & (pl.col("DECOM") < ctx.start))
        .join(last_year, on="CHILD", how="anti")
        .select(ROW)
    )


@rule(
    S903,
    "EPI",
    "WARNING: Episodes need to be loaded for this child before further validation is possible",
    "Header",
    ["CHILD"],
    type="query",
    reads=["Episodes", "OC3"],
)
def rEPI(ctx: Context) -> pl.DataFrame:
    """A child in the header with no episodes and no care leaver (OC3) row: nothing else about them can be
    checked. The DfE portal raises it as a warning, so it is registered as a query."""
    sent = pl.concat([ctx.t("Episodes").select("CHILD"), ctx.t("OC3").select("CHILD")]).drop_nulls().unique()
    return ctx.t("Header").join(sent, on="CHILD", how="anti").select(ROW)
