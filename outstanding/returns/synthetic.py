"""Seeded synthetic returns: valid-in-form CIN census XML and SSDA903 CSV tables for synthetic children.

Every identifier is fake: LAchildIDs and CHILD ids are sequence numbers, UPNs are built from a made-up
establishment with a correct check letter, postcodes are partial and fictional. The same seed gives the same
files. Used by the tests and by ``bench/returns_validate.py``; it writes text directly (no DOM) so national
sizes generate quickly.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from outstanding.codes import CIN, SSDA903
from outstanding.codes.upn import upn_check_letter


def fake_upn(rng: random.Random, la: str = "999") -> str:
    # LA code 999 and establishment 9xxx are not real establishments, so no real pupil can match.
    body = f"{la}9{rng.randrange(1000):03d}{rng.randrange(100):02d}{rng.randrange(1000):03d}"
    return upn_check_letter(body) + body


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after it if it falls on a weekend."""
    return day + dt.timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _d(day: dt.date, fmt: str) -> str:
    return day.strftime(fmt)


_FACTORS = sorted(CIN.ASSESSMENT_FACTORS.valid(2025) - {"21"})
_SOURCES = sorted(CIN.REFERRAL_SOURCE.valid(2025))
_ETHNIC = sorted(CIN.ETHNICITY.valid(2025))
_NEEDS = [f"N{i}" for i in range(1, 9)]
_ABUSE = sorted(CIN.CATEGORY_OF_ABUSE.valid(2025))
_DISABILITY = sorted(CIN.DISABILITY.valid(2025) - {"NONE"})


