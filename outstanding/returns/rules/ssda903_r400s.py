"""SSDA903 rules 432 to 547: how one episode follows another (reasons for new episodes, continuation from
last year), reviews' participation codes, the UPN, legal status dates, adopters' details, placement
providers, and the health and offending (OC2) data.

Messages are the DfE's. A child's episodes are read in order of DECOM (``episodes_in_order``); the previous
episode is the one before in that order. Rules about the placement's local authority or distance from home
cannot be checked: the DfE derives those from the postcodes, and the files do not carry them.
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
    with_cla,
)
from outstanding.returns.schemas import ROW

_FROM_2025 = ["2025-26", "2026-27"]
_SHORT_BREAKS = ["V3", "V4"]
_TEMPORARY = ["T0", "T1", "T2", "T3", "T4"]
_FOSTER = ["U1", "U2", "U3", "U4", "U5", "U6"]
_ADOPTION = ["A3", "A4", "A5", "A6"]
# The placement's details: one of them changes when the placement does.
_PLACEMENT = ("PLACE", "PL_POST", "URN", "PLACE_PROVIDER")


def _sequence(ctx: Context) -> pl.DataFrame:
    """``episodes_in_order`` with the previous episode's LS, CIN, PL_POST and URN too (``<field>_prev``)."""

    def build() -> pl.DataFrame:
        eps = episodes_in_order(ctx)
        return eps.with_columns(
            pl.when(~pl.col("_first")).then(pl.col(c).shift(1)).alias(f"{c}_prev")
            for c in ("CIN", "PL_POST", "URN")
        )

    return memo(ctx, "r400s_sequence", build)


def _same_placement() -> pl.Expr:
    """Every placement detail is the same as in the previous episode (a blank matches only a blank)."""
    return pl.all_horizontal(pl.col(c).eq_missing(pl.col(f"{c}_prev")) for c in _PLACEMENT)


# --- How one episode follows another ------------------------------------------------------------------


@rule(
    S903,
    432,
    "The child ceased to be looked after at the end of the previous episode but the reason for the new "
    "episode is not started to be looked after.",
    "Episodes",
    ["RNE"],
)
def r432(ctx: Context) -> pl.DataFrame:
    """After an episode that ended the period of care (a REC other than X1), the next episode starts a new
    one (RNE S)."""
    ceased = sorted(CODES.REC.valid(ctx.year.start) - {"X1"})
    return episodes_in_order(ctx).filter(
        ~pl.col("_first") & in_codes("REC_prev", ceased) & pl.col("RNE").ne_missing(pl.lit("S"))
    )


@rule(
    S903,
    433,
    "The reason for new episode suggests that this is a continuation episode, but the episode does not start "
    "on the same day as the last episode finished.",
    "Episodes",
    ["RNE", "DECOM"],
)
def r433(ctx: Context) -> pl.DataFrame:
    """An episode with RNE L, P, T, U or B that follows another of the child's starts on that one's DEC."""
    return episodes_in_order(ctx).filter(
        ~pl.col("_first")
        & in_codes("RNE", ["L", "P", "T", "U", "B"])
        & pl.col("DECOM").ne_missing(pl.col("DEC_prev"))
    )


@rule(
    S903,
    434,
    "Reason for new episode is that child's legal status has changed but not the placement, but this is not "
    "reflected in the episode data.",
    "Episodes",
    ["RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"],
)
def r434(ctx: Context) -> pl.DataFrame:
    """RNE L (legal status only): LS differs from the previous episode's and the placement's details (PLACE,
    PL_POST, URN, PLACE_PROVIDER) are all the same."""
    return _sequence(ctx).filter(
        ~pl.col("_first")
        & (pl.col("RNE") == "L")
        & (pl.col("LS").eq_missing(pl.col("LS_prev")) | ~_same_placement())
    )


