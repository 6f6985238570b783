"""SSDA903 rules 550 to 635: placement providers, the decision that a child should be placed for adoption
(PlacedAdoption, this year's and last year's), missing and away-from-placement periods, adoptions (AD1),
mothers (the header's MOTHER and MC_DOB) and previous permanence (PrevPerm).

Messages are the DfE's. Checks are polars expressions on the flagged table, or joins returning its ``_row``;
rules that flag rows in two tables return both. A blank cell is null; where a rule asks whether a date was
"completed", the text sent (``<field>__raw``) is what counts, so an unreadable date is still completed.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from outstanding.codes import SSDA903 as CODES
from outstanding.returns.engine import Context, rule
from outstanding.returns.rules.ssda903_common import S903, birthday, episodes_in_order, in_codes, memo, sent
from outstanding.returns.schemas import ROW

_ADOPTION_PLACEMENTS = ["A3", "A4", "A5", "A6"]
_ADOPTED = ["E11", "E12"]
_SHORT_BREAKS = ["V3", "V4"]
_AD1_DATA = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
_AD1_DATES = ("DATE_INT", "DATE_MATCH")

# Local authority codes for LA_PERM (the DfE's list of English local authority codes, with the codes for
# orders made in Wales, Scotland, Northern Ireland or elsewhere outside the UK).
_LA_CODES = frozenset(
    """
    201 202 203 204 205 206 207 208 209 210 211 212 213 301 302 303 304 305 306 307 308 309 310 311 312 313
    314 315 316 317 318 319 320 330 331 332 333 334 335 336 340 341 342 343 344 350 351 352 353 354 355 356
    357 358 359 370 371 372 373 380 381 382 383 384 390 391 392 393 394 420 800 801 802 803 805 806 807 808
    810 811 812 813 815 816 821 822 823 825 826 830 831 835 836 837 838 839 840 841 845 846 850 851 852 855
    856 857 860 861 865 866 867 868 869 870 871 872 873 874 876 877 878 879 880 881 882 883 884 885 886 887
    888 889 890 891 892 893 894 895 896 908 909 916 919 921 925 926 928 929 931 933 935 936 937 938 940 941
    942 943 999 WAL SCO NUK NIR
    """.split()
)


def _blank(name: str) -> pl.Expr:
    """Nothing was sent in the cell (for a typed field, judged on its text)."""
    return pl.col(name + "__raw").is_null() if name in ("DATE_INT", "DATE_MATCH") else pl.col(name).is_null()


def _rows(frame: pl.DataFrame | pl.LazyFrame, column: str = ROW) -> pl.DataFrame:
    """``_row`` of a frame whose row column is called ``column``."""
    lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    return lazy.select(pl.col(column).alias(ROW)).drop_nulls().unique().collect()


def _decisions(ctx: Context, previous: bool = False) -> pl.DataFrame:
    """PlacedAdoption rows with a CHILD, in each child's order of DATE_PLACED (blank dates first), with
    ``_latest`` marking each child's latest decision."""
    table = ctx.prev("PlacedAdoption") if previous else ctx.t("PlacedAdoption")
    ordered = table.filter(pl.col("CHILD").is_not_null()).sort(
        ["CHILD", "DATE_PLACED", ROW], nulls_last=False
    )
    return ordered.with_columns(
        (pl.col("CHILD").shift(-1) != pl.col("CHILD")).fill_null(True).alias("_latest")
    )


def _latest_decision(ctx: Context) -> pl.DataFrame:
    return memo(ctx, "r500s_latest_decision", lambda: _decisions(ctx).filter(pl.col("_latest")))


def _periods_of_care(ctx: Context) -> pl.DataFrame:
    """Each child's periods of care in this year's episodes: CHILD, ``_start`` (null when the period's first
    episode is not a start of care, RNE S, so it began before the episodes sent), ``_from`` (its first DECOM)
    and ``_end`` (the DEC of its last episode; null while it is open).

    A period runs on while an episode ends with REC X1 and the next starts the same day."""

    def build() -> pl.DataFrame:
        eps = episodes_in_order(ctx)
        new = (
            pl.col("_first")
            | (pl.col("REC_prev").fill_null("") != "X1")
            | pl.col("DEC_prev").ne_missing(pl.col("DECOM"))
        )
        return (
            eps.with_columns(new.cum_sum().alias("_period"))
            .group_by("_period", maintain_order=True)
            .agg(
                pl.col("CHILD").first(),
                pl.col("DECOM").first().alias("_from"),
                pl.col("RNE").first().alias("_rne"),
                pl.col("DEC").last().alias("_end"),
            )
            .with_columns(pl.when(pl.col("_rne") == "S").then(pl.col("_from")).alias("_start"))
            .drop("_rne")
        )

    return memo(ctx, "r500s_periods_of_care", build)


def _missing_in_care(ctx: Context) -> pl.DataFrame:
    """Missing rows with a MIS_START, for children with episodes this year, with ``_in_care`` (the start falls
    in a period of care), ``_after_a_period`` (a period ended before it) and ``_open_before`` (a period still
    open at the end of the year began on or before it, or before the episodes sent)."""

    def build() -> pl.DataFrame:
        periods = _periods_of_care(ctx)
        missing = ctx.t("Missing").filter(pl.col("MIS_START").is_not_null() & pl.col("CHILD").is_not_null())
        pairs = missing.select(ROW, "CHILD", "MIS_START").join(periods, on="CHILD", how="inner")
        began = pl.col("_start").is_null() | (pl.col("_start") <= pl.col("MIS_START"))
        not_ended = pl.col("_end").is_null() | (pl.col("MIS_START") <= pl.col("_end"))
        return pairs.group_by(ROW).agg(
            (began & not_ended).any().alias("_in_care"),
            (pl.col("_end") < pl.col("MIS_START")).fill_null(False).any().alias("_after_a_period"),
            (pl.col("_end").is_null() & began).any().alias("_open_before"),
        )

    return memo(ctx, "r500s_missing_in_care", build)


# --- Placement provider -------------------------------------------------------------------------


