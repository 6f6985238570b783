"""Readers: typed tables from CIN XML and SSDA903 CSVs; unreadable input becomes findings, never an
exception."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from outstanding.returns.readers.cin import read_cin
from outstanding.returns.readers.ssda903 import read_903, recognise

CIN_XML = """<?xml version="1.0" encoding="utf-8"?>
<Message>
 <Header>
  <CollectionDetails><Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate>
  </CollectionDetails>
  <Source><SourceLevel>L</SourceLevel><LEA>201</LEA></Source>
 </Header>
 <Children>
  <Child>
   <ChildIdentifiers><LAchildID>A1</LAchildID><PersonBirthDate>2015-02-30</PersonBirthDate>
    <GenderCurrent>1</GenderCurrent></ChildIdentifiers>
   <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
    <Disabilities><Disability>MOB</Disability><Disability>HAND</Disability></Disabilities></ChildCharacteristics>
   <CINdetails><CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>1A</ReferralSource>
    <Assessments><AssessmentActualStartDate>2025-05-02</AssessmentActualStartDate>
     <FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>
      <AssessmentFactors>2B</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
    <ReferralNFA>maybe</ReferralNFA>
    <ChildProtectionPlans><CPPstartDate>2025-06-01</CPPstartDate><NumberOfPreviousCPP>x</NumberOfPreviousCPP>
     <Reviews><CPPreviewDate>2025-08-01</CPPreviewDate><CPPreviewDate>2025-11-01</CPPreviewDate></Reviews>
    </ChildProtectionPlans>
    <Bogus>1</Bogus>
   </CINdetails>
  </Child>
  <Child><ChildIdentifiers><LAchildID>B2</LAchildID><Sex>F</Sex></ChildIdentifiers>
   <CINdetails><CINreferralDate>2025-06-01</CINreferralDate><ReferralNFA>true</ReferralNFA></CINdetails></Child>
 </Children>
</Message>
"""


def test_cin_reader_types_and_links_tables(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(CIN_XML)
    result = read_cin(path)
    t = result.tables
    assert t["ChildIdentifiers"]["LAchildID"].to_list() == ["A1", "B2"]
    assert t["ChildIdentifiers"]["GenderCurrent"].to_list() == ["1", None]
    assert t["ChildIdentifiers"]["Sex"].to_list() == [None, "F"]
    assert t["Disabilities"]["Disability"].to_list() == ["MOB", "HAND"]
    assert t["CINdetails"]["CINreferralDate"].to_list() == [dt.date(2025, 5, 1), dt.date(2025, 6, 1)]
    assert t["CINdetails"]["ReferralNFA"].to_list() == [None, True]
    assert t["AssessmentFactors"]["AssessmentID"].to_list() == [1, 1]
    assert t["Reviews"]["CPPID"].to_list() == [1, 1]
    assert t["Header"]["ReferenceDate"].to_list() == [dt.date(2026, 3, 31)]
    assert not result.fatal


def test_cin_reader_reports_unreadable_values_with_line(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(CIN_XML)
    findings = read_cin(path).findings
    by_field = {r["fields"]: r for r in findings.to_dicts()}
    assert by_field["PersonBirthDate"]["row"] == 10
    assert by_field["PersonBirthDate"]["child"] == "A1"
    assert by_field["PersonBirthDate"]["values"] == "PersonBirthDate=2015-02-30"
    assert "ReferralNFA" in by_field and "NumberOfPreviousCPP" in by_field
    assert "unexpected element Bogus" in by_field["Bogus"]["message"]
    assert set(findings["code"]) == {"READ"}


def test_cin_reader_malformed_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<Message><Children><Child></Children>")
    result = read_cin(bad)
    assert result.fatal
    assert "not well-formed" in result.findings["message"][0]
    assert result.findings["row"][0] == 1
    missing = read_cin(tmp_path / "nope.xml")
    assert missing.fatal and "could not be opened" in missing.findings["message"][0]


def test_cin_reader_namespaced_file(tmp_path: Path) -> None:
    path = tmp_path / "ns.xml"
    path.write_text(CIN_XML.replace("<Message>", '<Message xmlns="http://example.org/cin">'))
    assert read_cin(path).tables["ChildIdentifiers"].height == 2


# Module 5 (2026-27): PreProceedingsandFGDM inside a CINdetails, one per episode here (the second child's
# second episode has none); one bad date and one bad flag.
PP_BLOCK = """<PreProceedingsandFGDM>
     <PPStartDate>{start}</PPStartDate><LBPSentDate>2026-09-20</LBPSentDate>
     <FGDMMeetingOffer>1</FGDMMeetingOffer><FGDMMeetingFac>{fac}</FGDMMeetingFac>
     <InitialPPMeetingDate>2026-09-28</InitialPPMeetingDate><ReviewMeetingsCount>3</ReviewMeetingsCount>
     <StepDecisionDate>2026-12-01</StepDecisionDate><PPOutcome>A</PPOutcome>
     <CourtAppDate>2026-12-18</CourtAppDate><LetterInitCPDate>2027-02-05</LetterInitCPDate>
    </PreProceedingsandFGDM>"""
CIN_XML_2026 = f"""<?xml version="1.0" encoding="utf-8"?>
<Message>
 <Header>
  <CollectionDetails><Collection>CIN</Collection><Year>2027</Year><ReferenceDate>2027-03-31</ReferenceDate>
  </CollectionDetails>
  <Source><SourceLevel>L</SourceLevel><LEA>201</LEA></Source>
 </Header>
 <Children>
  <Child>
   <ChildIdentifiers><LAchildID>A1</LAchildID><PersonBirthDate>2015-02-01</PersonBirthDate></ChildIdentifiers>
   <CINdetails><CINreferralDate>2026-05-01</CINreferralDate><ReferralNFA>false</ReferralNFA>
    <ChildProtectionPlans><CPPstartDate>2026-06-01</CPPstartDate></ChildProtectionPlans>
    {PP_BLOCK.format(start="2026-09-09", fac="true")}
   </CINdetails>
  </Child>
  <Child><ChildIdentifiers><LAchildID>B2</LAchildID><Sex>F</Sex></ChildIdentifiers>
   <CINdetails><CINreferralDate>2026-06-01</CINreferralDate><ReferralNFA>false</ReferralNFA>
    {PP_BLOCK.format(start="2026-13-01", fac="perhaps")}
   </CINdetails>
   <CINdetails><CINreferralDate>2026-07-01</CINreferralDate><ReferralNFA>true</ReferralNFA></CINdetails>
  </Child>
 </Children>