@rule(
    S903,
    435,
    "Reason for new episode is that child’s placement has changed but not the legal status, but this is not "
    "reflected in the episode data recorded.",
    "Episodes",
    ["RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"],
)
def r435(ctx: Context) -> pl.DataFrame:
    """RNE P or T (placement only): LS is the previous episode's and some placement detail differs. A blank
    matches only a blank: the reference compares blanks as different, so it could never flag an unchanged
    placement without an Ofsted URN; the message says the data must show the change, so they are equal."""
    return _sequence(ctx).filter(
        ~pl.col("_first")
        & in_codes("RNE", ["P", "T"])
        & (pl.col("LS").ne_missing(pl.col("LS_prev")) | _same_placement())
    )


@rule(
    S903,
    436,
    "Reason for new episode is that both child’s placement and legal status have changed, but this is not "
    "reflected in the episode data.",
    "Episodes",
    ["RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"],
)
def r436(ctx: Context) -> pl.DataFrame:
    """RNE U or B (both): LS differs from the previous episode's and some placement detail differs."""
    return _sequence(ctx).filter(
        ~pl.col("_first")
        & in_codes("RNE", ["U", "B"])
        & (pl.col("LS").eq_missing(pl.col("LS_prev")) | _same_placement())
    )


@rule(
    S903,
    437,
    "Reason episode ceased is child has died or is aged 18 or over but there are further episodes.",
    "Episodes",
    ["REC"],
)
def r437(ctx: Context) -> pl.DataFrame:
    """An episode ending with REC E2 (died) or E15 (age assessed as 18 or over) is the child's last."""
    return episodes_in_order(ctx).filter(in_codes("REC", ["E2", "E15"]) & ~pl.col("_last"))


# --- Reviews ------------------------------------------------------------------------------------------


@rule(
    S903,
    440,
    "Participation method indicates child was under 4 years old at the time of the review, but date of birth "
    "and review date indicates the child was 4 years old or over.",
    "Reviews",
    ["DOB", "REVIEW", "REVIEW_CODE"],
)
def r440(ctx: Context) -> pl.Expr:
    """PN0 (under 4) only for a review before the child's 4th birthday (a review on the birthday is at 4;
    the reference lets that day pass)."""
    return (pl.col("REVIEW_CODE") == "PN0") & (pl.col("REVIEW") >= birthday("DOB", 4))


@rule(
    S903,
    441,
    "Participation method indicates child was 4 years old or over at the time of the review, but the date of "
    "birth and review date indicates the child was under 4 years old.",
    "Reviews",
    ["DOB", "REVIEW", "REVIEW_CODE"],
)
def r441(ctx: Context) -> pl.Expr:
    """PN1 to PN7 only for a review on or after the child's 4th birthday."""
    return in_codes("REVIEW_CODE", [f"PN{i}" for i in range(1, 8)]) & (pl.col("REVIEW") < birthday("DOB", 4))


# --- The UPN -----------------------------------------------------------------------------------------


@rule(
    S903,
    442,
    "Unique Pupil Number (UPN) field is not completed.",
    "Header",
    ["UPN"],
    reads=["Episodes"],
)
def r442(ctx: Context) -> pl.DataFrame:
    """A child with any episode whose LS is not V3 or V4 (short breaks) has a UPN (or a UN code)."""
    not_short = ctx.t("Episodes").filter(~in_codes("LS", _SHORT_BREAKS)).select("CHILD").unique()
    return ctx.t("Header").filter(pl.col("UPN").is_null()).join(not_short, on="CHILD", how="semi")


@rule(S903, 444, "Duplicate UPN has been reported", "Header", ["UPN"], years=_FROM_2025)
def r444(ctx: Context) -> pl.DataFrame:
    """A UPN other than UN1 to UN5 appears on one child's header only; every row sharing it is flagged."""
    # The DfE's message has no full stop; kept as published.
    upns = ctx.t("Header").filter(
        pl.col("UPN").is_not_null() & ~in_codes("UPN", [f"UN{i}" for i in range(1, 6)])
    )
    shared = upns.group_by("UPN").len().filter(pl.col("len") > 1).select("UPN")
    return upns.join(shared, on="UPN", how="semi")