@rule(
    S903,
    550,
    "A placement provider code of PR0 can only be associated with placement P1.",
    "Episodes",
    ["PLACE", "PLACE_PROVIDER"],
)
def r550(ctx: Context) -> pl.Expr:
    """PLACE_PROVIDER PR0 (the child's parent or someone with parental responsibility) goes only with P1."""
    return (pl.col("PLACE_PROVIDER") == "PR0") & ~in_codes("PLACE", ["P1"])


# --- The decision that the child should be placed for adoption ----------------------------------


@rule(
    S903,
    551,
    "Child has been placed for adoption but there is no date of the decision that the child should be "
    "placed for adoption.",
    "Episodes",
    ["PLACE"],
    reads=["PlacedAdoption"],
)
def r551(ctx: Context) -> pl.DataFrame:
    """An episode placed for adoption (A3 to A6) needs a PlacedAdoption row for the child with DATE_PLACED."""
    decided = ctx.t("PlacedAdoption").filter(sent("DATE_PLACED")).select("CHILD").unique()
    return (
        ctx.t("Episodes")
        .filter(in_codes("PLACE", _ADOPTION_PLACEMENTS))
        .join(decided, on="CHILD", how="anti")
    )


def _decided_after(ctx: Context, starts: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Episodes in ``starts`` for whose child no DATE_PLACED is on or before the episode's DECOM, though the
    child has one; with the child's earliest PlacedAdoption row dated after that DECOM (the decision that
    came too late; later decisions are not about this episode). A child with no DATE_PLACED at all is left
    to the rules that ask for one."""
    decisions = ctx.t("PlacedAdoption").filter(
        pl.col("DATE_PLACED").is_not_null() & pl.col("CHILD").is_not_null()
    )
    pairs = starts.select(pl.col(ROW).alias("_episode"), "CHILD", "DECOM").join(
        decisions.select(ROW, "CHILD", "DATE_PLACED"), on="CHILD", how="inner"
    )
    late = (
        pairs.group_by("_episode")
        .agg((pl.col("DATE_PLACED") <= pl.col("DECOM")).any().alias("_in_time"))
        .filter(~pl.col("_in_time"))
    )
    failing = pairs.join(late, on="_episode", how="semi")
    earliest = failing.sort(["_episode", "DATE_PLACED", ROW]).unique("_episode", keep="first")
    return {"Episodes": _rows(failing, "_episode"), "PlacedAdoption": _rows(earliest)}


def _starts_of(ctx: Context, column: str, codes: list[str]) -> pl.DataFrame:
    """Episodes that begin a run of ``column`` in ``codes`` (the previous episode was not in them)."""
    return episodes_in_order(ctx).filter(in_codes(column, codes) & ~in_codes(f"{column}_prev", codes))


@rule(
    S903,
    552,
    # The DfE's message capitalises "Decision"; kept as published.
    "Date of Decision to place a child for adoption should be on or prior to the date that the child was "
    "placed for adoption.",
    "Episodes",
    ["DECOM", "PLACE"],
    also={"PlacedAdoption": ["DATE_PLACED"]},
)
def r552(ctx: Context) -> dict[str, pl.DataFrame]:
    """Each placement for adoption (the first of a run of A3 to A6 episodes) must start on or after a
    DATE_PLACED of the child's. The reference validator compares the child's latest decision with the first
    placement; a later decision (after an earlier one was reversed) would then fail an earlier placement
    that was decided in time, so any decision on or before the placement passes here."""
    return _decided_after(ctx, _starts_of(ctx, "PLACE", _ADOPTION_PLACEMENTS))


def _order_without_decision(ctx: Context, status: str) -> dict[str, pl.DataFrame]:
    """Episodes under legal status ``status`` whose child has no DATE_PLACED; and, for a child whose
    ``status`` episode is open, a latest decision that has been ceased (DATE_PLACED_CEASED or
    REASON_PLACED_CEASED completed)."""
    eps = ctx.t("Episodes").filter((pl.col("LS") == status) & pl.col("CHILD").is_not_null())
    decided = ctx.t("PlacedAdoption").filter(sent("DATE_PLACED")).select("CHILD").unique()
    open_children = eps.filter(pl.col("DEC").is_null()).select("CHILD").unique()
    ceased = _latest_decision(ctx).filter(
        sent("DATE_PLACED_CEASED") | pl.col("REASON_PLACED_CEASED").is_not_null()
    )
    return {
        "Episodes": eps.join(decided, on="CHILD", how="anti").select(ROW),
        "PlacedAdoption": ceased.join(open_children, on="CHILD", how="semi").select(ROW),
    }


@rule(
    S903,
    553,
    "Placement order has been granted but there is no date of decision that the child should be placed for "
    "adoption.",
    "Episodes",
    ["LS"],
    also={"PlacedAdoption": ["DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]},
)
def r553(ctx: Context) -> dict[str, pl.DataFrame]:
    """A child with a placement order (LS E1) needs a DATE_PLACED; while the E1 episode is open, the child's
    latest decision must not have been ceased (that PlacedAdoption row is flagged). The reference validator
    flags every ceased row of the child; an earlier decision that was reversed before a new one is fine."""
    return _order_without_decision(ctx, "E1")


@rule(
    S903,
    554,
    "Date of decision that the child should be placed for adoption should be on or prior to the date that "
    "the placement order was granted.",
    "Episodes",
    ["DECOM", "LS"],
    also={"PlacedAdoption": ["DATE_PLACED"]},
)
def r554(ctx: Context) -> dict[str, pl.DataFrame]:
    """The episode that starts a placement order (the first of a run of LS E1 episodes) must start on or after
    a DATE_PLACED of the child's. An order granted before this year's episodes is judged from its first
    episode in them, which can only pass more often."""
    return _decided_after(ctx, _starts_of(ctx, "LS", ["E1"]))


@rule(
    S903,
    555,
    "Freeing order has been granted but there is no date of decision that the child should be placed for "
    "adoption.",
    "Episodes",
    ["LS"],
    also={"PlacedAdoption": ["DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]},
)
def r555(ctx: Context) -> dict[str, pl.DataFrame]:
    """As rule 553, for a freeing order (LS D1)."""
    return _order_without_decision(ctx, "D1")


@rule(
    S903,
    556,
    "Date of decision that the child should be placed for adoption should be on or prior to the date that "
    "the freeing order was granted.",
    "Episodes",
    ["DECOM", "LS"],
    also={"PlacedAdoption": ["DATE_PLACED"]},
)
def r556(ctx: Context) -> dict[str, pl.DataFrame]:
    """As rule 554, for a freeing order (LS D1)."""
    return _decided_after(ctx, _starts_of(ctx, "LS", ["D1"]))


@rule(
    S903,
    557,
    "Child for whom the decision was made that they should be placed for adoption has left care but was not "
    "adopted and information on the decision that they should no longer be placed for adoption items has not "
    "been completed.",
    "Episodes",
    ["PLACE", "LS", "REC"],
    also={"PlacedAdoption": ["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]},
)
def r557(ctx: Context) -> dict[str, pl.DataFrame]:
    """An episode placed for adoption (A3 to A6) or under a placement order (LS E1; from 2024-25 no longer
    D1) that ends care (REC present, not X1) other than by adoption (E11, E12) needs the child's latest
    decision to have DATE_PLACED_CEASED and REASON_PLACED_CEASED. The episode is flagged, with that decision
    when it lacks them."""
    left = ctx.t("Episodes").filter(
        (in_codes("PLACE", _ADOPTION_PLACEMENTS) | (pl.col("LS") == "E1"))
        & pl.col("REC").is_not_null()
        & ~in_codes("REC", ["X1", *_ADOPTED])
        & pl.col("CHILD").is_not_null()
    )
    latest = _latest_decision(ctx).select(
        pl.col(ROW).alias("_decision"),
        "CHILD",
        (~sent("DATE_PLACED_CEASED") | pl.col("REASON_PLACED_CEASED").is_null()).alias("_incomplete"),
    )
    failing = (
        left.select(ROW, "CHILD")
        .join(latest, on="CHILD", how="left")
        .filter(pl.col("_decision").is_null() | pl.col("_incomplete"))
    )
    return {"Episodes": _rows(failing), "PlacedAdoption": _rows(failing, "_decision")}


@rule(
    S903,
    558,
    "If a child has been adopted, then the decision to place them for adoption has not been disrupted and "
    "the date of the decision that a child should no longer be placed for adoption should be left blank.",
    "Episodes",
    ["REC"],
    also={"PlacedAdoption": ["DATE_PLACED_CEASED"]},
)
def r558(ctx: Context) -> dict[str, pl.DataFrame]:
    """A child adopted (REC E11 or E12) must have a latest decision with no DATE_PLACED_CEASED; the episode
    and that decision are flagged. (The reference validator counts ceased dates per calendar year, which does
    not follow the message.)"""
    adopted = ctx.t("Episodes").filter(in_codes("REC", _ADOPTED) & pl.col("CHILD").is_not_null())
    ceased = _latest_decision(ctx).filter(sent("DATE_PLACED_CEASED"))
    return {
        "Episodes": adopted.join(ceased.select("CHILD"), on="CHILD", how="semi").select(ROW),
        "PlacedAdoption": ceased.join(adopted.select("CHILD").unique(), on="CHILD", how="semi").select(ROW),
    }


@rule(
    S903,
    559,
    "Date of decision that a child should be placed for adoption was not in the current year but the date "
    "of the decision that the child should be placed for adoption was not completed in a previous return.",
    "PlacedAdoption",
    ["DATE_PLACED"],
)
def r559(ctx: Context) -> pl.DataFrame:
    """A DATE_PLACED before 1 April needs a DATE_PLACED for the child in last year's return. Checked only
    when last year's return was sent."""
    placed = ctx.t("PlacedAdoption")
    if not ctx.has_previous:
        return placed.clear().select(ROW)
    last = ctx.prev("PlacedAdoption").filter(pl.col("DATE_PLACED").is_not_null()).select("CHILD").unique()
    return placed.filter(pl.col("DATE_PLACED") < ctx.start).join(last, on="CHILD", how="anti")


