"""CIN census rules (DfE validation rules, 2024-25 to 2026-27) added after the first modules: the UPN of a
child of school age, open assessments and their factors, categories of abuse, child protection plans against
the date of death and the census year. The 2026-27 pre-proceedings rules (module 5) are in
``cin_preproceedings.py``.

Registered by importing this module (``rules/cin.py`` does at its end). Conventions are those of ``cin.py``:
the DfE's message, the DfE condition in the docstring, a polars expression or joins returning ``_row`` (a
dict of them by table for a rule flagging rows in two tables).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.codes import CIN as CODES
from outstanding.returns.engine import Context, rule
from outstanding.returns.schemas import ROW

CIN = "cin"


# --- Child identifiers ----------------------------------------------------------------------------------


@rule(
    CIN,
    "8770Q",
    "Please check and either amend data or provide a reason: UPN is missing or reason UPN is missing or is "
    "UN1 for a child who is of school age.",
    "ChildIdentifiers",
    ["UPN", "UPNunknown", "PersonBirthDate"],
    type="query",
    reads=["CINdetails"],
)
def r8770q(ctx: Context) -> pl.DataFrame:
    """If a ReferralNFA of the child is false (or 0) and the child is of school age, either UPN or a
    UPNunknown other than UN1 (not of school age) should be present. School age, as the DfE's 2024-25 form
    of the rule counts it: born on or before 31 August four years before the 31 August after ReferenceDate,
    so 4 by the start of the next school year."""
    school_year_start = dt.date(ctx.end.year, 8, 31)
    latest_birth = dt.date(school_year_start.year - 4, 8, 31)
    further_action = ctx.t("CINdetails").filter(pl.col("ReferralNFA") == False).select("LAchildID").unique()  # noqa: E712
    reasons = sorted(CODES.UPN_UNKNOWN.valid(ctx.year.start) - {"UN1"})
    return (
        ctx.t("ChildIdentifiers")
        .filter(
            (pl.col("PersonBirthDate") <= latest_birth)
            & pl.col("UPN").is_null()
            & ~pl.col("UPNunknown").is_in(reasons).fill_null(False)
        )
        .join(further_action, on="LAchildID", how="semi")
    )


# --- Assessments and their factors ---------------------------------------------------------------------


@rule(
    CIN,
    8896,
    "Within one CINDetails group there are 2 or more open Assessments groups",
    "Assessments",
    ["AssessmentAuthorisationDate"],
)
def r8896(ctx: Context) -> pl.Expr:
    """Within one CINdetails there must be no more than one Assessments group with no
    AssessmentAuthorisationDate (every open assessment of an episode with two or more is flagged)."""
    open_assessment = pl.col("AssessmentAuthorisationDate__raw").is_null()
    return open_assessment & (open_assessment.sum().over("CINdetailsID") > 1)


def _completed_in_year(ctx: Context) -> pl.DataFrame:
    return ctx.t("Assessments").filter(pl.col("AssessmentAuthorisationDate") >= ctx.start)


@rule(
    CIN,
    8897,
    "Parental or child factors at assessment information is missing from a completed assessment",
    "Assessments",
    ["AssessmentAuthorisationDate"],
    reads=["AssessmentFactors"],
    also={"AssessmentFactors": ["AssessmentFactors"]},
)
def r8897(ctx: Context) -> dict[str, pl.DataFrame]:
    """Where AssessmentAuthorisationDate is on or after the start of the census year, one or more
    AssessmentFactors must be present in the assessment and each must be a valid code. The assessment is
    flagged, and each invalid factor; an empty ``<AssessmentFactors/>`` is not "present and a valid code",
    so it is flagged too. The legacy codes 18A and 19A are still valid (rules 8945Q and 8950Q query them)."""
    completed = _completed_in_year(ctx)
    valid = sorted(CODES.ASSESSMENT_FACTORS.valid(ctx.year.start) | CODES.LEGACY_ASSESSMENT_FACTORS.all())
    factors = ctx.t("AssessmentFactors").join(completed.select("AssessmentID"), on="AssessmentID", how="semi")
    given = factors.filter(pl.col("AssessmentFactors").is_not_null())
    invalid = factors.filter(~pl.col("AssessmentFactors").is_in(valid).fill_null(False))
    failing = pl.concat(
        [
            invalid.select("AssessmentID"),
            completed.join(given.select("AssessmentID").unique(), on="AssessmentID", how="anti").select(
                "AssessmentID"
            ),
        ]
    ).unique()
    return {
        "Assessments": completed.join(failing, on="AssessmentID", how="semi").select(ROW),
        "AssessmentFactors": invalid.select(ROW),
    }


@rule(
    CIN,
    "8899Q",
    "Please check: A child identified as having a disability does not have a disability factor recorded at "
    "the end of assessment.",
    "Assessments",
    ["AssessmentAuthorisationDate"],
    type="query",
    reads=["Disabilities", "AssessmentFactors"],
    also={"Disabilities": ["Disability"]},
)
def r8899q(ctx: Context) -> dict[str, pl.DataFrame]:
    """If the child has a Disability other than NONE, every assessment with AssessmentAuthorisationDate on or
    after the start of the census year should have AssessmentFactors including 5A or 6A (or both). The
    assessment is flagged, and the child's Disability rows other than NONE (as the reference validator
    does), since either may be the one to correct.

    Read per assessment: an assessment recording 5A or 6A passes whatever its other factors."""
    disabilities = ctx.t("Disabilities").filter(
        pl.col("Disability").is_not_null() & (pl.col("Disability") != "NONE")
    )
    with_factor = (
        ctx.t("AssessmentFactors")
        .filter(pl.col("AssessmentFactors").is_in(["5A", "6A"]))
        .select("AssessmentID")
    )
    assessments = (
        _completed_in_year(ctx)
        .join(disabilities.select("LAchildID").unique(), on="LAchildID", how="semi")
        .join(with_factor.unique(), on="AssessmentID", how="anti")
    )
    return {
        "Assessments": assessments.select(ROW),
        "Disabilities": disabilities.join(
            assessments.select("LAchildID").unique(), on="LAchildID", how="semi"
        ).select(ROW),
    }


# --- Child protection plans ---------------------------------------------------------------------------


def _abuse_code(ctx: Context, name: str) -> pl.Expr:
    valid = sorted(CODES.CATEGORY_OF_ABUSE.valid(ctx.year.start))
    return pl.col(name).is_null() | ~pl.col(name).is_in(valid)


@rule(
    CIN,
    8905,
    "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
    "ChildProtectionPlans",
    ["InitialCategoryOfAbuse"],
)
def r8905(ctx: Context) -> pl.Expr:
    """Where a ChildProtectionPlans module is present, InitialCategoryOfAbuse must be present and a valid
    code."""
    return _abuse_code(ctx, "InitialCategoryOfAbuse")


@rule(
    CIN,
    8910,
    "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
    "ChildProtectionPlans",
    ["LatestCategoryOfAbuse"],
)
def r8910(ctx: Context) -> pl.Expr:
    """Where a ChildProtectionPlans module is present, LatestCategoryOfAbuse must be present and a valid
    code."""
    return _abuse_code(ctx, "LatestCategoryOfAbuse")


def _after_death(ctx: Context, name: str) -> dict[str, pl.DataFrame]:
    """Plans whose ``name`` is after the child's PersonDeathDate, and the child's record."""
    deaths = ctx.t("ChildIdentifiers").filter(pl.col("PersonDeathDate").is_not_null())
    plans = (
        ctx.t("ChildProtectionPlans")
        .join(deaths.select("LAchildID", "PersonDeathDate"), on="LAchildID", how="inner")
        .filter(pl.col(name) > pl.col("PersonDeathDate"))
    )
    return {
        "ChildProtectionPlans": plans.select(ROW),
        "ChildIdentifiers": deaths.join(
            plans.select("LAchildID").unique(), on="LAchildID", how="semi"
        ).select(ROW),
    }


@rule(
    CIN,
    8915,
    "Child Protection Plan shown as starting after the child’s Date of Death",
    "ChildProtectionPlans",
    ["CPPstartDate"],
    reads=["ChildIdentifiers"],
    also={"ChildIdentifiers": ["PersonDeathDate"]},
)
def r8915(ctx: Context) -> dict[str, pl.DataFrame]:
    """If PersonDeathDate is present, CPPstartDate must be on or before it: the plan and the child's record
    are flagged."""
    return _after_death(ctx, "CPPstartDate")


@rule(
    CIN,
    8920,
    "Child Protection Plan cannot end after the child’s Date of Death",
    "ChildProtectionPlans",
    ["CPPendDate"],
    reads=["ChildIdentifiers"],
    also={"ChildIdentifiers": ["PersonDeathDate"]},
)
def r8920(ctx: Context) -> dict[str, pl.DataFrame]:
    """If PersonDeathDate is present, CPPendDate (where present) must be on or before it: the plan and the
    child's record are flagged."""
    return _after_death(ctx, "CPPendDate")


@rule(
    CIN,
    8930,
    "Child Protection Plan End Date must fall within the census year",
    "ChildProtectionPlans",
    ["CPPendDate"],
)
def r8930(ctx: Context) -> pl.Expr:
    """If present, CPPendDate must be within the census period, inclusive."""
    return ~pl.col("CPPendDate").is_between(ctx.start, ctx.end)
