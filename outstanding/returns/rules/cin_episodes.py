"""Children in need census rules, continued: overlapping episodes, assessments and enquiries, reviews, and the
unborn child's sex.

Registered by importing this module (``rules/cin.py`` does at its end). Conventions are those of ``cin.py``.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.returns.engine import Context, rule
from outstanding.returns.schemas import ROW

CIN = "cin"


def _others(frame: pl.DataFrame, key: str, start: str, end: str, open_end: dt.date) -> pl.DataFrame:
    """The rows of ``frame`` keyed by ``key`` as the 'other' side of a self-join: their row, start, and end
    (``open_end`` where it is missing)."""
    return frame.select(
        key,
        pl.col(ROW).alias("other"),
        pl.col(start).alias("other_start"),
        pl.col(end).fill_null(open_end).alias("other_end"),
    )


# --- Child identifiers --------------------------------------------------------------------------------


@rule(
    CIN,
    8750,
    "Sex must equal U for an unborn child",
    "ChildIdentifiers",
    ["Sex", "PersonBirthDate", "ExpectedPersonBirthDate"],
)
def r8750(ctx: Context) -> pl.Expr:
    """If ExpectedPersonBirthDate is present and PersonBirthDate is missing, Sex must be U. This is the
    2024-25 form of the rule (Sex replaced GenderCurrent); it holds for every year from then."""
    unborn = pl.col("PersonBirthDate__raw").is_null() & pl.col("ExpectedPersonBirthDate__raw").is_not_null()
    return unborn & (pl.col("Sex").is_null() | (pl.col("Sex") != "U"))


@rule(
    CIN,
    8772,
    "UPN unknown reason is UN7 (Referral with no further action) but at least one CIN details is a referral "
    "going on to further action",
    "ChildIdentifiers",
    ["UPNunknown"],
    reads=["CINdetails"],
)
def r8772(ctx: Context) -> pl.DataFrame:
    """If UPNunknown is UN7, every CINdetails of the child must have ReferralNFA true (or 1)."""
    further_action = (
        ctx.t("CINdetails")
        .filter(pl.col("ReferralNFA").is_null() | (pl.col("ReferralNFA") == False))  # noqa: E712
        .select("LAchildID")
        .unique()
    )
    return (
        ctx.t("ChildIdentifiers")
        .filter(pl.col("UPNunknown") == "UN7")
        .join(further_action, on="LAchildID", how="semi")
    )


@rule(
    CIN,
    "8775Q",
    "Please check: Child is over 25 years old",
    "ChildIdentifiers",
    ["PersonBirthDate"],
    type="query",
    reads=["CINdetails"],
)
def r8775q(ctx: Context) -> pl.DataFrame:
    """PersonBirthDate should not be before ReferenceDate minus 25 years where the child's CINclosureDate is
    after the 25th birthday or missing (a child with no episode counts as open)."""
    limit = dt.date(ctx.end.year - 25, ctx.end.month, ctx.end.day)
    older = ctx.t("ChildIdentifiers").filter(pl.col("PersonBirthDate") < limit)
    episodes = ctx.t("CINdetails").select("LAchildID", "CINclosureDate")
    open_after_25 = (
        older.join(episodes, on="LAchildID", how="left")
        .filter(
            pl.col("CINclosureDate").is_null()
            | (pl.col("CINclosureDate") > pl.col("PersonBirthDate").dt.offset_by("25y"))
        )
        .select(ROW)
    )
    return open_after_25


# --- Episodes -----------------------------------------------------------------------------------------


def _open_further_action() -> pl.Expr:
    return pl.col("CINclosureDate__raw").is_null() & (pl.col("ReferralNFA") == False)  # noqa: E712


@rule(
    CIN,
    8816,
    "An open CIN episode is shown and case is not a referral with no further action, but it is not the "
    "latest episode.",
    "CINdetails",
    ["CINreferralDate", "CINclosureDate", "ReferralNFA"],
)
def r8816(ctx: Context) -> pl.Expr:
    """If a CINdetails has no CINclosureDate and ReferralNFA is false (or 0), its CINreferralDate must be the
    latest of all the child's referral dates."""
    latest = pl.col("CINreferralDate").max().over("LAchildID")
    return _open_further_action() & (pl.col("CINreferralDate") < latest)


@rule(
    CIN,
    8820,
    "The dates on the CIN episodes for this child overlap",
    "CINdetails",
    ["CINreferralDate", "CINclosureDate"],
)
def r8820(ctx: Context) -> pl.DataFrame:
    """Where a child has more than one CINdetails, no CINreferralDate may fall (a) on or after another
    episode's CINreferralDate and before its CINclosureDate, or (b) on or after another episode's
    CINreferralDate and on or before ReferenceDate where that episode has no CINclosureDate and ReferralNFA
    false. One episode may end on the day the next begins."""
    episodes = ctx.t("CINdetails").filter(pl.col("CINreferralDate").is_not_null())
    closed = episodes.filter(pl.col("CINclosureDate").is_not_null())
    open_ = episodes.filter(_open_further_action())
    others = pl.concat(
        [
            _others(closed, "LAchildID", "CINreferralDate", "CINclosureDate", ctx.end),
            # An open episode runs to ReferenceDate inclusive: a day past it makes ``<`` include it.
            _others(open_, "LAchildID", "CINreferralDate", "CINclosureDate", ctx.end + dt.timedelta(1)),
        ]
    )
    return episodes.join(others, on="LAchildID", how="inner").filter(
        (pl.col(ROW) != pl.col("other"))
        & (pl.col("CINreferralDate") >= pl.col("other_start"))
        & (pl.col("CINreferralDate") < pl.col("other_end"))
    )