@rule(
    S903,
    560,
    "Date of decision that the child should be placed for adoption this year is different from that "
    "recorded last year but the decision to place the child for adoption did not change.",
    "PlacedAdoption",
    ["DATE_PLACED", "DATE_PLACED_CEASED"],
)
def r560(ctx: Context) -> pl.DataFrame:
    """A decision still open at the end of last year (the child's latest there, with DATE_PLACED and no
    DATE_PLACED_CEASED) must be returned again with the same DATE_PLACED: a child whose rows this year do
    not include it has those rows flagged."""
    open_last = (
        _decisions(ctx, previous=True)
        .filter(pl.col("_latest") & pl.col("DATE_PLACED").is_not_null() & ~sent("DATE_PLACED_CEASED"))
        .select("CHILD", pl.col("DATE_PLACED").alias("_before"))
    )
    rows = ctx.t("PlacedAdoption").join(open_last, on="CHILD", how="inner")
    kept = rows.filter(pl.col("DATE_PLACED") == pl.col("_before")).select("CHILD").unique()
    return rows.join(kept, on="CHILD", how="anti")


@rule(
    S903,
    561,
    "Date of the decision that the child should be placed for adoption this year is the same as that "
    "recorded last year but records show that the decision changed, and the child should no longer be "
    "placed for adoption last year.",
    "PlacedAdoption",
    ["DATE_PLACED"],
)
def r561(ctx: Context) -> pl.DataFrame:
    """A DATE_PLACED that last year's return showed as ceased (DATE_PLACED_CEASED or REASON_PLACED_CEASED
    completed for the same date) must not be returned again this year."""
    ceased_last = (
        ctx.prev("PlacedAdoption")
        .filter(
            pl.col("DATE_PLACED").is_not_null()
            & (sent("DATE_PLACED_CEASED") | pl.col("REASON_PLACED_CEASED").is_not_null())
        )
        .select("CHILD", "DATE_PLACED")
        .unique()
    )
    return ctx.t("PlacedAdoption").join(ceased_last, on=["CHILD", "DATE_PLACED"], how="semi")


