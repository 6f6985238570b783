"""Typed table layouts for the two returns.

Each table is a mapping of DfE field name → kind. Readers produce exactly these columns (plus ``_row``,
the row's
index in its table, and ``_line``, its line in the source file); every typed field also keeps its text
as read in
``<field>__raw``, so a rule about a badly formed value can see what was sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import polars as pl

Kind = Literal["str", "date", "bool", "int"]

CIN_DATE_FORMAT = "%Y-%m-%d"
SSDA903_DATE_FORMAT = "%d/%m/%Y"

ROW = "_row"
LINE = "_line"
RAW = "__raw"

CIN_CHILD = "LAchildID"
SSDA903_CHILD = "CHILD"

CIN_TABLES: dict[str, dict[str, Kind]] = {
    "Header": {
        "Collection": "str",
        "Year": "str",
        "ReferenceDate": "date",
        "SourceLevel": "str",
        "LEA": "str",
        "SoftwareCode": "str",
        "Release": "str",
        "SerialNo": "str",
        "DateTime": "str",
    },
    "ChildIdentifiers": {
        "LAchildID": "str",
        "UPN": "str",
        "FormerUPN": "str",
        "UPNunknown": "str",
        "PersonBirthDate": "date",
        "ExpectedPersonBirthDate": "date",
        "Sex": "str",
        "GenderCurrent": "str",
        "PersonDeathDate": "date",
    },
    "ChildCharacteristics": {"LAchildID": "str", "Ethnicity": "str"},
    "Disabilities": {"LAchildID": "str", "Disability": "str"},
    "CINdetails": {
        "LAchildID": "str",
        "CINdetailsID": "int",
        "CINreferralDate": "date",
        "ReferralSource": "str",
        "PrimaryNeedCode": "str",
        "CINclosureDate": "date",
        "ReasonForClosure": "str",
        "DateOfInitialCPC": "date",
        "ReferralNFA": "bool",
    },
    "Assessments": {
        "LAchildID": "str",
        "CINdetailsID": "int",
        "AssessmentID": "int",
        "AssessmentActualStartDate": "date",
        "AssessmentInternalReviewDate": "date",
        "AssessmentAuthorisationDate": "date",
    },
    "AssessmentFactors": {
        "LAchildID": "str",
        "CINdetailsID": "int",
        "AssessmentID": "int",
        "AssessmentFactors": "str",
    },
    "CINplanDates": {
        "LAchildID": "str",
        "CINdetailsID": "int",
        "CINPlanStartDate": "date",
        "CINPlanEndDate": "date",
    },
    "Section47": {
        "LAchildID": "str",
        "CINdetailsID": "int",
        "S47ActualStartDate": "date",
        "InitialCPCtarget": "date",
        "DateOfInitialCPC": "date",
        "ICPCnotRequired": "bool",
    },
    "ChildProtectionPlans": {
        "LAchildID": "str",
        "CINdetailsID": "int",
        "CPPID": "int",
        "CPPstartDate": "date",
        "CPPendDate": "date",
        "InitialCategoryOfAbuse": "str",
        "LatestCategoryOfAbuse": "str",
        "NumberOfPreviousCPP": "int",
    },
    "Reviews": {"LAchildID": "str", "CINdetailsID": "int", "CPPID": "int", "CPPreviewDate": "date"},
    # Module 5, pre-proceedings and family group decision making (FGDM), from 2026-27: the element
    # PreProceedingsandFGDM inside a CINdetails (an empty table in earlier years).
    "PreProceedings": {
        "LAchildID": "str",
        "CINdetailsID": "int",
        "PPStartDate": "date",  # N00826
        "LBPSentDate": "date",  # N00827
        "FGDMMeetingOffer": "bool",  # N00828
        "FGDMMeetingFac": "bool",  # N00829
        "InitialPPMeetingDate": "date",  # N00830
        "ReviewMeetingsCount": "int",  # N00831
        "StepDecisionDate": "date",
        "PPOutcome": "str",  # N00833
        "CourtAppDate": "date",  # N00834
        "LetterInitCPDate": "date",
    },
}

# Keys the CIN reader assigns itself (not read from the file), so they need no raw text.
CIN_GENERATED = frozenset({"CINdetailsID", "AssessmentID", "CPPID"})

SSDA903_TABLES: dict[str, dict[str, Kind]] = {
    "Header": {
        "CHILD": "str",
        "SEX": "str",
        "DOB": "date",
        "ETHNIC": "str",
        "UPN": "str",
        "MOTHER": "str",
        "MC_DOB": "date",
    },
    "Episodes": {
        "CHILD": "str",
        "DECOM": "date",
        "RNE": "str",
        "LS": "str",
        "CIN": "str",
        "PLACE": "str",
        "PLACE_PROVIDER": "str",
        "DEC": "date",
        "REC": "str",
        "REASON_PLACE_CHANGE": "str",
        "HOME_POST": "str",
        "PL_POST": "str",
        "URN": "str",
    },
    "UASC": {"CHILD": "str", "SEX": "str", "DOB": "date", "DUC": "date"},
    "Reviews": {"CHILD": "str", "DOB": "date", "REVIEW": "date", "REVIEW_CODE": "str"},
    "AD1": {
        "CHILD": "str",
        "DOB": "date",
        "DATE_INT": "date",
        "DATE_MATCH": "date",
        "FOSTER_CARE": "str",
        "NB_ADOPTR": "str",
        "SEX_ADOPTR": "str",
        "LS_ADOPTR": "str",
    },
    "PlacedAdoption": {
        "CHILD": "str",
        "DOB": "date",
        "DATE_PLACED": "date",
        "DATE_PLACED_CEASED": "date",
        "REASON_PLACED_CEASED": "str",
    },
    # DATE_PERM may be sent with the day or month unknown (zz/MM/YYYY), so it stays text.
    "PrevPerm": {"CHILD": "str", "DOB": "date", "PREV_PERM": "str", "LA_PERM": "str", "DATE_PERM": "str"},
    "Missing": {"CHILD": "str", "DOB": "date", "MISSING": "str", "MIS_START": "date", "MIS_END": "date"},
    "OC2": {
        "CHILD": "str",
        "DOB": "date",
        "SDQ_SCORE": "int",
        "SDQ_REASON": "str",
        "CONVICTED": "str",
        "HEALTH_CHECK": "str",
        "IMMUNISATIONS": "str",
        "TEETH_CHECK": "str",
        "HEALTH_ASSESSMENT": "str",
        "SUBSTANCE_MISUSE": "str",
        "INTERVENTION_RECEIVED": "str",
        "INTERVENTION_OFFERED": "str",
    },
    "OC3": {"CHILD": "str", "DOB": "date", "IN_TOUCH": "str", "ACTIV": "str", "ACCOM": "str"},
    "SWEpisodes": {"CHILD": "str", "SW_ID": "str", "SW_DECOM": "date", "SW_DEC": "date", "SW_REASON": "str"},
    # Deprivation of liberty orders, collected from 2026-27 (an empty table in earlier years).
    "DoLO": {"CHILD": "str", "DOB": "date", "DOLO_START": "date", "DOLO_END": "date"},
}

TABLES: dict[str, dict[str, dict[str, Kind]]] = {"cin": CIN_TABLES, "903": SSDA903_TABLES}
CHILD_COLUMN = {"cin": CIN_CHILD, "903": SSDA903_CHILD}
DATE_FORMAT = {"cin": CIN_DATE_FORMAT, "903": SSDA903_DATE_FORMAT}

_DTYPE: dict[Kind, type[pl.DataType]] = {
    "str": pl.String,
    "date": pl.Date,
    "bool": pl.Boolean,
    "int": pl.Int64,
}


def polars_schema(
    kinds: Mapping[str, Kind], generated: frozenset[str] = frozenset()
) -> dict[str, pl.DataType]:
    """The full schema of a typed table: ``_row``, ``_line``, the fields, and a raw text column per
    typed field."""
    schema: dict[str, pl.DataType] = {ROW: pl.Int64(), LINE: pl.Int64()}
    for name, kind in kinds.items():
        schema[name] = _DTYPE[kind]()
    for name, kind in kinds.items():
        if kind != "str" and name not in generated:
            schema[name + RAW] = pl.String()
    return schema


def empty_table(return_: str, table: str) -> pl.DataFrame:
    generated = CIN_GENERATED if return_ == "cin" else frozenset()
    return pl.DataFrame(schema=polars_schema(TABLES[return_][table], generated))
