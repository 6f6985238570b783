"""Children in need census XML → typed tables.

Nearly every file is read by the columnar reader (:mod:`cin_columnar`: polars tokenises the file while
libxml2 checks it is well-formed, ~6 CPU-seconds for a national file). Files it cannot read exactly, and
malformed ones, are streamed here with lxml's ``iterparse``, one ``Child`` at a time, clearing each once
read, so memory grows with the number of values kept, not with the XML tree. Both gather values as text,
then type them column by column (see :mod:`coerce`). ``Sex`` and the older ``GenderCurrent`` are both read
into ChildIdentifiers.

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
from outstanding.returns.readers.cin_columnar import read_columnar
from outstanding.returns.readers.coerce import type_table
from outstanding.returns.schemas import (
    CIN_CHILD,
    CIN_DATE_FORMAT,
    CIN_GENERATED,
    CIN_TABLES,
    LINE,
    empty_table,
)

_CHILD_FIELDS = tuple(f for f in CIN_TABLES["ChildIdentifiers"] if f != CIN_CHILD)
_CIN_FIELDS = (
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "ReferralNFA",
)
_ASSESSMENT_FIELDS = (
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
)
_PLAN_FIELDS = ("CINPlanStartDate", "CINPlanEndDate")
_S47_FIELDS = ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
_CPP_FIELDS = (
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
)
_PP_FIELDS = tuple(f for f in CIN_TABLES["PreProceedings"] if f not in (CIN_CHILD, "CINdetailsID"))
_HEADER_FIELDS = tuple(CIN_TABLES["Header"])


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if "}" in tag else tag


class _Columns:
    """Column-wise accumulation for one table."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = (LINE, *names)
        self.data: dict[str, list[object]] = {n: [] for n in self.names}

    def add(self, values: dict[str, object]) -> None:
        for name in self.names:
            self.data[name].append(values.get(name))

    def frame(self) -> pl.DataFrame:
        schema = {n: (pl.Int64 if n == LINE or n in CIN_GENERATED else pl.String) for n in self.names}
        return pl.DataFrame(self.data, schema=schema)


class _CinReader:
    def __init__(self) -> None:
        self.cols = {name: _Columns(tuple(fields)) for name, fields in CIN_TABLES.items()}
        self.problems: list[F.Finding] = []
        self.cin_id = 0
        self.assessment_id = 0
        self.cpp_id = 0
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

    def leaves(
        self,
        parent: etree._Element,
        allowed: tuple[str, ...],
        table: str,
        child: str | None,
        into: dict[str, object],
    ) -> list[etree._Element]:
        """Read the simple elements of ``parent`` listed in ``allowed`` into ``into``; return the others."""
        rest = []
        for el in parent:
            if not isinstance(el.tag, str):
                continue  # comments, processing instructions
            name = _local(el.tag)
            if name in allowed:
                if name in into:
                    self.problem(
                        f"{name} appears more than once in {_local(parent.tag)}",
                        el.sourceline,
                        child,
                        table,
                        name,
                    )
                    continue
                into[name] = el.text
            else:
                rest.append(el)
        return rest

    def unexpected(self, el: etree._Element, where: str, child: str | None, table: str | None) -> None:
        self.problem(
            f"unexpected element {_local(el.tag)} in {where}", el.sourceline, child, table, _local(el.tag)
        )

    def header(self, el: etree._Element) -> None:
        row: dict[str, object] = {LINE: el.sourceline}
        for part in el:
            if not isinstance(part.tag, str):
                continue
            name = _local(part.tag)
            if name in ("CollectionDetails", "Source"):
                for extra in self.leaves(part, _HEADER_FIELDS, "Header", None, row):
                    self.unexpected(extra, name, None, "Header")
            else:
                self.unexpected(part, "Header", None, "Header")
        self.cols["Header"].add(row)

    def child(self, el: etree._Element) -> None:
        """Read one Child by walking its elements in document order (one pass, no per-row dicts)."""
        self.children += 1
        cols = self.cols
        first = {name: len(c.data[LINE]) for name, c in cols.items()}
        problems_before = len(self.problems)
        current: dict[str, int] = {}  # table -> index of the row being filled
        has_identifiers = False
        for e in el.iter():
            tag = e.tag
            if not isinstance(tag, str) or e is el:
                continue
            if "}" in tag:
                tag = tag.rpartition("}")[2]
            table = _ROWS.get(tag)
            if table is not None:
                data = cols[table].data
                for values in data.values():
                    values.append(None)
                index = len(data[LINE]) - 1
                data[LINE][index] = e.sourceline
                current[table] = index
                for inner in _CHILDREN_OF.get(table, ()):
                    current.pop(inner, None)  # a new parent: its children's rows are not yet begun
                if table == "CINdetails":
                    self.cin_id += 1
                    data["CINdetailsID"][index] = self.cin_id
                elif table == "Assessments":
                    self.assessment_id += 1
                    data["AssessmentID"][index] = self.assessment_id
                elif table == "ChildProtectionPlans":
                    self.cpp_id += 1
                    data["CPPID"][index] = self.cpp_id
                elif table == "ChildIdentifiers":
                    has_identifiers = True
                keys = _KEYS.get(table)
                if keys:
                    parent = _PARENT_OF[table]
                    if parent in current:
                        parent_data = cols[parent].data
                        for key in keys:
                            data[key][index] = parent_data[key][current[parent]]
                continue
            many = _MANY.get(tag)
            if many is not None:
                table, holder = many
                data = cols[table].data
                for values in data.values():
                    values.append(None)
                index = len(data[LINE]) - 1
                data[LINE][index] = e.sourceline
                data[tag][index] = e.text
                owner = current.get(holder)
                if owner is not None:
                    holder_data = cols[holder].data
                    for key in _KEYS[table]:
                        data[key][index] = holder_data[key][owner]
                continue
            if tag in _WRAPPERS:
                continue
            table = _LEAVES.get(tag)
            if tag == "DateOfInitialCPC":
                parent_tag = e.getparent().tag
                table = _ROWS.get(parent_tag.rpartition("}")[2] if "}" in parent_tag else parent_tag)
            if table is None or table not in current:
                self.problem(f"unexpected element {tag}", e.sourceline, None, None, tag)
                continue
            column = cols[table].data[tag]
            index = current[table]
            if column[index] is not None:
                self.problem(f"{tag} appears more than once", e.sourceline, None, table, tag)
                continue
            column[index] = e.text
        if not has_identifiers:
            self.problem("Child has no ChildIdentifiers", el.sourceline, None, "ChildIdentifiers")
            data = cols["ChildIdentifiers"].data
            for values in data.values():
                values.append(None)
            data[LINE][-1] = el.sourceline
        # The child's id is known only once read; give it to every row (and problem) this child added.
        ident = cols["ChildIdentifiers"].data[CIN_CHILD]
        raw_id = ident[first["ChildIdentifiers"]]
        child_id = raw_id.strip() if isinstance(raw_id, str) else None
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