@rule(
    S903,
    562,
    "Episode commenced before the start of the current collection year but there is a missing continuous "
    "episode in the previous year.",
    "Episodes",
    ["DECOM"],
)
def r562(ctx: Context) -> pl.DataFrame:
    """A child's first episode this year that began before 1 April must be last year's latest episode for the
    child (the same DECOM). Checked only when last year's return was sent."""
    eps = episodes_in_order(ctx)
    if not ctx.has_previous:
        return eps.clear().select(ROW)
    last = (
        ctx.prev("Episodes")
        .filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null())
        .group_by("CHILD")
        .agg(pl.col("DECOM").max().alias("_before"))
    )
    first = eps.filter(pl.col("_first") & (pl.col("DECOM") < ctx.start))
    return first.join(last, on="CHILD", how="left").filter(pl.col("DECOM").ne_missing(pl.col("_before")))


@rule(
    S903,
    563,
    # The DfE's message has no closing full stop; kept as published.
    "The child should no longer be placed for adoption but the date of the decision that the child should be "
    "placed for adoption is blank",
    "PlacedAdoption",
    ["DATE_PLACED", "REASON_PLACED_CEASED", "DATE_PLACED_CEASED"],
)
def r563(ctx: Context) -> pl.Expr:
    """A decision that has been ceased (DATE_PLACED_CEASED or REASON_PLACED_CEASED completed) must have a
    DATE_PLACED. The reference validator asks for both ceased items; either one says the decision ended."""
    return (sent("DATE_PLACED_CEASED") | pl.col("REASON_PLACED_CEASED").is_not_null()) & ~sent("DATE_PLACED")


# --- Missing and away from placement without authorisation --------------------------------------


@rule(
    S903,
    564,
    "Child was missing or away from placement without authorisation and the date started is blank.",
    "Missing",
    ["MISSING", "MIS_START"],
)
def r564(ctx: Context) -> pl.Expr:
    return in_codes("MISSING", ["M", "A"]) & ~sent("MIS_START")


@rule(
    S903,
    565,
    "The date that the child started to be missing or away from placement without authorisation has been "
    "completed but whether the child was missing or away from placement without authorisation has not been "
    "completed.",
    "Missing",
    ["MISSING", "MIS_START"],
)
def r565(ctx: Context) -> pl.Expr:
    return sent("MIS_START") & pl.col("MISSING").is_null()


@rule(
    S903,
    566,
    "The date that the child's episode of being missing or away from placement without authorisation ended "
    "has been completed but whether the child was missing or away without authorisation has not been "
    "completed.",
    "Missing",
    ["MISSING", "MIS_END"],
)
def r566(ctx: Context) -> pl.Expr:
    return sent("MIS_END") & pl.col("MISSING").is_null()


@rule(
    S903,
    567,
    "The date that the missing episode or episode that the child was away from placement without "
    "authorisation ended is before the date that it started.",
    "Missing",
    ["MIS_START", "MIS_END"],
)
def r567(ctx: Context) -> pl.Expr:
    return pl.col("MIS_END") < pl.col("MIS_START")


@rule(
    S903,
    570,
    "The date that the child started to be missing or away from placement without authorisation is after "
    "the end of the collection year.",
    "Missing",
    ["MIS_START"],
)
def r570(ctx: Context) -> pl.Expr:
    return pl.col("MIS_START") > ctx.end


@rule(
    S903,
    571,
    "The date that the child ceased to be missing or away from placement without authorisation is before the "
    "start or after the end of the collection year.",
    "Missing",
    ["MIS_END"],
)
def r571(ctx: Context) -> pl.Expr:
    return (pl.col("MIS_END") < ctx.start) | (pl.col("MIS_END") > ctx.end)


#: The end of a period left open, for comparing dates: later than any date sent.
_NEVER = dt.date(9999, 12, 31)


def _starts_before_earlier_end(table: pl.DataFrame, start: str, end: str) -> pl.DataFrame:
    """Rows of ``table`` (periods of a child from ``start`` to ``end``) that start before the latest end of
    the child's earlier periods, in order of ``start`` (then row). An end not sent is an open period (as
    ``_NEVER``); an unreadable end is not compared."""
    reach = pl.when(~sent(end)).then(pl.lit(_NEVER)).otherwise(pl.col(end))
    reached = reach.cum_max().forward_fill().shift(1).over("CHILD")
    return (
        table.filter(pl.col("CHILD").is_not_null() & pl.col(start).is_not_null())
        .sort(["CHILD", start, ROW])
        .filter((pl.col(start) < reached).fill_null(False))
    )


@rule(
    S903,
    574,
    "A new missing/away from placement without authorisation period cannot start when the previous "
    "missing/away from placement without authorisation period is still open. Missing/away from placement "
    "without authorisation periods should also not overlap.",
    "Missing",
    ["MIS_START", "MIS_END"],
)
def r574(ctx: Context) -> pl.DataFrame:
    """In each child's order of MIS_START, a period must start on or after the MIS_END of every earlier
    period, each of which must be completed: it is compared with the latest end among them (an open period
    as never ending), so an overlap is not hidden behind a shorter period nested in between. The later
    period is flagged; an unreadable MIS_END is left to the rules on MIS_END."""
    return _starts_before_earlier_end(ctx.t("Missing"), "MIS_START", "MIS_END")


@rule(
    S903,
    575,
    "If the placement from which the child goes missing/away from placement without authorisation ends, the "
    "missing/away from placement without authorisation period in the missing module must also have an end "
    "date.",
    "Missing",
    ["MIS_END"],
    reads=["Episodes"],
)
def r575(ctx: Context) -> pl.DataFrame:
    """A missing period with no MIS_END must not start within an episode (DECOM to DEC, both included) that
    has ended."""
    missing = ctx.t("Missing").filter(
        pl.col("MIS_START").is_not_null() & ~sent("MIS_END") & pl.col("CHILD").is_not_null()
    )
    ended = ctx.t("Episodes").filter(pl.col("DEC").is_not_null()).select("CHILD", "DECOM", "DEC")
    return (
        missing.select(ROW, "CHILD", "MIS_START")
        .join(ended, on="CHILD", how="inner")
        .filter((pl.col("DECOM") <= pl.col("MIS_START")) & (pl.col("MIS_START") <= pl.col("DEC")))
    )