# --- Legal status and the end of freeing orders -------------------------------------------------------


@rule(
    S903,
    445,
    "D1 is not a valid code for episodes starting after December 2005.",
    "Episodes",
    ["LS", "DECOM"],
)
def r445(ctx: Context) -> pl.Expr:
    return (pl.col("LS") == "D1") & (pl.col("DECOM") > dt.date(2005, 12, 31))


@rule(
    S903,
    446,
    "E1 is not a valid code for episodes starting before December 2005.",
    "Episodes",
    ["LS", "DECOM"],
)
def r446(ctx: Context) -> pl.Expr:
    return (pl.col("LS") == "E1") & (pl.col("DECOM") < dt.date(2005, 12, 1))


@rule(
    S903,
    451,
    "Child is still freed for adoption, but freeing orders could not be applied for since 30 December 2005.",
    "Episodes",
    ["DEC", "REC", "LS"],
)
def r451(ctx: Context) -> pl.Expr:
    """An open episode (no DEC or REC) under a freeing order (LS D1)."""
    return (pl.col("LS") == "D1") & pl.col("DEC").is_null() & pl.col("REC").is_null()


_FROM_POSTCODES = (
    "the DfE derives the placement's {what} from the home and placement postcodes; the SSDA903 files carry "
    "no {field} field, and deriving it needs the ONS postcode directory, which the files lack"
)

not_checkable(
    S903,
    452,
    "Contradiction between local authority of placement code in the last episode of the previous year and in "
    "the first episode of the current year.",
    reason=_FROM_POSTCODES.format(what="local authority", field="PL_LA"),
)
not_checkable(
    S903,
    453,
    "Contradiction between placement distance in the last episode of the previous year and in the first "
    "episode of the current year.",
    reason=_FROM_POSTCODES.format(what="distance from home", field="PL_DISTANCE"),
)
not_checkable(
    S903,
    454,
    "Placement distance from home is over 350 miles.",
    reason=_FROM_POSTCODES.format(what="distance from home", field="PL_DISTANCE"),
    years=_FROM_2025,
)


@rule(
    S903,
    460,
    "Reason episode ceased is that child stayed with current carers at age 18 (or above), but child is aged "
    "under 18.",
    "Episodes",
    ["DEC", "REC"],
    reads=["Header"],
)
def r460(ctx: Context) -> pl.DataFrame:
    """REC E17 (staying put) only for an episode ending on or after the child's 18th birthday."""
    return episodes_in_order(ctx).filter((pl.col("REC") == "E17") & (pl.col("DEC") < birthday("_dob", 18)))


# --- Episodes against each other and against last year ------------------------------------------------


@rule(
    S903,
    501,
    "A new episode has started before the end date of the previous episode.",
    "Episodes",
    ["DECOM", "DEC"],
)
def r501(ctx: Context) -> pl.DataFrame:
    return episodes_in_order(ctx).filter(~pl.col("_first") & (pl.col("DECOM") < pl.col("DEC_prev")))


def _open_last_year(ctx: Context) -> pl.DataFrame:
    """Each child's latest episode in last year's return, where it was still open (no DEC)."""
    last = ctx.prev("Episodes").filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null())
    return (
        last.sort(["CHILD", "DECOM", ROW])
        .group_by("CHILD", maintain_order=True)
        .last()
        .filter(pl.col("DEC").is_null())
    )


@rule(
    S903,
    502,
    "Last year's record ended with an open episode. The date on which that episode started does not match "
    "the start date of the first episode on this year’s record.",
    "Episodes",
    ["DECOM"],
)
def r502(ctx: Context) -> pl.DataFrame:
    """A child whose latest episode last year was open at 31 March starts this year's episodes with it: the
    first episode's DECOM is that episode's. Nothing is judged without last year's return."""
    if not ctx.has_previous:
        return no_rows(ctx, "Episodes")
    open_ = _open_last_year(ctx).select("CHILD", pl.col("DECOM").alias("_last_decom"))
    first = episodes_in_order(ctx).filter(pl.col("_first")).join(open_, on="CHILD")
    return first.filter(pl.col("DECOM") != pl.col("_last_decom"))


