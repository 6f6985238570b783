"""SSDA903 rules on the fields of one table (formats, codes, items that go together), 104 to 192.

Messages are the DfE's. A blank cell is a missing value; "not a valid date" rules look at the text sent.
The OC2 rules that depend on a child being looked after continuously for 12 months read the episodes too.
"""

from __future__ import annotations

import polars as pl

from outstanding.codes import SSDA903 as CODES
from outstanding.returns.engine import Context, not_in, rule
from outstanding.returns.rules.ssda903_common import S903, birthday, sent, unreadable, with_cla
from outstanding.returns.schemas import RAW, SSDA903_TABLES

_AD1_DATA = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
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
_OC2_REQUIRED = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")


def _text(name: str, table: str) -> pl.Expr:
    """A field as sent: the raw text of a typed field, or the field itself if it is text."""
    return pl.col(name + RAW) if SSDA903_TABLES[table][name] != "str" else pl.col(name)


# --- UASC ---------------------------------------------------------------------------------------


@rule(
    S903,
    104,
    "Date for Unaccompanied Asylum-Seeking Children (UASC) status ceased is not a valid date.",
    "UASC",
    ["DUC"],
)
def r104(ctx: Context) -> pl.Expr:
    """If sent, DUC must be a valid date, and not before the start of the collection year."""
    return unreadable("DUC") | (pl.col("DUC") < ctx.start)


# --- AD1 (adoptions) ----------------------------------------------------------------------------


@rule(S903, 112, "Date should be placed for adoption is not a valid date.", "AD1", ["DATE_INT"])
def r112(ctx: Context) -> pl.Expr:
    return unreadable("DATE_INT")


@rule(S903, 113, "Date matching child and adopter(s) is not a valid date.", "AD1", ["DATE_MATCH"])
def r113(ctx: Context) -> pl.Expr:
    return unreadable("DATE_MATCH")


@rule(
    S903,
    114,
    "Data entry to record the status of former carer(s) of an adopted child is invalid.",
    "AD1",
    ["FOSTER_CARE"],
)
def r114(ctx: Context) -> pl.Expr:
    """If sent, FOSTER_CARE must be 0 or 1."""
    return not_in("FOSTER_CARE", {"0", "1"})


@rule(
    S903,
    151,
    "All data items relating to a childs adoption must be coded or left blank.",
    "AD1",
    list(_AD1_DATA),
)
def r151(ctx: Context) -> pl.Expr:
    """The six adoption items are all sent or all blank."""
    filled = [_text(c, "AD1").is_not_null() for c in _AD1_DATA]
    return pl.any_horizontal(filled) & ~pl.all_horizontal(filled)


@rule(S903, 175, "The number of adopter(s) code is not a valid code.", "AD1", ["NB_ADOPTR"])
def r175(ctx: Context) -> pl.Expr:
    return not_in("NB_ADOPTR", {"1", "2"})


@rule(
    S903,
    176,
    "The gender of adopter(s) at the date of adoption code is not a valid code.",
    "AD1",
    ["SEX_ADOPTR"],
)
def r176(ctx: Context) -> pl.Expr:
    return not_in("SEX_ADOPTR", CODES.SEX_ADOPTR.valid(ctx.year.start))


@rule(S903, 177, "The legal status of adopter(s) code is not a valid code.", "AD1", ["LS_ADOPTR"])
def r177(ctx: Context) -> pl.Expr:
    return not_in("LS_ADOPTR", CODES.LS_ADOPTR.valid(ctx.year.start))


# --- Placed for adoption ------------------------------------------------------------------------


@rule(
    S903,
    115,
    "Date of Local Authority's (LA) decision that a child should be placed for adoption is not a valid date.",
    "PlacedAdoption",
    ["DATE_PLACED"],
)
def r115(ctx: Context) -> pl.Expr:
    return unreadable("DATE_PLACED")


@rule(
    S903,
    116,
    "Date of Local Authority's (LA) decision that a child should no longer be placed for adoption is not a "
    "valid date.",
    "PlacedAdoption",
    ["DATE_PLACED_CEASED"],
)
def r116(ctx: Context) -> pl.Expr:
    return unreadable("DATE_PLACED_CEASED")


