"""SSDA903 rules 371 to 1010: ages for placements and reasons for leaving care, temporary placements, short
breaks, the continuity of episodes (within the year and from last year's), care leavers and the mother
field.

Messages are the DfE's. Ages are judged against the child's date of birth in the header.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.codes import SSDA903 as CODES
from outstanding.returns.engine import Context, no_rows, rule
from outstanding.returns.rules.ssda903_common import S903, birthday, episodes_in_order, in_codes
from outstanding.returns.schemas import ROW

_FROM_2024 = ["2024-25", "2025-26", "2026-27"]
_FROM_2025 = ["2025-26", "2026-27"]
_TEMPORARY = ["T0", "T1", "T2", "T3", "T4"]
_SHORT_BREAKS = ["V3", "V4"]


def _with_dob(ctx: Context) -> pl.DataFrame:
    """Episodes with the child's header date of birth as ``_dob``."""
    return episodes_in_order(ctx)


def _placed_too_young(ctx: Context, place: str, years: int) -> pl.DataFrame:
    """Episodes in ``place`` that start before the child's birthday of ``years``."""
    return _with_dob(ctx).filter((pl.col("PLACE") == place) & (pl.col("DECOM") < birthday("_dob", years)))


def _longer_than(place: str, days: int) -> pl.Expr:
    """An ended episode in ``place`` that lasted more than ``days``."""
    return (pl.col("PLACE") == place) & (pl.col("DEC") - pl.col("DECOM") > dt.timedelta(days=days))


# --- Ages for placements ------------------------------------------------------------------------


@rule(
    S903,
    371,
    "Child in supported accomodation not subject to children’s homes regulations should be at least 16.",
    "Episodes",
    ["DECOM", "PLACE"],
    reads=["Header"],
)
def r371(ctx: Context) -> pl.DataFrame:
    # The DfE's message spells "accomodation" so; kept as published.
    return _placed_too_young(ctx, "K3", 16)


@rule(
    S903,
    372,
    "Child in youth custody or prison should be at least 10.",
    "Episodes",
    ["DECOM", "PLACE"],
    reads=["Header"],
)
def r372(ctx: Context) -> pl.DataFrame:
    return _placed_too_young(ctx, "R5", 10)


@rule(
    S903,
    373,
    "Child placed in a school should be at least 4 years old.",
    "Episodes",
    ["DECOM", "PLACE"],
    reads=["Header"],
)
def r373(ctx: Context) -> pl.DataFrame:
    return _placed_too_young(ctx, "S1", 4)


@rule(
    S903,
    374,
    "Child in residential employment should be at least 14 years old.",
    "Episodes",
    ["DECOM", "PLACE"],
    reads=["Header"],
)
def r374(ctx: Context) -> pl.DataFrame:
    return _placed_too_young(ctx, "P3", 14)


# --- Temporary placements -----------------------------------------------------------------------


@rule(
    S903,
    375,
    "Hospitalisation coded as a temporary placement exceeds six weeks.",
    "Episodes",
    ["DECOM", "DEC", "PLACE"],
)
def r375(ctx: Context) -> pl.Expr:
    return _longer_than("T1", 42)


@rule(
    S903,
    376,
    "Temporary placements coded as being due to holiday of usual foster carer(s) cannot exceed three weeks.",
    "Episodes",
    ["DECOM", "DEC", "PLACE"],
)
def r376(ctx: Context) -> pl.Expr:
    return _longer_than("T3", 21)


@rule(
    S903,
    377,
    "Only two temporary placements coded as being due to holiday of usual foster carer(s) are allowed in any "
    "12- month period.",
    "Episodes",
    ["PLACE"],
)
def r377(ctx: Context) -> pl.DataFrame:
    """A child has at most two T3 episodes in the year's return; all of them are flagged if more."""
    t3 = ctx.t("Episodes").filter((pl.col("PLACE") == "T3") & pl.col("CHILD").is_not_null())
    many = t3.group_by("CHILD").len().filter(pl.col("len") > 2)
    return t3.join(many, on="CHILD", how="semi")


@rule(
    S903,
    378,
    "A child who is placed with parent(s) cannot be looked after under a single period of accommodation "
    "under Section 20 of the Children Act 1989.",
    "Episodes",
    ["PLACE", "LS"],
)
def r378(ctx: Context) -> pl.Expr:
    return (pl.col("PLACE") == "P1") & (pl.col("LS") == "V2")