_503_REASON = (
    "the DfE derives the placement's {what} from the postcodes; the SSDA903 files carry no {field} field, so "
    "this year's first episode cannot be compared with last year's on it"
)
not_checkable(
    S903,
    "503G",
    "The distance in first episode does not match open episode at end of last year.",
    reason=_503_REASON.format(what="distance from home", field="PL_DISTANCE"),
)
not_checkable(
    S903,
    "503H",
    "The placement LA in first episode does not match open episode at end of last year.",
    reason=_503_REASON.format(what="local authority", field="PL_LA"),
)
not_checkable(
    S903,
    "503J",
    "The placement location in first episode does not match open episode at end of last year.",
    reason=_503_REASON.format(what="location (in or out of the council's area)", field="PL_LOCATION"),
)


@rule(
    S903,
    504,
    "The category of need code differs from that reported at start of current period of being looked after",
    "Episodes",
    ["CIN"],
)
def r504(ctx: Context) -> pl.DataFrame:
    """Within a period of care (episodes joined by REC X1 and DEC = the next DECOM), every episode has the
    CIN of the period's first episode in the return. The reference compares each episode with the one just
    before, which passes a second change of need; the message compares with the start of the period."""
    # The DfE's message has no full stop; kept as published.
    eps = _sequence(ctx)
    continues = (pl.col("REC_prev") == "X1") & (pl.col("DEC_prev") == pl.col("DECOM"))
    eps = eps.with_columns((~continues.fill_null(False) | pl.col("_first")).cum_sum().alias("_period"))
    starts = eps.filter(~(pl.col("_period") == pl.col("_period").shift(1)).fill_null(False)).select(
        "_period", pl.col("CIN").alias("_start_cin")
    )
    return eps.join(starts, on="_period").filter(pl.col("CIN").ne_missing(pl.col("_start_cin")))


# --- Adopters -----------------------------------------------------------------------------------------


@rule(
    S903,
    511,
    "If reporting that the number of person(s) adopting the looked after child is two adopters then the code "
    "should only be MM, FF or MF. MM = the adopting couple are both males; FF = the adopting couple are both "
    "females; MF = The adopting couple are male and female.",
    "AD1",
    ["NB_ADOPTR", "SEX_ADOPTR"],
)
def r511(ctx: Context) -> pl.Expr:
    """Two adopters (NB_ADOPTR 2): SEX_ADOPTR is MM, FF or MF."""
    return (pl.col("NB_ADOPTR") == "2") & ~in_codes("SEX_ADOPTR", ["MM", "FF", "MF"])


@rule(
    S903,
    514,
    "Data entry on the legal status of adopters shows a single adopter but data entry for the numbers of "
    "adopters shows it as a couple.",
    "AD1",
    ["LS_ADOPTR", "SEX_ADOPTR"],
)
def r514(ctx: Context) -> pl.Expr:
    """A single adopter (LS_ADOPTR L0): SEX_ADOPTR is M1 or F1."""
    return (pl.col("LS_ADOPTR") == "L0") & ~in_codes("SEX_ADOPTR", ["M1", "F1"])


@rule(
    S903,
    517,
    "If reporting legal status of adopters is L3 then the genders of adopters should be coded as MF. MF = "
    "the adopting couple are male and female.",
    "AD1",
    ["LS_ADOPTR", "SEX_ADOPTR"],
)
def r517(ctx: Context) -> pl.Expr:
    return (pl.col("LS_ADOPTR") == "L3") & ~in_codes("SEX_ADOPTR", ["MF"])


