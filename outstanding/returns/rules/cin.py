"""Children in need census rules (DfE validation rules, 2024-25 to 2026-27).

Each rule's message is the DfE's. The check is written over the typed tables (see ``schemas.CIN_TABLES``) as a
polars expression on the flagged table or as joins returning ``_row`` of it. A rule's docstring gives the DfE
condition in words, so the check can be read against it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.codes import CIN as CODES
from outstanding.codes.upn import UPN_LETTERS
from outstanding.returns.engine import Context, not_in, rule
from outstanding.returns.schemas import ROW

CIN = "cin"


def _with_referral(ctx: Context, table: str) -> pl.DataFrame:
    """Rows of ``table`` with their episode's CINdetails fields alongside (suffix ``_cin``)."""
    return ctx.t(table).join(
        ctx.t("CINdetails").drop(ROW, "_line", "LAchildID"), on="CINdetailsID", how="left", suffix="_cin"
    )


def _episode_ids(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select("CINdetailsID").unique()


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
    also={"Disabilities": ["Disability"]},
)
def r8540(ctx: Context) -> dict[str, pl.DataFrame]:
    """If PersonBirthDate is present and at least one ReferralNFA is false, one or more Disability must be
    present and every one must be a valid code. The child is flagged, and each invalid Disability too."""

    further_action = ctx.t("CINdetails").filter(pl.col("ReferralNFA") == False).select("LAchildID").unique()  # noqa: E712
    valid = sorted(CODES.DISABILITY.valid(ctx.year.start))
    children = (
        ctx.t("ChildIdentifiers")
        .filter(pl.col("PersonBirthDate").is_not_null())
        .join(further_action, on="LAchildID", how="semi")
    )
    disabilities = ctx.t("Disabilities").join(children.select("LAchildID"), on="LAchildID", how="semi")
    invalid = disabilities.filter(pl.col("Disability").is_null() | ~pl.col("Disability").is_in(valid))
    given = disabilities.filter(pl.col("Disability").is_not_null()).select("LAchildID").unique()
    failing = pl.concat(
        [invalid.select("LAchildID"), children.join(given, on="LAchildID", how="anti").select("LAchildID")]
    )
    return {
        "ChildIdentifiers": children.join(failing.unique(), on="LAchildID", how="semi").select(ROW),
        "Disabilities": invalid.select(ROW),
    }


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
    also={
        "Assessments": ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
        "Section47": ["S47ActualStartDate", "DateOfInitialCPC"],
        "ChildProtectionPlans": ["CPPendDate"],
        "CINplanDates": ["CINPlanStartDate", "CINPlanEndDate"],
    },
)
def r8565(ctx: Context) -> dict[str, pl.DataFrame]:
    """If CINclosureDate is present it must be on or after every one of these dates that is present:
    AssessmentActualStartDate, AssessmentAuthorisationDate, S47ActualStartDate, DateOfInitialCPC,
    CPPendDate, CINPlanStartDate, CINPlanEndDate. The episode is flagged, and each row holding a later
    date."""
    closures = (
        ctx.t("CINdetails")
        .filter(pl.col("CINclosureDate").is_not_null())
        .select("CINdetailsID", pl.col("CINclosureDate").alias("_closed"))
    )
    sources = {
        "CINdetails": ["DateOfInitialCPC"],
        "Assessments": ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
        "Section47": ["S47ActualStartDate", "DateOfInitialCPC"],
        "ChildProtectionPlans": ["CPPendDate"],
        "CINplanDates": ["CINPlanStartDate", "CINPlanEndDate"],
    }
    out: dict[str, pl.DataFrame] = {}
    for table, cols in sources.items():
        out[table] = (
            ctx.t(table)
            .select(ROW, "CINdetailsID", pl.max_horizontal(cols).alias("_activity"))
            .join(closures, on="CINdetailsID", how="inner")
            .filter(pl.col("_activity") > pl.col("_closed"))
        )
    episodes = pl.concat([frame.select("CINdetailsID") for frame in out.values()]).unique()
    out["CINdetails"] = ctx.t("CINdetails").join(episodes, on="CINdetailsID", how="semi").select(ROW)
    return {table: frame.select(ROW) for table, frame in out.items()}


