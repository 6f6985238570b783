"""SSDA903 rules across episodes, the header and last year's return, 193 to 226.

Messages are the DfE's. Rules on a sequence of episodes sort each child's episodes by DECOM and compare an
episode with the next (``shift`` over the child), never looping over rows. Rules against last year's return
find nothing when it was not sent.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.returns.engine import Context, not_in, rule
from outstanding.returns.rules.ssda903_common import S903, birthday, episodes_in_order, with_cla
from outstanding.returns.schemas import ROW

_TEMPORARY = ["T0", "T1", "T2", "T3", "T4"]
_SDQ_REASON = {"SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"}
_OC2_HEALTH = (
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)


def _in(name: str, codes: list[str] | set[str]) -> pl.Expr:
    """In the list; a blank is not (so ``~_in`` is true for a blank, as "not one of these codes")."""
    return pl.col(name).is_in(sorted(codes)).fill_null(False)


def _sequenced(ctx: Context) -> pl.DataFrame:
    """Episodes in each child's order with their neighbours' fields, computed once per run."""
    return episodes_in_order(ctx)


def _with_last_year(ctx: Context, fields: list[str]) -> pl.DataFrame:
    """This year's header rows of children also in last year's header, with last year's fields as
    ``<field>_last``."""
    last = ctx.prev("Header").filter(pl.col("CHILD").is_not_null()).unique("CHILD", keep="first")
    return ctx.t("Header").join(
        last.select("CHILD", *[pl.col(f).alias(f + "_last") for f in fields]), on="CHILD", how="inner"
    )


# --- OC2 ----------------------------------------------------------------------------------------


@rule(
    S903,
    193,
    "Child not identified as having a substance misuse problem but at least one of the two additional items "
    "on whether an intervention were offered and received have been completed.",
    "OC2",
    ["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
)
def r193(ctx: Context) -> pl.Expr:
    no_misuse = pl.col("SUBSTANCE_MISUSE").is_null() | (pl.col("SUBSTANCE_MISUSE") == "0")
    return no_misuse & (
        pl.col("INTERVENTION_RECEIVED").is_not_null() | pl.col("INTERVENTION_OFFERED").is_not_null()
    )


@rule(S903, 196, "Strengths and Difficulties (SDQ) reason is not a valid code.", "OC2", ["SDQ_REASON"])
def r196(ctx: Context) -> pl.Expr:
    # The SDQ reasons SDQ1-SDQ5 are the 903's own and used by no other rule's code table.
    return not_in("SDQ_REASON", _SDQ_REASON)


@rule(
    S903,
    198,
    "Child has not been looked after continuously for at least 12 months at 31 March but a reason for no "
    "Strengths and Difficulties (SDQ) score has been completed. ",
    "OC2",
    ["SDQ_REASON"],
    reads=["Episodes"],
)
def r198(ctx: Context) -> pl.DataFrame:
    # The DfE's message carries a trailing space; kept as published.
    return with_cla(ctx, "OC2").filter(~pl.col("_cla") & pl.col("SDQ_REASON").is_not_null())


@rule(
    S903,
    215,
    "Child has care leaver information but one or more data items relating to children looked after for 12 "
    "months have been completed.",
    "OC2",
    list(_OC2_HEALTH),
    reads=["OC3"],
)
def r215(ctx: Context) -> pl.DataFrame:
    """A child with any OC3 item must have no OC2 item (the OC2 row is flagged)."""
    leavers = ctx.t("OC3").filter(
        pl.any_horizontal(pl.col(c).is_not_null() for c in ("IN_TOUCH", "ACTIV", "ACCOM"))
    )
    return (
        ctx.t("OC2")
        .filter(pl.any_horizontal(pl.col(c).is_not_null() for c in _OC2_HEALTH))
        .join(leavers.select("CHILD").unique(), on="CHILD", how="semi")
    )


# --- Header against last year -------------------------------------------------------------------

# Last year's return may still carry the 1/2 gender codes (before 2024-25); they mean M and F.
_OLD_SEX = {"1": "M", "2": "F"}


@rule(
    S903,
    202,
    "The gender code conflicts with the gender already recorded for this child.",
    "Header",
    ["SEX"],
)
def r202(ctx: Context) -> pl.DataFrame:
    """A child in last year's header must have the same SEX (a blank in one year only is a conflict)."""
    both = _with_last_year(ctx, ["SEX"])
    last = pl.col("SEX_last").replace(_OLD_SEX)
    return both.filter(pl.col("SEX").replace(_OLD_SEX).ne_missing(last))


