"""SSDA903 rules 197B to 367: SDQ at the ages of 4 and 17, UASC status, reasons for placement change,
dates of birth, and how long a legal status or a short break may last.

Messages are the DfE's. Rules on a child's sequence of episodes read :func:`episodes_in_order`, computed once
per run, and compare an episode with its neighbours by column shifts, never row by row.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.returns.engine import Context, no_rows, rule
from outstanding.returns.rules.ssda903_common import (
    S903,
    birthday,
    episodes_in_order,
    in_codes,
    sent,
    with_cla,
)
from outstanding.returns.schemas import ROW

_FROM_2024 = ["2024-25", "2025-26", "2026-27"]
_FROM_2025 = ["2025-26", "2026-27"]


# --- OC2 ----------------------------------------------------------------------------------------


@rule(
    S903,
    "197B",
    "SDQ score or reason for no SDQ should be reported for 4- or 17-year-olds.",
    "OC2",
    ["SDQ_REASON", "DOB"],
    reads=["Episodes"],
)
def r197b(ctx: Context) -> pl.DataFrame:
    """A child looked after for 12 months who turns 4 or 17 during the year has a score or a reason."""
    turns = lambda years: birthday("DOB", years).is_between(ctx.start, ctx.end)  # noqa: E731
    return with_cla(ctx, "OC2").filter(
        pl.col("_cla") & (turns(4) | turns(17)) & ~sent("SDQ_SCORE") & pl.col("SDQ_REASON").is_null()
    )


# --- UASC ---------------------------------------------------------------------------------------


@rule(
    S903,
    "205D",
    "Child identified as UASC this year but not identified as UASC status provided for the child last year.",
    "UASC",
    ["CHILD"],
    reads=["Header"],
)
def r205d(ctx: Context) -> pl.DataFrame:
    """A child in this year's UASC table who was in last year's header must be in last year's UASC table.

    In the CSV tables a child's UASC status is their having a UASC row, so the rule needs last year's UASC
    table itself: an empty one cannot be told from one not sent, so then nothing is flagged.
    """
    if ctx.prev("UASC").height == 0:
        return no_rows(ctx, "UASC")
    last_children = ctx.prev("Header").select("CHILD").unique()
    last_uasc = ctx.prev("UASC").select("CHILD").unique()
    return (
        ctx.t("UASC")
        .filter(pl.col("CHILD").is_not_null())
        .join(last_children, on="CHILD", how="semi")
        .join(last_uasc, on="CHILD", how="anti")
    )


@rule(
    S903,
    231,
    "We expect that unaccompanied asylum seeking children are generally older young people. Please check the "
    "date of birth is correct. If the date of birth is correct then please provide details in a bypass "
    "request.",
    "UASC",
    ["DOB"],
    type="query",
    years=_FROM_2024,
)
def r231(ctx: Context) -> pl.Expr:
    """A UASC child should have been born more than 11 years before 31 March."""
    return pl.col("DOB") > pl.lit(ctx.end).dt.offset_by("-11y")


@rule(
    S903,
    232,
    "Sex of the child/young person has been reported as unknown.",
    "Header",
    ["SEX"],
    type="query",
    years=_FROM_2024,
)
def r232(ctx: Context) -> pl.Expr:
    # U is a valid code (rule 101), so this can only be a query asking the council to confirm it.
    return pl.col("SEX") == "U"


# --- Episodes: reasons for placement change and URNs (from 2025-26) -----------------------------


@rule(
    S903,
    233,
    "Reason for placement change is not required when the episode has not ceased.",
    "Episodes",
    ["DEC", "REASON_PLACE_CHANGE"],
    years=_FROM_2025,
)
def r233(ctx: Context) -> pl.Expr:
    return ~sent("DEC") & pl.col("REASON_PLACE_CHANGE").is_not_null()


@rule(
    S903,
    234,
    "A child aged under 10 can not change placement due to being admitted to custody",
    "Episodes",
    ["REASON_PLACE_CHANGE", "DEC"],
    reads=["Header"],
    years=_FROM_2025,
)
def r234(ctx: Context) -> pl.DataFrame:
    """If an episode starts before the child's 10th birthday, the episode before it may not give CUSTOD as
    the reason for the change; the episode carrying that reason is flagged."""
    return episodes_in_order(ctx).filter(
        (pl.col("REASON_PLACE_CHANGE") == "CUSTOD") & (pl.col("DECOM_next") < birthday("_dob", 10))
    )


# Placement types that may use the URN XXXXXXX (placed through a regional adoption agency).
_RAA_PLACES = ["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"]


@rule(
    S903,
    242,
    "URN = 'XXXXXXX' can only be used for regional adoption agencies",
    "Episodes",
    ["URN", "PLACE"],
    years=_FROM_2025,
)
def r242(ctx: Context) -> pl.Expr:
    return (pl.col("URN") == "XXXXXXX") & ~in_codes("PLACE", _RAA_PLACES)


# --- Header and UASC: dates of birth ------------------------------------------------------------


@rule(S903, 301, "Date of birth falls after the year ended.", "Header", ["DOB"])
def r301(ctx: Context) -> pl.Expr:
    return pl.col("DOB") > ctx.end


@rule(
    S903,
    302,
    "First episode starts before child was born.",
    "Episodes",
    ["DECOM"],
    reads=["Header"],
)
def r302(ctx: Context) -> pl.DataFrame:
    """The child's earliest episode this year must not start before their date of birth in the header."""
    return episodes_in_order(ctx).filter(pl.col("_first") & (pl.col("DECOM") < pl.col("_dob")))