def write_cin_xml(path: Path | str, children: int, year: int = 2025, seed: int = 1, la: str = "999") -> Path:
    """A CIN census file for ``year`` (start year) with ``children`` synthetic children."""
    rng = random.Random(seed)
    start = dt.date(year, 4, 1)
    ref = dt.date(year + 1, 3, 31)
    days_in_year = (ref - start).days
    path = Path(path)
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        w = out.write
        w('<?xml version="1.0" encoding="utf-8"?>\n<Message>\n<Header>\n<CollectionDetails>\n')
        w(f"<Collection>CIN</Collection>\n<Year>{year + 1}</Year>\n<ReferenceDate>{ref}</ReferenceDate>\n")
        w("</CollectionDetails>\n<Source>\n<SourceLevel>L</SourceLevel>\n")
        w(f"<LEA>{la}</LEA>\n<SoftwareCode>Outstanding</SoftwareCode>\n<Release>1</Release>\n")
        w(f"<SerialNo>001</SerialNo>\n<DateTime>{year + 1}-04-10T09:00:00</DateTime>\n</Source>\n</Header>\n")
        w("<Children>\n")
        for i in range(children):
            age_days = rng.randrange(30, 17 * 365)
            referral = start + dt.timedelta(days=rng.randrange(days_in_year - 60))
            dob = referral - dt.timedelta(days=age_days)
            w("<Child>\n<ChildIdentifiers>\n")
            w(f"<LAchildID>C{i:08d}</LAchildID>\n")
            if age_days > 5 * 365:
                w(f"<UPN>{fake_upn(rng, la)}</UPN>\n")
            else:
                w("<UPNunknown>UN1</UPNunknown>\n")
            w(f"<PersonBirthDate>{dob}</PersonBirthDate>\n<Sex>{rng.choice('MF')}</Sex>\n")
            w("</ChildIdentifiers>\n<ChildCharacteristics>\n")
            w(f"<Ethnicity>{rng.choice(_ETHNIC)}</Ethnicity>\n<Disabilities>\n")
            # A tenth of children have a disability, some of them two (rule 2888Q expects some with several).
            disabled = rng.random() < 0.1
            codes = rng.sample(_DISABILITY, rng.randrange(1, 3)) if disabled else ["NONE"]
            w("".join(f"<Disability>{c}</Disability>\n" for c in codes))
            w("</Disabilities>\n</ChildCharacteristics>\n")
            nfa = rng.random() < 0.1
            w(f"<CINdetails>\n<CINreferralDate>{referral}</CINreferralDate>\n")
            w(f"<ReferralSource>{rng.choice(_SOURCES)}</ReferralSource>\n")
            if not nfa:
                w(f"<PrimaryNeedCode>{rng.choice(_NEEDS)}</PrimaryNeedCode>\n")
            last = referral
            closing = rng.random() < 0.4
            body: list[str] = []
            enquiry = not nfa and rng.random() < 0.15
            if not nfa:
                a_start = referral + dt.timedelta(days=rng.randrange(0, 5))
                a_auth = a_start + dt.timedelta(days=rng.randrange(5, 60))
                body.append(
                    f"<Assessments>\n<AssessmentActualStartDate>{a_start}</AssessmentActualStartDate>\n"
                )
                if a_auth <= ref:
                    body.append(f"<AssessmentAuthorisationDate>{a_auth}</AssessmentAuthorisationDate>\n")
                    factors = rng.sample(_FACTORS, rng.randrange(1, 4))
                    body.append("<FactorsIdentifiedAtAssessment>\n")
                    body.extend(f"<AssessmentFactors>{f}</AssessmentFactors>\n" for f in factors)
                    body.append("</FactorsIdentifiedAtAssessment>\n")
                    last = max(last, a_auth)
                else:
                    closing = False
                body.append("</Assessments>\n")
                # A CIN plan only where no child protection plan follows (rules 4001, 4003, 4016, 4017).
                if a_auth <= ref and not enquiry and rng.random() < 0.5:
                    p_start = a_auth
                    body.append(f"<CINPlanDates>\n<CINPlanStartDate>{p_start}</CINPlanStartDate>\n")
                    if closing:
                        p_end = p_start + dt.timedelta(days=rng.randrange(1, 90))
                        if p_end <= ref:
                            body.append(f"<CINPlanEndDate>{p_end}</CINPlanEndDate>\n")
                            last = max(last, p_end)
                        else:
                            closing = False
                    body.append("</CINPlanDates>\n")
            icpc: dt.date | None = None
            if enquiry:
                s47 = referral + dt.timedelta(days=rng.randrange(0, 3))
                target = _weekday(s47 + dt.timedelta(days=21))  # rule 8870Q
                body.append(f"<Section47>\n<S47ActualStartDate>{s47}</S47ActualStartDate>\n")
                body.append(f"<InitialCPCtarget>{target}</InitialCPCtarget>\n")
                if rng.random() < 0.6 and s47 + dt.timedelta(days=20) <= ref:
                    icpc = _weekday(s47 + dt.timedelta(days=rng.randrange(5, 18)))  # rule 8875
                    body.append(f"<DateOfInitialCPC>{icpc}</DateOfInitialCPC>\n")
                    body.append("<ICPCnotRequired>false</ICPCnotRequired>\n")
                else:
                    body.append("<ICPCnotRequired>true</ICPCnotRequired>\n")
                body.append("</Section47>\n")
                last = max(last, s47)
            body.append(f"<ReferralNFA>{'true' if nfa else 'false'}</ReferralNFA>\n")
            if icpc is not None:
                category = rng.choice(_ABUSE)
                body.append(f"<ChildProtectionPlans>\n<CPPstartDate>{icpc}</CPPstartDate>\n")
                cpp_end = icpc + dt.timedelta(days=rng.randrange(30, 200))
                if closing and cpp_end <= ref:
                    body.append(f"<CPPendDate>{cpp_end}</CPPendDate>\n")
                    last = max(last, cpp_end)
                else:
                    closing = False
                body.append(f"<InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse>\n")
                body.append(f"<LatestCategoryOfAbuse>{category}</LatestCategoryOfAbuse>\n")
                body.append("<NumberOfPreviousCPP>0</NumberOfPreviousCPP>\n")
                review = icpc + dt.timedelta(days=80)
                if review <= ref and (not closing or review <= last):
                    body.append(f"<Reviews>\n<CPPreviewDate>{review}</CPPreviewDate>\n</Reviews>\n")
                body.append("</ChildProtectionPlans>\n")
            if nfa:
                # Not RC8: that reason needs an assessment on the episode (rule 8825Q).
                w(f"<CINclosureDate>{referral}</CINclosureDate>\n<ReasonForClosure>RC7</ReasonForClosure>\n")
            elif closing:
                close = min(last + dt.timedelta(days=rng.randrange(0, 20)), ref)
                w(f"<CINclosureDate>{close}</CINclosureDate>\n<ReasonForClosure>RC7</ReasonForClosure>\n")
            # The conference is recorded once, on its Section47 (rule 2884), so not on CINdetails too.
            w("".join(body))
            w("</CINdetails>\n</Child>\n")
        w("</Children>\n</Message>\n")
    return path


