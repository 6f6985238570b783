"""Children in need census rules (DfE validation rules, 2024-25 to 2026-27).

Each rule's message is the DfE's. The check is written over the typed tables (see ``schemas.CIN_TABLES``) as a
polars expression on the flagged table or as joins returning ``_row`` of it. A rule's docstring gives the DfE
condition in words, so the check can be read against it.
"""

from __future__ import annotations

import polars as pl

from outstanding.returns.engine import Context, rule
from outstanding.returns.schemas import ROW

CIN = "cin"


def _with_referral(ctx: Context, table: str) -> pl.DataFrame:
    """Rows of ``table`` with their episode's CINdetails fields alongside (suffix ``_cin``)."""
    return ctx.t(table).join(
        ctx.t("CINdetails").drop(ROW, "_line", "LAchildID"), on="CINdetailsID", how="left", suffix="_cin"
    )


# --- Header -------------------------------------------------------------------------------------


@rule(CIN, 100, "Reference Date is incorrect", "Header", ["ReferenceDate"])
def r100(ctx: Context) -> pl.Expr:
    """ReferenceDate must be present and equal 31 March at the end of the collection year."""
    return pl.col("ReferenceDate").is_null() | (pl.col("ReferenceDate") != ctx.end)


# --- ChildIdentifiers ---------------------------------------------------------------------------


@rule(CIN, 8500, "LA Child ID missing", "ChildIdentifiers", ["LAchildID"])
def r8500(ctx: Context) -> pl.Expr:
    return pl.col("LAchildID").is_null()


@rule(
    CIN,
    8520,
    "Date of Birth is after data collection period (must be on or before the end of the census period)",
    "ChildIdentifiers",
    ["PersonBirthDate"],
    reads=["Header"],
)
def r8520(ctx: Context) -> pl.Expr:
    """PersonBirthDate, where present, must be on or before the end of the census period."""
    return pl.col("PersonBirthDate") > ctx.end


# --- CINdetails ---------------------------------------------------------------------------------


@rule(
    CIN,
    8610,
    "Primary Need code is missing for a referral which led to further action.",
    "CINdetails",
    ["ReferralNFA", "PrimaryNeedCode"],
)
def r8610(ctx: Context) -> pl.Expr:
    """If ReferralNFA is false (0), PrimaryNeedCode must be present."""
    return (pl.col("ReferralNFA") == False) & pl.col("PrimaryNeedCode").is_null()  # noqa: E712


# --- Assessments --------------------------------------------------------------------------------


@rule(
    CIN,
    1103,
    "The assessment start date cannot be before the referral date",
    "Assessments",
    ["AssessmentActualStartDate"],
    reads=["CINdetails"],
)
def r1103(ctx: Context) -> pl.DataFrame:
    """Where present, AssessmentActualStartDate must be on or after its episode's CINreferralDate."""
    joined = _with_referral(ctx, "Assessments")
    return joined.filter(pl.col("AssessmentActualStartDate") < pl.col("CINreferralDate"))


@rule(
    CIN,
    8510,
    "More than one child record with the same LA Child ID",
    "ChildIdentifiers",
    ["LAchildID"],
)
def r8510(ctx: Context) -> pl.Expr:
    """Each LAchildID must be unique across all children within the same LA return."""
    return pl.col("LAchildID").is_not_null() & pl.col("LAchildID").is_duplicated()


@rule(
    CIN,
    8525,
    "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
    "ChildIdentifiers",
    ["PersonBirthDate", "ExpectedPersonBirthDate"],
)
def r8525(ctx: Context) -> pl.Expr:
    # Judged on what was sent: a date present but unreadable still counts as provided.
    born = pl.col("PersonBirthDate__raw").is_not_null()
    expected = pl.col("ExpectedPersonBirthDate__raw").is_not_null()
    return born == expected


