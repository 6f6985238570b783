"""SSDA903 rules that flag rows in two tables (DfE validation rules, 2024-25 to 2026-27): placed for adoption
against the episodes, the mother field against the care leaver data, and the data for children looked after
continuously for 12 months against the adoption, care leaver and outcome tables.

Messages are the DfE's. Each check returns ``{table: rows}`` for the rule's own table and the table it names
in ``also``; a row of the second table is flagged only where it is part of the failure.
"""

from __future__ import annotations

import polars as pl

from outstanding.returns.engine import Context, rule
from outstanding.returns.rules.ssda903_common import S903, continuously_looked_after, in_codes, sent
from outstanding.returns.schemas import ROW

_SHORT_BREAKS = ["V3", "V4"]
_OC3_FIELDS = ["IN_TOUCH", "ACTIV", "ACCOM"]


def _child_episodes(ctx: Context) -> pl.DataFrame:
    return ctx.t("Episodes").filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null())


def _one_per_child(frame: pl.DataFrame, latest: bool) -> pl.DataFrame:
    """Each child's earliest (or latest) row by DECOM: its ``_row`` and the fields alongside."""
    ordered = frame.sort(["CHILD", "DECOM", ROW])
    return ordered.unique("CHILD", keep="last" if latest else "first", maintain_order=True)


# --- Placed for adoption against the episodes ------------------------------------------------------


@rule(
    S903,
    117,
    "Date of decision that a child should/should no longer be placed for adoption is beyond the current "
    "collection year or after the child ceased to be looked after.",
    "PlacedAdoption",
    ["DATE_PLACED", "DATE_PLACED_CEASED"],
    reads=["Episodes"],
    also={"Episodes": ["DECOM", "DEC", "REC"]},
)
def r117(ctx: Context) -> dict[str, pl.DataFrame]:
    """DATE_PLACED and DATE_PLACED_CEASED, where present, must not be after 31 March, nor after the DEC of the
    child's latest episode whose REC is not X1. That episode is flagged too when it is the DEC that is
    passed; an open latest episode (no DEC) passes."""
    latest = _one_per_child(
        _child_episodes(ctx).filter(pl.col("REC").is_null() | (pl.col("REC") != "X1")), latest=True
    ).select("CHILD", pl.col(ROW).alias("_episode"), "DEC")
    placed = ctx.t("PlacedAdoption").join(latest, on="CHILD", how="left")
    after_end = (pl.col("DATE_PLACED") > ctx.end) | (pl.col("DATE_PLACED_CEASED") > ctx.end)
    after_dec = (pl.col("DATE_PLACED") > pl.col("DEC")) | (pl.col("DATE_PLACED_CEASED") > pl.col("DEC"))
    failing = placed.filter((after_end | after_dec).fill_null(False))
    return {
        "PlacedAdoption": failing.select(ROW),
        "Episodes": failing.filter(after_dec.fill_null(False)).select(pl.col("_episode").alias(ROW)),
    }


@rule(
    S903,
    118,
    "Date of decision that a child should no longer be placed for adoption is before the current collection "
    "year or before the date the child started to be looked after.",
    "PlacedAdoption",
    ["DATE_PLACED_CEASED"],
    reads=["Episodes"],
    also={"Episodes": ["DECOM", "LS"]},
)
def r118(ctx: Context) -> dict[str, pl.DataFrame]:
    """DATE_PLACED_CEASED, where present, must not be before 1 April, nor before the DECOM of the child's
    earliest episode whose LS is not V3 or V4 (that episode is flagged too when it is its DECOM that is
    passed)."""
    earliest = _one_per_child(
        _child_episodes(ctx).filter(~in_codes("LS", _SHORT_BREAKS)), latest=False
    ).select("CHILD", pl.col(ROW).alias("_episode"), "DECOM")
    placed = ctx.t("PlacedAdoption").join(earliest, on="CHILD", how="left")
    before_start = pl.col("DATE_PLACED_CEASED") < ctx.start
    before_decom = pl.col("DATE_PLACED_CEASED") < pl.col("DECOM")
    failing = placed.filter((before_start | before_decom).fill_null(False))
    return {
        "PlacedAdoption": failing.select(ROW),
        "Episodes": failing.filter(before_decom.fill_null(False)).select(pl.col("_episode").alias(ROW)),
    }


# --- The mother field -----------------------------------------------------------------------------------