@rule(
    CIN,
    8614,
    "Parental or child factors at assessment should only be present for a completed assessment.",
    "Assessments",
    ["AssessmentAuthorisationDate"],
    reads=["AssessmentFactors"],
)
def r8614(ctx: Context) -> pl.DataFrame:
    """If AssessmentAuthorisationDate is missing, AssessmentFactors in that module must be missing too."""
    with_factors = ctx.t("AssessmentFactors").filter(pl.col("AssessmentFactors").is_not_null())
    return (
        ctx.t("Assessments")
        .filter(pl.col("AssessmentAuthorisationDate__raw").is_null())
        .join(with_factors.select("AssessmentID").unique(), on="AssessmentID", how="semi")
    )


@rule(
    CIN,
    8620,
    "CIN Closure Date present and does not fall within the Census year",
    "CINdetails",
    ["CINclosureDate"],
)
def r8620(ctx: Context) -> pl.Expr:
    """If CINclosureDate is present it must be within the census period (1 April to 31 March, inclusive)."""
    return ~pl.col("CINclosureDate").is_between(ctx.start, ctx.end, closed="both")


@rule(
    CIN,
    8640,
    "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)",
    "CINdetails",
    ["ReasonForClosure"],
)
def r8640(ctx: Context) -> pl.Expr:
    """ReasonForClosure, where present, must be a valid code."""

    return not_in("ReasonForClosure", CODES.REASON_FOR_CLOSURE.valid(ctx.year.start))


@rule(
    CIN,
    8650,
    "Primary Need Code invalid (see Primary Need table in CIN census code set)",
    "CINdetails",
    ["PrimaryNeedCode"],
)
def r8650(ctx: Context) -> pl.Expr:
    """If present, PrimaryNeedCode must be a valid primary need code."""
    return not_in("PrimaryNeedCode", CODES.PRIMARY_NEED.valid(ctx.year.start))


@rule(
    CIN,
    8715,
    "Date of Initial Child Protection Conference must fall within the census year",
    "Section47",
    ["DateOfInitialCPC"],
)
def r8715(ctx: Context) -> pl.Expr:
    """If present, the Section47 DateOfInitialCPC must be within the census period."""
    return ~pl.col("DateOfInitialCPC").is_between(ctx.start, ctx.end, closed="both")


@rule(
    CIN,
    8720,
    "Child Protection Plan Start Date missing or out of data collection period",
    "ChildProtectionPlans",
    ["CPPstartDate"],
)
def r8720(ctx: Context) -> pl.Expr:
    """Where a CPP module is present, CPPstartDate must be present and on or before ReferenceDate."""
    return pl.col("CPPstartDate__raw").is_null() | (pl.col("CPPstartDate") > ctx.end)


@rule(
    CIN,
    8740,
    "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end of the "
    "census year, the start date must fall within the census year",
    "Section47",
    ["S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"],
)
def r8740(ctx: Context) -> pl.Expr:
    """If a Section47 group has no DateOfInitialCPC and ICPCnotRequired is false, S47ActualStartDate must be
    on or between the start of the census year and ReferenceDate."""
    return (
        pl.col("DateOfInitialCPC__raw").is_null()
        & (pl.col("ICPCnotRequired") == False)  # noqa: E712
        & ~pl.col("S47ActualStartDate").is_between(ctx.start, ctx.end, closed="both")
    )


# --- Episode dates against the referral --------------------------------------------------------


@rule(
    CIN,
    1104,
    "The date of the initial child protection conference cannot be before the referral date",
    "Section47",
    ["DateOfInitialCPC"],
    reads=["CINdetails"],
)
def r1104(ctx: Context) -> pl.DataFrame:
    """Where present, the Section47 DateOfInitialCPC must be on or after its episode's CINreferralDate."""
    joined = _with_referral(ctx, "Section47")
    return joined.filter(pl.col("DateOfInitialCPC") < pl.col("CINreferralDate"))


