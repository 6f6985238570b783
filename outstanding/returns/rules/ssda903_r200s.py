"""SSDA903 rules 105 to 243 not covered elsewhere: SDQ score and reason together, UASC status from one year
to the next, the UPN against last year's, Ofsted URNs where the placement is in England, and the rules that
need the DfE's postcode or Ofsted provider lookups (registered as not checkable, with the reason).

Messages are the DfE's. Whether a placement is in England is not a field of the CSV tables: the DfE derives
the placement's local authority (PL_LA) from PL_POST with the ONS postcode directory. Rules that turn on it
are judged here from the postcode area (the letters before the first digit of PL_POST): areas wholly in
Scotland, Wales, Northern Ireland or the Crown dependencies are outside England, areas that straddle the
border are not judged either way, and a blank PL_POST (a confidential placement among others) is not judged.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.codes import SSDA903 as CODES
from outstanding.returns.engine import Context, not_checkable, rule
from outstanding.returns.rules.ssda903_common import S903, in_codes, sent

_FROM_2025 = ["2025-26", "2026-27"]
_XXX = "XXXXXXX"  # the URN placeholder for regional adoption agencies

# Postcode areas wholly outside England: Northern Ireland; Scotland; Wales; Guernsey, Jersey, Isle of Man.
_OUTSIDE_ENGLAND = frozenset(
    [
        *["BT"],
        *["AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE"],
        *["CF", "SA"],
        *["GY", "JE", "IM"],
    ]
)
# Areas with addresses on both sides of England's borders with Scotland or Wales.
_BORDER = frozenset(["TD", "CA", "CH", "LL", "SY", "LD", "HR", "NP"])


def _post_area(name: str = "PL_POST") -> pl.Expr:
    """The postcode area: the one or two letters before the first digit (null if blank or not a postcode)."""
    return pl.col(name).str.strip_chars().str.to_uppercase().str.extract(r"^([A-Z]{1,2})[0-9]", 1)


def _outside_england() -> pl.Expr:
    """The placement postcode is in an area wholly outside England."""
    return _post_area().is_in(sorted(_OUTSIDE_ENGLAND)).fill_null(False)


def _in_england() -> pl.Expr:
    """The placement postcode is in an area wholly in England (a border area or a blank is neither)."""
    area = _post_area()
    return (area.is_not_null() & ~area.is_in(sorted(_OUTSIDE_ENGLAND | _BORDER))).fill_null(False)


# --- OC2 ----------------------------------------------------------------------------------------


@rule(
    S903,
    "197a",
    "Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths and Difficulties "
    "Questionnaire score is filled in.",
    "OC2",
    ["SDQ_SCORE", "SDQ_REASON"],
)
def r197a(ctx: Context) -> pl.Expr:
    """A row with an SDQ score (as sent, readable or not) has no reason for there being none.

    Rule 186's message asks only for a score; read as wanting a score and a reason both, it would flag
    every row this rule passes, so the two cannot both hold. The DfE's messages decide it: a reason is for
    a missing score, and a row with a score and a reason is flagged here.
    """
    return sent("SDQ_SCORE") & pl.col("SDQ_REASON").is_not_null()


# --- UASC ---------------------------------------------------------------------------------------
# In the CSV tables a child's UASC status for a year is their having a row in that year's UASC table, the
# only place the date UASC ceased (DUC) is sent. Rule 104 keeps this year's DUC on or after 1 April.


@rule(
    S903,
    "205A",
    "Child identified as UASC last year is no longer UASC this year, but date UASC ceased in both years does "
    "not support this.",
    "Header",
    ["CHILD"],
    reads=["UASC"],
)
def r205a(ctx: Context) -> pl.DataFrame:
    """A child in this year's header with a UASC row last year but none this year ceased to be UASC during
    last year: last year's DUC must fall between last year's 1 April and 31 March (a blank one does not).
    Judged only where last year's UASC table was sent."""
    last_start = dt.date(ctx.year.start - 1, 4, 1)
    last_end = dt.date(ctx.year.start, 3, 31)
    ceased_last_year = (
        ctx.prev("UASC")
        .filter(pl.col("CHILD").is_not_null())
        .group_by("CHILD")
        .agg(pl.col("DUC").is_between(last_start, last_end).fill_null(False).any().alias("_ok"))
    )
    now = ctx.t("UASC").select("CHILD").unique()
    return (
        ctx.t("Header")
        .filter(pl.col("CHILD").is_not_null())
        .join(now, on="CHILD", how="anti")
        .join(ceased_last_year, on="CHILD", how="inner")
        .filter(~pl.col("_ok"))
    )