@rule(
    CIN,
    8540,
    "Child’s disability is missing or invalid (see Disability table)",
    "ChildIdentifiers",
    ["LAchildID", "PersonBirthDate"],
    reads=["Disabilities", "CINdetails"],
)
def r8540(ctx: Context) -> pl.DataFrame:
    """If PersonBirthDate is present and at least one ReferralNFA is false, one or more Disability must be
    present and every one must be a valid code."""
    from outstanding.codes import CIN as CODES

    further_action = ctx.t("CINdetails").filter(pl.col("ReferralNFA") == False).select("LAchildID").unique()  # noqa: E712
    valid = sorted(CODES.DISABILITY.valid(ctx.year.start))
    per_child = (
        ctx.t("Disabilities")
        .group_by("LAchildID")
        .agg(
            pl.col("Disability").is_not_null().sum().alias("given"),
            (pl.col("Disability").is_null() | ~pl.col("Disability").is_in(valid)).sum().alias("invalid"),
        )
    )
    children = ctx.t("ChildIdentifiers").filter(pl.col("PersonBirthDate").is_not_null())
    return (
        children.join(further_action, on="LAchildID", how="semi")
        .join(per_child, on="LAchildID", how="left")
        .filter(pl.col("given").fill_null(0).eq(0) | pl.col("invalid").fill_null(0).gt(0))
    )


@rule(
    CIN,
    8590,
    "Child does not have a recorded CIN episode.",
    "ChildIdentifiers",
    ["LAchildID"],
    reads=["CINdetails"],
)
def r8590(ctx: Context) -> pl.DataFrame:
    """Each child must have at least one CINdetails group."""
    # Rows are matched by position in the file, not by LAchildID, so a child without an id is still checked.
    has = ctx.t("CINdetails").select("LAchildID").unique()
    return ctx.t("ChildIdentifiers").join(has, on="LAchildID", how="anti", nulls_equal=True)


@rule(
    CIN,
    8600,
    "Child referral date missing or after data collection period",
    "CINdetails",
    ["CINreferralDate"],
)
def r8600(ctx: Context) -> pl.Expr:
    """CINreferralDate must be present and on or before ReferenceDate."""
    return pl.col("CINreferralDate__raw").is_null() | (pl.col("CINreferralDate") > ctx.end)


@rule(
    CIN,
    8606,
    "Child referral date is more than 40 weeks before DOB or expected DOB",
    "CINdetails",
    ["CINreferralDate"],
    reads=["ChildIdentifiers"],
)
def r8606(ctx: Context) -> pl.DataFrame:
    """CINreferralDate cannot be more than 280 days before PersonBirthDate or ExpectedPersonBirthDate."""
    births = ctx.t("ChildIdentifiers").select("LAchildID", "PersonBirthDate", "ExpectedPersonBirthDate")
    days = pl.duration(days=280)
    return (
        ctx.t("CINdetails")
        .join(births, on="LAchildID", how="inner")
        .filter(
            (pl.col("CINreferralDate") < pl.col("PersonBirthDate") - days)
            | (pl.col("CINreferralDate") < pl.col("ExpectedPersonBirthDate") - days)
        )
    )


@rule(
    CIN,
    8608,
    "Assessment Start Date cannot be later than its End Date",
    "Assessments",
    ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
)
def r8608(ctx: Context) -> pl.Expr:
    """If present, AssessmentAuthorisationDate must be on or after AssessmentActualStartDate."""
    return pl.col("AssessmentAuthorisationDate") < pl.col("AssessmentActualStartDate")


@rule(
    CIN,
    8565,
    "Activity shown after a case has been closed",
    "CINdetails",
    ["CINclosureDate", "DateOfInitialCPC"],
    reads=["Assessments", "Section47", "ChildProtectionPlans", "CINplanDates"],
)
def r8565(ctx: Context) -> pl.DataFrame:
    """If CINclosureDate is present it must be on or after every one of these dates that is present:
    AssessmentActualStartDate, AssessmentAuthorisationDate, S47ActualStartDate, DateOfInitialCPC,
    CPPendDate, CINPlanStartDate, CINPlanEndDate."""
    sources = [
        (ctx.t("CINdetails"), ["DateOfInitialCPC"]),
        (ctx.t("Assessments"), ["AssessmentActualStartDate", "AssessmentAuthorisationDate"]),
        (ctx.t("Section47"), ["S47ActualStartDate", "DateOfInitialCPC"]),
        (ctx.t("ChildProtectionPlans"), ["CPPendDate"]),
        (ctx.t("CINplanDates"), ["CINPlanStartDate", "CINPlanEndDate"]),
    ]
    latest = (
        pl.concat(
            [t.select("CINdetailsID", pl.max_horizontal(cols).alias("activity")) for t, cols in sources]
        )
        .group_by("CINdetailsID")
        .agg(pl.col("activity").max())
    )
    return (
        ctx.t("CINdetails")
        .join(latest, on="CINdetailsID", how="inner")
        .filter(pl.col("CINclosureDate") < pl.col("activity"))
    )