@rule(
    CIN,
    1105,
    "The child protection plan start date cannot be before the referral date",
    "ChildProtectionPlans",
    ["CPPstartDate"],
    reads=["CINdetails"],
)
def r1105(ctx: Context) -> pl.DataFrame:
    """Where present, CPPstartDate must be on or after its episode's CINreferralDate."""
    joined = _with_referral(ctx, "ChildProtectionPlans")
    return joined.filter(pl.col("CPPstartDate") < pl.col("CINreferralDate"))


@rule(
    CIN,
    8630,
    "CIN Closure Date is before CIN Referral Date for the same CIN episode",
    "CINdetails",
    ["CINreferralDate", "CINclosureDate"],
)
def r8630(ctx: Context) -> pl.Expr:
    """If present, CINclosureDate must be on or after CINreferralDate in the same CINdetails."""
    return pl.col("CINclosureDate") < pl.col("CINreferralDate")


@rule(
    CIN,
    8615,
    "Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child "
    "Protection Conference",
    "Section47",
    ["S47ActualStartDate", "DateOfInitialCPC"],
)
def r8615(ctx: Context) -> pl.Expr:
    """Within a Section47 group, if DateOfInitialCPC is present, S47ActualStartDate must be present and on or
    before it."""
    icpc = pl.col("DateOfInitialCPC__raw").is_not_null()
    return icpc & (
        pl.col("S47ActualStartDate__raw").is_null()
        | (pl.col("S47ActualStartDate") > pl.col("DateOfInitialCPC"))
    )


# --- UPN and former UPN (DfE UPN format: check letter, LA code, establishment, serial, 13th character) ---

_UPN_LETTERS = UPN_LETTERS  # check letters and 13th-character letters: A-Z without I, O, S


def _upn_shaped(name: str) -> pl.Expr:
    """13 characters with 2-12 numeric: the shape the check letter and LA code rules apply to."""
    return pl.col(name).str.contains(r"^.\d{11}.$")


def _upn_check_letter(name: str) -> pl.Expr:
    """The DfE check letter over characters 2-13 (weights 2..13, mod 23); a letter in character 13 counts
    as its position in the check-letter alphabet."""
    total = pl.lit(0)
    for position in range(1, 13):
        ch = pl.col(name).str.slice(position, 1)
        if position < 12:
            value = ch.cast(pl.Int64, strict=False)
        else:
            value = (
                pl.when(ch.str.contains(r"^\d$"))
                .then(ch.cast(pl.Int64, strict=False))
                .otherwise(ch.replace_strict({c: i for i, c in enumerate(_UPN_LETTERS)}, default=None))
            )
        total = total + value * (position + 1)
    return (total % 23).replace_strict(dict(enumerate(_UPN_LETTERS)), default=None, return_dtype=pl.String)


@rule(CIN, 1510, "UPN invalid (wrong check letter at character 1)", "ChildIdentifiers", ["UPN"])
def r1510(ctx: Context) -> pl.Expr:
    """If UPN is present, its first character must be the check letter calculated from characters 2-13."""
    expected = _upn_check_letter("UPN")
    return _upn_shaped("UPN") & expected.is_not_null() & (pl.col("UPN").str.slice(0, 1) != expected)


@rule(CIN, 1520, "More than one record with the same UPN", "ChildIdentifiers", ["UPN"])
def r1520(ctx: Context) -> pl.Expr:
    """Each UPN must be unique across all pupils in the return. (The DfE reports this once for the council;
    here every record sharing the UPN is shown, so they can be found.)"""
    return pl.col("UPN").is_not_null() & pl.col("UPN").is_duplicated()


# Post-April 1998 LA codes and recognised 'pseudo LA' codes for UPN characters 2-4 (DfE rule 1530; 942 and
# 943 added from 2023-24).
_UPN_LA_RANGES = (
    (1, 5), (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373), (380, 384), (390, 394),
    (420, 420), (660, 681), (701, 708), (800, 803), (805, 808), (810, 813), (815, 816), (820, 823),
    (825, 826), (830, 831), (835, 841), (845, 846), (850, 852), (855, 857), (860, 861), (865, 896),
    (908, 909), (916, 916), (919, 919), (921, 921), (925, 926), (928, 929), (931, 931), (933, 933),
    (935, 938), (940, 943),
)  # fmt: skip
UPN_LA_CODES = frozenset(f"{n:03d}" for low, high in _UPN_LA_RANGES for n in range(low, high + 1))


