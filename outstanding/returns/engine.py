"""The rule engine: a registry of declarative rules and a runner that turns their results into findings.

A rule names the table whose rows it flags, the fields it reads there, the other tables it reads, the
collection
years it applies to, and a check. The check takes the :class:`Context` and returns either

* a polars expression over the rule's own table (``True`` = the row fails), or
* a DataFrame (or LazyFrame) holding ``_row`` of the failing rows of that table, built with joins and
  aggregations across tables, or
* for a rule that flags rows in more than one table (``also``), a dict of table name to such a frame.

A DfE rule that cannot be checked from the files alone is registered with :func:`not_checkable` and the
reason, so ``outstanding validate rules`` lists it rather than leaving it silently out.

Rules never loop over rows in Python. The runner looks up child and values for the flagged rows itself, so
every finding has the same shape whatever the rule.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from outstanding.codes import year_label, year_start
from outstanding.returns import findings as F
from outstanding.returns.schemas import CHILD_COLUMN, LINE, RAW, ROW, TABLES, empty_table

Return = Literal["cin", "903"]
RuleType = Literal["error", "query"]
RETURNS: tuple[Return, ...] = ("cin", "903")

#: The collection years this validator implements rules for.
SUPPORTED_YEARS: tuple[int, ...] = (2024, 2025, 2026)


@dataclass(frozen=True)
class CollectionYear:
    """A DfE collection year, 1 April to 31 March."""

    start: int

    @classmethod
    def parse(cls, text: str | int) -> CollectionYear:
        return cls(year_start(text))

    @property
    def label(self) -> str:
        return year_label(self.start)

    @property
    def collection_start(self) -> dt.date:
        return dt.date(self.start, 4, 1)

    @property
    def collection_end(self) -> dt.date:
        return dt.date(self.start + 1, 3, 31)

    @property
    def reference_date(self) -> dt.date:
        return self.collection_end


@dataclass
class Context:
    """What a check sees: the typed tables, the year, and (903) last year's tables if sent."""

    return_: Return
    year: CollectionYear
    tables: dict[str, pl.DataFrame]
    previous: dict[str, pl.DataFrame] | None = None

    def __post_init__(self) -> None:
        for name in TABLES[self.return_]:
            self.tables.setdefault(name, empty_table(self.return_, name))

    def t(self, name: str) -> pl.DataFrame:
        return self.tables[name]

    def prev(self, name: str) -> pl.DataFrame:
        """Last year's table (empty if not sent)."""
        if self.previous is None or name not in self.previous:
            return empty_table(self.return_, name)
        return self.previous[name]

    @property
    def has_previous(self) -> bool:
        return self.previous is not None

    @property
    def start(self) -> dt.date:
        return self.year.collection_start

    @property
    def end(self) -> dt.date:
        return self.year.collection_end


Check = Callable[[Context], "pl.Expr | pl.DataFrame | pl.LazyFrame | dict[str, pl.DataFrame | pl.LazyFrame]"]


@dataclass(frozen=True)
class Rule:
    return_: Return
    code: str
    type: RuleType
    message: str
    table: str
    fields: tuple[str, ...]
    years: frozenset[int]
    check: Check = field(repr=False, compare=False)
    reads: tuple[str, ...] = ()  # other tables the check reads
    # Other tables whose rows the rule also flags, with the fields shown for them.
    also: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def applies_to(self, year: CollectionYear | int) -> bool:
        start = year.start if isinstance(year, CollectionYear) else year
        return start in self.years

    def describe(self) -> dict[str, object]:
        return {
            "code": self.code,
            "type": self.type,
            "message": self.message,
            "table": self.table,
            "fields": list(self.fields),
            "reads": sorted({self.table, *self.reads, *(t for t, _ in self.also)}),
            "also_flags": {t: list(f) for t, f in self.also},
            "years": [year_label(y) for y in sorted(self.years)],
            "checked": True,
        }


