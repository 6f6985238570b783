"""CIN census rules on module 5, pre-proceedings and family group decision making (FGDM), new in 2026-27.

The module is the element ``PreProceedingsandFGDM`` inside a CINdetails, read into the PreProceedings table
(see ``schemas.CIN_TABLES``), a row per element with its CINdetailsID; earlier years' files have none, and
these rules apply to 2026-27 only. Conventions are those of ``cin.py``: the DfE's message, the DfE condition
in the docstring, a polars expression or joins returning ``_row``.

The open-source validator (``data-to-insight/csc-validator-be-cin``) was read for the conditions; where its
reading differs from the message, the message is followed and the docstring says why. Dates judged against
the reporting year are read inclusively, 1 April to 31 March.

Registered by importing this module (``rules/cin.py`` does at its end).
"""

from __future__ import annotations

import polars as pl

from outstanding.codes import CIN as CODES
from outstanding.returns.engine import Context, no_rows, rule, sent
from outstanding.returns.schemas import ROW

CIN = "cin"
YEARS = ["2026-27"]


def _outside_year(ctx: Context, name: str) -> pl.Expr:
    return ~pl.col(name).is_between(ctx.start, ctx.end)


def _outside_year_or_before(ctx: Context, name: str, earlier: str) -> pl.Expr:
    """``name``, where present, outside the reporting year or before ``earlier`` (where that is present)."""
    return _outside_year(ctx, name) | (pl.col(name) < pl.col(earlier)).fill_null(False)


# "FGM" is the DfE's wording for the module (FGDM elsewhere); kept as published.
MESSAGE_8995Q = (
    "Please check and provide a reason why no module 5 (pre-proceedings and FGM) data has been provided for "
    "any child."
)


@rule(CIN, "8995Q", MESSAGE_8995Q, "Header", [], type="query", years=YEARS, reads=["PreProceedings"])
def r8995q(ctx: Context) -> pl.DataFrame:
    """A return-level query: if no child has a PreProceedingsandFGDM element, the Header is flagged (once).
    An element sent empty still counts as module 5 data sent for a child."""
    if ctx.t("PreProceedings").height:
        return no_rows(ctx, "Header")
    return ctx.t("Header").select(ROW)


@rule(
    CIN,
    "9000Q",
    "Please check: If you do not yet collect this data, please leave this field blank and provide a reason.",
    "PreProceedings",
    ["PPStartDate"],
    type="query",
    years=YEARS,
)
def r9000q(ctx: Context) -> pl.Expr:
    """PPStartDate (N00826) has not been provided: each pre-proceedings record without it is queried,
    asking for the reason it is blank. The open-source validator reads this file-wide instead, and its count
    (the length of a true/false column, not the number of dates) can never be below one once any record is
    sent; the message speaks of "this field", so it is read here record by record."""
    return ~sent("PPStartDate")


@rule(
    CIN,
    9005,
    "The date of the legal planning meeting or other decision making forum where the LA made the decision "
    "to commence pre-proceedings cannot fall outside the reporting year.",
    "PreProceedings",
    ["PPStartDate"],
    years=YEARS,
)
def r9005(ctx: Context) -> pl.Expr:
    """If present, PPStartDate (N00826) must fall within the reporting year, inclusive."""
    return _outside_year(ctx, "PPStartDate")


@rule(
    CIN,
    9006,
    "The date the letter before proceedings was sent must be within the reporting year and after the date "
    "pre-proceedings began.",
    "PreProceedings",
    ["LBPSentDate", "PPStartDate"],
    years=YEARS,
)
def r9006(ctx: Context) -> pl.Expr:
    """If present, LBPSentDate (N00827) must fall within the reporting year and on or after PPStartDate
    (N00826), as the DfE condition reads ("after" in the message; the same day is allowed). The reporting
    year is checked even when PPStartDate is missing: the open-source validator skips those records
    altogether, but the message's two requirements stand apart."""
    return _outside_year_or_before(ctx, "LBPSentDate", "PPStartDate")


@rule(
    CIN,
    9007,
    "You have confirmed that a letter before proceedings was sent. Please confirm whether or not a FGDM "
    "meeting was offered in the letter.",
    "PreProceedings",
    ["LBPSentDate", "FGDMMeetingOffer"],
    years=YEARS,
)
def r9007(ctx: Context) -> pl.Expr:
    """If LBPSentDate (N00827) is present, FGDMMeetingOffer (N00828) must be present. The open-source
    validator tests it the other way round (an offer recorded with no letter date), which does not match
    the message: a letter was sent, so say whether it offered a meeting."""
    return sent("LBPSentDate") & ~sent("FGDMMeetingOffer")