@rule(
    S903,
    203,
    "Date of birth disagrees with the date of birth already recorded for this child.",
    "Header",
    ["DOB"],
)
def r203(ctx: Context) -> pl.DataFrame:
    return _with_last_year(ctx, ["DOB"]).filter(pl.col("DOB").ne_missing(pl.col("DOB_last")))


@rule(
    S903,
    204,
    "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
    "Header",
    ["ETHNIC"],
)
def r204(ctx: Context) -> pl.DataFrame:
    both = _with_last_year(ctx, ["ETHNIC"])
    return both.filter(
        pl.col("ETHNIC").str.to_uppercase().ne_missing(pl.col("ETHNIC_last").str.to_uppercase())
    )


@rule(
    S903,
    207,
    "Mother status for the current year disagrees with the mother status already recorded for this child.",
    "Header",
    ["MOTHER"],
    reads=["Episodes"],
)
def r207(ctx: Context) -> pl.DataFrame:
    """A child who was a mother last year and has episodes this year must still be recorded as one."""
    both = _with_last_year(ctx, ["MOTHER"])
    return both.filter(
        (pl.col("MOTHER_last") == "1") & pl.col("MOTHER").ne_missing(pl.col("MOTHER_last"))
    ).join(ctx.t("Episodes").select("CHILD").unique(), on="CHILD", how="semi")


# --- Header -------------------------------------------------------------------------------------


@rule(
    S903,
    209,
    "Child looked after is of school age and should not have an unknown Unique Pupil Number (UPN) code of "
    "UN1.",
    "Header",
    ["UPN", "DOB"],
)
def r209(ctx: Context) -> pl.Expr:
    """A child who was 4 by 31 August before the collection year began must not be UN1."""
    cutoff = dt.date(ctx.year.start - 1, 8, 31)
    return (pl.col("UPN") == "UN1") & (birthday("DOB", 4) <= cutoff)


@rule(
    S903,
    210,
    "Children looked after for more than a week at 31 March should not have an unknown Unique Pupil Number "
    "(UPN) code of UN4.",
    "Header",
    ["UPN"],
    reads=["Episodes"],
)
def r210(ctx: Context) -> pl.DataFrame:
    """UN4 (just started to be looked after) must not be used if any episode began on or after 24 March."""
    late = ctx.t("Episodes").filter(pl.col("DECOM") >= dt.date(ctx.year.start + 1, 3, 24))
    return (
        ctx.t("Header")
        .filter(pl.col("UPN") == "UN4")
        .join(late.select("CHILD").unique(), on="CHILD", how="semi")
    )


# --- Episodes -----------------------------------------------------------------------------------


@rule(
    S903,
    199,
    "Episode information shows child has been previously adopted from care.",
    "Episodes",
    ["CHILD", "DECOM", "REC"],
)
def r199(ctx: Context) -> pl.DataFrame:
    """No episode may follow an adoption (REC E11 or E12), this year or last year if sent; a second adoption
    is flagged too."""
    adopted = _in("REC", {"E11", "E12"})
    if ctx.prev("Episodes").height == 0:
        # This year only: count adoptions along the sorted sequence, less those of the children before.
        so_far = adopted.cast(pl.Int32).cum_sum()
        eps = episodes_in_order(ctx).with_columns(
            (so_far - pl.when(pl.col("_first")).then(so_far - adopted.cast(pl.Int32)).forward_fill()).alias(
                "_adoptions"
            )
        )
        return eps.filter((pl.col("_adoptions") > 0) & ~((pl.col("_adoptions") == 1) & adopted))
    now = ctx.t("Episodes").filter(pl.col("DECOM").is_not_null()).select("CHILD", "DECOM", "REC", ROW)
    # Last year's episodes still open this year appear in both returns: keep this year's copy.
    last = (
        ctx.prev("Episodes")
        .filter(pl.col("DECOM").is_not_null())
        .join(now, on=["CHILD", "DECOM"], how="anti")
        .select("CHILD", "DECOM", "REC", pl.lit(None, pl.Int64).alias(ROW))
    )
    seen = (
        pl.concat([now, last])
        .filter(pl.col("CHILD").is_not_null())
        .sort(["CHILD", "DECOM"])
        .with_columns(adopted.cast(pl.Int32).cum_sum().over("CHILD").alias("_adoptions"))
    )
    return seen.filter(
        pl.col(ROW).is_not_null() & (pl.col("_adoptions") > 0) & ~((pl.col("_adoptions") == 1) & adopted)
    )


