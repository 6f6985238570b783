"""Children in need census rules, continued: council-level queries, CIN plans against child protection plans,
Section 47 enquiries and episodes closed after assessment.

Registered by importing this module (``rules/cin.py`` does at its end). Conventions are those of ``cin.py``:
the DfE's message, the DfE condition in the docstring, a polars expression or joins returning ``_row``.
"""

from __future__ import annotations

import polars as pl

from outstanding.returns.engine import Context, rule
from outstanding.returns.schemas import ROW

CIN = "cin"


def _council_level(ctx: Context, fails: bool) -> pl.DataFrame:
    """A rule the DfE triggers once for the council: the Header row is flagged when it fails."""
    return ctx.t("Header").filter(pl.lit(fails))


def _episode_ids(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select("CINdetailsID").unique()


# --- Council-level queries --------------------------------------------------------------------------


@rule(
    CIN,
    "2886Q",
    "Please check and either amend or provide a reason: Percentage of children with no sex recorded is more "
    "than 2% (excluding unborns)",
    "Header",
    [],
    type="query",
    reads=["ChildIdentifiers"],
)
def r2886q(ctx: Context) -> pl.DataFrame:
    """The number of child records whose Sex is missing or U (not known) and whose ExpectedPersonBirthDate is
    missing, divided by the number of child records, should be 0.02 or less. Council level. (Sex replaced
    GenderCurrent from 2024-25; this is the 2024-25 form of the rule.)"""
    children = ctx.t("ChildIdentifiers")
    unknown = children.filter(
        (pl.col("Sex").is_null() | (pl.col("Sex") == "U")) & pl.col("ExpectedPersonBirthDate__raw").is_null()
    ).height
    return _council_level(ctx, children.height > 0 and unknown / children.height > 0.02)


def _disabilities(ctx: Context) -> pl.DataFrame:
    """Disability codes other than NONE."""
    return ctx.t("Disabilities").filter(pl.col("Disability").is_not_null() & (pl.col("Disability") != "NONE"))


@rule(
    CIN,
    "2887Q",
    "Please check and either amend or provide a reason: Less than 8 disability codes have been used in your "
    "return",
    "Header",
    [],
    type="query",
    reads=["Disabilities"],
)
def r2887q(ctx: Context) -> pl.DataFrame:
    """Excluding NONE, the council should use more than 7 different Disability codes. Council level."""
    used = _disabilities(ctx)["Disability"].n_unique()
    return _council_level(ctx, used <= 7)


@rule(
    CIN,
    "2888Q",
    "Please check: Only one disability code is recorded per child and multiple disabilities should be "
    "recorded where possible.",
    "Header",
    [],
    type="query",
    reads=["Disabilities"],
)
def r2888q(ctx: Context) -> pl.DataFrame:
    """Excluding NONE, one or more children should have more than one Disability recorded. Council level."""
    most = _disabilities(ctx).group_by("LAchildID").agg(pl.col("Disability").n_unique().alias("n"))["n"].max()
    return _council_level(ctx, (most or 0) <= 1)  # type: ignore[operator]


# --- Section 47 and closed episodes ----------------------------------------------------------------------


@rule(
    CIN,
    2889,
    "The S47 start date cannot be before the referral date.",
    "Section47",
    ["S47ActualStartDate"],
    reads=["CINdetails"],
)
def r2889(ctx: Context) -> pl.DataFrame:
    """Where present, S47ActualStartDate must be on or after its episode's CINreferralDate."""
    referrals = ctx.t("CINdetails").select("CINdetailsID", "CINreferralDate")
    return (
        ctx.t("Section47")
        .join(referrals, on="CINdetailsID", how="inner")
        .filter(pl.col("S47ActualStartDate") < pl.col("CINreferralDate"))
    )


@rule(
    CIN,
    2990,
    "Activity is recorded against a case marked as ‘Case closed after assessment, no further action’.",
    "CINdetails",
    ["ReasonForClosure", "DateOfInitialCPC"],
    reads=["Section47", "ChildProtectionPlans", "CINplanDates"],
)
def r2990(ctx: Context) -> pl.DataFrame:
    """If ReasonForClosure is RC8, the episode cannot have a Section47 module, a ChildProtectionPlans module,
    a DateOfInitialCPC on the CINdetails, or a CINPlanDates module."""
    closed = ctx.t("CINdetails").filter(pl.col("ReasonForClosure") == "RC8")
    activity = pl.concat(
        [_episode_ids(ctx.t(t)) for t in ("Section47", "ChildProtectionPlans", "CINplanDates")]
    )
    return pl.concat(
        [
            closed.join(activity, on="CINdetailsID", how="semi").select(ROW),
            closed.filter(pl.col("DateOfInitialCPC__raw").is_not_null()).select(ROW),
        ]
    )


@rule(
    CIN,
    "2991Q",
    "Please check: A Section 47 module is recorded and there is no assessment on the episode",
    "CINdetails",
    ["CINreferralDate"],
    type="query",
    reads=["Section47", "Assessments"],
)
def r2991q(ctx: Context) -> pl.DataFrame:
    """An episode with a Section47 module should also have an Assessments module."""
    return (
        ctx.t("CINdetails")
        .join(_episode_ids(ctx.t("Section47")), on="CINdetailsID", how="semi")
        .join(_episode_ids(ctx.t("Assessments")), on="CINdetailsID", how="anti")
    )


# --- CIN plans ---------------------------------------------------------------------------------------


@rule(
    CIN,
    4003,
    "A CPP review date is shown as being held at the same time as an open CIN Plan.",
    "Reviews",
    ["CPPreviewDate"],
    reads=["ChildProtectionPlans", "CINplanDates"],
)
def r4003(ctx: Context) -> pl.DataFrame:
    """Within a CINdetails module, no CPPreviewDate can fall between any CINPlanStartDate and CINPlanEndDate
    (an open plan runs to ReferenceDate), unless the CPPreviewDate equals the plan's CPPendDate."""
    ends = ctx.t("ChildProtectionPlans").select("CPPID", "CPPendDate")
    plans = ctx.t("CINplanDates").select(
        "CINdetailsID", "CINPlanStartDate", pl.col("CINPlanEndDate").fill_null(ctx.end).alias("plan_end")
    )
    review = pl.col("CPPreviewDate")
    return (
        ctx.t("Reviews")
        .join(ends, on="CPPID", how="left")
        .join(plans, on="CINdetailsID", how="inner")
        .filter(
            review.is_between(pl.col("CINPlanStartDate"), pl.col("plan_end"))
            & (pl.col("CPPendDate").is_null() | (review != pl.col("CPPendDate")))
        )
    )


@rule(
    CIN,
    4004,
    "This child is showing more than one open CIN Plan, i.e. with no End Date",
    "CINplanDates",
    ["CINPlanEndDate"],
)
def r4004(ctx: Context) -> pl.Expr:
    """Within a CINdetails module there must be only one CINplanDates group with no CINPlanEndDate (every
    open plan of such an episode is flagged)."""
    open_plan = pl.col("CINPlanEndDate__raw").is_null()
    return open_plan & (open_plan.sum().over("CINdetailsID") > 1)


def _after_death(ctx: Context, table: str, name: str) -> dict[str, pl.DataFrame]:
    """Rows of ``table`` whose ``name`` is after the child's PersonDeathDate, and the child's record."""
    deaths = ctx.t("ChildIdentifiers").filter(pl.col("PersonDeathDate").is_not_null())
    late = (
        ctx.t(table)
        .join(deaths.select("LAchildID", "PersonDeathDate"), on="LAchildID", how="inner")
        .filter(pl.col(name) > pl.col("PersonDeathDate"))
    )
    children = deaths.join(late.select("LAchildID").unique(), on="LAchildID", how="semi")
    return {table: late.select(ROW), "ChildIdentifiers": children.select(ROW)}


@rule(
    CIN,
    4008,
    "CIN Plan shown as starting after the child’s Date of Death.",
    "CINplanDates",
    ["CINPlanStartDate"],
    reads=["ChildIdentifiers"],
    also={"ChildIdentifiers": ["PersonDeathDate"]},
)
def r4008(ctx: Context) -> dict[str, pl.DataFrame]:
    """If PersonDeathDate is present, CINPlanStartDate must be on or before it: the plan and the child's
    record are flagged."""
    return _after_death(ctx, "CINplanDates", "CINPlanStartDate")


@rule(
    CIN,
    4009,
    "CIN Plan cannot end after the child’s Date of Death",
    "CINplanDates",
    ["CINPlanEndDate"],
    reads=["ChildIdentifiers"],
    also={"ChildIdentifiers": ["PersonDeathDate"]},
)
def r4009(ctx: Context) -> dict[str, pl.DataFrame]:
    """If PersonDeathDate is present, CINPlanEndDate must be on or before it: the plan and the child's
    record are flagged."""
    return _after_death(ctx, "CINplanDates", "CINPlanEndDate")


@rule(
    CIN,
    4010,
    "CIN Plan start date is missing or out of data collection period",
    "CINplanDates",
    ["CINPlanStartDate"],
)
def r4010(ctx: Context) -> pl.Expr:
    """Where a CINPlanDates module is present, CINPlanStartDate must be present and on or before
    ReferenceDate."""
    return pl.col("CINPlanStartDate__raw").is_null() | (pl.col("CINPlanStartDate") > ctx.end)


@rule(
    CIN,
    4011,
    "CIN Plan End Date earlier than Start Date",
    "CINplanDates",
    ["CINPlanStartDate", "CINPlanEndDate"],
)
def r4011(ctx: Context) -> pl.Expr:
    """If present, CINPlanEndDate must be on or after CINPlanStartDate."""
    return pl.col("CINPlanEndDate") < pl.col("CINPlanStartDate")


@rule(
    CIN,
    "4012Q",
    "CIN Plan shown as starting and ending on the same day - please check",
    "CINplanDates",
    ["CINPlanStartDate", "CINPlanEndDate"],
    type="query",
)
def r4012q(ctx: Context) -> pl.Expr:
    """CINPlanStartDate should not equal CINPlanEndDate."""
    return pl.col("CINPlanStartDate") == pl.col("CINPlanEndDate")


@rule(
    CIN,
    4013,
    "CIN Plan end date must fall within the census year",
    "CINplanDates",
    ["CINPlanEndDate"],
)
def r4013(ctx: Context) -> pl.Expr:
    """If present, CINPlanEndDate must be within the census period, inclusive."""
    return ~pl.col("CINPlanEndDate").is_between(ctx.start, ctx.end)


@rule(
    CIN,
    4014,
    "CIN Plan data contains overlapping dates",
    "CINplanDates",
    ["CINPlanStartDate", "CINPlanEndDate"],
)
def r4014(ctx: Context) -> pl.DataFrame:
    """Where a child has more than one CINplanDates group, no group's CINPlanStartDate can fall within another
    group's CINPlanStartDate to CINPlanEndDate, or CINPlanStartDate to ReferenceDate if it has no end."""
    plans = ctx.t("CINplanDates").filter(pl.col("CINPlanStartDate").is_not_null())
    others = plans.select(
        "LAchildID",
        pl.col(ROW).alias("other"),
        pl.col("CINPlanStartDate").alias("other_start"),
        pl.col("CINPlanEndDate").fill_null(ctx.end).alias("other_end"),
    )
    return plans.join(others, on="LAchildID", how="inner").filter(
        (pl.col(ROW) != pl.col("other"))
        & pl.col("CINPlanStartDate").is_between(pl.col("other_start"), pl.col("other_end"))
    )


@rule(
    CIN,
    4015,
    "The CIN Plan start date cannot be before the referral date",
    "CINplanDates",
    ["CINPlanStartDate"],
    reads=["CINdetails"],
)
def r4015(ctx: Context) -> pl.DataFrame:
    """Where present, CINPlanStartDate must be on or after its episode's CINreferralDate."""
    referrals = ctx.t("CINdetails").select("CINdetailsID", "CINreferralDate")
    return (
        ctx.t("CINplanDates")
        .join(referrals, on="CINdetailsID", how="inner")
        .filter(pl.col("CINPlanStartDate") < pl.col("CINreferralDate"))
    )


def _starts_within(start: str, period_start: str, period_end: str, ctx: Context) -> pl.Expr:
    """``start`` on or after the period's start and before its end, or on or before ReferenceDate if the
    period has no end: a start on the period's end day is allowed (one plan ends as the other begins)."""
    return (pl.col(start) >= pl.col(period_start)) & (
        pl.when(pl.col(period_end).is_null())
        .then(pl.col(start) <= ctx.end)
        .otherwise(pl.col(start) < pl.col(period_end))
    )


@rule(
    CIN,
    4016,
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
    "CINplanDates",
    ["CINPlanStartDate"],
    reads=["ChildProtectionPlans"],
)
def r4016(ctx: Context) -> pl.DataFrame:
    """The CINPlanStartDate of any CIN plan cannot fall within CPPstartDate to CPPendDate, or CPPstartDate to
    ReferenceDate if CPPendDate is missing, of any of the child's plans, unless it equals the CPPendDate."""
    cpp = ctx.t("ChildProtectionPlans").select("LAchildID", "CPPstartDate", "CPPendDate")
    return (
        ctx.t("CINplanDates")
        .join(cpp, on="LAchildID", how="inner")
        .filter(_starts_within("CINPlanStartDate", "CPPstartDate", "CPPendDate", ctx))
    )


@rule(
    CIN,
    4017,
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
    "ChildProtectionPlans",
    ["CPPstartDate"],
    reads=["CINplanDates"],
)
def r4017(ctx: Context) -> pl.DataFrame:
    """The CPPstartDate of any plan cannot fall within CINPlanStartDate to CINPlanEndDate, or CINPlanStartDate
    to ReferenceDate if CINPlanEndDate is missing, of any of the child's CIN plans, unless it equals the
    CINPlanEndDate."""
    plans = ctx.t("CINplanDates").select("LAchildID", "CINPlanStartDate", "CINPlanEndDate")
    return (
        ctx.t("ChildProtectionPlans")
        .join(plans, on="LAchildID", how="inner")
        .filter(_starts_within("CPPstartDate", "CINPlanStartDate", "CINPlanEndDate", ctx))
    )
