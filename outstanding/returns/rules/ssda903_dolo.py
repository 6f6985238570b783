"""SSDA903 rules 700 to 710 about deprivation of liberty orders (the DoLO table, from 2026-27).

Messages are the DfE's. A DoLO row has the child, their date of birth and the order's start and end dates
(DOLO_START, DOLO_END; a blank end is an order still in force). Checks are polars expressions on the DoLO
table, or joins with the child's episodes (and last year's DoLOs) returning the flagged ``_row``.

An end date that was sent but cannot be read is left to rule 701: the other rules neither take it as a
blank end (an open order) nor compare it with anything.
"""

from __future__ import annotations

import polars as pl

from outstanding.returns.engine import Context, not_in, rule
from outstanding.returns.rules.ssda903_common import S903, episodes_in_order, in_codes, sent, unreadable
from outstanding.returns.schemas import ROW

_YEARS = ["2026-27"]

#: The placement types the DfE expects for a child subject to a DoLO (rule 709): children's home and the
#: two "other placement" types Z12 and Z13.
_EXPECTED_PLACEMENTS = ["K2", "Z12", "Z13"]
#: Secure children's home, placed with parents, young offender institution, supported accommodation.
_BARRED_PLACEMENTS = ["K1", "K3", "P1", "R5"]


def _orders(table: pl.DataFrame) -> pl.DataFrame:
    """DoLO rows with a CHILD and a readable start date."""
    return table.filter(pl.col("CHILD").is_not_null() & pl.col("DOLO_START").is_not_null())


def _open() -> pl.Expr:
    """Nothing was sent for the end date: the order is still in force."""
    return ~sent("DOLO_END")


def _known_end() -> pl.Expr:
    """The end date is either readable or blank (not an unreadable date)."""
    return ~unreadable("DOLO_END")


@rule(S903, 700, "The start date of the DoLO is not a valid date.", "DoLO", ["DOLO_START"], years=_YEARS)
def r700(ctx: Context) -> pl.Expr:
    """DOLO_START must be present and a valid date: a DoLO without a start date is flagged too."""
    return pl.col("DOLO_START").is_null()


@rule(S903, 701, "The end date of the DoLO is not a valid date.", "DoLO", ["DOLO_END"], years=_YEARS)
def r701(ctx: Context) -> pl.Expr:
    """DOLO_END, if present, must be a valid date (a blank end is an order still in force). The open-source
    reading names DOLO_START as the field; it is the end date that is checked."""
    return unreadable("DOLO_END")


@rule(
    S903,
    702,
    "The date that the DoLO ended is before the date that it started.",
    "DoLO",
    ["DOLO_START", "DOLO_END"],
    years=_YEARS,
)
def r702(ctx: Context) -> pl.Expr:
    """DOLO_END, where both dates are present, must not be before DOLO_START. The open-source reading also
    flags an order ending on the day it started; the message says "before", so that day passes here."""
    return pl.col("DOLO_END") < pl.col("DOLO_START")


@rule(
    S903,
    703,
    "The date that the DoLO started is after the end of the collection year.",
    "DoLO",
    ["DOLO_START"],
    years=_YEARS,
)
def r703(ctx: Context) -> pl.Expr:
    """DOLO_START, if present, must not be after 31 March."""
    return pl.col("DOLO_START") > ctx.end


@rule(
    S903,
    704,
    "The date that the DoLO ended is before the start or after the end of the collection year.",
    "DoLO",
    ["DOLO_END"],
    years=_YEARS,
)
def r704(ctx: Context) -> pl.Expr:
    """DOLO_END, if present, must fall within the collection year, 1 April to 31 March."""
    return (pl.col("DOLO_END") < ctx.start) | (pl.col("DOLO_END") > ctx.end)


