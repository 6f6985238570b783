"""Children in need census rules, continued: the LA child ID's form, child protection plans and Section 47
enquiries that overlap, and assessment factor codes.

Registered by importing this module (``rules/cin.py`` does at its end). Conventions are those of ``cin.py``.
"""

from __future__ import annotations

import polars as pl

from outstanding.returns.engine import Context, rule
from outstanding.returns.schemas import ROW

CIN = "cin"


# --- LA child ID (new in 2024-25) -----------------------------------------------------------------------


@rule(CIN, 1570, "LA Child ID must not be longer than 20 characters", "ChildIdentifiers", ["LAchildID"])
def r1570(ctx: Context) -> pl.Expr:
    """LAchildID must be 20 characters or fewer."""
    return pl.col("LAchildID").str.len_chars() > 20


@rule(
    CIN,
    1580,
    "LA Child ID must not contain any non-alphanumeric characters",
    "ChildIdentifiers",
    ["LAchildID"],
)
def r1580(ctx: Context) -> pl.Expr:
    """LAchildID must contain only letters and digits."""
    return pl.col("LAchildID").is_not_null() & ~pl.col("LAchildID").str.contains(r"^[A-Za-z0-9]*$")


# --- Child protection plans -------------------------------------------------------------------------------


@rule(
    CIN,
    8925,
    "Child Protection Plan End Date earlier than Start Date",
    "ChildProtectionPlans",
    ["CPPstartDate", "CPPendDate"],
)
def r8925(ctx: Context) -> pl.Expr:
    """If present, CPPendDate must be on or after CPPstartDate."""
    return pl.col("CPPendDate") < pl.col("CPPstartDate")


@rule(
    CIN,
    8935,
    "This child is showing more than one open Child Protection plan, i.e. with no End Date",
    "ChildProtectionPlans",
    ["CPPendDate"],
)
def r8935(ctx: Context) -> pl.Expr:
    """A child may have only one ChildProtectionPlans group with no CPPendDate (every open plan of a child
    with two or more is flagged)."""
    open_plan = pl.col("CPPendDate__raw").is_null()
    return open_plan & (open_plan.sum().over("LAchildID") > 1)


def _starts_inside_another(frame: pl.DataFrame, key: str, start: str, end: pl.Expr) -> pl.DataFrame:
    """Rows whose ``start`` falls on or between the start and ``end`` of another row with the same ``key``."""
    others = frame.select(
        key, pl.col(ROW).alias("other"), pl.col(start).alias("other_start"), end.alias("other_end")
    ).filter(pl.col("other_end").is_not_null())
    return frame.join(others, on=key, how="inner").filter(
        (pl.col(ROW) != pl.col("other"))
        & pl.col(start).is_between(pl.col("other_start"), pl.col("other_end"))
    )


@rule(
    CIN,
    8940,
    "Child Protection Plan data contains overlapping dates",
    "ChildProtectionPlans",
    ["CPPstartDate", "CPPendDate"],
)
def r8940(ctx: Context) -> pl.DataFrame:
    """Where a child has more than one ChildProtectionPlans group, no group's CPPstartDate can fall within
    another group's CPPstartDate to CPPendDate, or CPPstartDate to ReferenceDate if it has no end."""
    plans = ctx.t("ChildProtectionPlans").filter(pl.col("CPPstartDate").is_not_null())
    return _starts_inside_another(plans, "LAchildID", "CPPstartDate", pl.col("CPPendDate").fill_null(ctx.end))


# --- Section 47 enquiries ---------------------------------------------------------------------------------


@rule(
    CIN,
    8875,
    "The Date of Initial Child Protection Conference cannot be a weekend",
    "Section47",
    ["DateOfInitialCPC"],
)
def r8875(ctx: Context) -> pl.Expr:
    """Where present, the Section47 DateOfInitialCPC must not be a Saturday or Sunday."""
    return pl.col("DateOfInitialCPC").dt.weekday() >= 6  # ISO weekday: 6 Saturday, 7 Sunday


