"""SSDA903 rules 303 to 420 (DfE validation rules, 2024-25 to 2026-27): matching before adoption, care
leavers in a foyer or reported as having died, the start of care and episode dates, independent living, and
the postcodes, distance and placing authority the DfE derives from them.

Messages are the DfE's. The DfE derives an episode's distance (PL_DISTANCE) and placing authority (PL_LA,
PL_LOCATION) from HOME_POST and PL_POST with the ONS postcode directory; the CSV files carry only the
postcodes. A distance is derived exactly when both postcodes are sent, a placing authority when PL_POST is,
so the rules about those derived fields are read on the postcodes. A rule that needs the postcode directory
itself, or a field the CSV does not have, is registered as not checkable with the reason.

A child is UASC this year or last year when they have a row in that year's UASC file (the CSV header has
no UASC flag). The year before last is not sent, so a child formerly UASC only then is not recognised.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.returns.engine import Context, not_checkable, rule
from outstanding.returns.rules.ssda903_common import S903, birthday, episodes_in_order, in_codes, memo
from outstanding.returns.schemas import ROW

_FROM_2025 = ["2025-26", "2026-27"]
_SHORT_BREAKS = ["V3", "V4"]
_ADOPTED = ["E11", "E12"]
_FOYER = ["T1", "T2"]
_FIRST_DECOM = dt.date(1991, 10, 14)


def _uasc_children(ctx: Context) -> pl.DataFrame:
    """CHILD of each child with a row in this year's or last year's UASC file."""

    def build() -> pl.DataFrame:
        return (
            pl.concat([ctx.t("UASC").select("CHILD"), ctx.prev("UASC").select("CHILD")]).drop_nulls().unique()
        )

    return memo(ctx, "r300s_uasc_children", build)


def _both_postcodes() -> pl.Expr:
    """Both postcodes sent, so the DfE derives a distance for the episode."""
    return pl.col("HOME_POST").is_not_null() & pl.col("PL_POST").is_not_null()


# --- UASC status ----------------------------------------------------------------------------------

not_checkable(
    S903,
    303,
    "If date Unaccompanied Asylum-Seeking Child (UASC) status ceased is not null, UASC status must be coded "
    "1.",
    reason="The CSV header has no UASC status field: a child's UASC status is only their row in the UASC "
    "file, so a DUC sent there always belongs to a UASC child. The check needs the UASC flag of the XML "
    "header, which the CSV files do not carry.",
)


# --- Adoption -------------------------------------------------------------------------------------


@rule(
    S903,
    331,
    "Date of matching child and adopter(s) should be the same as, or prior to, the date of placement of "
    "adoption.",
    "AD1",
    ["DATE_MATCH"],
    reads=["Episodes"],
    also={"Episodes": ["DECOM", "REC"]},
)
def r331(ctx: Context) -> dict[str, pl.DataFrame]:
    """DATE_MATCH must not be after the DECOM of an episode that ended in adoption (REC E11 or E12), the
    start of the placement the child was adopted from. The AD1 row and that episode are both flagged."""
    adopted = (
        ctx.t("Episodes")
        .filter(in_codes("REC", _ADOPTED) & pl.col("DECOM").is_not_null() & pl.col("CHILD").is_not_null())
        .select("CHILD", pl.col(ROW).alias("_episode"), "DECOM")
    )
    failing = (
        ctx.t("AD1")
        .filter(pl.col("DATE_MATCH").is_not_null())
        .join(adopted, on="CHILD")
        .filter(pl.col("DATE_MATCH") > pl.col("DECOM"))
    )
    return {"AD1": failing.select(ROW), "Episodes": failing.select(pl.col("_episode").alias(ROW))}


# --- Care leavers (OC3) ---------------------------------------------------------------------------


@rule(
    S903,
    347,
    "Care leavers aged under 18 years, can not be accommodated in a Foyer.",
    "OC3",
    ["DOB", "ACCOM"],
)
def r347(ctx: Context) -> pl.Expr:
    """A care leaver whose ACCOM is a foyer (T1 or T2) must have turned 18 by 1 April. The reference
    validator compares ACCOM with a bare "T", which no code is (the DfE's codes add suitability 1 or 2),
    so it never fires; the message is read here on both foyer codes."""
    return in_codes("ACCOM", _FOYER) & (birthday("DOB", 18) > ctx.start)


@rule(
    S903,
    348,
    "Care leaver has previously been reported as having died. ",
    "OC3",
    ["IN_TOUCH"],
    years=_FROM_2025,
)
def r348(ctx: Context) -> pl.DataFrame:
    """A care leaver whose IN_TOUCH was DIED in last year's return must be DIED again this year (a blank
    is not DIED). Nothing is flagged when last year's return is not sent."""
    # The DfE's message carries a trailing space; kept as published.
    died = ctx.prev("OC3").filter(pl.col("IN_TOUCH") == "DIED").select("CHILD").drop_nulls().unique()
    return (
        ctx.t("OC3")
        .join(died, on="CHILD", how="semi")
        .filter(pl.col("IN_TOUCH").fill_null("") != "DIED")
        .select(ROW)
    )


# --- Starting care and episode dates ---------------------------------------------------------------


@rule(
    S903,
    352,
    "Child who started to be looked after was aged 18 or over.",
    "Episodes",
    ["DECOM", "RNE"],
    reads=["Header"],
)
def r352(ctx: Context) -> pl.DataFrame:
    """An episode starting a period of care (RNE S) must begin before the child's 18th birthday (from the
    header's DOB)."""
    return episodes_in_order(ctx).filter((pl.col("RNE") == "S") & (pl.col("DECOM") >= birthday("_dob", 18)))