@rule(
    S903,
    304,
    "Date unaccompanied asylum-seeking child (UASC) status ceased must be on or before the 18th birthday of "
    "a child.",
    "UASC",
    ["DUC", "DOB"],
)
def r304(ctx: Context) -> pl.Expr:
    return pl.col("DUC") > birthday("DOB", 18)


# --- Episodes: placements for adoption and legal statuses ---------------------------------------

_FOSTER_OR_ADOPTION = ["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"]


@rule(
    S903,
    336,
    "Child does not have a foster placement immediately prior to being placed for adoption.",
    "Episodes",
    ["PLACE"],
)
def r336(ctx: Context) -> pl.DataFrame:
    """A placement for adoption with the current foster carer (A3, A5) follows a foster or adoption
    placement. A child's first episode this year has no episode before it here, so it is not judged."""
    return episodes_in_order(ctx).filter(
        in_codes("PLACE", ["A3", "A5"]) & ~pl.col("_first") & ~in_codes("PLACE_prev", _FOSTER_OR_ADOPTION)
    )


@rule(
    S903,
    358,
    "Child with this legal status should not be under 10.",
    "Episodes",
    ["DECOM", "LS"],
    reads=["Header"],
)
def r358(ctx: Context) -> pl.DataFrame:
    """An episode under LS J1, J2 or J3 starts after the child's 10th birthday."""
    return episodes_in_order(ctx).filter(
        in_codes("LS", ["J1", "J2", "J3"]) & (pl.col("DECOM") <= birthday("_dob", 10))
    )


def _legal_status_spells(ctx: Context, status: str, longest_days: int) -> pl.DataFrame:
    """``_row`` of episodes under ``status`` whose unbroken spell (episodes under it each starting the day
    the one before ended) lasted more than ``longest_days``. An open episode counts to 31 March."""
    eps = episodes_in_order(ctx)
    carries_on = (
        (pl.col("LS") == status) & (pl.col("LS_prev") == status) & (pl.col("DECOM") == pl.col("DEC_prev"))
    ).fill_null(False)
    spells = eps.with_columns(
        (~carries_on).cast(pl.Int32).cum_sum().alias("_spell"),
        pl.col("DEC").fill_null(ctx.end).alias("_until"),
    ).filter(pl.col("LS") == status)
    too_long = (
        spells.group_by("_spell")
        .agg((pl.col("_until").max() - pl.col("DECOM").min()).dt.total_days().alias("_days"))
        .filter(pl.col("_days") > longest_days)
    )
    return spells.join(too_long, on="_spell", how="semi").select(ROW)


@rule(
    S903,
    361,
    "Police protection legal status lasted longer than maximum 72 hours allowed in the Children Act 1989.",
    "Episodes",
    ["DECOM", "LS", "DEC"],
)
def r361(ctx: Context) -> pl.DataFrame:
    # 72 hours, counted in whole days between the dates.
    return _legal_status_spells(ctx, "L1", 3)


@rule(
    S903,
    362,
    "Emergency protection order (EPO) lasted longer than 21 days",
    "Episodes",
    ["DECOM", "LS", "DEC"],
)
def r362(ctx: Context) -> pl.DataFrame:
    return _legal_status_spells(ctx, "L2", 21)


@rule(
    S903,
    363,
    "Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.",
    "Episodes",
    ["DECOM", "LS", "DEC"],
)
def r363(ctx: Context) -> pl.DataFrame:
    return _legal_status_spells(ctx, "L3", 7)


@rule(
    S903,
    364,
    "Sections 41-46 of Police and Criminal Evidence (PACE; 1984) severely limits the time a child can be "
    "detained in custody in Local Authority (LA) accommodation.",
    "Episodes",
    ["DECOM", "LS", "DEC"],
)
def r364(ctx: Context) -> pl.DataFrame:
    return _legal_status_spells(ctx, "J2", 21)


# --- Episodes: short breaks ---------------------------------------------------------------------


@rule(
    S903,
    365,
    "Any individual short- term respite placement must not exceed 17 days.",
    "Episodes",
    ["LS", "DECOM", "DEC"],
)
def r365(ctx: Context) -> pl.Expr:
    """A V3 episode lasts at most 17 days; an open one counts to 31 March."""
    until = pl.col("DEC").fill_null(ctx.end)
    return (pl.col("LS") == "V3") & (until > pl.col("DECOM") + dt.timedelta(days=17))


@rule(
    S903,
    366,
    "A child cannot change placement during the course of an individual short-term respite break.",
    "Episodes",
    ["LS", "RNE"],
)
def r366(ctx: Context) -> pl.Expr:
    """Each V3 episode is a break of its own, so it starts a period of care (RNE S)."""
    return (pl.col("LS") == "V3") & pl.col("RNE").ne_missing(pl.lit("S"))


@rule(
    S903,
    367,
    "The maximum amount of respite care allowable is 75 days in any 12-month period.",
    "Episodes",
    ["LS", "DECOM", "DEC"],
)
def r367(ctx: Context) -> pl.DataFrame:
    """A child's V3 episodes, counted within the collection year (open ones to 31 March), total at most 75
    days; every V3 episode in the year of a child over the limit is flagged."""
    start = pl.max_horizontal(pl.col("DECOM"), pl.lit(ctx.start))
    stop = pl.min_horizontal(pl.col("DEC").fill_null(ctx.end), pl.lit(ctx.end))
    breaks = (
        ctx.t("Episodes")
        .filter((pl.col("LS") == "V3") & pl.col("DECOM").is_not_null() & pl.col("CHILD").is_not_null())
        .with_columns((stop - start).dt.total_days().alias("_days"))
        .filter(pl.col("_days") > 0)
    )
    over = breaks.group_by("CHILD").agg(pl.col("_days").sum()).filter(pl.col("_days") > 75)
    return breaks.join(over.select("CHILD"), on="CHILD", how="semi")