@rule(CIN, 1530, "UPN invalid (characters 2-4 not a recognised LA code)", "ChildIdentifiers", ["UPN"])
def r1530(ctx: Context) -> pl.Expr:
    """If UPN is present, characters 2-4 must be a valid post-April 1998 LA code or a recognised pseudo-LA
    code."""
    return pl.col("UPN").is_not_null() & ~pl.col("UPN").str.slice(1, 3).is_in(sorted(UPN_LA_CODES))


@rule(CIN, 1540, "UPN invalid (characters 5-12 not all numeric)", "ChildIdentifiers", ["UPN"])
def r1540(ctx: Context) -> pl.Expr:
    """If UPN is present, characters 5-12 must be numeric."""
    return pl.col("UPN").is_not_null() & ~pl.col("UPN").str.slice(4, 8).str.contains(r"^\d{8}$")


@rule(CIN, 1550, "UPN invalid (character 13 not a recognised value)", "ChildIdentifiers", ["UPN"])
def r1550(ctx: Context) -> pl.Expr:
    """If UPN is present, character 13 must be numeric or A-Z omitting I, O and S."""
    return pl.col("UPN").is_not_null() & ~pl.col("UPN").str.slice(12, 1).str.contains(
        rf"^[0-9{_UPN_LETTERS}]$"
    )


@rule(
    CIN,
    "1560Q",
    "Please check: Former UPN wrongly formatted",
    "ChildIdentifiers",
    ["FormerUPN"],
    type="query",
)
def r1560q(ctx: Context) -> pl.Expr:
    """FormerUPN, where present, should be in the UPN format of the data table: 13 characters, a letter,
    eleven digits, then a digit or a letter other than I, O and S."""
    return pl.col("FormerUPN").is_not_null() & ~pl.col("FormerUPN").str.contains(
        rf"^[A-Z]\d{{11}}[0-9{_UPN_LETTERS}]$"
    )


# --- Initial child protection conferences and plans ------------------------------------------------


@rule(
    CIN,
    2883,
    "There are more child protection plans starting than initial conferences taking place",
    "Header",
    ["ReferenceDate"],
    reads=["ChildProtectionPlans", "CINdetails", "Section47"],
)
def r2883(ctx: Context) -> pl.DataFrame:
    """For the council, the count of CPPstartDate within the census period must not exceed the count of
    DateOfInitialCPC within it on CINdetails plus on Section47. A council-level rule: the Header is
    flagged."""

    def in_year(table: str, name: str) -> int:
        return ctx.t(table).filter(pl.col(name).is_between(ctx.start, ctx.end)).height

    plans = in_year("ChildProtectionPlans", "CPPstartDate")
    conferences = in_year("CINdetails", "DateOfInitialCPC") + in_year("Section47", "DateOfInitialCPC")
    return ctx.t("Header").filter(pl.lit(plans > conferences))


@rule(
    CIN,
    2884,
    "An initial child protection conference is recorded at both the S47 and CIN Details level and it should "
    "only be recorded in one",
    "Section47",
    ["DateOfInitialCPC"],
    reads=["CINdetails"],
    also={"CINdetails": ["DateOfInitialCPC"]},
)
def r2884(ctx: Context) -> dict[str, pl.DataFrame]:
    """The same DateOfInitialCPC must not be recorded both on a Section47 and on a CINdetails of the same
    child; both rows are flagged. Matched over the child's episodes, not only within one, so a conference
    recorded on one episode's enquiry and again on a later episode's details is found too."""
    details = ctx.t("CINdetails").filter(pl.col("DateOfInitialCPC").is_not_null())
    s47 = ctx.t("Section47").filter(pl.col("DateOfInitialCPC").is_not_null())
    keys = ["LAchildID", "DateOfInitialCPC"]
    return {
        "Section47": s47.join(details.select(keys).unique(), on=keys, how="semi").select(ROW),
        "CINdetails": details.join(s47.select(keys).unique(), on=keys, how="semi").select(ROW),
    }