@rule(
    S903,
    518,
    "If reporting legal status of adopters is L4 then the genders of adopters should be coded as MM or FF. "
    "MM = the adopting couple are both males. FF = the adopting couple are both females.",
    "AD1",
    ["LS_ADOPTR", "SEX_ADOPTR"],
)
def r518(ctx: Context) -> pl.Expr:
    return (pl.col("LS_ADOPTR") == "L4") & ~in_codes("SEX_ADOPTR", ["MM", "FF"])


@rule(
    S903,
    519,
    "Data entered on the legal status of adopters shows civil partnership couple, but data entered on "
    "genders of adopters does not show it as a couple.",
    "AD1",
    ["LS_ADOPTR", "SEX_ADOPTR"],
)
def r519(ctx: Context) -> pl.Expr:
    return (pl.col("LS_ADOPTR") == "L2") & ~in_codes("SEX_ADOPTR", ["MM", "FF", "MF"])


@rule(
    S903,
    520,
    "Data entry on the legal status of adopters shows different gender married couple but data entry on "
    "genders of adopters shows it as a same gender couple.",
    "AD1",
    ["LS_ADOPTR", "SEX_ADOPTR"],
)
def r520(ctx: Context) -> pl.Expr:
    """A mixed-sex married couple (LS_ADOPTR L11): SEX_ADOPTR is MF."""
    return (pl.col("LS_ADOPTR") == "L11") & ~in_codes("SEX_ADOPTR", ["MF"])


@rule(
    S903,
    524,
    "If reporting legal status of adopters is L12 then the genders of adopters should be coded as MM or FF. "
    "MM = the adopting couple are both males. FF = the adopting couple are both females",
    "AD1",
    ["LS_ADOPTR", "SEX_ADOPTR"],
)
def r524(ctx: Context) -> pl.Expr:
    # The DfE's message has no closing full stop; kept as published.
    return (pl.col("LS_ADOPTR") == "L12") & ~in_codes("SEX_ADOPTR", ["MM", "FF"])


# --- Former foster carers, and the adoption dates -----------------------------------------------------


@rule(
    S903,
    516,
    "The episode data submitted for this child does not show that he/she was with their former foster "
    "carer(s) during the year.If the code in the reason episode ceased is E45 or E46 the child must have a "
    "placement code of U1 to U6.",
    "Episodes",
    ["REC", "PLACE"],
)
def r516(ctx: Context) -> pl.Expr:
    # The DfE's message has no space after "year."; kept as published.
    return in_codes("REC", ["E45", "E46"]) & ~in_codes("PLACE", _FOSTER)


@rule(
    S903,
    521,
    "Date of local authority's decision (LA) that adoption is in the best interests of the child (date "
    "should be placed) must be on or prior to the date the child is placed for adoption.",
    "Episodes",
    ["PLACE", "DECOM"],
    reads=["AD1"],
    also={"AD1": ["DATE_INT"]},
)
def r521(ctx: Context) -> dict[str, pl.DataFrame]:
    """An episode placed for adoption (PLACE A3 to A6) starts on or after the child's DATE_INT; both the
    episode and the AD1 row are flagged."""
    ad1 = ctx.t("AD1").select("CHILD", pl.col(ROW).alias("_ad1"), "DATE_INT")
    placed = ctx.t("Episodes").filter(in_codes("PLACE", _ADOPTION)).select("CHILD", ROW, "DECOM")
    failing = placed.join(ad1, on="CHILD").filter(pl.col("DATE_INT") > pl.col("DECOM"))
    return {"Episodes": failing.select(ROW), "AD1": failing.select(pl.col("_ad1").alias(ROW))}


@rule(
    S903,
    522,
    "Date of decision that the child should be placed for adoption must be on or before the date that a "
    "child should no longer be placed for adoption.",
    "PlacedAdoption",
    ["DATE_PLACED", "DATE_PLACED_CEASED"],
)
def r522(ctx: Context) -> pl.Expr:
    return pl.col("DATE_PLACED_CEASED") < pl.col("DATE_PLACED")