@rule(
    S903,
    576,
    # The DfE's message uses a typographic apostrophe; kept as published.
    "There is an open missing/away from placement without authorisation period in last year’s return and "
    "there is no corresponding period recorded at the start of this year.",
    "Missing",
    ["MIS_START"],
    reads=["Header"],
    also={"Header": ["CHILD"]},
)
def r576(ctx: Context) -> dict[str, pl.DataFrame]:
    """A period left open in last year's return (MIS_START, no MIS_END) must be the child's first period
    this year (the same MIS_START); the child's first row this year is flagged if not. A child with no
    Missing row this year but a header row has the header row flagged instead (as for rule 706); a child
    in neither is not in this year's return. Nothing without last year's return."""
    open_last = (
        ctx.prev("Missing")
        .filter(pl.col("MIS_START").is_not_null() & ~sent("MIS_END") & pl.col("CHILD").is_not_null())
        .group_by("CHILD")
        .agg(pl.col("MIS_START").max().alias("_open"))
    )
    first = (
        ctx.t("Missing")
        .filter(pl.col("CHILD").is_not_null())
        .sort(["CHILD", "MIS_START", ROW], nulls_last=True)
        .unique("CHILD", keep="first", maintain_order=True)
    )
    differs = first.join(open_last, on="CHILD", how="inner").filter(
        pl.col("MIS_START").ne_missing(pl.col("_open"))
    )
    absent = open_last.join(first, on="CHILD", how="anti")
    headers = ctx.t("Header").filter(pl.col("CHILD").is_not_null()).join(absent, on="CHILD", how="semi")
    return {"Missing": differs.select(ROW), "Header": headers.select(ROW)}


@rule(
    S903,
    577,
    "Child ceased to be looked after but there is a missing/away from placement without authorisation "
    "period without an end date.",
    "Missing",
    ["MIS_START", "MIS_END"],
    reads=["Episodes"],
)
def r577(ctx: Context) -> pl.DataFrame:
    """A missing period with no MIS_END needs the child to be still looked after in a period of care that
    began on or before MIS_START (or before this year's episodes). A period that has ended, or an open one
    that began only after the child went missing, fails it. Children with no episodes are not judged."""
    state = _missing_in_care(ctx).filter(~pl.col("_open_before"))
    return ctx.t("Missing").filter(~sent("MIS_END")).join(state, on=ROW, how="semi")


@rule(
    S903,
    578,
    "The date that the child started to be missing is after the child ceased to be looked after.",
    "Missing",
    ["MIS_START"],
    reads=["Episodes"],
)
def r578(ctx: Context) -> pl.DataFrame:
    """MIS_START must fall within one of the child's periods of care; a start outside them all that is after
    a period has ended is flagged here (one before the child's first period, by rule 581)."""
    state = _missing_in_care(ctx).filter(~pl.col("_in_care") & pl.col("_after_a_period"))
    return state.select(ROW)


@rule(
    S903,
    579,
    "A new decision that the child should be placed for adoption this year cannot start when the previous "
    "decision is still open. Decisions to place the child for adoption should also not overlap. The date of "
    "any new decision to place the child for adoption must not be before the date placed ceased of previous "
    "decisions.",
    "PlacedAdoption",
    ["DATE_PLACED", "DATE_PLACED_CEASED"],
)
def r579(ctx: Context) -> pl.DataFrame:
    """In each child's order of DATE_PLACED, a decision must come on or after the DATE_PLACED_CEASED of
    every earlier decision, each of which must be completed (compared with the latest among them, an open
    decision as never ceasing, as for rule 574). The later decision is flagged."""
    return _starts_before_earlier_end(ctx.t("PlacedAdoption"), "DATE_PLACED", "DATE_PLACED_CEASED")


@rule(
    S903,
    580,
    # The DfE's message quotes E8 with typographic quotes; kept as published.
    "Child is missing when cease being looked after but reason episode ceased not ‘E8’.",
    "Episodes",
    ["DEC", "REC"],
    reads=["Missing", "Header"],
)
def r580(ctx: Context) -> pl.DataFrame:
    """A child still missing when care ends at their 18th birthday (a missing period whose MIS_END is that
    birthday and the DEC of the episode ending care) must leave care with REC E8. An episode ending with
    X1 does not end care."""
    ends = episodes_in_order(ctx).filter(
        pl.col("REC").is_not_null() & ~in_codes("REC", ["X1", "E8"]) & (pl.col("DEC") == birthday("_dob", 18))
    )
    missing_to = (
        ctx.t("Missing")
        .filter(pl.col("MIS_END").is_not_null())
        .select("CHILD", pl.col("MIS_END").alias("DEC"))
    )
    return ends.join(missing_to.unique(), on=["CHILD", "DEC"], how="semi")


@rule(
    S903,
    581,
    "Child is missing but has not yet started to be looked after.",
    "Missing",
    ["MIS_START"],
    reads=["Episodes"],
)
def r581(ctx: Context) -> pl.DataFrame:
    """MIS_START before the start of the child's first period of care (one that starts with RNE S) in this
    year's episodes. A start between two periods is rule 578's."""
    state = _missing_in_care(ctx).filter(~pl.col("_in_care") & ~pl.col("_after_a_period"))
    return state.select(ROW)


@rule(
    S903,
    582,
    "Child is showing as ceasing to be looked after due to adoption, but the date of adoption is the same as "
    "the date reported for being matched with adopters. In most circumstances we expect the date the child "
    "is matched with adopters to be before the date of adoption.",
    "Episodes",
    ["REC", "DEC"],
    type="query",
    also={"AD1": ["DATE_MATCH"]},
)
def r582(ctx: Context) -> dict[str, pl.DataFrame]:
    """An adoption (REC E11 or E12) on the same day as the child's DATE_MATCH is queried ("in most
    circumstances we expect"), with the AD1 row."""
    adopted = ctx.t("Episodes").filter(in_codes("REC", _ADOPTED) & pl.col("DEC").is_not_null())
    pairs = adopted.select(pl.col(ROW).alias("_episode"), "CHILD", "DEC").join(
        ctx.t("AD1").select(ROW, "CHILD", pl.col("DATE_MATCH").alias("DEC")), on=["CHILD", "DEC"], how="inner"
    )
    return {"Episodes": _rows(pairs, "_episode"), "AD1": _rows(pairs)}