@rule(
    CIN,
    9008,
    "The date of the first effective pre-proceedings meeting must be within the reporting year.",
    "PreProceedings",
    ["InitialPPMeetingDate"],
    years=YEARS,
)
def r9008(ctx: Context) -> pl.Expr:
    """If present, InitialPPMeetingDate (N00830) must fall within the reporting year, inclusive."""
    return _outside_year(ctx, "InitialPPMeetingDate")


@rule(
    CIN,
    9009,
    # The DfE's message has no full stop; kept as published.
    "The date when the decision was made to step up or down must be on or after the date of the decision to "
    "begin pre-proceedings and must fall within the reporting year",
    "PreProceedings",
    ["StepDecisionDate", "PPStartDate"],
    years=YEARS,
)
def r9009(ctx: Context) -> pl.Expr:
    """If present, StepDecisionDate must fall within the reporting year and on or after PPStartDate
    (N00826). As for 9006, the year is checked even when PPStartDate is missing (the open-source validator
    skips such records)."""
    return _outside_year_or_before(ctx, "StepDecisionDate", "PPStartDate")


@rule(
    CIN,
    "9010Q",
    "Please check: You have reported that a FGDM meeting was offered in the letter before proceedings. "
    "Please confirm whether or not a FGDM meeting was facilitated in the pre-proceedings period following "
    "this offer.",
    "PreProceedings",
    ["FGDMMeetingOffer", "FGDMMeetingFac"],
    type="query",
    years=YEARS,
)
def r9010q(ctx: Context) -> pl.Expr:
    """If FGDMMeetingOffer (N00828) is true (or 1), FGDMMeetingFac (N00829) should be present."""
    return (pl.col("FGDMMeetingOffer") == True) & ~sent("FGDMMeetingFac")  # noqa: E712


@rule(
    CIN,
    9011,
    "The outcome of the pre-proceedings must be reported using a valid value",
    "PreProceedings",
    ["PPOutcome"],
    years=YEARS,
)
def r9011(ctx: Context) -> pl.Expr:
    """If PPOutcome (N00833) is present, it must be a code of CS131 (A, B or C). The open-source validator
    also flags a missing outcome; the DfE condition applies only to one that is present, so a blank one
    passes here."""
    return pl.col("PPOutcome").is_not_null() & ~pl.col("PPOutcome").is_in(
        sorted(CODES.PP_OUTCOME.valid(ctx.year.start))
    )


@rule(
    CIN,
    9012,
    "The date that the local authority submitted the court application to commence care proceedings must "
    "fall within the reporting year and be on or after the date of the decision to initiate care "
    "proceedings.",
    "PreProceedings",
    ["CourtAppDate", "StepDecisionDate"],
    years=YEARS,
)
def r9012(ctx: Context) -> pl.Expr:
    """If CourtAppDate (N00834) is present, it must fall within the reporting year and on or after
    StepDecisionDate (the decision to step up to care proceedings). The year is checked even when
    StepDecisionDate is missing (the open-source validator skips such records)."""
    return _outside_year_or_before(ctx, "CourtAppDate", "StepDecisionDate")


@rule(
    CIN,
    9013,
    "The date on which the letter to initiate care proceedings was sent to parents/guardians must fall "
    "within the reporting year and be on or after the date when the local authority submitted the court "
    "application to commence care proceedings.",
    "PreProceedings",
    ["LetterInitCPDate", "CourtAppDate"],
    years=YEARS,
)
def r9013(ctx: Context) -> pl.Expr:
    """If LetterInitCPDate is present, it must fall within the reporting year and on or after CourtAppDate
    (N00834). The year is checked even when CourtAppDate is missing (the open-source validator skips such
    records)."""
    return _outside_year_or_before(ctx, "LetterInitCPDate", "CourtAppDate")


@rule(
    CIN,
    "9015Q",
    # The DfE's message has two spaces after "held"; kept as published.
    "Please check: if review meetings were held  following the initial pre-proceedings meeting, the total "
    "number held should be reported.",
    "PreProceedings",
    ["InitialPPMeetingDate", "ReviewMeetingsCount"],
    type="query",
    years=YEARS,
)
def r9015q(ctx: Context) -> pl.Expr:
    """If InitialPPMeetingDate (N00830) is present, ReviewMeetingsCount (N00831) should be reported (0 if
    none were held)."""
    return sent("InitialPPMeetingDate") & ~sent("ReviewMeetingsCount")