@rule(
    CIN,
    2885,
    "Child protection plan shown as starting a different day to the initial child protection conference.",
    "ChildProtectionPlans",
    ["CPPstartDate"],
    reads=["Section47", "CINdetails"],
)
def r2885(ctx: Context) -> pl.DataFrame:
    """If CPPstartDate is present and within the census period it should equal either a Section47
    DateOfInitialCPC in the same episode, or, if the episode has no Section47 record, the CINdetails
    DateOfInitialCPC."""
    plans = ctx.t("ChildProtectionPlans").filter(pl.col("CPPstartDate").is_between(ctx.start, ctx.end))
    s47 = ctx.t("Section47")
    matches_s47 = plans.join(
        s47.select("CINdetailsID", pl.col("DateOfInitialCPC").alias("CPPstartDate")),
        on=["CINdetailsID", "CPPstartDate"],
        how="semi",
    )
    no_s47 = plans.join(s47.select("CINdetailsID").unique(), on="CINdetailsID", how="anti")
    matches_cin = no_s47.join(
        ctx.t("CINdetails").select("CINdetailsID", pl.col("DateOfInitialCPC").alias("CPPstartDate")),
        on=["CINdetailsID", "CPPstartDate"],
        how="semi",
    )
    return plans.join(pl.concat([matches_s47, matches_cin]).select(ROW), on=ROW, how="anti")


# --- Plans, assessments, closure and disabilities --------------------------------------------------


@rule(
    CIN,
    4000,
    "CIN Plan details provided for a referral with no further action",
    "CINplanDates",
    ["CINPlanStartDate"],
    reads=["CINdetails"],
)
def r4000(ctx: Context) -> pl.DataFrame:
    """If ReferralNFA is true (or 1), the episode must have no CINPlanDates module."""
    nfa = ctx.t("CINdetails").filter(pl.col("ReferralNFA") == True).select("CINdetailsID")  # noqa: E712
    return ctx.t("CINplanDates").join(nfa, on="CINdetailsID", how="semi")


@rule(
    CIN,
    4001,
    "A CIN Plan cannot run concurrently with a Child Protection Plan",
    "CINplanDates",
    ["CINPlanEndDate"],
    reads=["ChildProtectionPlans"],
    also={"ChildProtectionPlans": ["CPPendDate"]},
)
def r4001(ctx: Context) -> dict[str, pl.DataFrame]:
    """If an episode has a ChildProtectionPlans module with no CPPendDate, it must not have a CINPlanDates
    module with no CINPlanEndDate: both open plans are flagged."""
    open_cpp = ctx.t("ChildProtectionPlans").filter(pl.col("CPPendDate__raw").is_null())
    open_cin = ctx.t("CINplanDates").filter(pl.col("CINPlanEndDate__raw").is_null())
    return {
        "CINplanDates": open_cin.join(_episode_ids(open_cpp), on="CINdetailsID", how="semi").select(ROW),
        "ChildProtectionPlans": open_cpp.join(_episode_ids(open_cin), on="CINdetailsID", how="semi").select(
            ROW
        ),
    }


@rule(
    CIN,
    8730,
    "Total Number of previous Child Protection Plans missing",
    "ChildProtectionPlans",
    ["NumberOfPreviousCPP"],
)
def r8730(ctx: Context) -> pl.Expr:
    """Where a CPP module is present, NumberOfPreviousCPP must be present and zero or more."""
    return pl.col("NumberOfPreviousCPP__raw").is_null() | (pl.col("NumberOfPreviousCPP") < 0)


@rule(
    CIN,
    8736,
    "For an Assessment that has not been completed, the start date must fall within the census year",
    "Assessments",
    ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
)
def r8736(ctx: Context) -> pl.Expr:
    """If an Assessments group has no AssessmentAuthorisationDate, AssessmentActualStartDate (where present)
    must be on or between the start of the census year and ReferenceDate."""
    return pl.col("AssessmentAuthorisationDate__raw").is_null() & ~pl.col(
        "AssessmentActualStartDate"
    ).is_between(ctx.start, ctx.end)