@rule(
    S903,
    583,
    "More than one date the child should be placed for adoption has been reported, but an earlier decision "
    "has not been revoked. Check that both dates are required and add in the date the earlier decision was "
    "revoked. Note this may be in a previous year.",
    "PlacedAdoption",
    ["DATE_PLACED", "DATE_PLACED_CEASED"],
    type="query",
)
def r583(ctx: Context) -> pl.DataFrame:
    """Every decision of a child's but the latest (by DATE_PLACED) needs a DATE_PLACED_CEASED; the earlier
    decision left open is queried ("check that both dates are required")."""
    return _decisions(ctx).filter(~pl.col("_latest") & ~sent("DATE_PLACED_CEASED"))


@rule(
    S903,
    584,
    # The DfE's message has "decision to placed"; kept as published.
    "Date of decision that the child should be placed for adoption this year is different from that "
    "recorded last year, but the decision to placed the child for adoption changed and the child should no "
    "longer be placed for adoption.",
    "PlacedAdoption",
    ["DATE_PLACED"],
)
def r584(ctx: Context) -> pl.DataFrame:
    """After last year's return showed a decision ceased (DATE_PLACED_CEASED or REASON_PLACED_CEASED
    completed), any decision this year must be a new one: DATE_PLACED completed and after the latest ceased
    DATE_PLACED of last year."""
    ceased_last = (
        ctx.prev("PlacedAdoption")
        .filter(
            pl.col("DATE_PLACED").is_not_null()
            & (sent("DATE_PLACED_CEASED") | pl.col("REASON_PLACED_CEASED").is_not_null())
        )
        .group_by("CHILD")
        .agg(pl.col("DATE_PLACED").max().alias("_ceased"))
    )
    return (
        ctx.t("PlacedAdoption")
        .join(ceased_last, on="CHILD", how="inner")
        .filter(pl.col("DATE_PLACED").is_null() | (pl.col("DATE_PLACED") <= pl.col("_ceased")))
    )


@rule(
    S903,
    586,
    # The DfE's message uses a typographic apostrophe; kept as published.
    "Dates of missing periods are before child’s date of birth.",
    "Missing",
    ["DOB", "MIS_START"],
    reads=["Header"],
)
def r586(ctx: Context) -> pl.DataFrame:
    """MIS_START on or before the child's date of birth (the Missing row's DOB, or the header's when it is
    blank): no child can be missing from care on the day they are born."""
    dob = ctx.t("Header").select("CHILD", pl.col("DOB").alias("_dob")).unique("CHILD", keep="first")
    missing = ctx.t("Missing").join(dob, on="CHILD", how="left")
    return missing.filter(pl.col("MIS_START") <= pl.coalesce("DOB", "_dob"))


# --- Adoptions (AD1) ----------------------------------------------------------------------------


def _adopted_in_year(ctx: Context) -> pl.DataFrame:
    """Episodes ending in adoption (REC E11 or E12) with DEC in the collection year."""
    return ctx.t("Episodes").filter(
        in_codes("REC", _ADOPTED) & (pl.col("DEC") >= ctx.start) & (pl.col("DEC") <= ctx.end)
    )


@rule(
    S903,
    601,
    "The additional fields relating to adoption have not been completed although the episode data shows "
    "that the child was adopted during the year.",
    "Episodes",
    ["REC", "DEC"],
    also={"AD1": list(_AD1_DATA)},
)
def r601(ctx: Context) -> dict[str, pl.DataFrame]:
    """A child adopted in the year (REC E11 or E12, DEC in the year) needs an AD1 row with all six adoption
    items. The episode is flagged with the incomplete AD1 row, or alone when there is no AD1 row (which the
    reference validator lets pass, though the items are then surely not completed)."""
    adopted = _adopted_in_year(ctx).filter(pl.col("CHILD").is_not_null())
    ad1 = ctx.t("AD1").filter(pl.col("CHILD").is_not_null())
    incomplete = ad1.filter(pl.any_horizontal(_blank(c) for c in _AD1_DATA))
    complete = ad1.join(incomplete.select(ROW), on=ROW, how="anti").select("CHILD").unique()
    return {
        "Episodes": adopted.join(complete, on="CHILD", how="anti").select(ROW),
        "AD1": incomplete.join(adopted.select("CHILD").unique(), on="CHILD", how="semi").select(ROW),
    }


@rule(
    S903,
    602,
    "The episode data submitted for this child does not show that he/she was adopted during the year.",
    "AD1",
    ["CHILD"],
    reads=["Episodes"],
)
def r602(ctx: Context) -> pl.DataFrame:
    """An AD1 row with any adoption item completed needs an episode of the child's ending in adoption
    (REC E11 or E12) with DEC in the year."""
    adopted = _adopted_in_year(ctx).select("CHILD").unique()
    return (
        ctx.t("AD1")
        .filter(pl.any_horizontal(~_blank(c) for c in _AD1_DATA))
        .join(adopted, on="CHILD", how="anti")
    )


# --- Mothers ------------------------------------------------------------------------------------


@rule(
    S903,
    607,
    "Child ceased to be looked after in the year, but mother field has not been completed.",
    "Header",
    ["SEX", "MOTHER"],
    also={"Episodes": ["DEC", "REC", "LS"]},
)
def r607(ctx: Context) -> dict[str, pl.DataFrame]:
    """A girl (SEX F) with an episode ending care in the year (DEC in the year, REC present and not X1, LS not
    V3 or V4) must have MOTHER completed; the header row and those episodes are flagged."""
    ceased = ctx.t("Episodes").filter(
        (pl.col("DEC") >= ctx.start)
        & (pl.col("DEC") <= ctx.end)
        & pl.col("REC").is_not_null()
        & (pl.col("REC") != "X1")
        & ~in_codes("LS", _SHORT_BREAKS)
    )
    girls = ctx.t("Header").filter(
        (pl.col("SEX") == "F") & pl.col("MOTHER").is_null() & pl.col("CHILD").is_not_null()
    )
    return {
        "Header": girls.join(ceased.select("CHILD").unique(), on="CHILD", how="semi").select(ROW),
        "Episodes": ceased.join(girls.select("CHILD").unique(), on="CHILD", how="semi").select(ROW),
    }