@rule(
    S903,
    379,
    "Temporary placements for unspecified reason (placement code T4) cannot exceed seven days.",
    "Episodes",
    ["DECOM", "DEC", "PLACE"],
)
def r379(ctx: Context) -> pl.Expr:
    return _longer_than("T4", 7)


@rule(
    S903,
    380,
    "A period of care cannot start with a temporary placement.",
    "Episodes",
    ["PLACE", "RNE"],
)
def r380(ctx: Context) -> pl.Expr:
    """A temporary placement starts with a change of placement (RNE P or B), never a new period of care."""
    return in_codes("PLACE", _TEMPORARY) & ~in_codes("RNE", ["P", "B"])


@rule(
    S903,
    381,
    "A period of care cannot end with a temporary placement.",
    "Episodes",
    ["PLACE", "REC"],
)
def r381(ctx: Context) -> pl.Expr:
    return in_codes("PLACE", _TEMPORARY) & pl.col("REC").is_not_null() & (pl.col("REC") != "X1")


@rule(
    S903,
    382,
    "A child receiving respite care cannot be in a temporary placement.",
    "Episodes",
    ["LS", "PLACE"],
)
def r382(ctx: Context) -> pl.Expr:
    return in_codes("LS", _SHORT_BREAKS) & in_codes("PLACE", _TEMPORARY)


@rule(
    S903,
    383,
    "A child in a temporary placement must subsequently return to his/her normal placement.",
    "Episodes",
    ["PLACE", "RNE", "PL_POST"],
    years=_FROM_2025,
)
def r383(ctx: Context) -> pl.DataFrame:
    """After a temporary placement, the next episode is a change of placement (RNE P) back to the placement
    before it: the same placement type and postcode. Judged where that earlier placement is in the return."""
    eps = episodes_in_order(ctx)
    two_back = pl.col("CHILD").shift(2) == pl.col("CHILD")
    eps = eps.with_columns(
        pl.when(two_back).then(pl.col("PLACE").shift(2)).alias("_place_before"),
        pl.when(two_back).then(pl.col("PL_POST").shift(2)).alias("_post_before"),
        two_back.fill_null(False).alias("_has_before"),
    )
    return eps.filter(
        pl.col("_has_before")
        & in_codes("PLACE_prev", _TEMPORARY)
        & (
            pl.col("RNE").ne_missing(pl.lit("P"))
            | pl.col("PLACE").ne_missing(pl.col("_place_before"))
            | pl.col("PL_POST").ne_missing(pl.col("_post_before"))
        )
    )


@rule(
    S903,
    384,
    "A child receiving respite care cannot be in a long-term foster placement ",
    "Episodes",
    ["PLACE", "LS"],
)
def r384(ctx: Context) -> pl.Expr:
    # The DfE's message carries a trailing space; kept as published.
    return in_codes("LS", _SHORT_BREAKS) & in_codes("PLACE", ["U1", "U4"])


# --- Ending episodes ----------------------------------------------------------------------------


@rule(
    S903,
    385,
    "Date episode ceased must be on or before the end of the current collection year.",
    "Episodes",
    ["DEC"],
)
def r385(ctx: Context) -> pl.Expr:
    return pl.col("DEC") > ctx.end


def _ended_at_age(ctx: Context, reasons: list[str], years: int, at_least: bool) -> pl.DataFrame:
    """Episodes ending for one of ``reasons`` when the child was ``years`` or older (``at_least``), or
    younger than ``years`` (not ``at_least``)."""
    older = pl.col("DEC") >= birthday("_dob", years)
    return _with_dob(ctx).filter(in_codes("REC", reasons) & (older if at_least else ~older))


@rule(
    S903,
    386,
    "Reason episode ceased is adopted but child has reached age 18.",
    "Episodes",
    ["REC", "DEC"],
    reads=["Header"],
)
def r386(ctx: Context) -> pl.DataFrame:
    return _ended_at_age(ctx, ["E11", "E12"], 18, at_least=True)