@rule(
    S903,
    523,
    "Date of decision that the child should be placed for adoption should be the same date as the decision "
    "that adoption is in the best interest (date should be placed).",
    "PlacedAdoption",
    ["DATE_PLACED"],
    reads=["AD1"],
    also={"AD1": ["DATE_INT"]},
)
def r523(ctx: Context) -> dict[str, pl.DataFrame]:
    """A child's DATE_PLACED and DATE_INT, where both are given, are the same day; both rows are flagged."""
    ad1 = (
        ctx.t("AD1")
        .filter(pl.col("DATE_INT").is_not_null())
        .select("CHILD", pl.col(ROW).alias("_ad1"), "DATE_INT")
    )
    placed = ctx.t("PlacedAdoption").filter(pl.col("DATE_PLACED").is_not_null())
    failing = placed.join(ad1, on="CHILD").filter(pl.col("DATE_PLACED") != pl.col("DATE_INT"))
    return {"PlacedAdoption": failing.select(ROW), "AD1": failing.select(pl.col("_ad1").alias(ROW))}


_AD1_FIELDS = ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"]


@rule(
    S903,
    525,
    "A child for whom the decision to be placed for adoption has been reversed cannot be adopted during the "
    "year.",
    "PlacedAdoption",
    ["DATE_PLACED_CEASED"],
    reads=["AD1"],
    also={"AD1": _AD1_FIELDS},
)
def r525(ctx: Context) -> dict[str, pl.DataFrame]:
    """A child with DATE_PLACED_CEASED has no adoption details (any AD1 field filled in); both rows are
    flagged."""
    filled = pl.any_horizontal(
        sent(c) if c in ("DATE_INT", "DATE_MATCH") else pl.col(c).is_not_null() for c in _AD1_FIELDS
    )
    ad1 = ctx.t("AD1").filter(filled).select("CHILD", pl.col(ROW).alias("_ad1"))
    ceased = ctx.t("PlacedAdoption").filter(sent("DATE_PLACED_CEASED")).select("CHILD", ROW)
    failing = ceased.join(ad1, on="CHILD")
    return {"PlacedAdoption": failing.select(ROW), "AD1": failing.select(pl.col("_ad1").alias(ROW))}


# --- Placement providers ------------------------------------------------------------------------------

_526 = "Child is missing a placement provider code for at least one episode."


@rule(S903, 526, _526, "Episodes", ["PLACE", "PLACE_PROVIDER"], years=["2024-25"])
def r526_2024(ctx: Context) -> pl.Expr:
    """Every episode but a temporary one (T0 to T4) or other placement (Z1) has PLACE_PROVIDER."""
    return ~in_codes("PLACE", [*_TEMPORARY, "Z1"]) & pl.col("PLACE_PROVIDER").is_null()


@rule(S903, 526, _526, "Episodes", ["PLACE", "PLACE_PROVIDER"], years=_FROM_2025)
def r526(ctx: Context) -> pl.Expr:
    """From 2025-26 the other placements are Z11 to Z14 (Z1 was split)."""
    return ~in_codes("PLACE", [*_TEMPORARY, "Z11", "Z12", "Z13", "Z14"]) & pl.col("PLACE_PROVIDER").is_null()


def _provider_with(provider: str, places: list[str]) -> pl.Expr:
    return (pl.col("PLACE_PROVIDER") == provider) & in_codes("PLACE", places)


@rule(
    S903,
    527,
    "A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.",
    "Episodes",
    ["PLACE", "PLACE_PROVIDER"],
)
def r527(ctx: Context) -> pl.Expr:
    return _provider_with("PR1", ["P1", "R2", "R5"])


@rule(
    S903,
    528,
    "A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.",
    "Episodes",
    ["PLACE", "PLACE_PROVIDER"],
)
def r528(ctx: Context) -> pl.Expr:
    return _provider_with("PR2", ["P1", "R2", "R5"])