def _no_provider_places(year: int) -> list[str]:
    # Z1 was split into Z11 to Z14 from 2025-26; before, rule 213 named the temporary moves only.
    return _TEMPORARY + (["Z11", "Z12", "Z13", "Z14"] if year >= 2025 else [])


@rule(S903, 213, "Placement provider information not required.", "Episodes", ["PLACE", "PLACE_PROVIDER"])
def r213(ctx: Context) -> pl.Expr:
    return _in("PLACE", _no_provider_places(ctx.year.start)) & pl.col("PLACE_PROVIDER").is_not_null()


@rule(S903, 214, "Placement location information not required.", "Episodes", ["LS", "PL_POST", "URN"])
def r214(ctx: Context) -> pl.Expr:
    """Short breaks (LS V3, V4) carry no placement postcode or URN."""
    return _in("LS", ["V3", "V4"]) & (pl.col("PL_POST").is_not_null() | pl.col("URN").is_not_null())


@rule(
    S903,
    217,
    "Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a "
    "reason for new episode of S, T or U.",
    "Episodes",
    ["PLACE", "DECOM", "RNE"],
)
def r217(ctx: Context) -> pl.Expr:
    """From 1 April 2015, an A3 or A5 placement starts with RNE S, T or U."""
    return (
        _in("PLACE", ["A3", "A5"]) & (pl.col("DECOM") >= dt.date(2015, 4, 1)) & ~_in("RNE", ["S", "T", "U"])
    )


_URN_NOT_FOR = ["P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1"]


@rule(
    S903,
    222,
    "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
    "Episodes",
    ["PLACE", "URN"],
)
def r222(ctx: Context) -> pl.Expr:
    """A URN other than the XXXXXXX placeholder is not recorded for these placement types."""
    return _in("PLACE", _URN_NOT_FOR) & pl.col("URN").is_not_null() & (pl.col("URN") != "XXXXXXX")


@rule(
    S903,
    225,
    "Reason for placement change must be recorded.",
    "Episodes",
    ["REC", "REASON_PLACE_CHANGE", "PLACE"],
)
def r225(ctx: Context) -> pl.DataFrame:
    """An episode ending X1 and followed by a change of placement (RNE P, B, T or U), neither of them a
    temporary placement, must give the reason for the change."""
    eps = _sequenced(ctx)
    return eps.filter(
        pl.col("DECOM_next").is_not_null()
        & (pl.col("REC") == "X1")
        & pl.col("REASON_PLACE_CHANGE").is_null()
        & ~_in("PLACE", _TEMPORARY)
        & _in("RNE_next", ["P", "B", "T", "U"])
        & ~_in("PLACE_next", _TEMPORARY)
    )


@rule(
    S903,
    226,
    "Reason for placement change is not required for temporary placements.",
    "Episodes",
    ["PLACE", "REASON_PLACE_CHANGE"],
    years=["2025-26", "2026-27"],
)
def r226(ctx: Context) -> pl.DataFrame:
    """A temporary placement (T0-T4) gives no reason for placement change, nor does the episode before it."""
    eps = _sequenced(ctx)
    return eps.filter(
        _in("PLACE", _TEMPORARY)
        & (pl.col("REASON_PLACE_CHANGE").is_not_null() | pl.col("REASON_PLACE_CHANGE_prev").is_not_null())
    )


# --- AD1 against episodes -----------------------------------------------------------------------


@rule(
    S903,
    333,
    "Date should be placed for adoption must be on or prior to the date of matching child with adopter(s).",
    "AD1",
    ["DATE_INT", "DATE_MATCH"],
)
def r333(ctx: Context) -> pl.Expr:
    """If DATE_MATCH is sent, DATE_INT must be too, and not after it."""
    return pl.col("DATE_MATCH").is_not_null() & (
        pl.col("DATE_INT").is_null() | (pl.col("DATE_INT") > pl.col("DATE_MATCH"))
    )


@rule(
    S903,
    334,
    "Date child started to be looked after in latest period of care must be on or prior to the date should "
    "be placed for adoption. ",
    "AD1",
    ["DATE_INT"],
    reads=["Episodes"],
)
def r334(ctx: Context) -> pl.DataFrame:
    """DATE_INT must not be before the start (RNE S) of the child's latest period of care."""
    # The DfE's message carries a trailing space; kept as published.
    started = (
        ctx.t("Episodes")
        .filter((pl.col("RNE") == "S") & pl.col("DECOM").is_not_null())
        .group_by("CHILD")
        .agg(pl.col("DECOM").max().alias("_started"))
    )
    return ctx.t("AD1").join(started, on="CHILD").filter(pl.col("DATE_INT") < pl.col("_started"))