@rule(
    S903,
    165,
    "Data entry for mother status is invalid.",
    "Header",
    ["MOTHER", "SEX"],
    reads=["Episodes", "OC3"],
    also={"OC3": ["IN_TOUCH", "ACTIV", "ACCOM"]},
)
def r165(ctx: Context) -> dict[str, pl.DataFrame]:
    """If MOTHER is provided it must be 0 or 1 and the child must be female (SEX F). If it is not provided,
    then either the child is not female, or the child has no episode in the current year (and has care
    leaver data, IN_TOUCH, ACTIV or ACCOM, instead): a girl with an episode this year and no MOTHER is
    flagged, with her OC3 row if she has care leaver data too.

    Read from SEX M/F/U (2024-25 on). As in rule 393, short breaks (LS V3, V4) do not count as an episode,
    so a girl looked after only under short breaks is not asked for MOTHER, whatever her OC3 data."""
    during = (pl.col("DECOM") <= ctx.end) & (pl.col("DEC").is_null() | (pl.col("DEC") >= ctx.start))
    in_year = (
        ctx.t("Episodes")
        .filter(pl.col("CHILD").is_not_null() & ~in_codes("LS", _SHORT_BREAKS) & during.fill_null(False))
        .select("CHILD")
        .unique()
    )
    header = ctx.t("Header")
    given = pl.col("MOTHER").is_not_null()
    bad_value = given & ~pl.col("MOTHER").is_in(["0", "1"])
    not_female = given & pl.col("SEX").is_not_null() & (pl.col("SEX") != "F")
    invalid = header.filter(bad_value | not_female).select(ROW)
    missing = header.filter(~given & (pl.col("SEX") == "F")).join(in_year, on="CHILD", how="semi")
    care_leaver = pl.any_horizontal(pl.col(c).is_not_null() for c in _OC3_FIELDS)
    return {
        "Header": pl.concat([invalid, missing.select(ROW)]),
        "OC3": ctx.t("OC3").filter(care_leaver).join(missing, on="CHILD", how="semi").select(ROW),
    }


# --- Looked after continuously for 12 months ------------------------------------------------------------

_AD1_FIELDS = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]
_OC2_REQUIRED = ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"]


def _any_sent(ctx: Context, table: str, names: list[str]) -> pl.Expr:
    columns = ctx.t(table).columns
    return pl.any_horizontal(sent(n) if n + "__raw" in columns else pl.col(n).is_not_null() for n in names)


@rule(
    S903,
    187,
    "Child cannot be looked after continuously for 12 months at 31 March (OC2) and have any of adoption or "
    "care leavers returns completed.",
    "AD1",
    _AD1_FIELDS,
    reads=["Episodes", "OC3"],
    also={"OC3": _OC3_FIELDS},
)
def r187(ctx: Context) -> dict[str, pl.DataFrame]:
    """A child looked after continuously for the 12 months to 31 March must have none of the adoption (AD1)
    fields and none of IN_TOUCH, ACTIV or ACCOM provided: every AD1 and OC3 row of such a child with any of
    them filled in is flagged."""
    cla = continuously_looked_after(ctx)
    return {
        table: ctx.t(table).join(cla, on="CHILD", how="semi").filter(_any_sent(ctx, table, names)).select(ROW)
        for table, names in (("AD1", _AD1_FIELDS), ("OC3", _OC3_FIELDS))
    }


@rule(
    S903,
    191,
    "Child has been looked after continuously for at least 12 months at 31 March but one or more data items "
    "relating to children looked after for 12 months have been left blank.",
    "OC2",
    _OC2_REQUIRED,
    reads=["Episodes"],
    also={"Episodes": ["CHILD", "DECOM"]},
)
def r191(ctx: Context) -> dict[str, pl.DataFrame]:
    """A child looked after continuously for the 12 months to 31 March must have IMMUNISATIONS, TEETH_CHECK,
    HEALTH_ASSESSMENT and SUBSTANCE_MISUSE provided: an OC2 row missing any is flagged, and a child with no
    OC2 row at all has the first of their episodes flagged."""
    cla = continuously_looked_after(ctx)
    blank = pl.any_horizontal(pl.col(n).is_null() for n in _OC2_REQUIRED)
    without_oc2 = cla.join(ctx.t("OC2").select("CHILD").unique(), on="CHILD", how="anti")
    first = _one_per_child(_child_episodes(ctx).join(without_oc2, on="CHILD", how="semi"), latest=False)
    return {
        "OC2": ctx.t("OC2").join(cla, on="CHILD", how="semi").filter(blank).select(ROW),
        "Episodes": first.select(ROW),
    }