</Message>
"""


def test_cin_reader_reads_module_5_pre_proceedings(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(CIN_XML_2026)
    result = read_cin(path)
    pp = result.tables["PreProceedings"]
    assert pp["LAchildID"].to_list() == ["A1", "B2"]
    assert pp["CINdetailsID"].to_list() == [1, 2]
    assert pp["_line"].to_list() == [13, 24]  # the lines of the PreProceedingsandFGDM elements
    assert pp["PPStartDate"].to_list() == [dt.date(2026, 9, 9), None]
    assert pp["PPStartDate__raw"].to_list() == ["2026-09-09", "2026-13-01"]
    assert pp["FGDMMeetingOffer"].to_list() == [True, True]
    assert pp["FGDMMeetingFac"].to_list() == [True, None]
    assert pp["ReviewMeetingsCount"].to_list() == [3, 3]
    assert pp["PPOutcome"].to_list() == ["A", "A"]
    assert pp["LetterInitCPDate"].to_list() == [dt.date(2027, 2, 5)] * 2
    assert result.tables["ChildProtectionPlans"]["CINdetailsID"].to_list() == [1]
    bad = {(r["fields"], r["row"], r["child"], r["table"]) for r in result.findings.to_dicts()}
    assert bad == {
        ("PPStartDate", 24, "B2", "PreProceedings"),
        ("FGDMMeetingFac", 24, "B2", "PreProceedings"),
    }
    # A file of an earlier year has no module 5: the table is there, empty.
    earlier = tmp_path / "earlier.xml"
    earlier.write_text(CIN_XML)
    assert read_cin(earlier).tables["PreProceedings"].height == 0


def test_903_recognises_tables_by_header() -> None:
    assert recognise(["CHILD", "SEX", "DOB", "DUC"]) == ("UASC", [])
    assert recognise(["child", "sex", "dob", "ethnic", "upn", "mother", "mc_dob", "NAME"]) == (
        "Header",
        ["NAME"],
    )
    assert recognise(["A", "B"]) == (None, [])


def test_903_reader(tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/02/2010,WBRI,UN1,,\n2,2,31/02/2010,WBRI,UN2,0,\n"
    )
    (tmp_path / "x.csv").write_text("foo,bar\n1,2\n")
    (tmp_path / "empty.csv").write_text("")
    result = read_903(tmp_path)
    header = result.tables["Header"]
    assert header["DOB"].to_list() == [dt.date(2010, 2, 1), None]
    assert header["_line"].to_list() == [2, 3]
    assert result.tables["Episodes"].height == 0 and "DECOM" in result.tables["Episodes"].columns
    messages = " | ".join(result.findings["message"]) + " | ".join(result.findings["values"])
    assert "31/02/2010" in messages and "matches no SSDA903 table" in messages and "empty" in messages
    assert read_903(tmp_path / "nowhere").fatal


def test_cin_file_without_a_header_is_reported(tmp_path: Path) -> None:
    import re

    xml = re.sub(r"<Header>.*?</Header>", "", CIN_XML, flags=re.S)
    for text in (xml, xml.replace("<Children>", "<Children><!-- streamed -->")):
        path = tmp_path / "cin.xml"
        path.write_text(text)
        result = read_cin(path)
        missing = result.findings.filter(result.findings["table"] == "Header")
        assert missing.select("type", "message").rows() == [("error", "the file has no Header")]
        assert result.tables["ChildIdentifiers"].height == 2
    path.write_text(CIN_XML)
    assert read_cin(path).findings.filter(read_cin(path).findings["table"] == "Header").height == 0
