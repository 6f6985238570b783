"""SSDA903 rules 1001 to 1016 (care leavers with no care history, missing-episode dates, data for children
with no episodes) and the social worker episode rules SW01 to SW19 (the 2026-27 deprivation of liberty
rules 700 to 710 are in ssda903_dolo).

Messages are the DfE's. The DfE's social worker rules are staged (SW01 and so on at stage 1 or 2); the
code here is the DfE's rule code without the stage. A child's social worker episodes are put in order
once per run (:func:`_sw_in_order`) and compared with their neighbours by column shifts, never row by row.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.codes import SSDA903 as CODES
from outstanding.returns.engine import Context, no_rows, not_checkable, rule
from outstanding.returns.rules.ssda903_common import (
    S903,
    birthday,
    episodes_in_order,
    in_codes,
    memo,
    sent,
    unreadable,
)
from outstanding.returns.schemas import RAW, ROW

_FROM_2025 = ["2025-26", "2026-27"]
_OC3_DATA = ("IN_TOUCH", "ACTIV", "ACCOM")
_SHORT_BREAKS = ["V3", "V4"]


def _oc3_filled() -> pl.Expr:
    """Any of the care leaver fields provided."""
    return pl.any_horizontal(pl.col(c).is_not_null() for c in _OC3_DATA)


# --- 1001 to 1016 ------------------------------------------------------------------------------


@rule(
    S903,
    1001,
    "The episodes recorded for this young person suggest they are not a relevant or a former relevant child "
    "and therefore should not have care leaver information completed.",
    "OC3",
    list(_OC3_DATA),
    reads=["Episodes", "Header"],
)
def r1001(ctx: Context) -> pl.DataFrame:
    """A care leaver (OC3 data provided) must have been looked after for at least 13 weeks (91 days) since
    their 14th birthday, some of it after their 16th birthday, and must not have left care by adoption
    (latest episode ending E11 or E12). Short breaks (LS V3, V4) do not count.

    The files hold only this year's and last year's episodes (with those open on last year's 1 April), so
    the rule is checked only when last year's return is sent, and only where the files can settle it:
    fewer than 91 days since the 14th birthday only if that birthday is on or after last year's 1 April,
    and no time after the 16th birthday only if that birthday is too (time in care before then is not in
    the files: a young person in care since the age of 10 who left at 18 a month into last year is
    relevant). The adoption is judged from the latest episode in the files. A child's latest episode, if
    open, counts to 31 March. A young person with no episodes in either year is left to rule 1002."""
    if not ctx.has_previous:
        return no_rows(ctx, "OC3")
    seen_from = ctx.start.replace(year=ctx.start.year - 1)
    fields = ["CHILD", "DECOM", "DEC", "LS", "REC"]
    this_year = ctx.t("Episodes").select(fields)
    last_year = ctx.prev("Episodes").select(fields).join(this_year, on=["CHILD", "DECOM"], how="anti")
    episodes = (
        pl.concat([this_year, last_year])
        .filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null())
        .sort(["CHILD", "DECOM"])
    )
    last = pl.col("CHILD").shift(-1).ne_missing(pl.col("CHILD"))
    episodes = episodes.with_columns(
        pl.when(last & pl.col("DEC").is_null()).then(pl.lit(ctx.end)).otherwise(pl.col("DEC")).alias("DEC"),
        last.alias("_last"),
    )
    adopted = episodes.filter(pl.col("_last") & in_codes("REC", ["E11", "E12"])).select("CHILD")
    dob = ctx.t("Header").filter(pl.col("DOB").is_not_null()).unique("CHILD", keep="first")
    dob = dob.select("CHILD", "DOB")

    def days_since(years: int) -> pl.Expr:
        since = pl.max_horizontal(pl.col("DECOM"), birthday("DOB", years))
        return (pl.col("DEC") - since).dt.total_days().clip(lower_bound=0).fill_null(0)

    counted = (
        episodes.filter(~in_codes("LS", _SHORT_BREAKS))
        .join(dob, on="CHILD")
        .group_by("CHILD")
        .agg(days_since(14).sum().alias("_after14"), days_since(16).sum().alias("_after16"))
    )
    # Every young person with episodes in the files; one with only short breaks has no qualifying care.
    totals = (
        episodes.select("CHILD")
        .unique()
        .join(dob, on="CHILD")
        .join(counted, on="CHILD", how="left")
        .with_columns(pl.col("_after14", "_after16").fill_null(0))
    )
    too_short = (pl.col("_after14") < 91) & (birthday("DOB", 14) >= seen_from)
    none_after16 = (pl.col("_after16") < 1) & (birthday("DOB", 16) >= seen_from)
    not_relevant = totals.filter(too_short | none_after16).select("CHILD")
    failing = pl.concat([not_relevant, adopted]).unique()
    return ctx.t("OC3").filter(_oc3_filled()).join(failing, on="CHILD", how="semi")


@rule(
    S903,
    1002,
    "This child has no previous episodes of care, therefore should not have care leaver information "
    "recorded.",
    "OC3",
    list(_OC3_DATA),
    reads=["Episodes"],
)
def r1002(ctx: Context) -> pl.DataFrame:
    """A care leaver (OC3 data provided) has episodes this year or last year. Checked only when last year's
    return is sent, and only for a care leaver who turned 16 on or after last year's 1 April.

    A care leaver was looked after at some time after their 16th birthday; for those who turned 16 within the
    two years the files cover, that time must be in one of them. An older care leaver (19 to 21, say) may
    have left care before last year's return: the DfE holds those episodes, the files do not, so judging
    them here would flag true records (the open-source validator's own note warns of exactly this)."""
    if not ctx.has_previous:
        return no_rows(ctx, "OC3")
    known = pl.concat([ctx.t("Episodes").select("CHILD"), ctx.prev("Episodes").select("CHILD")]).unique()
    last_year_start = ctx.start.replace(year=ctx.start.year - 1)
    dob = ctx.t("Header").select("CHILD", pl.col("DOB").alias("_header_dob")).unique("CHILD", keep="first")
    return (
        ctx.t("OC3")
        .filter(_oc3_filled())
        .join(known, on="CHILD", how="anti")
        .join(dob, on="CHILD", how="left")
        .with_columns(pl.coalesce("DOB", "_header_dob").alias("_dob"))
        .filter(birthday("_dob", 16) >= last_year_start)
    )


@rule(
    S903,
    1004,
    "The start date of the missing episode or episode that the child was away from placement without "
    "authorisation is not a valid date.",
    "Missing",
    ["MIS_START"],
)
def r1004(ctx: Context) -> pl.Expr:
    """MIS_START is required and must be a real date in the DD/MM/YYYY form."""
    return pl.col("MIS_START").is_null()


@rule(
    S903,
    1005,
    "The end date of the missing episode or episode that the child was away from placement without "
    "authorisation is not a valid date.",
    "Missing",
    ["MIS_END"],
)
def r1005(ctx: Context) -> pl.Expr:
    """MIS_END may be blank (still missing), but if sent must be a real date."""
    return unreadable("MIS_END")


not_checkable(
    S903,
    1008,
    "Ofsted Unique Reference Number (URN) is not valid.",
    reason="needs Ofsted's register of provider URNs, which the return's files do not carry; the form of "
    "the URN and the placeholder XXXXXXX are checked by rules 242 and others",
)


@rule(
    S903,
    1011,
    "This child is recorded as having his/her care transferred to another local authority for the final "
    "episode and therefore should not have the care leaver information completed.",
    "OC3",
    list(_OC3_DATA),
    reads=["Episodes"],
)
def r1011(ctx: Context) -> pl.DataFrame:
    """A child whose latest episode (the latest DECOM) ended with REC E3 has no IN_TOUCH, ACTIV or ACCOM."""
    transferred = episodes_in_order(ctx).filter(pl.col("_last") & (pl.col("REC") == "E3")).select("CHILD")
    return ctx.t("OC3").filter(_oc3_filled()).join(transferred, on="CHILD", how="semi")


_NO_OTHER_DATA = ("PlacedAdoption", "Missing", "Reviews", "AD1", "PrevPerm", "OC2", "SWEpisodes")


@rule(
    S903,
    1012,
    "No other data should be returned for OC3 children who had no episodes in the current year",
    "PlacedAdoption",
    ["CHILD"],
    reads=["OC3", "Episodes"],
    also={table: ["CHILD"] for table in _NO_OTHER_DATA[1:]},
)
def r1012(ctx: Context) -> dict[str, pl.DataFrame]:
    """A child in the OC3 table with no episode this year has no rows in the adoption, missing, review,
    previous permanence, OC2 or social worker tables; every such row is flagged. (UASC and the header are
    not "other data": a care leaver may have both.)"""
    leavers = (
        ctx.t("OC3").select("CHILD").unique().join(ctx.t("Episodes").select("CHILD"), on="CHILD", how="anti")
    )
    return {t: ctx.t(t).join(leavers, on="CHILD", how="semi").select(ROW) for t in _NO_OTHER_DATA}


@rule(
    S903,
    1014,
    "UASC information is not required for care leavers",
    "UASC",
    ["DUC"],
    reads=["Episodes"],
    also={"OC3": list(_OC3_DATA)},
)
def r1014(ctx: Context) -> dict[str, pl.DataFrame]:
    """A care leaver is a young person with care leaver data (IN_TOUCH, ACTIV or ACCOM) and no episode open
    at any time during the year: such a young person has no UASC row. Both the UASC row and the OC3 row are
    flagged. (The open-source reading missed care leavers with no episodes at all, the usual case.)"""
    during = (pl.col("DECOM") <= ctx.end) & (pl.col("DEC").is_null() | (pl.col("DEC") >= ctx.start))
    in_care = ctx.t("Episodes").filter(during.fill_null(False)).select("CHILD").unique()
    leavers = ctx.t("OC3").filter(_oc3_filled()).join(in_care, on="CHILD", how="anti")
    uasc = ctx.t("UASC").join(leavers.select("CHILD").unique(), on="CHILD", how="semi")
    return {
        "UASC": uasc.select(ROW),
        "OC3": leavers.join(uasc.select("CHILD").unique(), on="CHILD", how="semi").select(ROW),
    }


not_checkable(
    S903,
    1015,
    "Placement provider is own provision but child not placed in own LA.",
    reason="needs the council the placement is in (PL_LA), which the DfE derives from the placement "
    "postcode; the CSV files have no PL_LA column, nor the submitting council's code",
)


@rule(
    S903,
    1016,
    "Care leaver information is not required for 17- or 18-year olds who cease to be looked after, after "
    "their birthday.",
    "OC3",
    ["DOB", *_OC3_DATA],
    reads=["Episodes"],
)
def r1016(ctx: Context) -> pl.DataFrame:
    """A young person aged 17 or 18 at 31 March whose latest episode has ended (DEC provided), after their
    latest birthday (17th or 18th, which fell in the year), has no care leaver data. Rule 1007 covers those
    still looked after on their birthday."""
    leavers = (
        ctx.t("OC3")
        .filter(_oc3_filled() & (birthday("DOB", 17) <= ctx.end) & (birthday("DOB", 19) > ctx.end))
        .with_columns(
            pl.when(birthday("DOB", 18) <= ctx.end)
            .then(birthday("DOB", 18))
            .otherwise(birthday("DOB", 17))
            .alias("_birthday")
        )
    )
    ended = (
        episodes_in_order(ctx).filter(pl.col("_last") & pl.col("DEC").is_not_null()).select("CHILD", "DEC")
    )
    return leavers.join(ended, on="CHILD").filter(pl.col("DEC") > pl.col("_birthday"))


# --- social worker episodes ----------------------------------------------------------------------

# The social worker reporting period starts a year before the collection year (from 2024-25).
_SW_REASON_FROM = dt.date(2023, 4, 1)  # reasons for change are recorded for episodes from 1 April 2023


def _period_start(ctx: Context) -> dt.date:
    return dt.date(ctx.year.start - 1, 4, 1)


def _sw_in_order(ctx: Context) -> pl.DataFrame:
    """Social worker episodes with a CHILD and SW_DECOM, in each child's order (SW_DECOM, then SW_DEC),
    with the neighbouring episode's fields as ``<field>_prev``/``<field>_next`` and ``_first``/``_last``."""

    def build() -> pl.DataFrame:
        sw = (
            ctx.t("SWEpisodes")
            .filter(pl.col("CHILD").is_not_null() & pl.col("SW_DECOM").is_not_null())
            .sort(["CHILD", "SW_DECOM", "SW_DEC", ROW], nulls_last=True)
        )
        same_next = pl.col("CHILD").shift(-1) == pl.col("CHILD")
        same_prev = pl.col("CHILD").shift(1) == pl.col("CHILD")
        fields = ("SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON")
        return sw.with_columns(
            *[pl.when(same_next).then(pl.col(c).shift(-1)).alias(f"{c}_next") for c in fields],
            *[pl.when(same_prev).then(pl.col(c).shift(1)).alias(f"{c}_prev") for c in fields],
            same_prev.fill_null(False).not_().alias("_first"),
            same_next.fill_null(False).not_().alias("_last"),
        )

    return memo(ctx, "sw_in_order", build)


@rule(
    S903,
    "SW01",
    "Child looked after on 31 March, but no social worker episode information is reported",
    "Episodes",
    ["DEC", "LS"],
    reads=["SWEpisodes"],
)
def sw01(ctx: Context) -> pl.DataFrame:
    """A child looked after on 31 March (their latest episode open, LS not V3 or V4) has at least one social
    worker episode with SW_ID and at least one with SW_DECOM; the open episode is flagged. (SW_REASON was
    dropped from this rule from 2024-25; the open-source reading flags the social worker table, which has
    no row for such a child.)"""
    sw = ctx.t("SWEpisodes").filter(pl.col("CHILD").is_not_null())
    reported = (
        sw.group_by("CHILD")
        .agg(pl.col("SW_ID").is_not_null().any().alias("_id"), sent("SW_DECOM").any().alias("_decom"))
        .filter(pl.col("_id") & pl.col("_decom"))
        .select("CHILD")
    )
    at_31_march = episodes_in_order(ctx).filter(
        pl.col("_last") & pl.col("DEC").is_null() & ~in_codes("LS", _SHORT_BREAKS)
    )
    return at_31_march.join(reported, on="CHILD", how="anti")


@rule(
    S903,
    "SW01a",
    "For each social worker episode, information should be complete",
    "SWEpisodes",
    ["SW_DECOM", "SW_ID"],
)
def sw01a(ctx: Context) -> pl.Expr:
    """An episode begun before 1 April 2023 has SW_ID (its SW_REASON may be blank: reasons were first
    collected then). An episode with no start date is left to SW01b."""
    return (pl.col("SW_DECOM") < _SW_REASON_FROM) & pl.col("SW_ID").is_null()


@rule(
    S903,
    "SW01b",
    "For each social worker episode, information should be complete",
    "SWEpisodes",
    ["SW_DECOM", "SW_ID", "SW_REASON"],
)
def sw01b(ctx: Context) -> pl.Expr:
    """An episode begun on or after 1 April 2023 has SW_ID and SW_REASON; every episode has SW_DECOM."""
    incomplete = pl.col("SW_ID").is_null() | pl.col("SW_REASON").is_null()
    return ~sent("SW_DECOM") | ((pl.col("SW_DECOM") >= _SW_REASON_FROM) & incomplete)


def _sw_id_prefix() -> pl.Expr:
    return pl.col("SW_ID").is_not_null() & ~pl.col("SW_ID").str.slice(0, 2).is_in(["SW", "XX"])


@rule(
    S903,
    "SW02",
    "Social worker ID does not begin with the characters ‘SW’ or ‘XX’.",
    "SWEpisodes",
    ["SW_ID"],
    years=["2024-25"],
)
def sw02(ctx: Context) -> pl.Expr:
    """SW_ID, where provided, begins with SW or XX, in capitals (a blank one is SW01a/SW01b's)."""
    return _sw_id_prefix()


@rule(
    S903,
    "SW02",
    "Social worker ID does not begin with the characters ‘SW’ or ‘XX’.",
    "SWEpisodes",
    ["SW_ID"],
    years=_FROM_2025,
)
def sw02_from_2025(ctx: Context) -> pl.Expr:
    """From 2025-26 SW_ID must also have something after the two letters: at least four characters."""
    return _sw_id_prefix() | (pl.col("SW_ID").str.len_chars() < 4)


# Dates sent with an unknown day, month or year (ZZ/ZZ/ZZZZ) were accepted until 2024-25.
_UNKNOWN_DATE = r"^(\d{2}|ZZ)/(\d{2}|ZZ)/(\d{4}|ZZZZ)$"


def _bad_date(name: str, ctx: Context) -> pl.Expr:
    bad = unreadable(name)
    if ctx.year.start <= 2024:
        zz = pl.col(name + RAW).str.contains("ZZ") & pl.col(name + RAW).str.contains(_UNKNOWN_DATE)
        bad = bad & ~zz
    return bad


@rule(
    S903,
    "SW04",
    # The DfE's message has the double full stop.
    "Date social worker episode began is not a valid date..",
    "SWEpisodes",
    ["SW_DECOM"],
)
def sw04(ctx: Context) -> pl.Expr:
    """SW_DECOM is required and is a real DD/MM/YYYY date (in 2024-25 a date with ZZ for an unknown day,
    month or year passes)."""
    return ~sent("SW_DECOM") | _bad_date("SW_DECOM", ctx)


@rule(
    S903,
    "SW05",
    # The DfE's message says "began" though the rule is about the date the episode ended.
    "Date social worker episode began is not a valid date.",
    "SWEpisodes",
    ["SW_DEC"],
)
def sw05(ctx: Context) -> pl.Expr:
    """SW_DEC, where sent, is a real date (ZZ forms pass in 2024-25). A blank SW_DEC is an open episode:
    the open-source reading flags it from 2025-26, which would flag every child's current social worker, so
    it is not followed."""
    return _bad_date("SW_DEC", ctx)


@rule(
    S903,
    "SW06",
    "Social worker episode data should be within the social worker data reporting year.",
    "SWEpisodes",
    ["SW_DECOM"],
)
def sw06(ctx: Context) -> pl.Expr:
    return pl.col("SW_DECOM") > ctx.end


@rule(
    S903,
    "SW07",
    "Social worker episode end date should be on or after the start of the social worker reporting period, "
    "and should be on or before the collection end date.",
    "SWEpisodes",
    ["SW_DEC"],
)
def sw07(ctx: Context) -> pl.Expr:
    """SW_DEC, where given, lies from 1 April of the year before the collection year to 31 March."""
    return (pl.col("SW_DEC") < _period_start(ctx)) | (pl.col("SW_DEC") > ctx.end)


@rule(
    S903,
    "SW08",
    "A new social worker episode has started, but the previous episode has not ended.",
    "SWEpisodes",
    ["SW_DEC"],
)
def sw08(ctx: Context) -> pl.DataFrame:
    """Every social worker episode of a child but the latest (by SW_DECOM) has SW_DEC."""
    return _sw_in_order(ctx).filter(~pl.col("_last") & pl.col("SW_DEC").is_null())


@rule(
    S903,
    "SW09",
    "Social worker episode appears to have lasted for less than 24 hours.",
    "SWEpisodes",
    ["SW_DECOM", "SW_DEC"],
    years=["2024-25"],
)
def sw09(ctx: Context) -> pl.Expr:
    """With dates only, an episode shorter than a day is one that ends the day it began."""
    return pl.col("SW_DEC") == pl.col("SW_DECOM")


@rule(
    S903,
    "SW09",
    "Social worker episode appears to have lasted for less than 24 hours.",
    "SWEpisodes",
    ["SW_DECOM", "SW_DEC"],
    years=_FROM_2025,
)
def sw09_from_2025(ctx: Context) -> pl.Expr:
    """From 2025-26 the DfE checks that SW_DEC is at least 3 days after SW_DECOM (the message is unchanged).
    An end before the start is rule SW18's, so it is not flagged here too."""
    days = (pl.col("SW_DEC") - pl.col("SW_DECOM")).dt.total_days()
    return (days >= 0) & (days < 3)


def _starts_away_from_previous_end() -> pl.Expr:
    """Not FCONTA, and SW_DECOM is more than 7 days either side of the previous episode's SW_DEC."""
    gap = (pl.col("SW_DECOM") - pl.col("SW_DEC_prev")).dt.total_days().abs()
    return pl.col("SW_REASON").ne_missing(pl.lit("FCONTA")) & (gap > 7)


@rule(
    S903,
    "SW10",
    "A new social worker episode has started before the end date of the previous social worker episode.",
    "SWEpisodes",
    ["SW_DECOM"],
    years=["2024-25"],
)
def sw10(ctx: Context) -> pl.DataFrame:
    """Unless the reason is FCONTA, an episode starts within 7 days either side of the end of the child's
    previous episode, where that has an end date (a previous episode with none is SW08's). From 2025-26
    the DfE splits this rule into SW10a and SW10b."""
    return _sw_in_order(ctx).filter(_starts_away_from_previous_end())


@rule(
    S903,
    "SW10a",
    "A new social worker episode has started and it is not within +/- 7 days of a previous episode.",
    "SWEpisodes",
    ["SW_DECOM"],
    years=_FROM_2025,
)
def sw10a(ctx: Context) -> pl.DataFrame:
    """As SW10 before it: unless the reason is FCONTA, an episode starts within 7 days either side of the
    previous episode's SW_DEC, where given."""
    return _sw_in_order(ctx).filter(_starts_away_from_previous_end())


@rule(
    S903,
    "SW10b",
    "A new social worker episode has started with a reason of first contact before the previous episode has "
    "ended.",
    "SWEpisodes",
    ["SW_DECOM", "SW_REASON"],
    years=_FROM_2025,
)
def sw10b(ctx: Context) -> pl.DataFrame:
    """An episode with reason FCONTA starts after the child's previous episode ended (SW_DECOM later than
    the previous SW_DEC, where given)."""
    return _sw_in_order(ctx).filter(
        (pl.col("SW_REASON") == "FCONTA") & (pl.col("SW_DECOM") <= pl.col("SW_DEC_prev"))
    )


_SW11 = (
    "Social worker episode has ended before 31 March and no subsequent social worker episode has been "
    "provided."
)


@rule(S903, "SW11a", _SW11, "SWEpisodes", ["SW_DEC"])
def sw11a(ctx: Context) -> pl.DataFrame:
    """An episode that ended more than 5 days before 31 March is followed by the child's next episode,
    starting within 5 days either side of that end. The ended episode is flagged (the open-source reading
    flags the next one, and so misses an ended episode with none after it)."""
    eps = _sw_in_order(ctx)
    gap = (pl.col("SW_DECOM_next") - pl.col("SW_DEC")).dt.total_days().abs()
    ended = pl.col("SW_DEC") < pl.lit(ctx.end) - dt.timedelta(days=5)
    return eps.filter(ended & (pl.col("_last") | (gap > 5)))


@rule(S903, "SW11b", _SW11, "SWEpisodes", ["SW_DEC"])
def sw11b(ctx: Context) -> pl.DataFrame:
    """An episode that ended in the last 5 days before 31 March is followed by another episode (starting
    at any date)."""
    end = pl.lit(ctx.end)
    ended = (pl.col("SW_DEC") >= end - dt.timedelta(days=5)) & (pl.col("SW_DEC") < end)
    return _sw_in_order(ctx).filter(ended & pl.col("_last"))


@rule(
    S903,
    "SW12",
    "If a child is looked after on 31 March then all social worker episodes for the full previous year "
    "should be reported, even those whilst they were not looked after",
    "Episodes",
    ["DECOM", "DEC", "RNE", "REC"],
    reads=["SWEpisodes"],
)
def sw12(ctx: Context) -> pl.DataFrame:
    """For a child looked after on 31 March, each episode (not a short break) that starts a period of care
    (RNE S) or ends one (REC not X1) within the social worker reporting period (from 1 April of the year
    before) falls within a reported social worker episode: one begun by that date and not ended before it.

    The open-source reading compares each care episode with each social worker episode on its own, so a
    child with several social worker episodes is flagged whenever one of them does not cover the date."""
    eps = episodes_in_order(ctx)
    looked_after = eps.filter(
        pl.col("_last") & pl.col("DEC").is_null() & ~in_codes("LS", _SHORT_BREAKS)
    ).select("CHILD")
    period = _period_start(ctx)
    starts = (pl.col("RNE") == "S") & pl.col("DECOM").is_between(period, ctx.end)
    ends = (pl.col("REC").ne_missing(pl.lit("X1"))) & pl.col("DEC").is_between(period, ctx.end)
    moments = pl.concat(
        [
            eps.filter(starts.fill_null(False) & ~in_codes("LS", _SHORT_BREAKS)).select(
                ROW, "CHILD", pl.col("DECOM").alias("_when")
            ),
            eps.filter(ends.fill_null(False) & ~in_codes("LS", _SHORT_BREAKS)).select(
                ROW, "CHILD", pl.col("DEC").alias("_when")
            ),
        ]
    ).join(looked_after, on="CHILD", how="semi")
    sw = ctx.t("SWEpisodes").filter(pl.col("SW_DECOM").is_not_null()).select("CHILD", "SW_DECOM", "SW_DEC")
    covered = (
        moments.join(sw, on="CHILD")
        .filter(
            (pl.col("SW_DECOM") <= pl.col("_when"))
            & (pl.col("SW_DEC").is_null() | (pl.col("SW_DEC") >= pl.col("_when")))
        )
        .select(ROW, "_when")
    )
    return moments.join(covered, on=[ROW, "_when"], how="anti").select(ROW)


@rule(
    S903,
    "SW13",
    "The reason for social worker change is either not valid or has not been entered.",
    "SWEpisodes",
    ["SW_REASON"],
)
def sw13(ctx: Context) -> pl.DataFrame:
    """SW_REASON is a valid code. It may be blank only on the child's first episode of the year: the one
    open on 1 April, or else the first begun in the year; and, as SW01a allows, on an episode begun before
    1 April 2023."""
    valid = sorted(CODES.SW_REASON.valid(ctx.year.start))
    eps = _sw_in_order(ctx)
    current = pl.col("SW_DEC").is_null() | (pl.col("SW_DEC") >= ctx.start)
    carried = (pl.col("SW_DECOM") < ctx.start) & current
    first_of_year = (
        eps.filter(carried | (pl.col("SW_DECOM") >= ctx.start))
        .group_by("CHILD")
        .agg(pl.col(ROW).first())
        .select(ROW, pl.lit(True).alias("_first_of_year"))
    )
    blank_allowed = pl.col("_first_of_year").fill_null(False) | (pl.col("SW_DECOM") < _SW_REASON_FROM)
    invalid = pl.col("SW_REASON").is_not_null() & ~pl.col("SW_REASON").is_in(valid)
    blank = pl.col("SW_REASON").is_null() & ~blank_allowed
    dated = eps.join(first_of_year, on=ROW, how="left").filter(invalid | blank).select(ROW)
    # An episode without a readable start cannot be placed in order: only its code is checked.
    undated = ctx.t("SWEpisodes").filter(pl.col("SW_DECOM").is_null() & invalid).select(ROW)
    return pl.concat([dated, undated])


@rule(
    S903,
    "SW14",
    "Social worker episode date ceased is blank.",
    "SWEpisodes",
    ["SW_DEC"],
)
def sw14(ctx: Context) -> pl.DataFrame:
    """Only a child's latest social worker episode may be open: any other with no SW_DEC is flagged."""
    return _sw_in_order(ctx).filter(~pl.col("_last") & ~sent("SW_DEC"))


@rule(
    S903,
    "SW15",
    "Reason for social worker change is missing.",
    "SWEpisodes",
    ["SW_REASON"],
)
def sw15(ctx: Context) -> pl.Expr:
    """SW_REASON is provided for every episode begun in the social worker reporting period (from 1 April of
    the year before) or with no start date."""
    return pl.col("SW_REASON").is_null() & ~(pl.col("SW_DECOM") < _period_start(ctx)).fill_null(False)


def _carried_over(ctx: Context, field: str) -> pl.DataFrame:
    """This year's social worker episode that carries on a child's latest episode last year (by SW_DECOM,
    then row) if that was still open, where ``field`` differs from the open episode's.

    This year's file may begin a year early (SW07, SW12 and SW15 allow episodes from last year's 1 April),
    so its first row need not be the one carried on: the episode compared is the one open on last year's
    31 March (begun by then, with no end date sent or an end on or after 1 April), the latest begun if
    there are several (then the highest row), else the child's first episode. A last-year end date that was
    sent but cannot be read is not an open episode."""
    if not ctx.has_previous:
        return no_rows(ctx, "SWEpisodes")
    open_last_year = (
        ctx.prev("SWEpisodes")
        .filter(pl.col("CHILD").is_not_null() & pl.col("SW_DECOM").is_not_null())
        .sort(["CHILD", "SW_DECOM", ROW])
        .group_by("CHILD", maintain_order=True)
        .last()
        .filter(~sent("SW_DEC"))
        .select("CHILD", pl.col(field).alias("_last_year"))
    )
    eps = _sw_in_order(ctx)
    last_31_march = ctx.start - dt.timedelta(days=1)
    covers = (pl.col("SW_DECOM") <= last_31_march) & (~sent("SW_DEC") | (pl.col("SW_DEC") >= ctx.start))
    covering = (
        eps.filter(covers.fill_null(False))
        .sort(["CHILD", "SW_DECOM", ROW])
        .group_by("CHILD", maintain_order=True)
        .last()
    )
    first = eps.filter(pl.col("_first")).join(covering, on="CHILD", how="anti")
    carried = pl.concat([covering, first], how="diagonal_relaxed")
    return carried.join(open_last_year, on="CHILD").filter(pl.col(field).ne_missing(pl.col("_last_year")))


@rule(
    S903,
    "SW16a",
    # The open-source validator carries SW16c's message here; this is the DfE's wording for the ID.
    "The social worker ID does not match the open episode at the end of last year.",
    "SWEpisodes",
    ["SW_ID"],
    years=["2024-25"],
)
def sw16a(ctx: Context) -> pl.DataFrame:
    """Where last year's latest social worker episode was open, this year's episode carrying it on (see
    :func:`_carried_over`) has the same SW_ID. Checked only when last year's return is sent. Withdrawn from
    2025-26."""
    return _carried_over(ctx, "SW_ID")


@rule(
    S903,
    "SW16b",
    "The social worker episode start date does not match the open episode at the end of last year.",
    "SWEpisodes",
    ["SW_DECOM"],
)
def sw16b(ctx: Context) -> pl.DataFrame:
    """Where last year's latest social worker episode was open, this year's episode carrying it on (the one
    open on last year's 31 March, else the child's first) has the same SW_DECOM."""
    return _carried_over(ctx, "SW_DECOM")


@rule(
    S903,
    "SW16c",
    "The social worker reason episode changed does not match the open episode at the end of last year.",
    "SWEpisodes",
    ["SW_REASON"],
    years=["2024-25"],
)
def sw16c(ctx: Context) -> pl.DataFrame:
    """Where last year's latest social worker episode was open, this year's episode carrying it on has the
    same SW_REASON. Withdrawn from 2025-26."""
    return _carried_over(ctx, "SW_REASON")


@rule(
    S903,
    "SW17",
    "There is no social worker episode open at 31 March",
    "SWEpisodes",
    ["SW_DEC"],
    years=_FROM_2025,
)
def sw17(ctx: Context) -> pl.DataFrame:
    """A child's latest social worker episode (by SW_DECOM) has no SW_DEC."""
    return _sw_in_order(ctx).filter(pl.col("_last") & sent("SW_DEC"))


@rule(
    S903,
    "SW18",
    "The end date of the social worker episode is before the start date",
    "SWEpisodes",
    ["SW_DEC", "SW_DECOM"],
    years=_FROM_2025,
)
def sw18(ctx: Context) -> pl.Expr:
    """Where given, SW_DEC is after SW_DECOM (the DfE's check is strictly after, so the same day fails)."""
    return pl.col("SW_DEC") <= pl.col("SW_DECOM")


@rule(
    S903,
    "SW19",
    "There are 2 social worker episodes for the child starting on the same date.",
    "SWEpisodes",
    ["SW_DEC", "SW_DECOM"],
    years=_FROM_2025,
)
def sw19(ctx: Context) -> pl.DataFrame:
    """No two of a child's social worker episodes share a SW_DECOM; every episode of such a pair is
    flagged (the open-source reading flags all but the first)."""
    return _sw_in_order(ctx).filter(
        (pl.col("SW_DECOM") == pl.col("SW_DECOM_prev")) | (pl.col("SW_DECOM") == pl.col("SW_DECOM_next"))
    )