@rule(
    CIN,
    8890,
    "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing",
    "Section47",
    ["S47ActualStartDate"],
)
def r8890(ctx: Context) -> pl.DataFrame:
    """Within one CINdetails, each S47ActualStartDate must not fall on or between (a) the S47ActualStartDate
    and DateOfInitialCPC of any other Section47 group that has a DateOfInitialCPC, or (b) the
    S47ActualStartDate and ReferenceDate of any other group with no DateOfInitialCPC and ICPCnotRequired not
    true."""
    enquiries = ctx.t("Section47").filter(pl.col("S47ActualStartDate").is_not_null())
    end = (
        pl.when(pl.col("DateOfInitialCPC").is_not_null())
        .then(pl.col("DateOfInitialCPC"))
        .when(pl.col("DateOfInitialCPC__raw").is_null() & ~pl.col("ICPCnotRequired").fill_null(False))
        .then(pl.lit(ctx.end))
    )
    return _starts_inside_another(enquiries, "CINdetailsID", "S47ActualStartDate", end)


# --- Assessment factors -------------------------------------------------------------------------------------


@rule(
    CIN,
    "8873Q",
    "Please check and either amend data or provide a reason: When there is only one assessment on the "
    "episode and the factors code “21 No factors identified” has been used for the completed assessment, the "
    "reason for closure ‘RC8’ or 'RC9' should be used.",
    "CINdetails",
    ["ReasonForClosure"],
    type="query",
    reads=["Assessments", "AssessmentFactors"],
)
def r8873q(ctx: Context) -> pl.DataFrame:
    """Within a CINdetails with only one Assessments group, if its AssessmentFactors is 21, ReasonForClosure
    should be RC8 or RC9."""
    single = ctx.t("Assessments").filter(pl.len().over("CINdetailsID") == 1).select("AssessmentID")
    no_factors = (
        ctx.t("AssessmentFactors")
        .filter(pl.col("AssessmentFactors") == "21")
        .join(single, on="AssessmentID", how="semi")
        .select("CINdetailsID")
        .unique()
    )
    return (
        ctx.t("CINdetails")
        .join(no_factors, on="CINdetailsID", how="semi")
        .filter(pl.col("ReasonForClosure").is_null() | ~pl.col("ReasonForClosure").is_in(["RC8", "RC9"]))
    )


@rule(
    CIN,
    8898,
    "The assessment has more than one parental or child factors with the same code",
    "AssessmentFactors",
    ["AssessmentFactors"],
)
def r8898(ctx: Context) -> pl.Expr:
    """If an assessment has more than one AssessmentFactors, none of the values may appear more than once
    (every repeat is flagged)."""
    return pl.col("AssessmentFactors").is_not_null() & (
        pl.len().over("AssessmentID", "AssessmentFactors") > 1
    )


@rule(
    CIN,
    "8945Q",
    "Please check and either amend data or provide a reason: the assessment factors code '18A' should not be "
    "used ('18B' or '18C' should be used instead)",
    "AssessmentFactors",
    ["AssessmentFactors"],
    type="query",
)
def r8945q(ctx: Context) -> pl.Expr:
    """AssessmentFactors should not be the legacy code 18A (2024-25 onwards)."""
    return pl.col("AssessmentFactors").str.to_uppercase() == "18A"


@rule(
    CIN,
    "8950Q",
    "Please check and either amend data or provide a reason: the assessment factors code '19A' should not be "
    "used ('19B' or '19C' should be used instead)",
    "AssessmentFactors",
    ["AssessmentFactors"],
    type="query",
)
def r8950q(ctx: Context) -> pl.Expr:
    """AssessmentFactors should not be the legacy code 19A (2024-25 onwards)."""
    return pl.col("AssessmentFactors").str.to_uppercase() == "19A"