@dataclass(frozen=True)
class NotCheckable:
    """A DfE rule in force that this validator cannot check from the files alone, and why."""

    return_: Return
    code: str
    type: RuleType
    message: str
    years: frozenset[int]
    reason: str

    def applies_to(self, year: CollectionYear | int) -> bool:
        start = year.start if isinstance(year, CollectionYear) else year
        return start in self.years

    def describe(self) -> dict[str, object]:
        return {
            "code": self.code,
            "type": self.type,
            "message": self.message,
            "years": [year_label(y) for y in sorted(self.years)],
            "checked": False,
            "reason": self.reason,
        }


REGISTRY: dict[Return, list[Rule]] = {"cin": [], "903": []}
NOT_CHECKABLE: dict[Return, list[NotCheckable]] = {"cin": [], "903": []}


def _years(years: Iterable[str | int] | None) -> frozenset[int]:
    if years is None:
        return frozenset(SUPPORTED_YEARS)
    return frozenset(year_start(y) for y in years)


def rule(
    return_: Return,
    code: str | int,
    message: str,
    table: str,
    fields: Sequence[str],
    *,
    type: RuleType = "error",
    years: Iterable[str | int] | None = None,
    reads: Sequence[str] = (),
    also: dict[str, Sequence[str]] | None = None,
) -> Callable[[Check], Check]:
    """Register a check as a DfE rule. Used as a decorator on a function of the :class:`Context`.

    ``also`` names other tables whose rows the rule flags too (with the fields to show for each); the
    check then returns a dict of table name to a frame of ``_row``.
    """

    def register(check: Check) -> Check:
        extra = tuple((t, tuple(f)) for t, f in (also or {}).items())
        new = Rule(
            return_,
            str(code),
            type,
            message,
            table,
            tuple(fields),
            _years(years),
            check,
            tuple(reads),
            extra,
        )
        schema = TABLES[return_]
        for name, names in ((table, new.fields), *extra):
            if name not in schema:
                raise ValueError(f"rule {code}: {name} is not a {return_} table")
            unknown = [f for f in names if f not in schema[name]]
            if unknown:
                raise ValueError(f"rule {code}: {unknown} are not fields of {name}")
        for other in new.reads:
            if other not in schema:
                raise ValueError(f"rule {code}: {other} is not a {return_} table")
        _no_clash(return_, new.code, new.years)
        REGISTRY[return_].append(new)
        return check

    return register


def not_checkable(
    return_: Return,
    code: str | int,
    message: str,
    *,
    reason: str,
    type: RuleType = "error",
    years: Iterable[str | int] | None = None,
) -> None:
    """Record a DfE rule that cannot be checked from the return's files alone, with the reason."""
    if not reason.strip():
        raise ValueError(f"rule {code}: a rule that is not checked needs a reason")
    years_ = _years(years)
    _no_clash(return_, str(code), years_)
    NOT_CHECKABLE[return_].append(NotCheckable(return_, str(code), type, message, years_, reason))


def _no_clash(return_: Return, code: str, years: frozenset[int]) -> None:
    for other in (*REGISTRY[return_], *NOT_CHECKABLE[return_]):
        if other.code == code and other.years & years:
            raise ValueError(f"rule {code} is registered twice for the same year")


def load_rules() -> None:
    """Import the rule modules, which register their rules."""
    from outstanding.returns.rules import cin, ssda903  # noqa: F401


def rules_for(return_: Return, year: CollectionYear | int) -> list[Rule]:
    load_rules()
    return sorted((r for r in REGISTRY[return_] if r.applies_to(year)), key=_sort_key)


def not_checkable_for(return_: Return, year: CollectionYear | int) -> list[NotCheckable]:
    load_rules()
    return sorted((r for r in NOT_CHECKABLE[return_] if r.applies_to(year)), key=_sort_key)


def _sort_key(r: Rule | NotCheckable) -> tuple[int, str]:
    digits = "".join(ch for ch in r.code if ch.isdigit())
    return (int(digits) if digits else 0, r.code)