@rule(
    S903,
    705,
    "A DoLO cannot start when the previous DoLO is still open.",
    "DoLO",
    ["DOLO_START", "DOLO_END"],
    years=_YEARS,
)
def r705(ctx: Context) -> pl.DataFrame:
    """A child's DoLO must not start while one of their DoLOs that started earlier (or on the same day, higher
    up the file) is still in force: that one has no end date, or ends after this one starts (a DoLO may
    start on the day the previous one ended). The later DoLO is flagged. Every earlier DoLO counts, not
    only the one just before, so an order inside a long one does not hide the long one from a third. The
    open-source reading orders the orders by end date and compares start dates, which flags the wrong
    order of an overlapping pair."""
    orders = _orders(ctx.t("DoLO")).filter(_known_end()).select("CHILD", ROW, "DOLO_START", "DOLO_END")
    others = orders.select(
        "CHILD",
        pl.col(ROW).alias("_other"),
        pl.col("DOLO_START").alias("_other_start"),
        pl.col("DOLO_END").alias("_other_end"),
    )
    earlier = (pl.col("_other_start") < pl.col("DOLO_START")) | (
        (pl.col("_other_start") == pl.col("DOLO_START")) & (pl.col("_other") < pl.col(ROW))
    )
    still_open = pl.col("_other_end").is_null() | (pl.col("_other_end") > pl.col("DOLO_START"))
    return orders.join(others, on="CHILD").filter(earlier & still_open).select(ROW)


@rule(
    S903,
    706,
    # The DfE's message has the double full stop.
    "There is an open DoLO in last year’s return and there is no corresponding DoLO recorded at the start "
    "of this year..",
    "DoLO",
    ["DOLO_START"],
    years=_YEARS,
    reads=["Header"],
    also={"Header": ["CHILD"]},
)
def r706(ctx: Context) -> dict[str, pl.DataFrame]:
    """If a child's latest DoLO last year (by DOLO_START) had no end date, their first DoLO this year must
    start on the same date. That first DoLO is flagged if it starts on another date; a child with no DoLO
    this year has their header row flagged instead (the open-source reading flags last year's rows, which
    are not in this year's files). Nothing without last year's return."""
    last = _orders(ctx.prev("DoLO"))
    none = {"DoLO": ctx.t("DoLO").select(ROW).clear(), "Header": ctx.t("Header").select(ROW).clear()}
    if last.height == 0:
        return none
    still_open = (
        last.sort(["CHILD", "DOLO_START", ROW])
        .group_by("CHILD", maintain_order=True)
        .last()
        .filter(_open())
        .select("CHILD", pl.col("DOLO_START").alias("_last_year"))
    )
    first = (
        ctx.t("DoLO")
        .filter(pl.col("CHILD").is_not_null())
        .sort(["CHILD", "DOLO_START", ROW], nulls_last=True)
        .group_by("CHILD", maintain_order=True)
        .first()
        .select("CHILD", ROW, "DOLO_START")
    )
    matched = still_open.join(first, on="CHILD", how="left")
    differs = matched.filter(
        pl.col(ROW).is_not_null() & pl.col("DOLO_START").ne_missing(pl.col("_last_year"))
    )
    missing = matched.filter(pl.col(ROW).is_null()).select("CHILD")
    headers = ctx.t("Header").filter(pl.col("CHILD").is_not_null()).join(missing, on="CHILD", how="semi")
    return {"DoLO": differs.select(ROW), "Header": headers.select(ROW)}


@rule(
    S903,
    707,
    "Child ceased to be looked after but there is a DoLO without an end date.",
    "DoLO",
    ["DOLO_START", "DOLO_END"],
    years=_YEARS,
    reads=["Episodes"],
)
def r707(ctx: Context) -> pl.DataFrame:
    """A child whose latest episode this year has an end date (DEC) has ceased to be looked after; none of
    their DoLOs may be left without an end date. A child still looked after on 31 March, or with no
    episode this year, passes. The open-source reading reuses rule 577's period-of-care test for missing
    episodes and flags DoLOs that have end dates too, which the message does not ask for."""
    ceased = episodes_in_order(ctx).filter(pl.col("_last") & pl.col("DEC").is_not_null()).select("CHILD")
    return _orders(ctx.t("DoLO")).filter(_open()).join(ceased, on="CHILD", how="semi").select(ROW)


