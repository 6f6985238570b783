"""Children in need census rules, continued: the child's identifiers and characteristics, deaths, referrals
with no further action, and open assessments and enquiries at the end of the year.

Registered by importing this module (``rules/cin.py`` does at its end). Conventions are those of ``cin.py``.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.codes import CIN as CODES
from outstanding.returns.calendar import calendar
from outstanding.returns.engine import Context, rule
from outstanding.returns.schemas import ROW

CIN = "cin"


def _working_days_before(day: dt.date, days: int) -> dt.date:
    """The ``days``-th working day before ``day`` on the project's calendar (bank holidays only)."""
    return calendar().subtract_working_days(day, days)


# --- Child identifiers and characteristics --------------------------------------------------------------


@rule(CIN, 4180, "Sex must be provided and equal M, F, or U", "ChildIdentifiers", ["Sex"])
def r4180(ctx: Context) -> pl.Expr:
    """Sex must be present and a valid code (M, F or U). This is the 2024-25 form of the rule, when Sex
    replaced GenderCurrent; it holds for every year from then."""
    return pl.col("Sex").is_null() | ~pl.col("Sex").is_in(sorted(CODES.SEX.valid(ctx.year.start)))


@rule(
    CIN,
    4220,
    "Ethnicity is missing or invalid (see Ethnicity table)",
    "ChildCharacteristics",
    ["Ethnicity"],
)
def r4220(ctx: Context) -> pl.Expr:
    """Ethnicity must be present and a valid code."""
    valid = sorted(CODES.ETHNICITY.valid(ctx.year.start))
    return pl.col("Ethnicity").is_null() | ~pl.col("Ethnicity").is_in(valid)


@rule(
    CIN,
    "8530Q",
    "Please check: Expected Date of Birth is outside the expected range for this census (March to December "
    "of the Census Year end)",
    "ChildIdentifiers",
    ["ExpectedPersonBirthDate"],
    type="query",
)
def r8530q(ctx: Context) -> pl.Expr:
    """If present, ExpectedPersonBirthDate should be between ReferenceDate minus 30 days and ReferenceDate
    plus 9 months (inclusive)."""
    earliest = ctx.end - dt.timedelta(days=30)
    latest = dt.date(ctx.end.year, ctx.end.month + 9, ctx.end.day)  # 31 March + 9 months = 31 December
    return ~pl.col("ExpectedPersonBirthDate").is_between(earliest, latest)


@rule(
    CIN,
    "8535Q",
    "Child’s date of death should not be prior to the date of birth",
    "ChildIdentifiers",
    ["PersonDeathDate", "PersonBirthDate"],
    type="query",
)
def r8535q(ctx: Context) -> pl.Expr:
    """PersonDeathDate should be on or after PersonBirthDate (where both are present)."""
    return pl.col("PersonDeathDate") < pl.col("PersonBirthDate")


@rule(
    CIN,
    "8545Q",
    "Please check: Child's date of death should be within the census year",
    "ChildIdentifiers",
    ["PersonDeathDate"],
    type="query",
)
def r8545q(ctx: Context) -> pl.Expr:
    """If present, PersonDeathDate should be within the census period, inclusive."""
    return ~pl.col("PersonDeathDate").is_between(ctx.start, ctx.end)


# --- Deaths against the episode -----------------------------------------------------------------------


@rule(
    CIN,
    8555,
    "Child cannot be referred after its recorded date of death",
    "CINdetails",
    ["CINreferralDate"],
    reads=["ChildIdentifiers"],
    also={"ChildIdentifiers": ["PersonDeathDate"]},
)
def r8555(ctx: Context) -> dict[str, pl.DataFrame]:
    """If PersonDeathDate is present, CINreferralDate must be on or before it: the episode and the child's
    record are flagged."""
    deaths = ctx.t("ChildIdentifiers").filter(pl.col("PersonDeathDate").is_not_null())
    late = (
        ctx.t("CINdetails")
        .join(deaths.select("LAchildID", "PersonDeathDate"), on="LAchildID", how="inner")
        .filter(pl.col("CINreferralDate") > pl.col("PersonDeathDate"))
    )
    return {
        "CINdetails": late.select(ROW),
        "ChildIdentifiers": deaths.join(late.select("LAchildID").unique(), on="LAchildID", how="semi").select(
            ROW
        ),
    }