_EP_HEAD = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def write_903_folder(folder: Path | str, children: int, year: int = 2025, seed: int = 1) -> Path:
    """SSDA903 tables for ``year`` (start year) with ``children`` synthetic looked-after children."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.date(year, 4, 1)
    ref = dt.date(year + 1, 3, 31)
    fmt = "%d/%m/%Y"
    places = ["U1", "U3", "U4", "U6", "K2", "R1", "P1"]
    ethnic = sorted(SSDA903.ETHNIC.valid(year))
    files = {
        name: (folder / f"{name}.csv").open("w", encoding="utf-8", buffering=1 << 20)
        for name in ("header", "episodes", "reviews", "missing", "oc2", "oc3", "sw")
    }
    try:
        files["header"].write("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n")
        files["episodes"].write(_EP_HEAD)
        files["reviews"].write("CHILD,DOB,REVIEW,REVIEW_CODE\n")
        files["missing"].write("CHILD,DOB,MISSING,MIS_START,MIS_END\n")
        files["oc2"].write(
            "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
            "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n"
        )
        files["oc3"].write("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n")
        files["sw"].write("CHILD,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n")
        for i in range(children):
            child = f"{100000 + i}"
            sex = rng.choice("12" if year < 2024 else "MF")
            decom = start - dt.timedelta(days=rng.randrange(-300, 1500))
            age = rng.randrange(400, 17 * 365)
            dob = decom - dt.timedelta(days=age)
            dobs = _d(dob, fmt)
            # UN1 (too young for a UPN) only below school age (rule 209).
            school_age = dob.replace(year=dob.year + 4, day=min(dob.day, 28)) <= dt.date(year - 1, 8, 31)
            upn = fake_upn(rng) if school_age else "UN1"
            mother = "0" if sex == "F" else ""  # girls looked after have the mother field (rule 393)
            files["header"].write(f"{child},{sex},{dobs},{rng.choice(ethnic)},{upn},{mother},\n")
            episodes = rng.randrange(1, 4)
            when = decom
            left = False  # ceased to be looked after (not just a change of placement)
            for n in range(episodes):
                place = rng.choice(places)
                provider = "PR0" if place == "P1" else rng.choice(["PR1", "PR2", "PR4", "PR5"])
                # A children's home has its own URN; XXXXXXX only for foster placements (rules 222, 242).
                urn = "SC" + f"{rng.randrange(10**6):06d}" if place == "K2" else ""
                urn = "XXXXXXX" if place.startswith("U") else urn
                last = n == episodes - 1
                end = when + dt.timedelta(days=rng.randrange(20, 400))
                if last and (end > ref or rng.random() < 0.6):
                    dec, rec = "", ""
                else:
                    end = min(end, ref)
                    dec, rec = _d(end, fmt), ("E4A" if last else "X1")
                rne = "S" if n == 0 else "P"
                left = rec == "E4A"
                # The reason for a change of placement goes on the episode that ends with it (rule 225).
                reason = "CARPL" if rec == "X1" else ""
                # Section 20 (V2) never for a child placed with parents (rule 378).
                ls = "C2" if place == "P1" or rng.random() < 0.7 else "V2"
                files["episodes"].write(
                    f"{child},{_d(when, fmt)},{rne},{ls},N1,{place},{provider},{dec},{rec},{reason},"
                    f"AB1 2,AB1 3,{urn}\n"
                )
                if dec:
                    when = end
                else:
                    break
            files["reviews"].write(f"{child},{dobs},{_d(decom + dt.timedelta(days=19), fmt)},PN1\n")
            if rng.random() < 0.1:
                m = max(decom, start) + dt.timedelta(days=rng.randrange(1, 30))
                files["missing"].write(f"{child},{dobs},M,{_d(m, fmt)},{_d(m + dt.timedelta(days=1), fmt)}\n")
            # OC2 is for children looked after all year (rules 185, 190), aged 4 to 16 for an SDQ (186, 189).
            age_at_start = age + (start - decom).days
            oc2 = decom <= start and not left and 4 * 365 + 1 < age_at_start < 16 * 365
            if oc2:
                files["oc2"].write(f"{child},{dobs},{rng.randrange(41)},SDQ1,0,1,1,1,1,0,,\n")
            files["sw"].write(f"{child},SW{rng.randrange(5000):05d},{_d(decom, fmt)},,\n")
            # Care leavers have no OC2 data (rule 215) and are 17 or over by 31 March (rule 391).
            if (
                rng.random() < 0.05
                and not oc2
                and dob.replace(year=dob.year + 17, day=min(dob.day, 28)) <= ref
            ):
                files["oc3"].write(f"{child},{dobs},YES,F2,B1\n")
    finally:
        for fh in files.values():
            fh.close()
    return folder