@rule(
    S903,
    "205B",
    "Child previously identified as UASC is also UASC this year, but date UASC ceased in both years does not "
    "support this.",
    "UASC",
    ["CHILD", "DUC"],
)
def r205b(ctx: Context) -> pl.DataFrame:
    """A child with a UASC row in both years was still UASC on this year's 1 April, so last year's DUC, if
    given, is not before it; and where both years give a DUC, this year's is last year's unless the status
    ceased (earlier) during this year.

    The open-source validator also wants last year's DUC on the 18th birthday; the message does not say so
    and rule 304 already bounds the DUC by the 18th birthday, so that is not added here.
    """
    last = (
        ctx.prev("UASC")
        .filter(pl.col("CHILD").is_not_null())
        .select("CHILD", pl.col("DUC").alias("_duc_last"))
        .unique("CHILD", keep="first")
    )
    ceased_last_year = pl.col("_duc_last") < ctx.start
    changed = (
        pl.col("DUC").is_not_null()
        & pl.col("_duc_last").is_not_null()
        & (pl.col("DUC") != pl.col("_duc_last"))
        & ~pl.col("DUC").is_between(ctx.start, ctx.end)
    )
    return (
        ctx.t("UASC")
        .join(last, on="CHILD", how="inner")
        .filter((ceased_last_year | changed).fill_null(False))
    )


not_checkable(
    S903,
    "205C",
    "Child not identified as UASC either this year or last year but date UASC ceased has been provided.",
    reason="In the CSV tables a child is identified as UASC by having a row in the UASC table, the only "
    "place a date UASC ceased is sent, so a DUC cannot be sent for a child not identified as UASC: the rule "
    "reads the XML return's UASC flag, which the CSV files do not carry.",
)


not_checkable(
    S903,
    105,
    "Data entry for Unaccompanied Asylum-Seeking Children (UASC) status of child is invalid or has not been "
    "completed.",
    reason="The UASC status flag (0/1) is a field of the XML return's header only; the CSV header has no "
    "UASC field (status is sent as rows of the UASC table), so there is no value to check.",
)


# --- Header: UPN against last year's ------------------------------------------------------------

_UN = ["UN1", "UN2", "UN3", "UN4", "UN5"]


@rule(
    S903,
    208,
    "Unique Pupil Number (UPN) for the current year disagrees with the Unique Pupil Number (UPN) already "
    "recorded for this child.",
    "Header",
    ["UPN"],
)
def r208(ctx: Context) -> pl.DataFrame:
    """Where last year's header recorded a UPN (or an unknown-UPN code) for the child, this year's must be
    the same (letter case aside), or blank last year. Allowed changes: from UN1 (too young) to another UN
    code, and from any UN code to a real UPN. A real UPN may not become blank or a UN code."""
    last = (
        ctx.prev("Header")
        .filter(pl.col("CHILD").is_not_null() & pl.col("UPN").is_not_null())
        .select("CHILD", pl.col("UPN").str.to_uppercase().alias("_upn_last"))
        .unique("CHILD", keep="first")
    )
    now = pl.col("UPN").str.to_uppercase()
    differs = now.is_null() | (now != pl.col("_upn_last"))
    # fill_null: a blank UPN this year is not "another UN code", so UN1 to blank is not an allowed change.
    un1_to_un = (pl.col("_upn_last") == "UN1") & now.is_in(_UN[1:]).fill_null(False)
    unknown_to_known = pl.col("_upn_last").is_in(_UN) & now.is_not_null() & ~now.is_in(_UN)
    return (
        ctx.t("Header")
        .join(last, on="CHILD", how="inner")
        .filter((differs & ~un1_to_un & ~unknown_to_known).fill_null(False))
    )


# --- Episodes: placement codes and Ofsted URNs --------------------------------------------------


@rule(
    S903,
    "217t",
    "Placement type 'P2' is not a valid placement type from 28 October 2023.",
    "Episodes",
    ["PLACE", "DEC"],
)
def r217t(ctx: Context) -> pl.Expr:
    """A P2 episode must have ended by 28 October 2023 (an open one has not)."""
    return (pl.col("PLACE") == "P2") & (pl.col("DEC").is_null() | (pl.col("DEC") > dt.date(2023, 10, 28)))


_URN_NOT_NEEDED = ["P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4"]


