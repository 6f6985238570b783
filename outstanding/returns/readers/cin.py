"""Children in need census XML → typed tables.

Nearly every file is read by the columnar reader (:mod:`cin_columnar`: polars tokenises the file while
libxml2 checks it is well-formed, ~6 CPU-seconds for a national file). Files it cannot read exactly, and
malformed ones, are streamed here with lxml's ``iterparse``, one ``Child`` at a time, clearing each once
read, so memory grows with the number of values kept, not with the XML tree. Both place each element by
its (name, parent) pair in the same table, so they read the same values and word their findings alike;
both gather values as text, then type them column by column (see :mod:`coerce`). ``Sex`` and the older
``GenderCurrent`` are both read into ChildIdentifiers.

Row keys the file does not carry are assigned here: ``CINdetailsID`` (per CINdetails, across the file),
``AssessmentID`` and ``CPPID``, so rules can join Assessments, AssessmentFactors, plans, Reviews and
PreProceedings to their parents. Module 5 (2026-27 on), ``PreProceedingsandFGDM`` inside a CINdetails, is
read into PreProceedings, a row per element; earlier years' files simply have none.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable
from pathlib import Path
from typing import IO

import polars as pl
from lxml import etree

from outstanding.returns import findings as F
from outstanding.returns.readers import ReadResult
from outstanding.returns.readers.cin_columnar import _PAIR_TARGET, _ROOT, _TARGETS, read_columnar
from outstanding.returns.readers.coerce import type_table
from outstanding.returns.schemas import (
    CIN_CHILD,
    CIN_DATE_FORMAT,
    CIN_GENERATED,
    CIN_TABLES,
    LINE,
    empty_table,
)

_KEY_FIELDS = {
    table: tuple(k for k in ("CINdetailsID", "AssessmentID", "CPPID") if k in fields)
    for table, fields in CIN_TABLES.items()
}
_DONE = "{urn:outstanding:reader}done"  # marks a Child or Header already read (and cleared)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if "}" in tag else tag


class _Columns:
    """Column-wise accumulation for one table."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = (LINE, *names)
        self.data: dict[str, list[object]] = {n: [] for n in self.names}

    def new_row(self, line: int | None) -> int:
        for values in self.data.values():
            values.append(None)
        index = len(self.data[LINE]) - 1
        self.data[LINE][index] = line
        return index

    def frame(self) -> pl.DataFrame:
        schema = {n: (pl.Int64 if n == LINE or n in CIN_GENERATED else pl.String) for n in self.names}
        return pl.DataFrame(self.data, schema=schema)


class _CinReader:
    """Places each element by its (name, parent) pair, with the columnar reader's placement table, so both
    readers read the same values and word their findings alike: an element whose pair is not in the schema
    is reported as unexpected and nothing inside it is read."""

    def __init__(self) -> None:
        self.cols = {name: _Columns(tuple(fields)) for name, fields in CIN_TABLES.items()}
        self.problems: list[F.Finding] = []
        self.ids = {"CINdetailsID": 0, "AssessmentID": 0, "CPPID": 0}
        self.current: dict[str, int] = {}  # table -> index of the row being filled
        self.children = 0

    def problem(
        self,
        message: str,
        line: int | None,
        child: str | None = None,
        table: str | None = None,
        field: str = "",
    ) -> None:
        self.problems.append(F.Finding(F.READ_CODE, F.ERROR, message, child, table, line, field))

    def walk(self, el: etree._Element, parent: str) -> None:
        """Read ``el``, whose parent element is named ``parent``, and everything placed inside it."""
        if el.get(_DONE) is not None:
            return
        name = _local(el.tag)
        target = _PAIR_TARGET.get((name, parent))
        if target is None:
            self.problem(f"unexpected element {name} in {parent or 'the document'}", _line_of(el), field=name)
            return
        kind, table, field = _TARGETS[target]
        if kind == "child":
            self.child(el)
            return
        if kind == "value":
            column = self.cols[table].data[field]
            index = self.current[table]  # placed, so its parent is the table's latest row
            if column[index] is not None:
                self.problem(f"{field} appears more than once in {parent}", _line_of(el), None, table, field)
            else:
                column[index] = "" if el.text is None else el.text  # "" marks an empty element as seen
        elif kind in ("row", "many"):
            cols = self.cols[table]
            index = cols.new_row(_line_of(el))
            if kind == "row":
                key = _ROW_KEY.get(table)
                if key is not None:
                    self.ids[key] += 1
                self.current[table] = index
            else:
                cols.data[field][index] = el.text
            for key in _KEY_FIELDS[table]:
                cols.data[key][index] = self.ids[key]
        for sub in el:
            if isinstance(sub.tag, str):
                self.walk(sub, name)

    def child(self, el: etree._Element) -> None:
        """Read one Child; its id is known only once read, so it is then given to every row and finding."""
        self.children += 1
        cols = self.cols
        first = {name: len(c.data[LINE]) for name, c in cols.items()}
        problems_before = len(self.problems)
        for sub in el:
            if isinstance(sub.tag, str):
                self.walk(sub, "Child")
        if len(cols["ChildIdentifiers"].data[LINE]) == first["ChildIdentifiers"]:
            self.problem("Child has no ChildIdentifiers", _line_of(el), None, "ChildIdentifiers")
            cols["ChildIdentifiers"].new_row(_line_of(el))
        raw_id = cols["ChildIdentifiers"].data[CIN_CHILD][first["ChildIdentifiers"]]
        child_id = (raw_id.strip() or None) if isinstance(raw_id, str) else None
        for name, c in cols.items():
            if name == "Header":
                continue
            column = c.data[CIN_CHILD]
            begin = first[name]
            if len(column) > begin:
                column[begin:] = [child_id] * (len(column) - begin)
        for i in range(problems_before, len(self.problems)):
            p = self.problems[i]
            self.problems[i] = F.Finding(
                p.code, p.type, p.message, child_id, p.table, p.row, p.fields, p.values
            )