@rule(
    S903,
    529,
    "Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 "
    "as these placements cannot be provided by other public organisations.",
    "Episodes",
    ["PLACE", "PLACE_PROVIDER"],
)
def r529(ctx: Context) -> pl.Expr:
    return _provider_with("PR3", ["P1", *_ADOPTION, "K1", "K2", *_FOSTER])


@rule(
    S903,
    530,
    "A placement provider code of PR4 cannot be associated with placement P1.",
    "Episodes",
    ["PLACE", "PLACE_PROVIDER"],
)
def r530(ctx: Context) -> pl.Expr:
    return _provider_with("PR4", ["P1"])


@rule(
    S903,
    531,
    "A placement provider code of PR5 cannot be associated with placements P1.",
    "Episodes",
    ["PLACE", "PLACE_PROVIDER"],
)
def r531(ctx: Context) -> pl.Expr:
    return _provider_with("PR5", ["P1"])


# --- Health and offending (OC2) -----------------------------------------------------------------------

_HEALTH = ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"]


@rule(
    S903,
    542,
    "A child aged under 10 at 31 March should not have conviction information completed.",
    "OC2",
    ["CONVICTED"],
)
def r542(ctx: Context) -> pl.Expr:
    """Judged on the OC2 row's DOB."""
    return (birthday("DOB", 10) > ctx.end) & pl.col("CONVICTED").is_not_null()


@rule(
    S903,
    543,
    "Child is aged 10 or over at 31 March and has been looked after continuously for 12 months yet "
    "conviction information has not been completed.",
    "OC2",
    ["DOB", "CONVICTED"],
    reads=["Episodes"],
)
def r543(ctx: Context) -> pl.DataFrame:
    return with_cla(ctx, "OC2").filter(
        pl.col("_cla") & (birthday("DOB", 10) <= ctx.end) & pl.col("CONVICTED").is_null()
    )


@rule(
    S903,
    544,
    "Any child who has conviction information completed must also have immunisation, teeth check, health "
    "assessment and substance misuse problem identified fields completed.",
    "OC2",
    ["CONVICTED", *_HEALTH],
)
def r544(ctx: Context) -> pl.Expr:
    """CONVICTED filled in (0 or 1): the four health fields are filled in too. The reference only looks at
    CONVICTED 1; "completed" in the message includes 0."""
    return pl.col("CONVICTED").is_not_null() & pl.any_horizontal(pl.col(c).is_null() for c in _HEALTH)


@rule(
    S903,
    545,
    "Child is aged under 5 at 31 March and has been looked after continuously for 12 months yet health "
    "promotion information has not been completed.",
    "OC2",
    ["DOB", "HEALTH_CHECK"],
    reads=["Episodes"],
)
def r545(ctx: Context) -> pl.DataFrame:
    return with_cla(ctx, "OC2").filter(
        pl.col("_cla") & (birthday("DOB", 5) > ctx.end) & pl.col("HEALTH_CHECK").is_null()
    )


@rule(
    S903,
    546,
    "Children aged 5 or over at 31 March should not have health promotion information completed.",
    "OC2",
    ["DOB", "HEALTH_CHECK"],
    reads=["Episodes"],
)
def r546(ctx: Context) -> pl.DataFrame:
    """Judged, as the DfE's rule text has it, for children looked after continuously for 12 months."""
    return with_cla(ctx, "OC2").filter(
        pl.col("_cla") & (birthday("DOB", 5) <= ctx.end) & pl.col("HEALTH_CHECK").is_not_null()
    )


@rule(
    S903,
    547,
    "Any child who has health promotion information completed must also have immunisation, teeth check, "
    "health assessment and substance misuse problem identified fields completed.",
    "OC2",
    ["HEALTH_CHECK", *_HEALTH],
)
def r547(ctx: Context) -> pl.Expr:
    """HEALTH_CHECK filled in (0 or 1): the four health fields are filled in too (the reference only looks at
    HEALTH_CHECK 1)."""
    return pl.col("HEALTH_CHECK").is_not_null() & pl.any_horizontal(pl.col(c).is_null() for c in _HEALTH)
