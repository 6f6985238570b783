"""DfE code tables for the children in need census and the SSDA903, dated by collection year.

This is the one place a DfE code is spelt. Every table is a :class:`CodeTable` of :class:`Code` entries;
an entry
carries the first and last collection year it is valid for (``None`` = open-ended), so a code that the DfE
retires or introduces is dated rather than edited away. Collection years are written as the DfE writes them,
``"2025-26"``; internally a year is the ``int`` of its first calendar year (``2025``).

Usage::

    from outstanding.codes import CIN, SSDA903
    CIN.REFERRAL_SOURCE.valid("2025-26")      # frozenset of codes valid that year
    SSDA903.PLACE.describe("U4")              # "foster - other carer, long term"

Plain Python, no Django: readers, rules and the web app all import it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["CIN", "SSDA903", "Code", "CodeTable", "year_label", "year_start"]

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def year_start(year: str | int) -> int:
    """The first calendar year of a collection year given as ``"2025-26"`` or ``2025``."""
    if isinstance(year, int):
        return year
    match = _YEAR.match(year.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"not a collection year: {year!r} (expected the form 2025-26)")
    return int(match.group(1))


def year_label(year: int) -> str:
    """``2025`` → ``"2025-26"``."""
    return f"{year}-{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Code:
    code: str
    description: str
    valid_from: int | None = None  # first collection year (start year), None = since before records here
    valid_to: int | None = None  # last collection year, None = still valid
    note: str = ""

    def valid_in(self, year: str | int) -> bool:
        start = year_start(year)
        return (self.valid_from is None or start >= self.valid_from) and (
            self.valid_to is None or start <= self.valid_to
        )


@dataclass(frozen=True)
class CodeTable:
    name: str
    codes: tuple[Code, ...]
    _by_code: dict[str, Code] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {c.code: c for c in self.codes})

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def valid(self, year: str | int) -> frozenset[str]:
        """Codes valid in the given collection year."""
        return frozenset(c.code for c in self.codes if c.valid_in(year))

    def all(self) -> frozenset[str]:
        """Every code ever in the table, retired ones included."""
        return frozenset(self._by_code)

    def describe(self, code: str) -> str:
        return self._by_code[code].description

    def get(self, code: str) -> Code | None:
        return self._by_code.get(code)


def _table(name: str, entries: Iterable[tuple[str, str] | Code]) -> CodeTable:
    return CodeTable(name, tuple(e if isinstance(e, Code) else Code(*e) for e in entries))


def _same(codes: str, description: str) -> list[tuple[str, str]]:
    return [(c, description) for c in codes.split()]


Y2024 = year_start("2024-25")
Y2025 = year_start("2025-26")


class CIN:
    """Children in need census code tables."""

    REFERRAL_SOURCE = _table(
        "ReferralSource",
        [
            ("1A", "individual - family member, relative or carer"),
            ("1B", "individual - acquaintance (neighbour, child minder)"),
            ("1C", "individual - self"),
            ("1D", "individual - other"),
            ("2A", "school"),
            ("2B", "education services"),
            ("3A", "health - GP"),
            ("3B", "health - health visitor"),
            ("3C", "health - school nurse"),
            ("3D", "health - other primary health"),
            ("3E", "health - A&E"),
            ("3F", "health - other"),
            ("4", "housing"),
            ("5A", "council - social care (e.g. adult social care)"),
            ("5B", "council - other internal department"),
            ("5C", "council - external (another council)"),
            ("5D", "council - early help"),
            ("6", "police"),
            ("7", "other legal agency (courts, probation, immigration, Cafcass, prison)"),
            ("8", "other (children's centre, voluntary organisation, independent provider)"),
            ("9", "anonymous"),
            ("10", "unknown"),
        ],
    )
    PRIMARY_NEED = _table(
        "PrimaryNeedCode",
        [
            ("N1", "abuse or neglect"),
            ("N2", "child's disability"),
            ("N3", "parental illness or disability"),
            ("N4", "family in acute stress"),
            ("N5", "family dysfunction"),
            ("N6", "socially unacceptable behaviour"),
            ("N7", "low income"),
            ("N8", "absent parenting"),
            ("N9", "cases other than children in need"),
            ("N0", "not stated"),
        ],
    )
    REASON_FOR_CLOSURE = _table(
        "ReasonForClosure",
        [
            ("RC1", "adopted"),
            ("RC2", "died"),
            ("RC3", "child arrangements order"),
            ("RC4", "special guardianship order"),
            ("RC5", "transferred to another council"),
            ("RC6", "transferred to adult social care"),
            ("RC7", "services ceased for any other reason, including no longer in need"),
            ("RC8", "closed after assessment, no further action"),
            ("RC9", "closed after assessment, referred to early help"),
        ],
    )
    CATEGORY_OF_ABUSE = _table(
        "CategoryOfAbuse",
        [
            ("NEG", "neglect"),
            ("PHY", "physical"),
            ("SAB", "sexual"),
            ("EMO", "emotional"),
            ("MUL", "multiple or not recommended"),
        ],
    )
    ASSESSMENT_FACTORS = _table(
        "AssessmentFactors",
        [
            *[
                (f"{n}{w}", f"{what} - {who}")
                for n, what in (
                    ("1", "alcohol misuse"),
                    ("2", "drug misuse"),
                    ("4", "mental health"),
                    ("5", "learning disability"),
                    ("6", "physical disability or illness"),
                )
                for w, who in (("A", "child"), ("B", "parent or carer"), ("C", "other person in household"))
            ],
            ("3A", "domestic abuse - child subject"),
            ("3B", "domestic abuse - parent or carer subject"),
            ("3C", "domestic abuse - other household member subject"),
            ("7A", "young carer"),
            ("8B", "privately fostered - overseas, intending to return"),
            ("8C", "privately fostered - overseas, intending to stay"),
            ("8D", "privately fostered - UK, in an educational placement"),
            ("8E", "privately fostered - UK, alternative family arrangement"),
            ("8F", "privately fostered - other"),
            ("9A", "unaccompanied asylum-seeking child"),
            ("10A", "going missing"),
            ("11A", "child sexual exploitation"),
            ("12A", "trafficking"),
            ("13A", "gangs"),
            ("14A", "socially unacceptable behaviour"),
            ("15A", "self-harm"),
            ("16A", "neglect"),
            ("17A", "emotional abuse"),
            ("18B", "physical abuse - child on child"),
            ("18C", "physical abuse - adult on child"),
            ("19B", "sexual abuse - child on child"),
            ("19C", "sexual abuse - adult on child"),
            ("20", "other"),
            ("21", "no factors identified"),
            ("22A", "female genital mutilation"),
            ("23A", "abuse linked to faith or belief"),
            ("24A", "child criminal exploitation"),
        ],
    )
    # Legacy factor codes: still accepted, but with a query (codes.md).
    LEGACY_ASSESSMENT_FACTORS = _table(
        "AssessmentFactors (legacy)",
        [("18A", "physical abuse (legacy)"), ("19A", "sexual abuse (legacy)")],
    )
    DISABILITY = _table(
        "Disability",
        [
            ("NONE", "no disability"),
            ("MOB", "mobility"),
            ("HAND", "hand function"),
            ("PC", "personal care"),
            ("INC", "incontinence"),
            ("COMM", "communication"),
            ("LD", "learning"),
            ("HEAR", "hearing"),
            ("VIS", "vision"),
            ("BEH", "behaviour"),
            ("CON", "consciousness"),
            ("AUT", "autism/Asperger's"),
            ("DDA", "other"),
        ],
    )
    ETHNICITY = _table(
        "Ethnicity",
        [
            ("WBRI", "White British"),
            ("WIRI", "White Irish"),
            ("WIRT", "Traveller of Irish heritage"),
            ("WOTH", "any other White background"),
            ("WROM", "Gypsy/Roma"),
            ("MWBC", "White and Black Caribbean"),
            ("MWBA", "White and Black African"),
            ("MWAS", "White and Asian"),
            ("MOTH", "any other mixed background"),
            ("AIND", "Indian"),
            ("APKN", "Pakistani"),
            ("ABAN", "Bangladeshi"),
            ("AOTH", "any other Asian background"),
            ("BCRB", "Black Caribbean"),
            ("BAFR", "Black African"),
            ("BOTH", "any other Black background"),
            ("CHNE", "Chinese"),
            ("OOTH", "any other ethnic group"),
            ("REFU", "refused"),
            ("NOBT", "information not yet obtained"),
        ],
    )
    SEX = _table(
        "Sex",
        [
            Code("M", "male", valid_from=Y2024),
            Code("F", "female", valid_from=Y2024),
            Code("U", "unknown (required for an unborn child)", valid_from=Y2024),
        ],
    )
    # GenderCurrent, replaced by Sex from 2024-25; kept so older files can be read.
    GENDER_CURRENT = _table(
        "GenderCurrent",
        [
            Code("0", "not known", valid_to=Y2024 - 1),
            Code("1", "male", valid_to=Y2024 - 1),
            Code("2", "female", valid_to=Y2024 - 1),
            Code("9", "not specified", valid_to=Y2024 - 1),
        ],
    )
    UPN_UNKNOWN = _table("UPNunknown", [(f"UN{i}", f"UPN unknown reason {i}") for i in range(1, 8)])
    # Outcome of pre-proceedings (PPOutcome, N00833, codeset CS131), module 5 from 2026-27: the codes
    # are those the open-source validator checks (the code set's descriptions are not held here).
    PP_OUTCOME = _table(
        "PPOutcome",
        [Code(c, f"pre-proceedings outcome {c} (CS131)", valid_from=year_start("2026-27")) for c in "ABC"],
    )


class SSDA903:
    """SSDA903 (children looked after) code tables."""

    ETHNIC = CIN.ETHNICITY
    CATEGORY_OF_NEED = CIN.PRIMARY_NEED  # the 903 CIN column: N1-N8 of the primary need table
    RNE = _table(
        "RNE",
        [
            ("S", "started to be looked after"),
            ("L", "change of legal status only"),
            ("P", "change of placement and carer(s) only"),
            ("T", "change of placement, same carer(s)"),
            ("B", "change of legal status and placement and carer(s) on the same day"),
            ("U", "change of legal status and placement, same carer(s), on the same day"),
        ],
    )
    LS = _table(
        "LS",
        [
            ("C1", "interim care order"),
            ("C2", "full care order"),
            ("D1", "freeing order"),
            ("E1", "placement order"),
            ("V2", "single period of accommodation under section 20"),
            ("V3", "short-term breaks, individual episodes"),
            ("V4", "short-term breaks, agreement recorded"),
            ("L1", "police protection in council accommodation"),
            ("L2", "emergency protection order"),
            ("L3", "child assessment order in council accommodation"),
            ("J1", "remanded to council or youth detention accommodation"),
            ("J2", "council accommodation under PACE 1984"),
            ("J3", "youth rehabilitation order with residence or intensive fostering requirement"),
        ],
    )
    PLACE = _table(
        "PLACE",
        [
            ("A3", "placed for adoption with consent, with current foster carer"),
            ("A4", "placed for adoption with consent, not with current foster carer"),
            ("A5", "placed for adoption with a placement order, with current foster carer"),
            ("A6", "placed for adoption with a placement order, not with current foster carer"),
            ("K1", "secure children's home"),
            ("K2", "children's home"),
            Code("K3", "supported accommodation (16-17)", valid_from=Y2024),
            ("P1", "placed with parent(s) or person with parental responsibility"),
            ("P3", "residential employment"),
            ("R1", "residential care home"),
            ("R2", "NHS or health trust"),
            ("R3", "family centre or mother and baby unit"),
            ("R5", "young offender institution"),
            ("S1", "residential school"),
            ("T0", "all temporary moves"),
            ("T1", "temporary, hospital"),
            ("T2", "temporary, holiday"),
            ("T3", "temporary, foster carer on holiday"),
            ("T4", "temporary, other, up to 7 days"),
            ("U1", "foster - relative or friend, long term"),
            ("U2", "foster - relative or friend, fostering for adoption or concurrent planning"),
            ("U3", "foster - relative or friend, other"),
            ("U4", "foster - other carer, long term"),
            ("U5", "foster - other carer, fostering for adoption or concurrent planning"),
            ("U6", "foster - other carer, other"),
            Code("Z1", "other placement", valid_to=Y2024, note="split into Z11-Z14 from 2025-26"),
            *[Code(f"Z1{i}", f"other placement ({i})", valid_from=Y2025) for i in range(1, 5)],
            # Retired before the years this project validates; codes.md does not record the last year.
            Code("H5", "retired code", valid_to=Y2024 - 1, note="retired"),
            Code("P2", "retired code", valid_to=Y2024 - 1, note="retired"),
        ],
    )
    PLACE_PROVIDER = _table(
        "PLACE_PROVIDER",
        [
            ("PR0", "parent or person with parental responsibility"),
            ("PR1", "own council"),
            ("PR2", "other council"),
            ("PR3", "other public"),
            ("PR4", "private"),
            ("PR5", "voluntary or third sector"),
        ],
    )
    REC = _table(
        "REC",
        [
            ("X1", "episode ceases and a new one starts the same day"),
            ("E11", "adopted, unopposed"),
            ("E12", "adopted, consent dispensed with"),
            ("E2", "died"),
            ("E3", "care taken over by another council"),
            ("E4A", "returned home, planned"),
            ("E4B", "returned home, unplanned"),
            ("E13", "left care to live with parents, relatives or others without parental responsibility"),
            ("E41", "residence or child arrangements order"),
            ("E45", "special guardianship order to former foster carer, relative or friend"),
            ("E46", "special guardianship order to former foster carer, other"),
            ("E47", "special guardianship order to carer who was not the foster carer, relative or friend"),
            ("E48", "special guardianship order to carer who was not the foster carer, other"),
            ("E5", "moved to independent living with support"),
            ("E6", "independent living without support"),
            ("E7", "transferred to adult social care residential care"),
            ("E9", "sentenced to custody"),
            ("E14", "accommodation on remand ended"),
            ("E15", "age assessment found 18 or over"),
            ("E16", "moved abroad"),
            ("E17", "aged 18 or over and stayed with current carers (staying put)"),
            ("E8", "ceased for any other reason"),
        ],
    )
    REASON_PLACE_CHANGE = _table(
        "REASON_PLACE_CHANGE",
        [
            ("CARPL", "change to care plan"),
            ("CLOSE", "placement closed"),
            ("ALLEG", "allegation (s47)"),
            ("STAND", "standards of care concern"),
            ("APPRR", "approval removed"),
            ("CREQB", "carer request, child's behaviour"),
            ("CREQO", "carer request, other"),
            ("CHILD", "child's request"),
            ("LAREQ", "council's request"),
            ("PLACE", "change in placement status"),
            ("CUSTOD", "custody arrangement"),
            ("OTHER", "other"),
        ],
    )
    REVIEW_CODE = _table(
        "REVIEW_CODE",
        [
            ("PN0", "child under 4"),
            ("PN1", "attended and spoke for self"),
            ("PN2", "attended, views via advocate"),
            ("PN3", "attended, views via non-verbal means"),
            ("PN4", "attended, no views"),
            ("PN5", "did not attend, views via advocate"),
            ("PN6", "did not attend, views by other means"),
            ("PN7", "did not attend and views not conveyed"),
        ],
    )
    MISSING = _table("MISSING", [("M", "missing"), ("A", "away from placement without authorisation")])
    REASON_PLACED_CEASED = _table(
        "REASON_PLACED_CEASED",
        [
            ("RD1", "child's needs changed"),
            ("RD2", "court did not make a placement order"),
            ("RD3", "prospective adopters could not be found"),
            ("RD4", "any other reason"),
        ],
    )
    PREV_PERM = _table(
        "PREV_PERM",
        [
            ("P1", "adoption"),
            ("P2", "special guardianship order"),
            ("P3", "residence or child arrangements order"),
            ("P4", "unknown"),
            ("Z1", "none"),
        ],
    )
    SEX_ADOPTR = _table(
        "SEX_ADOPTR",
        [
            ("M1", "single male"),
            ("F1", "single female"),
            ("MM", "male couple"),
            ("FF", "female couple"),
            ("MF", "mixed-sex couple"),
        ],
    )
    LS_ADOPTR = _table(
        "LS_ADOPTR",
        [
            ("L0", "single"),
            ("L11", "married"),
            ("L12", "married"),
            ("L2", "civil partnership"),
            ("L3", "living together"),
            ("L4", "other"),
        ],
    )
    IN_TOUCH = _table(
        "IN_TOUCH",
        [
            ("YES", "in touch"),
            ("NO", "not in touch"),
            ("DIED", "died"),
            ("REFU", "refused contact"),
            ("NREQ", "no longer requires services"),
            ("RHOM", "returned home"),
        ],
    )
    ACTIV = _table(
        "ACTIV",
        [
            ("F1", "higher education, full time"),
            ("P1", "higher education, part time"),
            ("F2", "other education, full time"),
            ("P2", "other education, part time"),
            ("F4", "training or employment, full time"),
            ("P4", "training or employment, part time"),
            ("F5", "other, full time"),
            ("P5", "other, part time"),
            ("G4", "NEET because of illness or disability"),
            ("G5", "NEET, other"),
            ("G6", "NEET, pregnancy or parenting"),
        ],
    )
    ACCOM = _table(
        "ACCOM",
        [
            (f"{letter}{suit}", f"{what}, {'suitable' if suit == '1' else 'not suitable'}")
            for letter, what in (
                ("B", "parents or relatives"),
                ("C", "community home"),
                ("D", "semi-independent, transitional"),
                ("E", "supported lodgings"),
                ("G", "gone abroad"),
                ("H", "deported"),
                ("K", "ordinary lodgings"),
                ("R", "residence not known"),
                ("S", "no fixed abode or homeless"),
                ("T", "foyer"),
                ("U", "independent living"),
                ("V", "emergency accommodation"),
                ("W", "bed and breakfast"),
                ("X", "in custody"),
                ("Y", "other"),
                ("Z", "with former foster carers (staying put)"),
            )
            for suit in ("1", "2")
            # The DfE never counts no fixed abode (S) or custody (X) as suitable: only S2 and X2 exist.
            if not (letter in ("S", "X") and suit == "1")
        ],
    )
    # The 903 header's gender (1/2) became sex (M/F/U) from 2024-25, as in the CIN census.
    SEX = _table(
        "SEX",
        [
            Code("1", "male", valid_to=Y2024 - 1),
            Code("2", "female", valid_to=Y2024 - 1),
            Code("M", "male", valid_from=Y2024),
            Code("F", "female", valid_from=Y2024),
            Code("U", "unknown", valid_from=Y2024),
        ],
    )
    SW_REASON = _table(
        "SW_REASON",
        [
            Code(c, d, valid_from=year_start("2023-24"))
            for c, d in (
                ("MANAGE", "management decision"),
                ("FCONTA", "first contact"),  # the DfE message of rule SW10b names it so
                ("LEFTRL", "left the role"),
                ("ORGRST", "organisational restructure"),
                ("TSPROC", "transfer between teams under local process"),
                ("ABSENC", "absence"),
                ("CHCHAN", "child's circumstances changed"),
                ("PCCHAN", "professional's circumstances changed"),
                ("SWDIED", "social worker died"),
                ("OTHERS", "other"),
            )
        ],
    )