@rule(
    S903,
    335,
    "The current foster value (0) suggests that child is not adopted by current foster carer, but last "
    "placement is A2, A3, or A5. Or the current foster value (1) suggests that child is adopted by current "
    "foster carer, but last placement is A1, A4 or A6.",
    "AD1",
    ["FOSTER_CARE"],
    reads=["Episodes"],
)
def r335(ctx: Context) -> pl.DataFrame:
    """An adoption episode (REC E1, E11, E12) placed with the foster carer (A2, A3, A5) needs FOSTER_CARE
    not 0; one placed with others (A1, A4, A6) needs it not 1."""
    adopted = ctx.t("Episodes").filter(_in("REC", ["E1", "E11", "E12"])).select("CHILD", "PLACE")
    return (
        ctx.t("AD1")
        .join(adopted, on="CHILD")
        .filter(
            (_in("PLACE", ["A2", "A3", "A5"]) & (pl.col("FOSTER_CARE") == "0"))
            | (_in("PLACE", ["A1", "A4", "A6"]) & (pl.col("FOSTER_CARE") == "1"))
        )
    )


# --- OC3 ----------------------------------------------------------------------------------------


@rule(
    S903,
    344,
    "The record shows the young person has died or returned home to live with parent(s) or someone with "
    "parental responsibility for a continuous period of 6 months or more, but activity and/or accommodation "
    "on leaving care have been completed.",
    "OC3",
    ["IN_TOUCH", "ACTIV", "ACCOM"],
)
def r344(ctx: Context) -> pl.Expr:
    """If IN_TOUCH is DIED or RHOM, ACTIV and ACCOM are 0 (the DfE's "not provided")."""
    return _in("IN_TOUCH", ["DIED", "RHOM"]) & (
        pl.col("ACTIV").ne_missing(pl.lit("0")) | pl.col("ACCOM").ne_missing(pl.lit("0"))
    )


@rule(
    S903,
    345,
    "The data collection record shows the local authority is in touch with this young person, but activity "
    "and/or accommodation data items are zero.",
    "OC3",
    ["IN_TOUCH", "ACTIV", "ACCOM"],
)
def r345(ctx: Context) -> pl.Expr:
    return (pl.col("IN_TOUCH") == "YES") & ((pl.col("ACTIV") == "0") | (pl.col("ACCOM") == "0"))


# --- Header and episodes: dates -----------------------------------------------------------------


@rule(S903, 351, "Child was over 21 at the start of the current collection year.", "Header", ["DOB"])
def r351(ctx: Context) -> pl.Expr:
    return birthday("DOB", 21) < ctx.start


@rule(S903, 355, "Episode appears to have lasted for less than 24 hours", "Episodes", ["DECOM", "DEC"])
def r355(ctx: Context) -> pl.Expr:
    return pl.col("DECOM") == pl.col("DEC")


@rule(
    S903,
    356,
    "The date the episode ceased is before the date the same episode started.",
    "Episodes",
    ["DECOM", "DEC"],
)
def r356(ctx: Context) -> pl.Expr:
    return pl.col("DEC") < pl.col("DECOM")


@rule(
    S903,
    357,
    "If this is the first episode ever for this child, reason for new episode must be S.  Check whether "
    "there is an episode immediately preceding this one, which has been left out.  If not the reason for "
    "new episode code must be amended to S.",
    "Episodes",
    ["DECOM", "RNE"],
)
def r357(ctx: Context) -> pl.DataFrame:
    """A child's first episode, if it starts in the collection year, has RNE S (a blank RNE is not S)."""
    return _sequenced(ctx).filter(
        pl.col("_first") & (pl.col("DECOM") >= ctx.start) & pl.col("RNE").ne_missing(pl.lit("S"))
    )


@rule(
    S903,
    359,
    "Child being looked after following 18th birthday must be accommodated under section 20(5) of the "
    "Children Act 1989 in a community home.",
    "Episodes",
    ["DEC", "LS", "PLACE"],
    reads=["Header"],
)
def r359(ctx: Context) -> pl.DataFrame:
    """An episode open at 31 March for a child 18 before then must be LS V2 in a children's home (K2)."""
    dob = ctx.t("Header").select("CHILD", pl.col("DOB").alias("_dob")).unique("CHILD", keep="first")
    open_ = ctx.t("Episodes").filter(
        pl.col("DEC").is_null() & ~((pl.col("LS") == "V2") & (pl.col("PLACE") == "K2")).fill_null(False)
    )
    return open_.join(dob, on="CHILD").filter(pl.col("_dob").dt.offset_by("18y") < ctx.end)
