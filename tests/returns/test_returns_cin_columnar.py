"""The columnar CIN reader gives the same tables as the streaming one, and hands it anything it cannot read
exactly."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from test_returns_readers import CIN_XML, CIN_XML_2026

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
    return sorted(result.findings.select("child", "table", "row", "fields", "values").rows(), key=str)


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
    messages = result.findings.sort("row")["message"].to_list()
    assert messages == [
        "Sex appears more than once in ChildIdentifiers",
        "unexpected element Odd in CINdetails",
        "Child has no ChildIdentifiers",
    ]


def test_no_children_is_fatal() -> None:
    result = read_cin(io.BytesIO(b"<Message><Children></Children></Message>"))
    assert result.fatal and "no Child" in result.findings["message"][0]
    assert isinstance(result.tables["CINdetails"], pl.DataFrame)
