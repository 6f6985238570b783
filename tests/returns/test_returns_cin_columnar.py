"""The columnar CIN reader gives the same tables as the streaming one, and hands it anything it cannot read
exactly."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from test_returns_readers import CIN_XML, CIN_XML_2026, PP_BLOCK

from outstanding.returns.readers import ReadResult
from outstanding.returns.readers.cin import _read_streaming, read_cin
from outstanding.returns.readers.cin_columnar import read_columnar
from outstanding.returns.synthetic import write_cin_xml


def _both(data: bytes) -> tuple[ReadResult, ReadResult]:
    return read_cin(io.BytesIO(data)), _read_streaming(io.BytesIO(data))


def _same_tables(a: ReadResult, b: ReadResult) -> None:
    for name, table in a.tables.items():
        assert table.equals(b.tables[name]), name


def _findings(result: ReadResult) -> list[tuple[object, ...]]:
    return sorted(
        result.findings.select("message", "child", "table", "row", "fields", "values").rows(), key=str
    )


def test_columnar_reads_the_test_file_as_the_streaming_reader_does() -> None:
    data = CIN_XML.encode()
    assert read_columnar(data) is not None
    fast, slow = _both(data)
    _same_tables(fast, slow)
    assert _findings(fast) == _findings(slow)
    assert "unexpected element Bogus in CINdetails" in fast.findings["message"].to_list()


def test_columnar_reads_module_5_as_the_streaming_reader_does() -> None:
    data = CIN_XML_2026.encode()
    assert read_columnar(data) is not None
    fast, slow = _both(data)
    _same_tables(fast, slow)
    assert _findings(fast) == _findings(slow)
    assert fast.tables["PreProceedings"].height == 2
    # Misplaced, module 5 elements are unexpected, not read: a PPStartDate straight inside CINdetails.
    moved = CIN_XML_2026.replace(
        "<ReferralNFA>true</ReferralNFA>",
        "<ReferralNFA>true</ReferralNFA><PPStartDate>2026-08-01</PPStartDate>",
    ).encode()
    for result in _both(moved):
        assert result.tables["PreProceedings"]["PPStartDate__raw"].to_list() == ["2026-09-09", "2026-13-01"]
        assert "unexpected element PPStartDate" in " ".join(result.findings["message"].to_list())


def test_columnar_matches_streaming_on_a_synthetic_year(tmp_path: Path) -> None:
    path = write_cin_xml(tmp_path / "cin.xml", 400, seed=11)
    data = path.read_bytes()
    assert read_columnar(data) is not None
    fast, slow = _both(data)
    _same_tables(fast, slow)
    assert fast.findings.height == slow.findings.height == 0


def test_line_numbers_past_65535(tmp_path: Path) -> None:
    # libxml2 (and so the streaming reader) stops counting lines correctly at 65,535; the columnar reader
    # counts newlines itself.
    path = write_cin_xml(tmp_path / "cin.xml", 2600, seed=3)
    data = path.read_bytes()
    table = read_cin(path).tables["ChildIdentifiers"]
    last = table.row(-1, named=True)
    offset = data.index(f"<LAchildID>{last['LAchildID']}<".encode())
    start = data.rindex(b"<ChildIdentifiers>", 0, offset)
    assert last["_line"] == data.count(b"\n", 0, start) + 1 > 65535


_PP = PP_BLOCK.format(start="2026-09-09", fac="true")
_CPP = "<CPPstartDate>2026-06-01</CPPstartDate>"
_OUTCOME = "<PPOutcome>A</PPOutcome>"
_END_OF_B2_FIRST_EPISODE = (
    "</PreProceedingsandFGDM>\n   </CINdetails>\n   <CINdetails><CINreferralDate>2026-07-01"
)


@pytest.mark.parametrize(
    "change",
    [
        # A leaf after the block closes, inside CINdetails.
        (
            _END_OF_B2_FIRST_EPISODE,
            _END_OF_B2_FIRST_EPISODE.replace("</Pre", "<PPOutcome>Z</PPOutcome></Pre"),
        ),
        (
            _END_OF_B2_FIRST_EPISODE,
            _END_OF_B2_FIRST_EPISODE.replace("FGDM>", "FGDM><PPOutcome>Z</PPOutcome>"),
        ),
        # The block in the wrong place: straight in Child, inside a plan, inside another block.
        ("<CINdetails><CINreferralDate>2026-05-01", _PP + "<CINdetails><CINreferralDate>2026-05-01"),
        (_CPP, _CPP + _PP),
        (_OUTCOME, _OUTCOME + _PP),
        # A known field inside an unknown element inside the block; another table's fields in the block.
        (_OUTCOME, _OUTCOME + "<Wrap><CourtAppDate>2026-01-01</CourtAppDate></Wrap>"),
        (_OUTCOME, _OUTCOME + "<DateOfInitialCPC>2026-01-01</DateOfInitialCPC>"),
        (_OUTCOME, _OUTCOME + "<CINclosureDate>2026-01-01</CINclosureDate>"),
        (_OUTCOME, _OUTCOME + "<CPPendDate>2026-01-01</CPPendDate>"),
        (_OUTCOME, _OUTCOME + "<Disability>MOB</Disability>"),
        (
            _OUTCOME,
            _OUTCOME
            + "<Assessments><AssessmentActualStartDate>2026-05-01</AssessmentActualStartDate></Assessments>",
        ),
        (_OUTCOME, _OUTCOME + "<CINdetails><CINreferralDate>2026-05-01</CINreferralDate></CINdetails>"),
        # Leaves out of place elsewhere; repeats, empty or not.
        (
            "<LAchildID>A1</LAchildID>",
            "<LAchildID>A1</LAchildID><DateOfInitialCPC>2026-01-01</DateOfInitialCPC>",
        ),
        ("</ChildIdentifiers>", "</ChildIdentifiers><PPOutcome>Z</PPOutcome>"),
        (_OUTCOME, "<PPOutcome/><PPOutcome>Z</PPOutcome>"),
        (_OUTCOME, "<PPOutcome></PPOutcome><PPOutcome>Z</PPOutcome>"),
        (_OUTCOME, _OUTCOME + _OUTCOME.replace("A", "B")),
        ("<Year>2027</Year>", "<Year>2027</Year><Year>2028</Year><LEA>1</LEA>"),
        # Elements outside any Child.
        ("<Children>", "<Children><Bogus><Child/></Bogus>"),
        ("</Children>", "<Header/></Children><Stray>1</Stray>"),
        ("</Children>", "<Child><Child/></Child></Children>"),
    ],
)
def test_both_readers_place_misplaced_elements_alike(change: tuple[str, str]) -> None:
    assert change[0] in CIN_XML_2026
    data = CIN_XML_2026.replace(*change, 1).encode()
    assert read_columnar(data) is not None
    fast, slow = _both(data)
    _same_tables(fast, slow)
    assert _findings(fast) == _findings(slow)
    assert any(
        m.startswith(("unexpected element", "PPOutcome appears", "Year appears"))
        for m in fast.findings["message"]
    )
    # Files the columnar reader hands on (here for a comment) are read the same way.
    commented = read_cin(io.BytesIO(data.replace(b"<Children>", b"<Children><!-- MIS -->", 1)))
    _same_tables(fast, commented)
    assert _findings(fast) == _findings(commented)


def test_an_empty_element_then_a_repeat_keeps_the_empty_one() -> None:
    data = CIN_XML_2026.replace(_OUTCOME, "<PPOutcome/><PPOutcome>Z</PPOutcome>", 1).encode()
    for result in _both(data):
        assert result.tables["PreProceedings"]["PPOutcome"].to_list() == [None, "A"]
        assert "PPOutcome appears more than once in PreProceedingsandFGDM" in result.findings["message"]


def test_both_readers_count_lines_past_65535_as_the_file_does(tmp_path: Path) -> None:
    # libxml2 keeps an element's line only up to 65,534; past it the streaming reader works the line out
    # from the text that follows the element's start.
    path = write_cin_xml(tmp_path / "cin.xml", 2400, seed=5, year=2026)
    data = path.read_bytes()
    fast, slow = _both(data)
    _same_tables(fast, slow)
    lines = data.split(b"\n")
    for name, element in (
        ("ChildIdentifiers", b"<ChildIdentifiers"),
        ("PreProceedings", b"<PreProceedingsandFGDM"),
    ):
        table = fast.tables[name].filter(pl.col("_line") > 65535)
        assert table.height
        assert all(lines[line - 1].lstrip().startswith(element) for line in table["_line"])
    # Out-of-place elements past that line are reported at their own line by both readers.
    cut = data.index(b"<LAchildID>", data.index(b"\n", sum(len(x) + 1 for x in lines[:70000])))
    moved = data[:cut] + b"<Bogus/>\n<Odd>\n</Odd>" + data[cut:]
    fast, slow = _both(moved)
    assert _findings(fast) == _findings(slow)
    line = data.count(b"\n", 0, cut) + 1
    assert line > 70000
    assert fast.findings["row"].to_list() == [line, line + 1]


@pytest.mark.parametrize(
    "change",
    [
        ("<Children>", "<Children><!-- a comment -->"),
        ("<LAchildID>A1</LAchildID>", "<LAchildID><![CDATA[A1]]></LAchildID>"),
        ("<LAchildID>A1</LAchildID>", "<LAchildID>&#65;1</LAchildID>"),
        ("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity>WBRI > </Ethnicity>"),
        ("<Children>", "<Children><?app note?>"),
    ],
)
def test_files_the_columnar_reader_hands_on(change: tuple[str, str]) -> None:
    data = CIN_XML.replace(*change).encode()
    assert read_columnar(data) is None
    result = read_cin(io.BytesIO(data))
    assert result.tables["ChildIdentifiers"]["LAchildID"].to_list() == ["A1", "B2"]


def test_malformed_file_is_reported_by_the_streaming_reader() -> None:
    data = CIN_XML.replace("</CINdetails>\n  </Child>", "</Child>", 1).encode()
    assert read_columnar(data) is None
    result = read_cin(io.BytesIO(data))
    assert "not well-formed" in " ".join(result.findings["message"])


def test_entities_prefixes_duplicates_and_missing_identifiers() -> None:
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<c:Message xmlns:c="urn:cin"><c:Children>
 <c:Child><c:ChildIdentifiers><c:LAchildID>A&amp;1</c:LAchildID><c:Sex>F</c:Sex><c:Sex>M</c:Sex>
 </c:ChildIdentifiers><c:CINdetails><c:CINreferralDate>2025-05-01</c:CINreferralDate>
 <c:Odd><c:CINclosureDate>2025-06-01</c:CINclosureDate></c:Odd><c:ReferralNFA/></c:CINdetails></c:Child>
 <c:Child><c:CINdetails><c:CINreferralDate>2025-07-01</c:CINreferralDate></c:CINdetails></c:Child>
</c:Children></c:Message>
"""
    data = xml.encode()
    assert read_columnar(data) is not None
    result = read_cin(io.BytesIO(data))
    ids = result.tables["ChildIdentifiers"]
    assert ids["LAchildID"].to_list() == ["A&1", None]
    assert ids["Sex"].to_list() == ["F", None]
    assert ids["_line"].to_list() == [3, 6]
    details = result.tables["CINdetails"]
    assert details["CINclosureDate"].to_list() == [None, None]  # inside an unexpected element: not read
    assert details["LAchildID"].to_list() == ["A&1", None]
    messages = result.findings.sort("row", nulls_last=True)["message"].to_list()
    assert messages == [
        "Sex appears more than once in ChildIdentifiers",
        "unexpected element Odd in CINdetails",
        "Child has no ChildIdentifiers",
        "the file has no Header",
    ]


def test_no_children_is_fatal() -> None:
    result = read_cin(io.BytesIO(b"<Message><Children></Children></Message>"))
    assert result.fatal and "no Child" in result.findings["message"][0]
    assert isinstance(result.tables["CINdetails"], pl.DataFrame)