def _flagged_rows(rule_: Rule, ctx: Context) -> dict[str, pl.DataFrame]:
    """``_row`` of the flagged rows, by table."""
    result = rule_.check(ctx)
    if isinstance(result, pl.Expr):
        return {rule_.table: ctx.t(rule_.table).filter(result.fill_null(False)).select(ROW)}
    results = result if isinstance(result, dict) else {rule_.table: result}
    allowed = {rule_.table, *(t for t, _ in rule_.also)}
    out: dict[str, pl.DataFrame] = {}
    for name, frame in results.items():
        if name not in allowed:
            raise ValueError(f"rule {rule_.code} flagged {name}, which it does not declare")
        if isinstance(frame, pl.LazyFrame):
            frame = frame.collect()
        out[name] = frame.select(pl.col(ROW).cast(pl.Int64)).unique()
    return out


def _findings_for(rule_: Rule, ctx: Context, rows: pl.DataFrame, table_name: str) -> pl.DataFrame:
    table = ctx.t(table_name)
    fields = rule_.fields if table_name == rule_.table else dict(rule_.also)[table_name]
    hit = table.join(rows, on=ROW, how="semi")
    child = CHILD_COLUMN[ctx.return_]
    value_parts = []
    for name in fields:
        source = name + RAW if name + RAW in table.columns else name
        value_parts.append(pl.format("{}={}", pl.lit(name), pl.col(source).cast(pl.String).fill_null("")))
    values = pl.concat_str(value_parts, separator="; ") if value_parts else pl.lit("")
    return hit.select(
        pl.lit(rule_.code).alias("code"),
        pl.lit(rule_.type).alias("type"),
        pl.lit(rule_.message).alias("message"),
        (pl.col(child) if child in table.columns else pl.lit(None, pl.String)).alias("child"),
        pl.lit(table_name).alias("table"),
        pl.col(LINE).alias("row"),
        pl.lit(", ".join(fields)).alias("fields"),
        values.alias("values"),
    )


@dataclass
class RunResult:
    findings: pl.DataFrame
    rules_run: int
    seconds: float
    failed_rules: list[str]


def run_rules(
    ctx: Context,
    rules: Sequence[Rule] | None = None,
    progress: Callable[[Rule], None] | None = None,
) -> RunResult:
    """Run rules over the context. A rule that raises becomes a finding, never a crash."""
    chosen = rules_for(ctx.return_, ctx.year) if rules is None else list(rules)
    began = time.perf_counter()
    frames: list[pl.DataFrame] = []
    failed: list[str] = []
    for r in chosen:
        try:
            for table_name, rows in _flagged_rows(r, ctx).items():
                if rows.height:
                    frames.append(_findings_for(r, ctx, rows, table_name))
        except Exception as exc:  # a defect in one rule must not stop the others
            failed.append(r.code)
            frames.append(
                F.from_list(
                    [
                        F.Finding(
                            r.code,
                            F.ERROR,
                            f"rule {r.code} could not be checked ({type(exc).__name__}: {exc}); "
                            "please report this",
                            table=r.table,
                        )
                    ]
                )
            )
        if progress is not None:
            progress(r)
    return RunResult(F.concat(frames), len(chosen), time.perf_counter() - began, failed)


# --- helpers the rule modules share -------------------------------------------------------------


def missing(name: str) -> pl.Expr:
    return pl.col(name).is_null()


def present(name: str) -> pl.Expr:
    return pl.col(name).is_not_null()


def not_in(name: str, codes: Iterable[str]) -> pl.Expr:
    """Present and not one of the codes."""
    return pl.col(name).is_not_null() & ~pl.col(name).is_in(sorted(codes))


def sent(name: str) -> pl.Expr:
    """The field was filled in, readable or not: typed fields keep their text in ``<name>__raw``."""
    return pl.col(name + RAW).is_not_null()


def unreadable(name: str) -> pl.Expr:
    """Sent, but not readable as its type (a date in the return's form, a whole number, a yes/no)."""
    return pl.col(name + RAW).is_not_null() & pl.col(name).is_null()


def no_rows(ctx: Context, table: str) -> pl.DataFrame:
    """A check's answer when it has nothing to judge (last year's return not sent, say): no rows flagged."""
    return ctx.t(table).clear().select(ROW)


def rows_of(frame: pl.DataFrame | pl.LazyFrame, condition: pl.Expr) -> pl.DataFrame:
    """``_row`` of the rows meeting the condition."""
    lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    return lazy.filter(condition.fill_null(False)).select(ROW).collect()