@rule(
    CIN,
    "8585Q",
    "Please check and either amend or provide a reason: CIN episode shows Died as the Closure Reason, "
    "however child has no recorded Date of Death",
    "CINdetails",
    ["ReasonForClosure"],
    type="query",
    reads=["ChildIdentifiers"],
)
def r8585q(ctx: Context) -> pl.DataFrame:
    """If ReasonForClosure is RC2 (died), the child should have a valid PersonDeathDate."""
    died = ctx.t("ChildIdentifiers").filter(pl.col("PersonDeathDate").is_not_null()).select("LAchildID")
    return (
        ctx.t("CINdetails")
        .filter(pl.col("ReasonForClosure") == "RC2")
        .join(died, on="LAchildID", how="anti", nulls_equal=True)
    )


# --- Referrals with no further action --------------------------------------------------------------------


@rule(CIN, 8568, "RNFA flag is missing or invalid", "CINdetails", ["ReferralNFA"])
def r8568(ctx: Context) -> pl.Expr:
    """ReferralNFA must be present and one of 1, 0, true or false (anything else reads as missing)."""
    return pl.col("ReferralNFA").is_null()


@rule(
    CIN,
    8569,
    "A case with referral date before one working day prior to the collection start date must not be "
    "flagged as a no further action case",
    "CINdetails",
    ["CINreferralDate", "ReferralNFA"],
)
def r8569(ctx: Context) -> pl.Expr:
    """If CINreferralDate is before the start of the census year minus 1 working day, ReferralNFA must be
    false (or 0)."""
    cutoff = _working_days_before(ctx.start, 1)
    return (pl.col("CINreferralDate") < cutoff) & (pl.col("ReferralNFA") == True)  # noqa: E712


# --- Assessments ------------------------------------------------------------------------------------------


@rule(
    CIN,
    8617,
    "Code 8A has been returned. This code is not a valid code.",
    "AssessmentFactors",
    ["AssessmentFactors"],
)
def r8617(ctx: Context) -> pl.Expr:
    """Code 8A must not be returned as an AssessmentFactors code."""
    return pl.col("AssessmentFactors") == "8A"


@rule(
    CIN,
    "8670Q",
    "Please check: Assessment started more than 45 working days before the end of the census year. However, "
    "there is no Assessment end date.",
    "Assessments",
    ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
    type="query",
)
def r8670q(ctx: Context) -> pl.Expr:
    """If AssessmentAuthorisationDate is not present, AssessmentActualStartDate should not be before
    ReferenceDate minus 45 working days."""
    return pl.col("AssessmentAuthorisationDate__raw").is_null() & (
        pl.col("AssessmentActualStartDate") < _working_days_before(ctx.end, 45)
    )


@rule(
    CIN,
    "8675Q",
    "Please check: S47 Enquiry started more than 15 working days before the end of the census year. However, "
    "there is no date of Initial Child Protection Conference.",
    "Section47",
    ["S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"],
    type="query",
)
def r8675q(ctx: Context) -> pl.Expr:
    """If DateOfInitialCPC is not present and ICPCnotRequired is false, S47ActualStartDate should not be
    before ReferenceDate minus 15 working days."""
    return (
        pl.col("DateOfInitialCPC__raw").is_null()
        & (pl.col("ICPCnotRequired") == False)  # noqa: E712
        & (pl.col("S47ActualStartDate") < _working_days_before(ctx.end, 15))
    )