@rule(
    S903,
    119,
    "If the decision is made that a child should no longer be placed for adoption, then the date of this "
    "decision and the reason why this decision was made must be completed.",
    "PlacedAdoption",
    ["REASON_PLACED_CEASED", "DATE_PLACED_CEASED"],
)
def r119(ctx: Context) -> pl.Expr:
    """DATE_PLACED_CEASED and REASON_PLACED_CEASED are both sent or both blank."""
    return sent("DATE_PLACED_CEASED") != pl.col("REASON_PLACED_CEASED").is_not_null()


@rule(
    S903,
    120,
    "The reason for the reversal of the decision that the child should be placed for adoption code is not "
    "valid.",
    "PlacedAdoption",
    ["REASON_PLACED_CEASED"],
)
def r120(ctx: Context) -> pl.Expr:
    return not_in("REASON_PLACED_CEASED", CODES.REASON_PLACED_CEASED.valid(ctx.year.start))


@rule(
    S903,
    184,
    "Date of decision that a child should be placed for adoption is before the child was born.",
    "PlacedAdoption",
    ["DATE_PLACED"],
    reads=["Header"],
)
def r184(ctx: Context) -> pl.DataFrame:
    """DATE_PLACED, where present, must not be before the child's date of birth in the header."""
    dob = ctx.t("Header").select("CHILD", pl.col("DOB").alias("_dob")).unique("CHILD")
    return ctx.t("PlacedAdoption").join(dob, on="CHILD").filter(pl.col("DATE_PLACED") < pl.col("_dob"))


# --- OC3 (care leavers) -------------------------------------------------------------------------


@rule(S903, 132, "Data entry for activity after leaving care is invalid.", "OC3", ["ACTIV"])
def r132(ctx: Context) -> pl.Expr:
    """If sent, ACTIV must be a valid code, or 0 (the DfE's "not provided", see rule 344)."""
    return not_in("ACTIV", CODES.ACTIV.valid(ctx.year.start) | {"0"})


@rule(
    S903,
    133,
    "Data entry for accommodation after leaving care is invalid. If reporting on a childs accommodation "
    "after leaving care the data entry must be valid",
    "OC3",
    ["ACCOM"],
)
def r133(ctx: Context) -> pl.Expr:
    """If sent, ACCOM must be a valid code (S and X only as not suitable), or 0 ("not provided")."""
    return not_in("ACCOM", CODES.ACCOM.valid(ctx.year.start) | {"0"})


@rule(
    S903,
    153,
    "All data items relating to a child's activity or accommodation after leaving care must be coded or left "
    "blank.",
    "OC3",
    ["IN_TOUCH", "ACTIV", "ACCOM"],
)
def r153(ctx: Context) -> pl.Expr:
    filled = [pl.col(c).is_not_null() for c in ("IN_TOUCH", "ACTIV", "ACCOM")]
    return pl.any_horizontal(filled) & ~pl.all_horizontal(filled)


# --- Header -------------------------------------------------------------------------------------

# A UPN is a check letter (not I, O or S) and 12 digits, or 11 digits and a letter for a temporary UPN.
_UPN = r"^(?:[A-HJ-NP-RT-Z](?:\d{12}|\d{11}[A-Z])|UN[1-5])$"


@rule(
    S903,
    168,
    "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, UN2, UN3, UN4 or UN5.",
    "Header",
    ["UPN"],
)
def r168(ctx: Context) -> pl.Expr:
    return pl.col("UPN").is_not_null() & ~pl.col("UPN").str.contains(_UPN)


@rule(S903, 171, "Date of birth of mother's child is not a valid date.", "Header", ["MC_DOB"])
def r171(ctx: Context) -> pl.Expr:
    return unreadable("MC_DOB")


@rule(
    S903,
    174,
    "Mother's child date of birth is recorded but sex shows that the child is a male.",
    "Header",
    ["SEX", "MC_DOB"],
)
def r174(ctx: Context) -> pl.Expr:
    return (pl.col("SEX") == "M") & sent("MC_DOB")


# --- Episodes -----------------------------------------------------------------------------------