@rule(
    S903,
    611,
    "Date of birth field is blank, but child is a mother.",
    "Header",
    ["MOTHER", "MC_DOB"],
)
def r611(ctx: Context) -> pl.Expr:
    return (pl.col("MOTHER") == "1") & ~sent("MC_DOB")


@rule(
    S903,
    612,
    "Date of birth field has been completed but mother field indicates child is not a mother.",
    "Header",
    ["SEX", "MOTHER", "MC_DOB"],
)
def r612(ctx: Context) -> pl.Expr:
    """A girl (SEX F) with MC_DOB completed must have MOTHER 1 (a blank MOTHER counts as not a mother)."""
    return (pl.col("SEX") == "F") & sent("MC_DOB") & pl.col("MOTHER").ne_missing(pl.lit("1"))


@rule(
    S903,
    620,
    "Child has been recorded as a mother, but date of birth shows that the mother is under 11 years of age.",
    "Header",
    ["DOB", "MOTHER"],
)
def r620(ctx: Context) -> pl.Expr:
    """A mother (MOTHER 1) must have turned 11 by 1 April."""
    return (pl.col("MOTHER") == "1") & (birthday("DOB", 11) > ctx.start)


@rule(
    S903,
    621,
    # The DfE's message uses a typographic apostrophe; kept as published.
    "Mother’s field has been completed but date of birth shows that the mother is younger than her child.",
    "Header",
    ["DOB", "MC_DOB"],
)
def r621(ctx: Context) -> pl.Expr:
    """MC_DOB, where completed, must be after the child's own DOB."""
    return pl.col("MC_DOB") <= pl.col("DOB")


@rule(
    S903,
    624,
    "Date of birth of the first child contradicts the date of birth of the first child previously recorded.",
    "Header",
    ["MC_DOB"],
)
def r624(ctx: Context) -> pl.DataFrame:
    """Where last year's header gave MC_DOB, this year's must be the same date."""
    last = (
        ctx.prev("Header")
        .filter(pl.col("MC_DOB").is_not_null() & pl.col("CHILD").is_not_null())
        .select("CHILD", pl.col("MC_DOB").alias("_before"))
        .unique("CHILD", keep="first")
    )
    return (
        ctx.t("Header")
        .join(last, on="CHILD", how="inner")
        .filter(pl.col("MC_DOB").ne_missing(pl.col("_before")))
    )


@rule(
    S903,
    625,
    "Date of birth of the first child is beyond the end of this reporting year or the date the child ceased "
    "to be looked after.",
    "Header",
    ["MC_DOB"],
    also={"Episodes": ["DEC"]},
)
def r625(ctx: Context) -> dict[str, pl.DataFrame]:
    """MC_DOB must not be after 31 March, nor after the DEC of the child's latest episode when that episode
    has ended (which is then flagged too). The reference validator takes the latest DEC even when a later
    episode is still open, when the child has not ceased to be looked after."""
    latest = episodes_in_order(ctx).filter(pl.col("_last") & pl.col("DEC").is_not_null())
    header = ctx.t("Header").filter(pl.col("MC_DOB").is_not_null())
    after_dec = (
        header.select(ROW, "CHILD", "MC_DOB")
        .join(latest.select(pl.col(ROW).alias("_episode"), "CHILD", "DEC"), on="CHILD", how="inner")
        .filter(pl.col("MC_DOB") > pl.col("DEC"))
    )
    after_end = header.filter(pl.col("MC_DOB") > ctx.end).select(ROW)
    return {
        "Header": pl.concat([after_end, after_dec.select(ROW)]).unique(),
        "Episodes": _rows(after_dec, "_episode"),
    }


@rule(
    S903,
    626,
    "Child was reported as a mother but the date of birth of the first child is before the current year "
    "which contradicts with the mother status recorded last year.",
    "Header",
    ["MOTHER", "MC_DOB"],
)
def r626(ctx: Context) -> pl.DataFrame:
    """A child who was not a mother last year (MOTHER 0) and is one now (MOTHER 1) must have had her first
    child this year: MC_DOB on or after 1 April."""
    last = (
        ctx.prev("Header")
        .filter((pl.col("MOTHER") == "0") & pl.col("CHILD").is_not_null())
        .select("CHILD")
        .unique()
    )
    return (
        ctx.t("Header")
        .filter((pl.col("MOTHER") == "1") & (pl.col("MC_DOB") < ctx.start))
        .join(last, on="CHILD", how="semi")
    )


@rule(
    S903,
    628,
    "Motherhood details are not required for care leavers who have not been looked after during the year.",
    "Header",
    ["MOTHER"],
    reads=["Episodes", "OC3"],
)
def r628(ctx: Context) -> pl.DataFrame:
    """A care leaver (OC3 row with IN_TOUCH, ACTIV or ACCOM completed) with no episode this year must have
    MOTHER blank."""
    leavers = (
        ctx.t("OC3")
        .filter(pl.any_horizontal(pl.col(c).is_not_null() for c in ("IN_TOUCH", "ACTIV", "ACCOM")))
        .select("CHILD")
        .unique()
    )
    in_care = ctx.t("Episodes").select("CHILD").unique()
    return (
        ctx.t("Header")
        .filter(pl.col("MOTHER").is_not_null())
        .join(leavers, on="CHILD", how="semi")
        .join(in_care, on="CHILD", how="anti")
    )


# --- Previous permanence (PrevPerm) -------------------------------------------------------------