@rule(
    S903,
    387,
    "Reason episode ceased is child moved into independent living arrangement, but the child is aged under "
    "14.",
    "Episodes",
    ["REC", "DEC"],
    reads=["Header"],
)
def r387(ctx: Context) -> pl.DataFrame:
    return _ended_at_age(ctx, ["E5", "E6"], 14, at_least=False)


@rule(
    S903,
    388,
    "Reason episode ceased is coded new episode begins, but there is no continuation episode.",
    "Episodes",
    ["DEC", "REC"],
)
def r388(ctx: Context) -> pl.DataFrame:
    """X1 means another episode starts the day this one ends, and only X1 means that: an X1 episode followed
    by one starting another day, an episode followed the same day but ending other than X1, or a child's
    last episode ending X1, are flagged."""
    eps = episodes_in_order(ctx)
    x1 = pl.col("REC") == "X1"
    followed_same_day = pl.col("DEC") == pl.col("DECOM_next")
    return eps.filter(
        pl.col("DEC").is_not_null()
        & pl.col("REC").is_not_null()
        & (
            (~pl.col("_last") & x1 & ~followed_same_day)
            | (~pl.col("_last") & ~x1 & followed_same_day)
            | (pl.col("_last") & x1)
        )
    )


@rule(
    S903,
    389,
    "Reason episode ceased is that child transferred to care of adult social care services, but child is "
    "aged under 16.",
    "Episodes",
    ["REC", "DEC"],
    reads=["Header"],
)
def r389(ctx: Context) -> pl.DataFrame:
    return _ended_at_age(ctx, ["E7"], 16, at_least=False)


@rule(
    S903,
    390,
    "Reason episode ceased is adopted but child has not been previously placed for adoption.",
    "Episodes",
    ["PLACE", "REC"],
)
def r390(ctx: Context) -> pl.Expr:
    return in_codes("REC", ["E11", "E12"]) & ~in_codes("PLACE", ["A3", "A4", "A5", "A6"])


# --- OC3 and the header -------------------------------------------------------------------------