@rule(
    CIN,
    8790,
    "Disability information includes both None and other values",
    "Disabilities",
    ["Disability"],
)
def r8790(ctx: Context) -> pl.Expr:
    """If a Disability of NONE is present, the child must have no other Disability values (the others are
    flagged)."""
    has_none = (pl.col("Disability") == "NONE").any().over("LAchildID")
    return has_none & pl.col("Disability").is_not_null() & (pl.col("Disability") != "NONE")


@rule(
    CIN,
    8794,
    "Child has two or more disabilities with the same code",
    "Disabilities",
    ["Disability"],
)
def r8794(ctx: Context) -> pl.Expr:
    """If a child has more than one Disability, no value may appear more than once."""
    return pl.col("Disability").is_not_null() & (pl.len().over("LAchildID", "Disability") > 1)


@rule(
    CIN,
    8805,
    "A CIN case cannot have a CIN closure date without a Reason for Closure",
    "CINdetails",
    ["CINclosureDate", "ReasonForClosure"],
)
def r8805(ctx: Context) -> pl.Expr:
    """If CINclosureDate is present, ReasonForClosure must be present too."""
    return pl.col("CINclosureDate__raw").is_not_null() & pl.col("ReasonForClosure").is_null()


@rule(
    CIN,
    8810,
    "A CIN case cannot have a Reason for Closure without a CIN Closure Date",
    "CINdetails",
    ["ReasonForClosure", "CINclosureDate"],
)
def r8810(ctx: Context) -> pl.Expr:
    """If ReasonForClosure is present, CINclosureDate must be present too."""
    return pl.col("ReasonForClosure").is_not_null() & pl.col("CINclosureDate__raw").is_null()


# --- Episodes and referrals with no further action --------------------------------------------------


@rule(
    CIN,
    8815,
    "More than one open CIN Details episode (a module with no CIN Closure Date) has been provided for this "
    "child and case is not a referral with no further action.",
    "CINdetails",
    ["CINclosureDate", "ReferralNFA"],
)
def r8815(ctx: Context) -> pl.Expr:
    """If a child has more than one CINdetails, only one may have no CINclosureDate with ReferralNFA false
    (or 0). Open episodes that are NFA referrals do not count."""
    open_further_action = pl.col("CINclosureDate__raw").is_null() & (pl.col("ReferralNFA") == False)  # noqa: E712
    return open_further_action & (open_further_action.sum().over("LAchildID") > 1)


def _in_nfa_episode(ctx: Context, table: str) -> pl.DataFrame:
    nfa = ctx.t("CINdetails").filter(pl.col("ReferralNFA") == True).select("CINdetailsID")  # noqa: E712
    return ctx.t(table).join(nfa, on="CINdetailsID", how="semi")


@rule(
    CIN,
    8831,
    "Activity is recorded against a case marked as a referral with no further action",
    "CINdetails",
    ["ReferralNFA", "DateOfInitialCPC"],
    reads=["Assessments", "Section47"],
    also={
        "Assessments": ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
        "Section47": ["S47ActualStartDate", "DateOfInitialCPC"],
    },
)
def r8831(ctx: Context) -> dict[str, pl.DataFrame]:
    """If ReferralNFA is true (or 1), the episode cannot have any AssessmentActualStartDate,
    AssessmentAuthorisationDate, S47ActualStartDate or DateOfInitialCPC. The episode is flagged, and each
    assessment or enquiry holding one of those dates."""
    assessed = _in_nfa_episode(ctx, "Assessments").filter(
        pl.col("AssessmentActualStartDate__raw").is_not_null()
        | pl.col("AssessmentAuthorisationDate__raw").is_not_null()
    )
    enquired = _in_nfa_episode(ctx, "Section47").filter(
        pl.col("S47ActualStartDate__raw").is_not_null() | pl.col("DateOfInitialCPC__raw").is_not_null()
    )
    episodes = pl.concat([_episode_ids(assessed), _episode_ids(enquired)]).unique()
    details = ctx.t("CINdetails").filter(pl.col("ReferralNFA") == True)  # noqa: E712
    return {
        "CINdetails": pl.concat(
            [
                details.join(episodes, on="CINdetailsID", how="semi").select(ROW),
                details.filter(pl.col("DateOfInitialCPC__raw").is_not_null()).select(ROW),
            ]
        ),
        "Assessments": assessed.select(ROW),
        "Section47": enquired.select(ROW),
    }