@rule(S903, 218, "Ofsted Unique reference number (URN) is required.", "Episodes", ["PLACE", "DEC", "URN"])
def r218(ctx: Context) -> pl.Expr:
    """An episode open after 31 March 2015 in a placement in England needs a URN, except placements with
    parents, in independent living, residential employment, NHS or health settings, youth custody,
    temporary placements and other placements (Z1, or Z11 to Z14 from 2025-26). In England is judged from
    the postcode area of PL_POST (see the module docstring)."""
    other = sorted(c for c in CODES.PLACE.valid(ctx.year.start) if c.startswith("Z"))
    return (
        pl.col("URN").is_null()
        & ~in_codes("PLACE", _URN_NOT_NEEDED + other)
        & (pl.col("DEC").is_null() | (pl.col("DEC") > dt.date(2015, 3, 31)))
        & _in_england()
    )


@rule(
    S903,
    230,
    "Ofsted Unique reference number (URN) is required for any English H5 placements from 28 October 2023.",
    "Episodes",
    ["PLACE", "DEC", "URN", "PL_POST"],
)
def r230(ctx: Context) -> pl.Expr:
    """An H5 placement in England open after 28 October 2023 needs a real URN (not blank, not XXXXXXX). In
    England is judged from the postcode area of PL_POST (see the module docstring)."""
    return (
        (pl.col("PLACE") == "H5")
        & (pl.col("DEC").is_null() | (pl.col("DEC") > dt.date(2023, 10, 28)))
        & (pl.col("URN").is_null() | (pl.col("URN") == _XXX))
        & _in_england()
    )


@rule(
    S903,
    243,
    "Only placements with providers registered with Ofsted should have a URN reported.",
    "Episodes",
    ["PL_POST", "URN"],
    years=_FROM_2025,
)
def r243(ctx: Context) -> pl.Expr:
    """A placement outside England (the DfE's PL_LA of NIR, SCO, WAL or NUK) has no URN. Judged from the
    postcode area of PL_POST; a confidential placement (PL_LA CON) cannot be told from the files."""
    return pl.col("URN").is_not_null() & _outside_england()


# --- Not checkable from the files ---------------------------------------------------------------

_POSTCODE_LOOKUP = (
    "is derived by the DfE from the postcodes with the ONS postcode directory, which the return's files "
    "do not include"
)
_URN_LOOKUP = (
    "needs the Ofsted register of providers (by URN: {what}), a lookup the return's files do not include"
)

not_checkable(
    S903,
    164,
    "Distance is not valid. Please check a valid postcode has been entered.",
    reason=f"PL_DISTANCE (from the home postcode to the placement postcode) {_POSTCODE_LOOKUP}.",
)
not_checkable(
    S903,
    169,
    "Local Authority (LA) of placement is not valid or is missing. Please check a valid postcode has been "
    "entered.",
    reason=f"PL_LA (the local authority of the placement) {_POSTCODE_LOOKUP}.",
)
not_checkable(
    S903,
    179,
    "Placement location code is not a valid code.",
    reason=f"PL_LOCATION (placement inside or outside the authority) {_POSTCODE_LOOKUP}.",
)
not_checkable(
    S903,
    219,
    "The Ofsted Unique reference number (URN) provided for the child's placement does not match the "
    "placement type recorded.",
    reason=_URN_LOOKUP.format(what="the placement types it is registered for"),
)
not_checkable(
    S903,
    221,
    "The Ofsted Unique reference number (URN) provided for the child's placement does not match the "
    "placement postcode provided.",
    reason=_URN_LOOKUP.format(what="the provider's postcode"),
)
not_checkable(
    S903,
    224,
    "The Ofsted Unique reference number (URN) provided for the child's placement does not match the "
    "placement provider recorded.",
    reason=_URN_LOOKUP.format(what="the provider types it is registered as"),
)
not_checkable(
    S903,
    227,
    "Ofsted Unique reference number (URN) is not valid for the episode start date.",
    reason=_URN_LOOKUP.format(what="the date its registration ended"),
)
not_checkable(
    S903,
    228,
    "Ofsted Unique reference number (URN) is not valid for the episode end date",
    reason=_URN_LOOKUP.format(what="the date its registration ended"),
)
not_checkable(
    S903,
    229,
    "Placement provider does not match between the placing authority and the local authority code of the "
    "provider.",
    reason=_URN_LOOKUP.format(what="the local authority the provider is in"),
)
not_checkable(
    S903,
    241,
    "LA of placement is not an LA the provider has premises.",
    reason=_URN_LOOKUP.format(what="the local authorities it has premises in")
    + f"; the placement's PL_LA also {_POSTCODE_LOOKUP}",
    years=_FROM_2025,
)