@rule(
    CIN,
    "8825Q",
    "Please check and either amend data or provide a reason: Reason for Closure code RC8 (case closed after "
    "assessment) or RC9 (case closed after assessment, referred to early help) has been returned but there "
    "is no assessment present for the episode.",
    "CINdetails",
    ["ReasonForClosure"],
    type="query",
    reads=["Assessments"],
)
def r8825q(ctx: Context) -> pl.DataFrame:
    """If ReasonForClosure is RC8 or RC9, at least one Assessments module should be present in the episode."""
    assessed = ctx.t("Assessments").select("CINdetailsID").unique()
    return (
        ctx.t("CINdetails")
        .filter(pl.col("ReasonForClosure").is_in(["RC8", "RC9"]))
        .join(assessed, on="CINdetailsID", how="anti")
    )


# --- Assessments, Section 47 enquiries and reviews ---------------------------------------------------------


@rule(
    CIN,
    8696,
    "Assessment end date must fall within the census year",
    "Assessments",
    ["AssessmentAuthorisationDate"],
)
def r8696(ctx: Context) -> pl.Expr:
    """If present, AssessmentAuthorisationDate must be on or between the start of the census year and
    ReferenceDate."""
    return ~pl.col("AssessmentAuthorisationDate").is_between(ctx.start, ctx.end)


@rule(
    CIN,
    8863,
    "An Assessment is shown as starting when there is another Assessment ongoing",
    "Assessments",
    ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
)
def r8863(ctx: Context) -> pl.DataFrame:
    """Within one CINdetails, each AssessmentActualStartDate must not fall on or between the start and
    AssessmentAuthorisationDate of any other assessment, or its start and ReferenceDate if it has no
    AssessmentAuthorisationDate."""
    assessments = ctx.t("Assessments").filter(pl.col("AssessmentActualStartDate").is_not_null())
    others = _others(
        assessments, "CINdetailsID", "AssessmentActualStartDate", "AssessmentAuthorisationDate", ctx.end
    )
    return assessments.join(others, on="CINdetailsID", how="inner").filter(
        (pl.col(ROW) != pl.col("other"))
        & pl.col("AssessmentActualStartDate").is_between(pl.col("other_start"), pl.col("other_end"))
    )


@rule(
    CIN,
    8839,
    "Within one CINDetails group there are 2 or more open S47 Assessments",
    "Section47",
    ["DateOfInitialCPC", "ICPCnotRequired"],
)
def r8839(ctx: Context) -> pl.Expr:
    """Within one CINdetails there must be only one Section47 group with no DateOfInitialCPC and
    ICPCnotRequired not true (every such group of an episode with two or more is flagged)."""
    open_s47 = pl.col("DateOfInitialCPC__raw").is_null() & ~pl.col("ICPCnotRequired").fill_null(False)
    return open_s47 & (open_s47.sum().over("CINdetailsID") > 1)


@rule(
    CIN,
    "8870Q",
    "Please check: The Target Date for Initial Child Protection Conference should not be a weekend",
    "Section47",
    ["InitialCPCtarget"],
    type="query",
)
def r8870q(ctx: Context) -> pl.Expr:
    """Where present, InitialCPCtarget should not be a Saturday or Sunday."""
    return pl.col("InitialCPCtarget").dt.weekday() >= 6  # ISO weekday: 6 Saturday, 7 Sunday


@rule(
    CIN,
    8841,
    "The review date cannot be on the same day or before the Child protection Plan start date.",
    "Reviews",
    ["CPPreviewDate"],
    reads=["ChildProtectionPlans"],
)
def r8841(ctx: Context) -> pl.DataFrame:
    """Within a ChildProtectionPlans group, no CPPreviewDate may be on or before the CPPstartDate."""
    starts = ctx.t("ChildProtectionPlans").select("CPPID", "CPPstartDate")
    return (
        ctx.t("Reviews")
        .join(starts, on="CPPID", how="inner")
        .filter(pl.col("CPPreviewDate") <= pl.col("CPPstartDate"))
    )


@rule(
    CIN,
    "8842Q",
    "Please check: Review Record has a missing date",
    "Reviews",
    ["CPPreviewDate"],
    type="query",
)
def r8842q(ctx: Context) -> pl.Expr:
    """Where a Reviews group is present, a valid CPPreviewDate should be present in it."""
    return pl.col("CPPreviewDate").is_null()