@rule(
    CIN,
    8832,
    "Child Protection details provided for a referral with no further action.",
    "ChildProtectionPlans",
    ["CPPstartDate"],
    reads=["CINdetails"],
)
def r8832(ctx: Context) -> pl.DataFrame:
    """If ReferralNFA is true (or 1), the episode must have no ChildProtectionPlans module."""
    return _in_nfa_episode(ctx, "ChildProtectionPlans")


@rule(
    CIN,
    8866,
    "Source of Referral is missing or an invalid code",
    "CINdetails",
    ["CINreferralDate", "ReferralSource"],
)
def r8866(ctx: Context) -> pl.Expr:
    """If CINreferralDate is on or after 1 April 2013, ReferralSource must be present and a valid code."""
    valid = sorted(CODES.REFERRAL_SOURCE.valid(ctx.year.start))
    return (pl.col("CINreferralDate") >= dt.date(2013, 4, 1)) & (
        pl.col("ReferralSource").is_null() | ~pl.col("ReferralSource").is_in(valid)
    )


# --- Closed episodes and plan dates ----------------------------------------------------------------


@rule(
    CIN,
    8867,
    "CIN episode is shown as closed, however Assessment is not shown as completed",
    "CINdetails",
    ["CINclosureDate"],
    reads=["Assessments"],
)
def r8867(ctx: Context) -> pl.DataFrame:
    """If CINclosureDate is present, every Assessments group of the episode must have an
    AssessmentAuthorisationDate."""
    incomplete = (
        ctx.t("Assessments")
        .filter(pl.col("AssessmentAuthorisationDate__raw").is_null())
        .select("CINdetailsID")
    )
    return (
        ctx.t("CINdetails")
        .filter(pl.col("CINclosureDate__raw").is_not_null())
        .join(incomplete, on="CINdetailsID", how="semi")
    )


@rule(
    CIN,
    8868,
    "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or "
    "ICPC not required flag",
    "CINdetails",
    ["CINclosureDate"],
    reads=["Section47"],
)
def r8868(ctx: Context) -> pl.DataFrame:
    """If CINclosureDate is present, every Section47 group of the episode must have a DateOfInitialCPC or
    ICPCnotRequired true (or 1)."""
    open_s47 = (
        ctx.t("Section47")
        .filter(pl.col("DateOfInitialCPC__raw").is_null() & ~pl.col("ICPCnotRequired").fill_null(False))
        .select("CINdetailsID")
    )
    return (
        ctx.t("CINdetails")
        .filter(pl.col("CINclosureDate__raw").is_not_null())
        .join(open_s47, on="CINdetailsID", how="semi")
    )


@rule(
    CIN,
    8869,
    "The assessment factors code “21” cannot be used in conjunction with any other assessment factors.",
    "AssessmentFactors",
    ["AssessmentFactors"],
)
def r8869(ctx: Context) -> pl.Expr:
    """If an assessment's AssessmentFactors include 21 (no factors identified), it must be the only one: the
    other factors of that assessment are flagged."""
    has_21 = (pl.col("AssessmentFactors") == "21").any().over("AssessmentID")
    return has_21 & pl.col("AssessmentFactors").is_not_null() & (pl.col("AssessmentFactors") != "21")


@rule(
    CIN,
    8840,
    "Child Protection Plan cannot start and end on the same day",
    "ChildProtectionPlans",
    ["CPPstartDate", "CPPendDate"],
)
def r8840(ctx: Context) -> pl.Expr:
    """CPPendDate, where present, must not equal CPPstartDate."""
    return pl.col("CPPstartDate") == pl.col("CPPendDate")


# The rest of the CIN rules live in sibling modules; importing them here registers them with these.
from outstanding.returns.rules import (  # noqa: E402, F401
    cin_children,
    cin_episodes,
    cin_more,
    cin_plans,
    cin_preproceedings,
    cin_protection,
)