@rule(
    S903,
    391,
    "Young person was not 17, 18, 19, 20 or 21 during the current collection year. ",
    "OC3",
    ["DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
)
def r391(ctx: Context) -> pl.Expr:
    """Care leaver data is for young people 17 or over by 31 March."""
    # The DfE's message carries a trailing space; kept as published.
    filled = pl.any_horizontal(pl.col(c).is_not_null() for c in ("IN_TOUCH", "ACTIV", "ACCOM"))
    return (birthday("DOB", 17) > ctx.end) & filled


@rule(
    S903,
    393,
    "Child is looked after but mother field is not completed.",
    "Header",
    ["SEX", "MOTHER"],
    reads=["Episodes"],
    years=_FROM_2024,
)
def r393(ctx: Context) -> pl.DataFrame:
    """A girl with an episode other than a short break (V3, V4) has MOTHER recorded."""
    looked_after = ctx.t("Episodes").filter(~in_codes("LS", _SHORT_BREAKS)).select("CHILD").unique()
    return (
        ctx.t("Header")
        .filter((pl.col("SEX") == "F") & pl.col("MOTHER").is_null())
        .join(looked_after, on="CHILD", how="semi")
    )


@rule(
    S903,
    399,
    "Mother field, review field or participation field are completed but child is looked after under legal "
    "status V3 or V4.",
    "Episodes",
    ["LS"],
    reads=["Header", "Reviews"],
)
def r399(ctx: Context) -> pl.DataFrame:
    """A child all of whose episodes are short breaks has no MOTHER, review or participation recorded; every
    episode of such a child is flagged."""
    eps = ctx.t("Episodes").filter(pl.col("CHILD").is_not_null())
    only_breaks = (
        eps.group_by("CHILD").agg(in_codes("LS", _SHORT_BREAKS).all().alias("_only")).filter(pl.col("_only"))
    )
    with_mother = ctx.t("Header").filter(pl.col("MOTHER").is_not_null()).select("CHILD")
    reviewed = (
        ctx.t("Reviews")
        .filter(pl.col("REVIEW__raw").is_not_null() | pl.col("REVIEW_CODE").is_not_null())
        .select("CHILD")
    )
    recorded = pl.concat([with_mother, reviewed]).unique()
    return (
        eps.join(only_breaks.select("CHILD"), on="CHILD", how="semi")
        .join(recorded, on="CHILD", how="semi")
        .select(ROW)
    )


# --- 407 to 431 ---------------------------------------------------------------------------------


@rule(
    S903,
    407,
    "Reason episode ceased is Special Guardianship Order, but child has reached age 18.",
    "Episodes",
    ["DEC", "REC"],
    reads=["Header"],
)
def r407(ctx: Context) -> pl.DataFrame:
    """A special guardianship order (E45 to E48) ends an episode on or before the 18th birthday."""
    return episodes_in_order(ctx).filter(
        in_codes("REC", ["E45", "E46", "E47", "E48"]) & (pl.col("DEC") > birthday("_dob", 18))
    )


@rule(
    S903,
    408,
    "Child is placed for adoption with a placement order, but no placement order has been recorded.",
    "Episodes",
    ["PLACE", "LS"],
)
def r408(ctx: Context) -> pl.Expr:
    """A5 and A6 are placements under a placement order, so the legal status is E1."""
    return in_codes("PLACE", ["A5", "A6"]) & pl.col("LS").ne_missing(pl.lit("E1"))


@rule(
    S903,
    426,
    "A child receiving respite care cannot be recorded under a legal status of V3 and V4 in the same year.",
    "Episodes",
    ["LS"],
)
def r426(ctx: Context) -> pl.DataFrame:
    """A child with both V3 and V4 episodes has all of them flagged."""
    breaks = ctx.t("Episodes").filter(in_codes("LS", _SHORT_BREAKS) & pl.col("CHILD").is_not_null())
    both = breaks.group_by("CHILD").agg(pl.col("LS").n_unique().alias("_kinds")).filter(pl.col("_kinds") > 1)
    return breaks.join(both, on="CHILD", how="semi")


@rule(
    S903,
    431,
    "The reason for new episode is started to be looked after, but the previous episode ended on the same "
    "day.",
    "Episodes",
    ["RNE", "DECOM"],
)
def r431(ctx: Context) -> pl.DataFrame:
    """A new period of care (RNE S) starts after the child's previous episode ended, not on or before."""
    return episodes_in_order(ctx).filter((pl.col("RNE") == "S") & (pl.col("DECOM") <= pl.col("DEC_prev")))


# --- 503A to 503F: the first episode continues the one open at the end of last year ---------------


def _differs_from_last_year(ctx: Context, field: str) -> pl.DataFrame:
    """A child's first episode this year against their latest episode last year, if that one was still open
    at 31 March: ``field`` must be the same (a blank matches only a blank). Nothing without last year."""
    last = ctx.prev("Episodes").filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null())
    if last.height == 0:
        return no_rows(ctx, "Episodes")
    latest = (
        last.sort(["CHILD", "DECOM"])
        .group_by("CHILD", maintain_order=True)
        .last()
        .filter(pl.col("DEC").is_null())
        .select("CHILD", pl.col(field).alias("_last_year"))
    )
    first = episodes_in_order(ctx).filter(pl.col("_first")).join(latest, on="CHILD")
    differs = pl.col(field).ne_missing(pl.col("_last_year"))
    # A placement type the DfE retired or split that year is carried over under its new code.
    if field == "PLACE" and ctx.year.start == 2024:
        differs = differs & ~((pl.col("_last_year") == "H5") & (pl.col(field) == "K3"))
    if field == "PLACE" and ctx.year.start == 2025:
        differs = differs & ~((pl.col("_last_year") == "Z1") & in_codes(field, ["Z11", "Z12", "Z13", "Z14"]))
    return first.filter(differs)


_503 = {
    "503A": (
        "RNE",
        "The reason for new episode in the first episode does not match open episode at end of last year.",
    ),
    "503B": ("LS", "The legal status in the first episode does not match open episode at end of last year."),
    "503C": (
        "CIN",
        "The category of need in the first episode does not match open episode at end of last year.",
    ),
    "503D": (
        "PLACE",
        "The placement type in the first episode does not match open episode at end of last year",
    ),
    "503E": (
        "PLACE_PROVIDER",
        "The placement provider in the first episode does not match open episode at end of last year.",
    ),
    "503F": ("URN", "The Ofsted URN in the  first episode does not match open episode at end of last year."),
}