_ROWS = {
    "ChildIdentifiers": "ChildIdentifiers",
    "ChildCharacteristics": "ChildCharacteristics",
    "CINdetails": "CINdetails",
    "Assessments": "Assessments",
    "CINPlanDates": "CINplanDates",
    "Section47": "Section47",
    "ChildProtectionPlans": "ChildProtectionPlans",
    "PreProceedingsandFGDM": "PreProceedings",
}
_PARENT_OF = {
    "Assessments": "CINdetails",
    "CINplanDates": "CINdetails",
    "Section47": "CINdetails",
    "ChildProtectionPlans": "CINdetails",
    "PreProceedings": "CINdetails",
}
_CHILDREN_OF = {
    parent: tuple(t for t, p in _PARENT_OF.items() if p == parent) for parent in set(_PARENT_OF.values())
}
# Keys a row copies from the row that holds it.
_KEYS = {
    "Assessments": ("CINdetailsID",),
    "CINplanDates": ("CINdetailsID",),
    "Section47": ("CINdetailsID",),
    "ChildProtectionPlans": ("CINdetailsID",),
    "PreProceedings": ("CINdetailsID",),
    "AssessmentFactors": ("CINdetailsID", "AssessmentID"),
    "Reviews": ("CINdetailsID", "CPPID"),
    "Disabilities": (),
}
# Repeating leaves that are rows of their own: tag -> (table, the row element that holds them)
_MANY = {
    "Disability": ("Disabilities", "ChildCharacteristics"),
    "AssessmentFactors": ("AssessmentFactors", "Assessments"),
    "CPPreviewDate": ("Reviews", "ChildProtectionPlans"),
}
_WRAPPERS = frozenset({"Disabilities", "FactorsIdentifiedAtAssessment", "Reviews"})
_LEAVES = {
    **{f: "ChildIdentifiers" for f in (CIN_CHILD, *_CHILD_FIELDS)},
    "Ethnicity": "ChildCharacteristics",
    **{f: "CINdetails" for f in _CIN_FIELDS},
    **{f: "Assessments" for f in _ASSESSMENT_FIELDS},
    **{f: "CINplanDates" for f in _PLAN_FIELDS},
    **{f: "Section47" for f in _S47_FIELDS},
    **{f: "ChildProtectionPlans" for f in _CPP_FIELDS},
    **{f: "PreProceedings" for f in _PP_FIELDS},
}


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
    try:
        for _event, el in etree.iterparse(
            handle,
            events=("end",),
            tag=("{*}Child", "{*}Header"),
            huge_tree=True,
            resolve_entities=False,
            no_network=True,
        ):
            if _local(el.tag) == "Child":
                reader.child(el)
                if progress is not None and reader.children % 5000 == 0:
                    progress(handle.tell())
            else:
                reader.header(el)
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
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