@rule(S903, 353, "No episode submitted can start before 14 October 1991.", "Episodes", ["DECOM"])
def r353(ctx: Context) -> pl.Expr:
    return pl.col("DECOM") < _FIRST_DECOM


@rule(
    S903,
    354,
    "Date episode ceased must be on or before the end of the current collection year.",
    "Episodes",
    ["DECOM"],
)
def r354(ctx: Context) -> pl.Expr:
    """The DfE's logic tests the date the episode began (DECOM must be on or before 31 March), although its
    message speaks of the date ceased (rule 385 tests DEC); read as the logic says."""
    return pl.col("DECOM") > ctx.end


# --- Independent living ----------------------------------------------------------------------------


@rule(
    S903,
    370,
    "Child in independent living should be at least 16.",
    "Episodes",
    ["DECOM", "PLACE"],
    reads=["Header"],
)
def r370(ctx: Context) -> pl.DataFrame:
    """An episode in independent living (P2) must start on or after the child's 16th birthday (15th until
    2022-23)."""
    return episodes_in_order(ctx).filter((pl.col("PLACE") == "P2") & (pl.col("DECOM") < birthday("_dob", 16)))


# --- Postcodes and distance ------------------------------------------------------------------------


def _not_uasc_placements(ctx: Context) -> pl.DataFrame:
    """Episodes of children not UASC this year or last, whose LS is not a short break (V3 or V4)."""
    return (
        ctx.t("Episodes")
        .join(_uasc_children(ctx), on="CHILD", how="anti")
        .filter(~in_codes("LS", _SHORT_BREAKS))
    )


@rule(
    S903,
    "392A",
    "Child is looked after but no distance is recorded.",
    "Episodes",
    ["LS", "HOME_POST", "PL_POST"],
    reads=["UASC"],
)
def r392a(ctx: Context) -> pl.DataFrame:
    """A child not UASC (this year or last), outside a short break (LS V3 or V4), needs a distance, which the
    DfE derives from both postcodes: an episode missing either has none. A postcode sent but not in the
    postcode directory also leaves no distance; that needs the directory and is not caught here."""
    return _not_uasc_placements(ctx).filter(~_both_postcodes())


@rule(
    S903,
    "392B",
    "Child is looked after but no postcodes are recorded.",
    "Episodes",
    ["LS", "HOME_POST", "PL_POST"],
    reads=["UASC"],
)
def r392b(ctx: Context) -> pl.DataFrame:
    """A child not UASC (this year or last), outside a short break (LS V3 or V4), should have both HOME_POST
    and PL_POST."""
    return _not_uasc_placements(ctx).filter(~_both_postcodes())


# A UK postcode in full ("SW1A 1AA") or, as the 903 sends it, cut to its sector ("SW1A 1").
_POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9]([A-Z]{2})?$"


@rule(S903, "392c", "Postcode(s) provided are invalid.", "Episodes", ["HOME_POST", "PL_POST"])
def r392c(ctx: Context) -> pl.Expr:
    """A home or placement postcode sent that is not a postcode at all, in full or as a sector (letter case
    and surrounding spaces aside). The DfE also rejects a well-formed postcode missing from the ONS postcode
    directory; that directory is not part of the files, so such a postcode passes here."""

    def bad(name: str) -> pl.Expr:
        text = pl.col(name).str.strip_chars().str.to_uppercase()
        return pl.col(name).is_not_null() & (text != "") & ~text.str.contains(_POSTCODE)

    return bad("HOME_POST") | bad("PL_POST")


@rule(
    S903,
    398,
    "Distance field completed but child looked after under legal status V3 or V4.",
    "Episodes",
    ["LS", "HOME_POST", "PL_POST"],
)
def r398(ctx: Context) -> pl.Expr:
    """An episode of a short break (LS V3 or V4) must have no distance, which the DfE derives when both
    postcodes are sent. (The reference validator flags either postcode alone, which gives no distance.)"""
    return in_codes("LS", _SHORT_BREAKS) & _both_postcodes()


@rule(
    S903,
    406,
    "Child is Unaccompanied Asylum-Seeking Child (UASC) or was formerly UASC. Distance should be blank.",
    "Episodes",
    ["HOME_POST", "PL_POST"],
    reads=["UASC"],
)
def r406(ctx: Context) -> pl.DataFrame:
    """A child UASC this year or last (a row in either year's UASC file) should have no distance, so not
    both postcodes."""
    return ctx.t("Episodes").join(_uasc_children(ctx), on="CHILD", how="semi").filter(_both_postcodes())


# --- Placing authority -----------------------------------------------------------------------------

not_checkable(
    S903,
    411,
    "Placement location code disagrees with LA of placement.",
    reason="PL_LOCATION (in or out of the council's area) and PL_LA are not fields of the CSV files: the DfE "
    "derives both from PL_POST with the ONS postcode directory and compares them with the submitting "
    "council's code, none of which the files carry.",
)


@rule(
    S903,
    420,
    "LA of placement completed but child is looked after under legal status V3 or V4.",
    "Episodes",
    ["LS", "PL_POST"],
)
def r420(ctx: Context) -> pl.Expr:
    """A short break (LS V3 or V4) must have no placing authority, which the DfE derives from PL_POST: read
    as PL_POST sent."""
    return in_codes("LS", _SHORT_BREAKS) & pl.col("PL_POST").is_not_null()
