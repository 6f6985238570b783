"""Readers: files as sent → typed polars tables plus findings for anything unreadable."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from outstanding.returns import findings as F


@dataclass
class ReadResult:
    """Typed tables (every table of the return present, empty if not sent) and the reader's findings."""

    tables: dict[str, pl.DataFrame]
    findings: pl.DataFrame = field(default_factory=F.empty)
    fatal: bool = False  # the input could not be read at all (not XML, no tables recognised)