@rule(
    S903,
    708,
    "Dates of DoLOs are before child’s date of birth.",
    "DoLO",
    ["DOB", "DOLO_START", "DOLO_END"],
    years=_YEARS,
    reads=["Header"],
)
def r708(ctx: Context) -> pl.DataFrame:
    """Neither DOLO_START nor DOLO_END may be before the child's date of birth: the DOB on the DoLO row, or
    the header's when that is blank. The open-source reading checks the start only and flags a start on
    the birth date as well; the message speaks of the dates, and of "before"."""
    dob = (
        ctx.t("Header")
        .filter(pl.col("CHILD").is_not_null())
        .unique("CHILD", keep="first")
        .select("CHILD", pl.col("DOB").alias("_header_dob"))
    )
    born = pl.coalesce("DOB", "_header_dob")
    return (
        ctx.t("DoLO")
        .join(dob, on="CHILD", how="left")
        .filter(((pl.col("DOLO_START") < born) | (pl.col("DOLO_END") < born)).fill_null(False))
        .select(ROW)
    )


def _overlapping_episodes(ctx: Context) -> pl.DataFrame:
    """Each pair of a DoLO with both dates present and an episode of the same child that it overlaps, as
    ``_row`` (the DoLO's), ``_episode`` (the episode's) and the episode's PLACE.

    An episode runs from DECOM up to its DEC (the day the child moves is the next episode's), or on if it
    has no DEC; a DoLO runs from DOLO_START to DOLO_END (at least the one day). So a placement that ends on
    the day an order starts, or starts on the day it ends, is not in the order. The DfE's condition reads
    "If <DOLO_START> and <DOLO_END> are present", so an order without an end date (still in force), or
    with one that cannot be read, is not judged.
    """
    orders = (
        _orders(ctx.t("DoLO"))
        .filter(pl.col("DOLO_END").is_not_null())
        .select(
            "CHILD",
            ROW,
            "DOLO_START",
            pl.max_horizontal("DOLO_END", pl.col("DOLO_START").dt.offset_by("1d")).alias("_until"),
        )
    )
    episodes = (
        ctx.t("Episodes")
        .filter(
            pl.col("CHILD").is_not_null()
            & pl.col("DECOM").is_not_null()
            & (pl.col("DEC").is_not_null() | ~sent("DEC"))
        )
        .select("CHILD", pl.col(ROW).alias("_episode"), "DECOM", "DEC", "PLACE")
    )
    overlap = (pl.col("DEC").is_null() | (pl.col("DOLO_START") < pl.col("DEC"))) & (
        pl.col("DECOM") < pl.col("_until")
    )
    return orders.join(episodes, on="CHILD").filter(overlap).select(ROW, "_episode", "PLACE")


def _both(pairs: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {"DoLO": pairs.select(ROW), "Episodes": pairs.select(pl.col("_episode").alias(ROW))}


@rule(
    S903,
    709,
    "Child with a DoLO is in an unexpected placement type.",
    "DoLO",
    ["DOLO_START", "DOLO_END"],
    years=_YEARS,
    reads=["Episodes"],
    also={"Episodes": ["DECOM", "DEC", "PLACE"]},
)
def r709(ctx: Context) -> dict[str, pl.DataFrame]:
    """If DOLO_START and DOLO_END are present, every episode of the child that overlaps the DoLO must be in
    placement K2, Z12 or Z13; the DoLO and the episode are both flagged. A DoLO without an end date is not
    judged, as the DfE's condition asks for both dates. An episode without a DEC runs on (the open-source
    reading leaves open episodes out). A blank PLACE is left to the rules on PLACE."""
    return _both(_overlapping_episodes(ctx).filter(not_in("PLACE", _EXPECTED_PLACEMENTS)))


@rule(
    S903,
    710,
    "Child with a DoLO can not be placed in secure children's homes, with parents, young offender "
    "institutions, or supported accommodation.",
    "DoLO",
    ["DOLO_START", "DOLO_END"],
    years=_YEARS,
    reads=["Episodes"],
    also={"Episodes": ["DECOM", "DEC", "PLACE"]},
)
def r710(ctx: Context) -> dict[str, pl.DataFrame]:
    """No episode of the child that overlaps a DoLO may be in placement K1 (secure children's home), P1
    (with parents), R5 (young offender institution) or K3 (supported accommodation); the DoLO and the
    episode are both flagged. As for rule 709, only a DoLO with both DOLO_START and DOLO_END present is
    judged, and overlap is read the same way."""
    return _both(_overlapping_episodes(ctx).filter(in_codes("PLACE", _BARRED_PLACEMENTS)))