def _no_provider_places(year: int) -> list[str]:
    """Placements that have no provider: temporary moves and other placements (Z1 split from 2025-26,
    when T4 left the list)."""
    if year >= 2025:
        return ["T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"]
    return ["T0", "T1", "T2", "T3", "T4", "Z1"]


@rule(S903, 178, "Placement provider code is not a valid code.", "Episodes", ["PLACE_PROVIDER", "PLACE"])
def r178(ctx: Context) -> pl.Expr:
    """If sent, PLACE_PROVIDER must be a valid code, and must not be sent for a placement without one."""
    valid = sorted(CODES.PLACE_PROVIDER.valid(ctx.year.start))
    return pl.col("PLACE_PROVIDER").is_not_null() & (
        ~pl.col("PLACE_PROVIDER").is_in(valid)
        | pl.col("PLACE").is_in(_no_provider_places(ctx.year.start)).fill_null(False)
    )


# --- Reviews ------------------------------------------------------------------------------------


@rule(S903, 166, "Date of review is invalid or blank.", "Reviews", ["REVIEW"])
def r166(ctx: Context) -> pl.Expr:
    return pl.col("REVIEW").is_null()


@rule(S903, 167, "Data entry for participation is invalid or blank.", "Reviews", ["REVIEW", "REVIEW_CODE"])
def r167(ctx: Context) -> pl.Expr:
    """A review has a valid participation code; a row with neither is left to rule 166."""
    valid = sorted(CODES.REVIEW_CODE.valid(ctx.year.start))
    both_blank = ~sent("REVIEW") & pl.col("REVIEW_CODE").is_null()
    return ~(sent("REVIEW") & pl.col("REVIEW_CODE").is_in(valid).fill_null(False)) & ~both_blank


# --- OC2 (looked after for 12 months) -----------------------------------------------------------


