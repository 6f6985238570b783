"""Children in need census XML → typed tables.

Streams the file with lxml's ``iterparse``, one ``Child`` at a time, clearing each once read, so memory grows
with the number of values kept, not with the XML tree. Values are gathered as text, then typed column by
column
(see :mod:`coerce`). ``Sex`` and the older ``GenderCurrent`` are both read into ChildIdentifiers.

Row keys the file does not carry are assigned here: ``CINdetailsID`` (per CINdetails, across the file),
``AssessmentID`` and ``CPPID``, so rules can join Assessments, AssessmentFactors, plans and Reviews to
their parents.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import polars as pl
from lxml import etree

from outstanding.returns import findings as F
from outstanding.returns.readers import ReadResult
from outstanding.returns.readers.coerce import type_table
from outstanding.returns.schemas import CIN_CHILD, CIN_DATE_FORMAT, CIN_GENERATED, CIN_TABLES, LINE

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
        self.children += 1
        child_id: str | None = None
        ident: dict[str, object] = {LINE: el.sourceline}
        for part in el:
            if not isinstance(part.tag, str):
                continue
            name = _local(part.tag)
            if name == "ChildIdentifiers":
                ident[LINE] = part.sourceline
                for extra in self.leaves(part, (CIN_CHILD, *_CHILD_FIELDS), "ChildIdentifiers", None, ident):
                    self.unexpected(extra, name, None, "ChildIdentifiers")
                text = ident.get(CIN_CHILD)
                child_id = text.strip() if isinstance(text, str) else None
                ident[CIN_CHILD] = child_id
            elif name == "ChildCharacteristics":
                chars: dict[str, object] = {LINE: part.sourceline, CIN_CHILD: child_id}
                for extra in self.leaves(part, ("Ethnicity",), "ChildCharacteristics", child_id, chars):
                    if _local(extra.tag) == "Disabilities":
                        for dis in extra:
                            if not isinstance(dis.tag, str):
                                continue
                            if _local(dis.tag) == "Disability":
                                self.cols["Disabilities"].add(
                                    {LINE: dis.sourceline, CIN_CHILD: child_id, "Disability": dis.text}
                                )
                            else:
                                self.unexpected(dis, "Disabilities", child_id, "Disabilities")
                    else:
                        self.unexpected(extra, name, child_id, "ChildCharacteristics")
                self.cols["ChildCharacteristics"].add(chars)
            elif name == "CINdetails":
                self.cin_details(part, child_id)
            else:
                self.unexpected(part, "Child", child_id, "ChildIdentifiers")
        if "ChildIdentifiers" not in {(_local(p.tag) if isinstance(p.tag, str) else "") for p in el}:
            self.problem("Child has no ChildIdentifiers", el.sourceline, None, "ChildIdentifiers")
        self.cols["ChildIdentifiers"].add(ident)

    def cin_details(self, el: etree._Element, child: str | None) -> None:
        self.cin_id += 1
        cid = self.cin_id
        row: dict[str, object] = {LINE: el.sourceline, CIN_CHILD: child, "CINdetailsID": cid}
        for part in self.leaves(el, _CIN_FIELDS, "CINdetails", child, row):
            name = _local(part.tag)
            base = {CIN_CHILD: child, "CINdetailsID": cid}
            if name == "Assessments":
                self.assessment_id += 1
                arow: dict[str, object] = {LINE: part.sourceline, **base, "AssessmentID": self.assessment_id}
                for extra in self.leaves(part, _ASSESSMENT_FIELDS, "Assessments", child, arow):
                    if _local(extra.tag) == "FactorsIdentifiedAtAssessment":
                        for factor in extra:
                            if not isinstance(factor.tag, str):
                                continue
                            if _local(factor.tag) == "AssessmentFactors":
                                self.cols["AssessmentFactors"].add(
                                    {
                                        LINE: factor.sourceline,
                                        **base,
                                        "AssessmentID": self.assessment_id,
                                        "AssessmentFactors": factor.text,
                                    }
                                )
                            else:
                                self.unexpected(
                                    factor, "FactorsIdentifiedAtAssessment", child, "AssessmentFactors"
                                )
                    else:
                        self.unexpected(extra, name, child, "Assessments")
                self.cols["Assessments"].add(arow)
            elif name == "CINPlanDates":
                prow: dict[str, object] = {LINE: part.sourceline, **base}
                for extra in self.leaves(part, _PLAN_FIELDS, "CINplanDates", child, prow):
                    self.unexpected(extra, name, child, "CINplanDates")
                self.cols["CINplanDates"].add(prow)
            elif name == "Section47":
                srow: dict[str, object] = {LINE: part.sourceline, **base}
                for extra in self.leaves(part, _S47_FIELDS, "Section47", child, srow):
                    self.unexpected(extra, name, child, "Section47")
                self.cols["Section47"].add(srow)
            elif name == "ChildProtectionPlans":
                self.cpp_id += 1
                crow: dict[str, object] = {LINE: part.sourceline, **base, "CPPID": self.cpp_id}
                for extra in self.leaves(part, _CPP_FIELDS, "ChildProtectionPlans", child, crow):
                    if _local(extra.tag) == "Reviews":
                        for review in extra:
                            if not isinstance(review.tag, str):
                                continue
                            if _local(review.tag) == "CPPreviewDate":
                                self.cols["Reviews"].add(
                                    {
                                        LINE: review.sourceline,
                                        **base,
                                        "CPPID": self.cpp_id,
                                        "CPPreviewDate": review.text,
                                    }
                                )
                            else:
                                self.unexpected(review, "Reviews", child, "Reviews")
                    else:
                        self.unexpected(extra, name, child, "ChildProtectionPlans")
                self.cols["ChildProtectionPlans"].add(crow)
            else:
                self.unexpected(part, "CINdetails", child, "CINdetails")
        self.cols["CINdetails"].add(row)


def read_cin(source: Path | str | IO[bytes], progress: object | None = None) -> ReadResult:
    """Read a CIN census XML file. Never raises for bad input: problems become ``READ`` findings.

    ``progress``, if given, is called with the number of bytes read so far (for a progress bar).
    """
    reader = _CinReader()
    fatal = False
    try:
        handle: IO[bytes]
        if isinstance(source, str | Path):
            handle = open(source, "rb")
        else:
            handle = source
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
                        progress(handle.tell())  # type: ignore[operator]
                else:
                    reader.header(el)
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
        finally:
            if isinstance(source, str | Path):
                handle.close()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        reader.problem(f"the file is not well-formed XML (line {line}, column {column}): {exc.msg}", line)
        fatal = reader.children == 0
    except OSError as exc:
        reader.problem(f"the file could not be opened: {exc.strerror or exc}", None)
        fatal = True
    if not fatal and reader.children == 0:
        reader.problem("the file holds no Child elements", None)
        fatal = True

    tables: dict[str, pl.DataFrame] = {}
    found = [F.from_list(reader.problems)]
    for name, kinds in CIN_TABLES.items():
        typed, bad = type_table(
            reader.cols[name].frame(),
            kinds,
            table=name,
            child_column=CIN_CHILD,
            date_format=CIN_DATE_FORMAT,
            generated=CIN_GENERATED,
        )
        tables[name] = typed
        found.append(bad)
    return ReadResult(tables=tables, findings=F.concat(found), fatal=fatal)