@rule(
    S903,
    630,
    "Information on previous permanence option should be returned.",
    "Episodes",
    ["RNE", "DECOM"],
    reads=["PrevPerm"],
)
def r630(ctx: Context) -> pl.DataFrame:
    """A child who started to be looked after this year (RNE S, DECOM on or after 1 April) needs a PrevPerm
    row with PREV_PERM; unless that is Z1 (none), LA_PERM and DATE_PERM too."""
    complete = (
        ctx.t("PrevPerm")
        .filter(
            pl.col("PREV_PERM").is_not_null()
            & (
                (pl.col("PREV_PERM") == "Z1")
                | (pl.col("LA_PERM").is_not_null() & pl.col("DATE_PERM").is_not_null())
            )
        )
        .select("CHILD")
        .unique()
    )
    return (
        ctx.t("Episodes")
        .filter((pl.col("RNE") == "S") & (pl.col("DECOM") >= ctx.start) & pl.col("CHILD").is_not_null())
        .join(complete, on="CHILD", how="anti")
    )


@rule(S903, 631, "Previous permanence option not a valid value.", "PrevPerm", ["PREV_PERM"])
def r631(ctx: Context) -> pl.Expr:
    return pl.col("PREV_PERM").is_not_null() & ~in_codes("PREV_PERM", CODES.PREV_PERM.valid(ctx.year.start))


# DATE_PERM is DD/MM/YYYY, where the day, the month or the year may be unknown (ZZ, ZZ, ZZZZ). The DfE
# writes the unknown parts in lower case (zz/MM/YYYY), so either case is accepted: the text is upper-cased.
_DATE_PERM = r"^(\d{2}|ZZ)/(\d{2}|ZZ)/(\d{4}|ZZZZ)$"


def _date_perm_text() -> pl.Expr:
    return pl.col("DATE_PERM").str.strip_chars().str.to_uppercase()


def _date_perm_earliest() -> pl.Expr:
    """The earliest date DATE_PERM can mean (an unknown day or month read as the 1st or January), or null if
    it is not a possible date. An unknown year is read as 2000 (a leap year, so 29/02 is possible)."""
    text = _date_perm_text()
    parts = text.str.extract_groups(_DATE_PERM)
    day = pl.when(parts.struct.field("1") == "ZZ").then(pl.lit("01")).otherwise(parts.struct.field("1"))
    month = pl.when(parts.struct.field("2") == "ZZ").then(pl.lit("01")).otherwise(parts.struct.field("2"))
    year = pl.when(parts.struct.field("3") == "ZZZZ").then(pl.lit("2000")).otherwise(parts.struct.field("3"))
    return pl.concat_str([day, month, year], separator="/").str.to_date("%d/%m/%Y", strict=False)


@rule(
    S903,
    632,
    "Date of previous permanence order not a valid value.",
    "PrevPerm",
    ["DATE_PERM"],
    reads=["Episodes"],
)
def r632(ctx: Context) -> pl.DataFrame:
    """DATE_PERM, where completed, must be a possible date in the DD/MM/YYYY form (any part may be ZZ, or
    ZZZZ for the year, when unknown, in either case) and before the DECOM of the child's first episode this
    year. With part of the date unknown it is compared at its earliest, so only a date that must be too
    late fails (the reference validator takes the latest, flagging dates that may well be right). An order
    before a period of care that began in an earlier year is judged against a later DECOM, so may pass
    wrongly."""
    first = (
        ctx.t("Episodes")
        .filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null())
        .group_by("CHILD")
        .agg(pl.col("DECOM").min().alias("_first"))
    )
    perm = ctx.t("PrevPerm").with_columns(
        _date_perm_earliest().alias("_date"),
        _date_perm_text().str.ends_with("ZZZZ").fill_null(False).alias("_no_year"),
    )
    late = (pl.col("_date") >= pl.col("_first")) & ~pl.col("_no_year")
    return perm.join(first, on="CHILD", how="left").filter(
        pl.col("DATE_PERM").is_not_null() & (pl.col("_date").is_null() | late.fill_null(False))
    )


@rule(
    S903,
    633,
    "Local authority code where previous permanence option was arranged is not a valid value.",
    "PrevPerm",
    ["LA_PERM"],
)
def r633(ctx: Context) -> pl.Expr:
    """LA_PERM, where completed, must be a local authority code, or WAL, SCO, NIR or NUK for an order made
    outside England."""
    return pl.col("LA_PERM").is_not_null() & ~in_codes("LA_PERM", _LA_CODES)


@rule(
    S903,
    634,
    "There are entries for previous permanence options, but child has not started to be looked after from "
    "1 April 2016 onwards.",
    "PrevPerm",
    ["LA_PERM", "PREV_PERM", "DATE_PERM"],
    reads=["Episodes"],
)
def r634(ctx: Context) -> pl.DataFrame:
    """A child with PREV_PERM, LA_PERM or DATE_PERM completed needs an episode with DECOM on or after
    1 April 2016. Children with no episodes are not judged. (The reference validator compares with the
    start of the collection year instead of the date in the message.)"""
    recent = ctx.t("Episodes").filter(pl.col("DECOM") >= dt.date(2016, 4, 1)).select("CHILD").unique()
    with_episodes = ctx.t("Episodes").select("CHILD").unique()
    return (
        ctx.t("PrevPerm")
        .filter(pl.any_horizontal(pl.col(c).is_not_null() for c in ("PREV_PERM", "LA_PERM", "DATE_PERM")))
        .join(with_episodes, on="CHILD", how="semi")
        .join(recent, on="CHILD", how="anti")
    )


@rule(
    S903,
    635,
    # The DfE's message has no closing full stop; kept as published.
    "There are entries for date of order and local authority code where previous permanence option was "
    "arranged but previous permanence code is Z1",
    "PrevPerm",
    ["LA_PERM", "DATE_PERM", "PREV_PERM"],
)
def r635(ctx: Context) -> pl.Expr:
    """PREV_PERM Z1 (no previous permanence option) with LA_PERM or DATE_PERM completed. The reference
    validator flags a blank PREV_PERM instead, which is not what the message says."""
    return (pl.col("PREV_PERM") == "Z1") & (
        pl.col("LA_PERM").is_not_null() | pl.col("DATE_PERM").is_not_null()
    )