@rule(
    S903,
    158,
    "If a child has been recorded as receiving an intervention for their substance misuse problem, then the "
    "additional item on whether an intervention was offered should be left blank.",
    "OC2",
    ["INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
)
def r158(ctx: Context) -> pl.Expr:
    return (pl.col("INTERVENTION_RECEIVED") == "1") & pl.col("INTERVENTION_OFFERED").is_not_null()


@rule(
    S903,
    159,
    "If a child has been recorded as not receiving an intervention for their substance misuse problem, then "
    "the additional item on whether an intervention was offered should be completed as well.",
    "OC2",
    ["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
)
def r159(ctx: Context) -> pl.Expr:
    return (
        (pl.col("SUBSTANCE_MISUSE") == "1")
        & (pl.col("INTERVENTION_RECEIVED") == "0")
        & pl.col("INTERVENTION_OFFERED").is_null()
    )


@rule(
    S903,
    180,
    "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.",
    "OC2",
    ["SDQ_SCORE"],
)
def r180(ctx: Context) -> pl.Expr:
    """If sent, SDQ_SCORE must be a whole number from 0 to 40."""
    return sent("SDQ_SCORE") & ~pl.col("SDQ_SCORE").is_between(0, 40).fill_null(False)


@rule(
    S903,
    181,
    "Data items relating to children looked after continuously for 12 months should be completed with a 0 "
    "or 1.",
    "OC2",
    list(_OC2_HEALTH),
)
def r181(ctx: Context) -> pl.Expr:
    return pl.any_horizontal(not_in(c, {"0", "1"}) for c in _OC2_HEALTH)


@rule(
    S903,
    182,
    "Data entries on immunisations, teeth checks, health assessments and substance misuse problem "
    "identified should be completed or all OC2 fields should be left blank.",
    "OC2",
    list(_OC2_HEALTH),
)
def r182(ctx: Context) -> pl.Expr:
    """If any OC2 item is sent, the four on immunisations, teeth, health assessment and substance misuse
    must all be."""
    any_sent = pl.any_horizontal(pl.col(c).is_not_null() for c in _OC2_HEALTH)
    return any_sent & pl.any_horizontal(pl.col(c).is_null() for c in _OC2_REQUIRED)


@rule(
    S903,
    188,
    "Child is aged under 4 years at the end of the year, but a Strengths and Difficulties (SDQ) score or a "
    "reason for no SDQ score has been completed. ",
    "OC2",
    ["DOB", "SDQ_SCORE", "SDQ_REASON"],
)
def r188(ctx: Context) -> pl.Expr:
    # The DfE's message carries a trailing space; kept as published.
    return (birthday("DOB", 4) > ctx.end) & (sent("SDQ_SCORE") | pl.col("SDQ_REASON").is_not_null())


@rule(
    S903,
    189,
    "Child is aged 17 years or over at the beginning of the year, but an Strengths and Difficulties (SDQ) "
    "score or a reason for no Strengths and Difficulties (SDQ) score has been completed.",
    "OC2",
    ["DOB", "SDQ_SCORE", "SDQ_REASON"],
)
def r189(ctx: Context) -> pl.Expr:
    return (birthday("DOB", 17) <= ctx.start) & (sent("SDQ_SCORE") | pl.col("SDQ_REASON").is_not_null())


@rule(
    S903,
    192,
    "Child has been identified as having a substance misuse problem but the additional item on whether an "
    "intervention was received has been left blank.",
    "OC2",
    ["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"],
)
def r192(ctx: Context) -> pl.Expr:
    return (pl.col("SUBSTANCE_MISUSE") == "1") & pl.col("INTERVENTION_RECEIVED").is_null()


@rule(
    S903,
    157,
    "Child is aged 4 years or over at the beginning of the year or 16 years or under at the end of the year "
    "and Strengths and Difficulties Questionnaire (SDQ) 1 has been recorded as the reason for no Strengths "
    "and Difficulties Questionnaire (SDQ) score.",
    "OC2",
    ["SDQ_REASON", "DOB"],
    reads=["Episodes"],
)
def r157(ctx: Context) -> pl.DataFrame:
    """A child looked after for 12 months, aged 4 to 16 over the year, with no score, must not give SDQ1."""
    return with_cla(ctx, "OC2").filter(
        pl.col("_cla")
        & (birthday("DOB", 4) <= ctx.start)
        & (birthday("DOB", 16) >= ctx.end)
        & ~sent("SDQ_SCORE")
        & (pl.col("SDQ_REASON") == "SDQ1")
    )


@rule(
    S903,
    185,
    "Child has not been looked after continuously for at least 12 months at 31 March but a Strengths and "
    "Difficulties (SDQ) score has been completed.",
    "OC2",
    ["SDQ_SCORE"],
    reads=["Episodes"],
)
def r185(ctx: Context) -> pl.DataFrame:
    return with_cla(ctx, "OC2").filter(~pl.col("_cla") & sent("SDQ_SCORE"))


@rule(
    S903,
    186,
    "Children aged 4 or over at the start of the year and children aged under 17 at the end of the year and "
    "who have been looked after for at least 12 months continuously should have a Strengths and Difficulties "
    "(SDQ) score completed.",
    "OC2",
    ["DOB", "SDQ_SCORE", "SDQ_REASON"],
    reads=["Episodes"],
)
def r186(ctx: Context) -> pl.DataFrame:
    """Such a child needs a score, or the reason there is none (SDQ_REASON explains a missing score).

    Not "a score and a reason": rule 197a forbids a reason beside a score, so requiring both (as the
    reference validator does) would make every such child fail one of the two rules."""
    return with_cla(ctx, "OC2").filter(
        pl.col("_cla")
        & (birthday("DOB", 4) <= ctx.start)
        & (birthday("DOB", 17) > ctx.end)
        & ~sent("SDQ_SCORE")
        & pl.col("SDQ_REASON").is_null()
    )


@rule(
    S903,
    190,
    "Child has not been looked after continuously for at least 12 months at 31 March but one or more data "
    "items relating to children looked after for 12 months have been completed.",
    "OC2",
    list(_OC2_HEALTH),
    reads=["Episodes"],
)
def r190(ctx: Context) -> pl.DataFrame:
    return with_cla(ctx, "OC2").filter(
        ~pl.col("_cla") & pl.any_horizontal(pl.col(c).is_not_null() for c in _OC2_HEALTH)
    )