def _register_503(code: str, field: str, message: str) -> None:
    # The DfE's messages are kept as published (503D has no full stop, 503F a double space).
    @rule(S903, code, message, "Episodes", [field, "DECOM"])
    def check(ctx: Context) -> pl.DataFrame:
        return _differs_from_last_year(ctx, field)


for _code, (_field, _message) in _503.items():
    _register_503(_code, _field, _message)


# --- 1003 to 1010 -------------------------------------------------------------------------------


@rule(
    S903,
    1003,
    "Date of LA's decision that a child should be placed for adoption is before the child started to be "
    "looked after.",
    "PlacedAdoption",
    ["DATE_PLACED"],
    reads=["Episodes"],
)
def r1003(ctx: Context) -> pl.DataFrame:
    """DATE_PLACED is not before the start of the child's earliest period of care (RNE S) in the return."""
    started = (
        ctx.t("Episodes")
        .filter((pl.col("RNE") == "S") & pl.col("DECOM").is_not_null())
        .group_by("CHILD")
        .agg(pl.col("DECOM").min().alias("_started"))
    )
    return (
        ctx.t("PlacedAdoption").join(started, on="CHILD").filter(pl.col("DATE_PLACED") < pl.col("_started"))
    )


@rule(S903, 1006, "Missing type invalid.", "Missing", ["MISSING"])
def r1006(ctx: Context) -> pl.Expr:
    return pl.col("MISSING").is_not_null() & ~pl.col("MISSING").is_in(
        sorted(CODES.MISSING.valid(ctx.year.start))
    )


@rule(
    S903,
    1007,
    "Care leaver information is not required for 17- or 18-year olds who are still looked after [on their "
    "17th or 18th birthday.]",
    "OC3",
    ["DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    reads=["Episodes"],
)
def r1007(ctx: Context) -> pl.DataFrame:
    """A young person aged 17 or 18 at 31 March who was looked after on their latest birthday (an episode
    begun by then and not ended before it) has no care leaver data."""
    filled = pl.any_horizontal(pl.col(c).is_not_null() for c in ("IN_TOUCH", "ACTIV", "ACCOM"))
    leavers = (
        ctx.t("OC3")
        .filter(filled & (birthday("DOB", 17) <= ctx.end) & (birthday("DOB", 19) > ctx.end))
        .with_columns(
            pl.when(birthday("DOB", 18) <= ctx.end)
            .then(birthday("DOB", 18))
            .otherwise(birthday("DOB", 17))
            .alias("_birthday")
        )
    )
    episodes = ctx.t("Episodes").select("CHILD", "DECOM", "DEC")
    in_care = leavers.join(episodes, on="CHILD").filter(
        (pl.col("DECOM") <= pl.col("_birthday"))
        & (pl.col("DEC").is_null() | (pl.col("DEC") > pl.col("_birthday")))
    )
    return in_care.select(ROW).unique()


@rule(S903, 1009, "Reason for placement change is not a valid code.", "Episodes", ["REASON_PLACE_CHANGE"])
def r1009(ctx: Context) -> pl.Expr:
    valid = sorted(CODES.REASON_PLACE_CHANGE.valid(ctx.year.start))
    return pl.col("REASON_PLACE_CHANGE").is_not_null() & ~pl.col("REASON_PLACE_CHANGE").is_in(valid)


@rule(
    S903,
    1010,
    "This child has no episodes loaded for current year even though there was an open episode of care at the "
    "end of the previous year, and care leaver data has been entered.",
    "OC3",
    ["IN_TOUCH", "ACTIV", "ACCOM"],
    reads=["Episodes"],
)
def r1010(ctx: Context) -> pl.DataFrame:
    """A care leaver whose latest episode last year was still open at 31 March has episodes this year."""
    last = ctx.prev("Episodes").filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null())
    still_open = (
        last.sort(["CHILD", "DECOM"])
        .group_by("CHILD", maintain_order=True)
        .last()
        .filter(pl.col("DEC").is_null())
    )
    return (
        ctx.t("OC3")
        .join(still_open.select("CHILD"), on="CHILD", how="semi")
        .join(ctx.t("Episodes").select("CHILD").unique(), on="CHILD", how="anti")
    )