_ROW_KEY = {"CINdetails": "CINdetailsID", "Assessments": "AssessmentID", "ChildProtectionPlans": "CPPID"}


def _line_of(node: etree._Element) -> int | None:
    """The line an element starts on. libxml2 keeps lines up to 65,534 on the element; past that it takes
    the line of the next text node (the element's first text, or else its tail, or else the next element's),
    counted where that text ends, so the text's own newlines are taken off."""
    line = node.sourceline
    if line is None or line < 65535:
        return line
    if isinstance(node.tag, str):
        if node.text is not None:
            return line - node.text.count("\n")
        if len(node):
            return _line_of(node[0])
    if node.tail is not None:
        return line - node.tail.count("\n")
    following = node.getnext()
    return line if following is None else _line_of(following)


def _placed(el: etree._Element) -> tuple[bool, str]:
    """Whether ``el`` and every element above it are where the schema puts them; and its parent's name."""
    names = []
    node: etree._Element | None = el
    while node is not None:
        names.append(_local(node.tag))
        node = node.getparent()
    names.append(_ROOT)
    placed = all((names[i], names[i + 1]) in _PAIR_TARGET for i in range(len(names) - 1))
    return placed, names[1]


def read_cin(source: Path | str | IO[bytes], progress: Callable[[int], object] | None = None) -> ReadResult:
    """Read a CIN census XML file. Never raises for bad input: problems become ``READ`` findings.

    ``progress``, if given, is called with the number of bytes read so far (for a progress bar). Files the
    columnar reader can take exactly (nearly all) are read by it; the rest are streamed element by element.
    """
    try:
        if isinstance(source, str | Path):
            data = Path(source).read_bytes()
        else:
            data = source.read()
    except OSError as exc:
        reader = _CinReader()
        reader.problem(f"the file could not be opened: {exc.strerror or exc}", None)
        return ReadResult(
            tables={name: empty_table("cin", name) for name in CIN_TABLES},
            findings=F.from_list(reader.problems),
            fatal=True,
        )
    columnar = read_columnar(data)
    if columnar is None:
        return _read_streaming(io.BytesIO(data), progress)
    if progress is not None:
        progress(len(data))
    found = [columnar.problems]
    fatal = False
    if columnar.children == 0:
        found.append(F.from_list([F.Finding(F.READ_CODE, F.ERROR, "the file holds no Child elements")]))
        fatal = True
    return _typed(columnar.frames, found, fatal)


def _typed(frames: dict[str, pl.DataFrame], found: list[pl.DataFrame], fatal: bool) -> ReadResult:
    if not fatal and frames["Header"].height == 0:
        # Rules needing the collection year or reference date would otherwise pass in silence.
        found.append(F.from_list([F.Finding(F.READ_CODE, F.ERROR, "the file has no Header", table="Header")]))
    tables: dict[str, pl.DataFrame] = {}
    for name, kinds in CIN_TABLES.items():
        typed, bad = type_table(
            frames[name],
            kinds,
            table=name,
            child_column=CIN_CHILD,
            date_format=CIN_DATE_FORMAT,
            generated=CIN_GENERATED,
        )
        tables[name] = typed
        found.append(bad)
    return ReadResult(tables=tables, findings=F.concat(found), fatal=fatal)


def _read_streaming(handle: IO[bytes], progress: Callable[[int], object] | None = None) -> ReadResult:
    """Read with lxml's iterparse, one Child at a time: for files the columnar reader cannot take exactly,
    and malformed ones, whose error it reports with its line (keeping the children read before it)."""
    reader = _CinReader()
    fatal = False
    # Millions of small strings are kept, none of them in cycles: the cyclic collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    events = etree.iterparse(
        handle,
        events=("end",),
        tag=("{*}Child", "{*}Header"),
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
    )
    try:
        for _event, el in events:
            placed, parent_name = _placed(el)
            if not placed:
                continue  # read (as unexpected) with whatever holds it
            reader.walk(el, parent_name)
            if reader.children % 5000 == 0 and progress is not None and _local(el.tag) == "Child":
                progress(handle.tell())
            el.clear(keep_tail=False)
            el.set(_DONE, "")
            parent = el.getparent()
            if parent is not None:
                # Drop what came before, reading first anything not yet read (elements out of place).
                while el.getprevious() is not None:
                    earlier = parent[0]
                    if isinstance(earlier.tag, str):
                        reader.walk(earlier, parent_name)
                    del parent[0]
        if events.root is not None:
            reader.walk(events.root, _ROOT)  # what is left: the document's elements outside any Child
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        reader.problem(f"the file is not well-formed XML (line {line}, column {column}): {exc.msg}", line)
        fatal = reader.children == 0
    finally:
        if collecting:
            gc.enable()
    if not fatal and reader.children == 0:
        reader.problem("the file holds no Child elements", None)
        fatal = True
    return _typed({name: c.frame() for name, c in reader.cols.items()}, [F.from_list(reader.problems)], fatal)
