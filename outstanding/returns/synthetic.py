"""Seeded synthetic returns: CIN census XML and SSDA903 CSV tables derived from one set of child timelines.

Every child is drawn once, in order, from one seeded random stream: identity and birth, episodes of need
(referral, assessments, section 47 enquiries, plans, closure) and, for the looked-after subset, the period
of care (episodes, reviews, missing spells, adoption, care leaver and health data, social workers). Both
returns are written from the same timelines, so a child's LAchildID in the CIN census is their CHILD in the
SSDA903 and their dates agree. Proportions follow the national figures roughly: about 1.3 episodes of need
per child in need, about 23% of them looked after during the year, about a quarter of those starting care
in the year and a quarter leaving it, about 1 in 40 of the looked-after children adopted in the year.
From 2026-27 the CIN census carries module 5 (pre-proceedings) for about 3% of children in need.

Every identifier is fake: ids are sequence numbers, UPNs use a real LA code with a made-up establishment
number (9xxx) and a correct check letter, so no real pupil can match; postcodes are fictional. The same seed
gives the same files. The files are written as text (no DOM, no data frames), so national sizes generate
quickly.

Clean by default: a generated file passes every registered rule. ``inject=[codes]`` alters one child per
code (a different child each time) so that exactly that rule fires on exactly that child; see
:mod:`outstanding.returns.synthetic_inject` for the codes that can be injected.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from outstanding.codes import CIN
from outstanding.codes.upn import upn_check_letter
from outstanding.returns.schemas import SSDA903_TABLES

DAY = dt.timedelta(days=1)

#: A real LA code for UPN characters 2-4 (rule 1530), with establishment numbers 9000-9999, which no school
#: has, so no real pupil can match.
UPN_LA = "820"


def fake_upn(rng: random.Random, la: str = UPN_LA) -> str:
    body = f"{la}9{_rr(rng, 1000):03d}{_rr(rng, 100):02d}{_rr(rng, 1000):03d}"
    return upn_check_letter(body) + body


def child_upn(n: int, la: str = UPN_LA) -> str:
    """The UPN of synthetic child number ``n``: unique per child (up to 100 million), so no two children
    share one (rule 1520); establishment 9xxx as in :func:`fake_upn`."""
    body = f"{la}9{n // 100_000 % 1000:03d}{n % 100_000:05d}"
    return upn_check_letter(body) + body


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after it if it falls on a weekend."""
    return day + dt.timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February falls on 28 February (as polars' offset_by does)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


_CUMULATIVE: dict[int, tuple[list[Any], list[float], float]] = {}


def _pick(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    """One value, by weight. The weights of each (module-level, unchanging) list are summed once."""
    table = _CUMULATIVE.get(id(weighted))
    if table is None:
        values, running, total = [], [], 0.0
        for value, weight in weighted:
            total += weight
            values.append(value)
            running.append(total)
        table = _CUMULATIVE[id(weighted)] = (values, running, total)
        _KEEP.append(weighted)  # ids stay unique while the list is alive
    values, running, total = table
    return values[bisect_right(running, rng.random() * total)]


_KEEP: list[object] = []


def _rr(rng: random.Random, low: int, high: int | None = None) -> int:
    """A whole number in [low, high) (or [0, low)), as ``randrange`` but quicker."""
    if high is None:
        low, high = 0, low
    return low + int(rng.random() * (high - low))


_FACTORS = sorted(CIN.ASSESSMENT_FACTORS.valid(2025) - {"21", "9A", "8B", "8C", "8D", "8E", "8F"})
_SOURCES = [
    ("6", 29),
    ("2A", 19),
    ("3F", 5),
    ("3A", 3),
    ("3B", 2),
    ("3E", 4),
    ("1A", 5),
    ("1C", 1),
    ("1D", 2),
    ("5A", 2),
    ("5B", 2),
    ("5C", 3),
    ("5D", 4),
    ("4", 3),
    ("7", 3),
    ("8", 4),
    ("9", 2),
    ("10", 4),
    ("2B", 3),
]
_ETHNIC = [
    ("WBRI", 62),
    ("WOTH", 6),
    ("WIRI", 0.4),
    ("WIRT", 0.3),
    ("WROM", 0.7),
    ("MWBC", 3),
    ("MWBA", 1),
    ("MWAS", 1.5),
    ("MOTH", 3.5),
    ("AIND", 1.5),
    ("APKN", 3),
    ("ABAN", 1.5),
    ("AOTH", 1.5),
    ("BCRB", 1.5),
    ("BAFR", 4),
    ("BOTH", 1.5),
    ("CHNE", 0.3),
    ("OOTH", 3),
    ("REFU", 0.5),
    ("NOBT", 2),
]
_NEEDS = [("N1", 57), ("N2", 9), ("N3", 4), ("N4", 8), ("N5", 14), ("N6", 3), ("N7", 0.5), ("N8", 4.5)]
_ABUSE = [("NEG", 48), ("EMO", 39), ("PHY", 4), ("SAB", 4), ("MUL", 5)]
_DISABILITY = sorted(CIN.DISABILITY.valid(2025) - {"NONE"})
# Partial postcodes (outward code and sector) in England, as the 903 collects them.
_POST = ["LS6 2", "M14 7", "B12 9", "S10 3", "NG7 2", "L15 4", "BS5 6", "NE6 1", "LE2 3", "CV1 5"]


# --- the timeline -------------------------------------------------------------------------------------


class Child:
    """One synthetic child: what the CIN census and (if looked after or a care leaver) the 903 hold.

    ``cin`` is a dict of the child's CIN census elements (``CINdetails`` a list of episode dicts, each with
    lists of ``Assessments``, ``CINPlanDates``, ``Section47`` and ``ChildProtectionPlans``), or None for a
    care leaver no longer a child in need. ``ssda903`` maps each 903 table to the child's rows (dicts of
    field to value), or is None for a child never looked after. Values are dates or text; an injected error
    may put any text in place of a date.
    """

    __slots__ = ("cin", "dob", "facts", "id", "n", "sex", "ssda903")

    def __init__(self, n: int, dob: dt.date, sex: str) -> None:
        self.n = n
        self.id = f"C{n:07d}"
        self.sex = sex
        self.dob = dob
        self.cin: dict[str, Any] | None = None
        self.ssda903: dict[str, list[dict[str, Any]]] | None = None
        self.facts: dict[str, Any] = {}


class _Year:
    def __init__(self, year: int) -> None:
        self.year = year
        self.start = dt.date(year, 4, 1)
        self.end = dt.date(year + 1, 3, 31)
        self.days = (self.end - self.start).days


def population(year: int = 2025, seed: int = 1, only: str | None = None) -> Iterator[Child]:
    """Synthetic children, in order, for the collection year starting 1 April ``year``; endless.

    Each child has its own random stream (from the seed, the year and its number), so a child is the same
    whichever others are drawn: ``only="cin"`` or ``only="903"`` skips, unbuilt, the children not in that
    return (the numbers of those returned are unchanged)."""
    rng = random.Random()
    y = _Year(year)
    base = (seed * 10_000 + year) * 100_000_000
    n = 0
    while True:
        rng.seed(base + n)
        child = _child(rng, y, n, only)
        if child is not None:
            child.facts["stream"] = base + n
            if year >= PRE_PROCEEDINGS_FROM and child.cin is not None:
                # A stream of its own (the child's, with a high bit set), so the rest of the child is the
                # same with or without module 5.
                rng.seed((base + n) | _PP_STREAM)
                _pre_proceedings(rng, y, child)
            yield child
        n += 1


# Shares of the population: care leavers aged 19-21 (903 only), looked-after children (both returns), and
# children in need never looked after this year (CIN only).
_LEAVERS = 0.035
_LOOKED_AFTER = 0.22
# Of the looked-after share, disabled children whose only care is a series of short breaks (LS V3).
_SHORT_BREAKS = 0.008


def _child(rng: random.Random, y: _Year, n: int, only: str | None = None) -> Child | None:
    kind = rng.random()
    if kind < _LEAVERS:
        return None if only == "cin" else _care_leaver(rng, y, n)
    if kind < _LEAVERS + _SHORT_BREAKS:
        return _short_breaks(rng, y, n)
    if kind < _LEAVERS + _LOOKED_AFTER:
        return _looked_after(rng, y, n)
    return None if only == "903" else _in_need(rng, y, n)


def _upn(rng: random.Random, y: _Year, child: Child) -> str | None:
    """The child's UPN, once for both returns: children 4 by the 31 August after the census date have one
    (rule 8770Q), a few of them not known (UN2-UN5 in the CIN census)."""
    if "upn" not in child.facts:
        school_age = child.dob <= dt.date(y.year - 3, 8, 31)
        child.facts["upn"] = child_upn(child.n) if school_age and rng.random() < 0.97 else None
        child.facts["school_age"] = school_age
    upn: str | None = child.facts["upn"]
    return upn


def _identity(rng: random.Random, y: _Year, child: Child) -> dict[str, Any]:
    ids: dict[str, Any] = {"LAchildID": child.id}
    upn = _upn(rng, y, child)
    if upn is not None:
        ids["UPN"] = upn
    else:
        school_age = child.facts["school_age"]
        ids["UPNunknown"] = "UN1" if not school_age else _pick(rng, [("UN2", 1), ("UN3", 1), ("UN5", 2)])
    ids["PersonBirthDate"] = child.dob
    ids["Sex"] = child.sex
    disabled = rng.random() < 0.12
    # Some disabled children have two disabilities (rule 2888Q expects some with several).
    ids["Ethnicity"] = _pick(rng, _ETHNIC)
    ids["Disabilities"] = rng.sample(_DISABILITY, rng.choice((1, 1, 2))) if disabled else ["NONE"]
    child.facts["disabled"] = disabled
    return ids


def _age_dob(rng: random.Random, y: _Year, ages: list[tuple[tuple[int, int], float]]) -> dt.date:
    """A date of birth for an age (in whole years at 31 March) from the weighted bands."""
    low, high = _pick(rng, ages)
    days = _rr(rng, low * 365 + 30, (high + 1) * 365 - 1)
    return y.end - dt.timedelta(days=days)


# Ages at 31 March of children in need (national CIN census shape).
_CIN_AGES = [((0, 0), 5), ((1, 4), 17), ((5, 9), 27), ((10, 15), 39), ((16, 17), 12)]


def _in_need(rng: random.Random, y: _Year, n: int) -> Child:
    child = Child(n, _age_dob(rng, y, _CIN_AGES), rng.choice("MF"))
    cin = _identity(rng, y, child)
    episodes: list[dict[str, Any]] = []
    # About 35% of episodes were open on 1 April; the rest start in the year. 1.3 episodes per child.
    count = _pick(rng, [(1, 78), (2, 17), (3, 5)])
    carried = rng.random() < 0.35
    earliest = child.dob + 7 * DAY
    if carried:
        referral = max(y.start - dt.timedelta(days=_rr(rng, 10, 700)), earliest)
    else:
        referral = max(y.start + dt.timedelta(days=_rr(rng, 0, y.days // count)), earliest)
    for k in range(count):
        if referral > y.end - 10 * DAY:
            break
        last = k == count - 1
        episode = _episode(rng, y, referral, not last, referral < y.start, child.facts["disabled"])
        if episode is None:
            break
        episodes.append(episode)
        close = episode.get("CINclosureDate")
        if close is None:
            break
        referral = close + dt.timedelta(days=_rr(rng, 1, 120))
    if not episodes:
        episodes.append(_nfa(rng, max(y.start, earliest)))
    cin["CINdetails"] = episodes
    child.cin = cin
    return child


def _nfa(rng: random.Random, referral: dt.date) -> dict[str, Any]:
    # Not RC8: that reason needs an assessment on the episode (rule 8825Q).
    return {
        "CINreferralDate": referral,
        "ReferralSource": _pick(rng, _SOURCES),
        "CINclosureDate": referral,
        "ReasonForClosure": "RC7",
        "ReferralNFA": "1",
    }


def _factors(rng: random.Random, disabled: bool = False) -> list[str]:
    """Factors identified at assessment; a disabled child's include the child's disability (rule 8899Q)."""
    factors = rng.sample(_FACTORS, _pick(rng, [(1, 40), (2, 30), (3, 20), (4, 10)]))
    if disabled and "5A" not in factors and "6A" not in factors:
        factors[0] = rng.choice(("5A", "6A"))
    return factors


def _episode(
    rng: random.Random, y: _Year, referral: dt.date, must_close: bool, carried: bool, disabled: bool
) -> dict[str, Any] | None:
    """One episode of need from ``referral``; closed by 31 March if ``must_close`` (None if it can't be)."""
    ref = y.end
    ep: dict[str, Any] = {"CINreferralDate": referral, "ReferralSource": _pick(rng, _SOURCES)}
    if not carried and rng.random() < 0.09:
        return _nfa(rng, referral)
    ep["PrimaryNeedCode"] = _pick(rng, _NEEDS)
    ep["ReferralNFA"] = "0"
    if carried:
        return _carried_episode(rng, y, ep, must_close)
    last = referral
    path = _pick(rng, [("assess", 52), ("plan", 26), ("s47", 22)])
    a_start = referral + dt.timedelta(days=_rr(rng, 0, 4))
    a_auth = a_start + dt.timedelta(days=_rr(rng, 5, 60))
    assessment: dict[str, Any] = {"AssessmentActualStartDate": a_start}
    ep["Assessments"] = [assessment]
    if a_auth > ref:
        if must_close:
            return None
        return ep
    assessment["AssessmentAuthorisationDate"] = a_auth
    no_factors = path == "assess" and rng.random() < 0.15 and not disabled
    assessment["AssessmentFactors"] = ["21"] if no_factors else _factors(rng, disabled)
    last = a_auth
    closing = must_close or rng.random() < 0.55
    reason = "RC7"
    if path == "assess":
        # Closed after assessment (RC8 no further action, RC9 early help); "21" alone needs one of them
        # (rule 8873Q).
        reason = rng.choice(("RC8", "RC9")) if no_factors or rng.random() < 0.7 else "RC7"
        if no_factors:
            closing = True
    elif path == "plan":
        p_start = a_auth
        plan: dict[str, Any] = {"CINPlanStartDate": p_start}
        ep["CINPlanDates"] = [plan]
        p_end = p_start + dt.timedelta(days=_rr(rng, 30, 300))
        if closing and p_end <= ref:
            plan["CINPlanEndDate"] = p_end
            last = p_end
        elif must_close:
            return None
        else:
            closing = False
    else:
        s47 = referral + dt.timedelta(days=_rr(rng, 0, 3))
        enquiry: dict[str, Any] = {
            "S47ActualStartDate": s47,
            "InitialCPCtarget": _weekday(s47 + dt.timedelta(days=21)),  # rule 8870Q
        }
        ep["Section47"] = [enquiry]
        last = max(last, s47)
        if rng.random() < 0.45 and s47 + dt.timedelta(days=20) <= ref:
            icpc = _weekday(s47 + dt.timedelta(days=_rr(rng, 5, 18)))  # rule 8875
            enquiry["DateOfInitialCPC"] = icpc
            enquiry["ICPCnotRequired"] = "0"
            last = max(last, icpc)
            if rng.random() < 0.88:
                category = _pick(rng, _ABUSE)
                plan = {
                    "CPPstartDate": icpc,
                    "InitialCategoryOfAbuse": category,
                    "LatestCategoryOfAbuse": category,
                    "NumberOfPreviousCPP": str(_pick(rng, [(0, 75), (1, 18), (2, 7)])),
                }
                ep["ChildProtectionPlans"] = [plan]
                cpp_end = icpc + dt.timedelta(days=_rr(rng, 60, 400))
                ends = closing and cpp_end <= ref
                if ends:
                    plan["CPPendDate"] = cpp_end
                    last = cpp_end
                elif must_close:
                    return None
                else:
                    closing = False
                # Reviews three months after the conference, then every six months (none on the end day).
                reviews = []
                review = icpc + dt.timedelta(days=_rr(rng, 80, 92))
                while review <= ref and (not ends or review < cpp_end):
                    reviews.append(review)
                    review += dt.timedelta(days=_rr(rng, 170, 183))
                if reviews:
                    plan["Reviews"] = reviews
        else:
            enquiry["ICPCnotRequired"] = "1"
    if closing:
        close = last + dt.timedelta(days=_rr(rng, 0, 20))
        if no_factors:
            close = min(close, ref)
        if close > ref:
            if must_close:
                return None
            return ep
        ep["CINclosureDate"] = close
        ep["ReasonForClosure"] = reason
    return ep


def _carried_episode(rng: random.Random, y: _Year, ep: dict[str, Any], must_close: bool) -> dict[str, Any]:
    """An episode open on 1 April: a CIN plan or a child protection plan running on, with only this year's
    activity (earlier assessments are not returned again)."""
    referral = ep["CINreferralDate"]
    close = y.start + dt.timedelta(days=_rr(rng, 10, y.days - 20))
    closing = must_close or rng.random() < 0.5
    if rng.random() < 0.7:
        start = referral + dt.timedelta(days=_rr(rng, 20, 45))
        start = min(start, y.start - DAY)
        plan: dict[str, Any] = {"CINPlanStartDate": start}
        if closing:
            plan["CINPlanEndDate"] = close
        ep["CINPlanDates"] = [plan]
    else:
        start = referral + dt.timedelta(days=_rr(rng, 15, 30))
        start = _weekday(min(start, y.start - 3 * DAY))
        category = _pick(rng, _ABUSE)
        cpp: dict[str, Any] = {
            "CPPstartDate": start,
            "InitialCategoryOfAbuse": category,
            "LatestCategoryOfAbuse": _pick(rng, _ABUSE) if rng.random() < 0.1 else category,
            "NumberOfPreviousCPP": str(_pick(rng, [(0, 75), (1, 18), (2, 7)])),
        }
        if closing:
            cpp["CPPendDate"] = close
        reviews = []
        review = start + dt.timedelta(days=88)
        while review <= y.end and (not closing or review < close):
            if review >= y.start:
                reviews.append(review)
            review += dt.timedelta(days=_rr(rng, 170, 183))
        if reviews:
            cpp["Reviews"] = reviews
        ep["ChildProtectionPlans"] = [cpp]
    if closing:
        ep["CINclosureDate"] = close
        ep["ReasonForClosure"] = "RC7"
    return ep


# --- looked-after children ----------------------------------------------------------------------------

# Ages at 31 March of children looked after (national SSDA903 shape; 18s are those who left at 18).
_LAC_AGES = [((0, 0), 5), ((1, 4), 13), ((5, 9), 17), ((10, 15), 37), ((16, 17), 23), ((18, 18), 5)]
_FOSTER = ["U1", "U2", "U3", "U4", "U5", "U6"]
_PLACES = [
    ("U4", 20),
    ("U6", 22),
    ("U1", 6),
    ("U3", 9),
    ("U2", 0.5),
    ("U5", 0.5),
    ("K2", 11),
    ("R1", 1),
    ("P1", 6),
    ("K1", 0.3),
    ("S1", 0.7),
    ("R2", 0.3),
    ("R3", 0.5),
    ("R5", 0.3),
    ("P3", 0.1),
]
_LEAVE = [
    ("E4A", 22),
    ("E4B", 4),
    ("E13", 8),
    ("E41", 5),
    ("E45", 6),
    ("E46", 2),
    ("E47", 3),
    ("E48", 1),
    ("E3", 3),
    ("E8", 6),
    ("E9", 1),
]
_CHANGE = ["CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "OTHER"]
_CIN_CLOSE = {
    "E11": "RC1",
    "E12": "RC1",
    "E41": "RC3",
    "E45": "RC4",
    "E46": "RC4",
    "E47": "RC4",
    "E48": "RC4",
    "E3": "RC5",
    "E7": "RC6",
}


def _place_for(rng: random.Random, age_days: int, ls: str, year: int) -> tuple[str, str, str]:
    """A placement type, provider and URN fitting the child's age and legal status."""
    for _ in range(100):
        place = _pick(rng, _PLACES)
        if place == "K2" and age_days >= 16 * 365 and rng.random() < 0.4:
            place = "K3" if year >= 2024 else place
        min_age = {"K2": 8, "K1": 10, "R5": 10, "S1": 5, "P3": 15, "R1": 8, "K3": 16}.get(place, 0)
        if age_days < min_age * 365 + 30:
            continue
        if place == "P1" and ls == "V2":  # rule 378
            continue
        if place == "R3" and age_days > 365:
            continue
        break
    else:
        place = "U6"
    if place == "P1":
        return place, "PR0", ""
    if place in ("R2", "R5"):  # NHS and youth custody: other public providers (rules 527, 528)
        return place, "PR3", ""
    provider = _pick(rng, [("PR1", 55), ("PR4", 38), ("PR5", 4), ("PR2", 3)])
    if place in ("R1", "P3"):  # no Ofsted registration (rule 222)
        return place, provider, ""
    # The Ofsted URN of the home, school or fostering service (rule 218).
    return place, provider, f"SC{_rr(rng, 10**6):06d}"


def _looked_after(rng: random.Random, y: _Year, n: int) -> Child:
    dob = _age_dob(rng, y, _LAC_AGES)
    child = Child(n, dob, _pick(rng, [("M", 56), ("F", 44)]))
    eighteen = _add_years(dob, 18)
    age_now = (y.end - dob).days
    uasc = age_now > 15 * 365 and eighteen > y.start + 30 * DAY and rng.random() < 0.3
    if uasc:
        child.sex = "M" if rng.random() < 0.92 else "F"
    # Start of this period of care: a quarter start in the year.
    if rng.random() < 0.25 or (y.start - dob).days < 40:
        latest = min(y.end - 15 * DAY, eighteen - 60 * DAY)
        earliest = max(y.start + DAY, dob + 3 * DAY)
        if latest <= earliest:
            latest = earliest + DAY
        care_start = earliest + dt.timedelta(days=_rr(rng, (latest - earliest).days))
    else:
        longest = min((y.start - dob).days - 3, 12 * 365)
        care_start = y.start - dt.timedelta(days=_rr(rng, 10, max(11, longest)))
        care_start = max(care_start, dob + 3 * DAY)
        if uasc:
            care_start = max(care_start, _add_years(dob, 14))
    # Leaving: at 18 (if the birthday falls in the year), else about a quarter in the year.
    care_end: dt.date | None = None
    rec = ""
    age_start = (care_start - dob).days
    if eighteen <= y.end:
        care_end = eighteen
        rec = _pick(rng, [("E17", 30), ("E5", 35), ("E6", 10), ("E8", 25)])
    elif rng.random() < 0.24:
        care_end = care_start + dt.timedelta(days=_rr(rng, 15, 500))
        care_end = max(care_end, y.start + 2 * DAY)
        if care_end >= y.end:
            care_end = None
        else:
            rec = _pick(rng, _LEAVE)
            if (care_end - dob).days >= 16 * 365 + 30 and rng.random() < 0.3:
                rec = rng.choice(("E5", "E6"))
    adopt = (
        not uasc
        and care_end is not None
        and age_start < 4 * 365
        and (care_end - care_start).days > 300
        and rng.random() < 0.7
    )
    if adopt:
        rec = rng.choice(("E11", "E11", "E12"))
    need = "N8" if uasc else _pick(rng, _NEEDS)
    child.facts.update(care_start=care_start, care_end=care_end, rec=rec, uasc=uasc, adopt=adopt, need=need)
    episodes = _care_episodes(rng, y, child, care_start, care_end, rec, adopt, need, uasc)
    child.facts["episodes"] = episodes
    child.ssda903 = _903_tables(rng, y, child, episodes, uasc, adopt)
    child.cin = _cin_for_looked_after(rng, y, child, care_start, care_end, rec, need)
    # Deprivation of liberty orders: drawn last, so the rest of the child is the same with or without them.
    dolos = _dolos(rng, child, episodes)
    child.facts["dolos"] = dolos
    if y.year >= DOLO_FROM:
        child.ssda903["DoLO"] = _dolos_in(dolos, y)
    return child


def _care_episodes(
    rng: random.Random,
    y: _Year,
    child: Child,
    care_start: dt.date,
    care_end: dt.date | None,
    rec: str,
    adopt: bool,
    need: str,
    uasc: bool,
) -> list[dict[str, Any]]:
    """The period of care as episodes (all of them, including those before the year)."""
    dob = child.dob
    if uasc:
        ls = "V2"
    elif adopt:
        ls = "C1"
    else:
        ls = _pick(rng, [("C2", 45), ("C1", 20), ("V2", 30), ("J1", 2), ("L2", 3)])
        if ls == "J1" and (care_start - dob).days < 10 * 365 + 30:
            ls = "V2"
    stop = care_end or (y.end + 400 * DAY)
    episodes: list[dict[str, Any]] = []
    when = care_start
    place, provider, urn = _place_for(rng, (when - dob).days, ls, y.year)
    if adopt:
        place, provider, urn = rng.choice(("U4", "U6")), "PR1", f"SC{_rr(rng, 10**6):06d}"
    rne = "S"
    pl_post = rng.choice(_POST)
    adoption_placed: dt.date | None = None
    if adopt and care_end is not None:
        adoption_placed = care_end - dt.timedelta(days=_rr(rng, 120, 250))
        adoption_placed = max(adoption_placed, care_start + 60 * DAY)
    while True:
        if ls == "L2":
            nxt = when + dt.timedelta(days=_rr(rng, 3, 15))  # an EPO lasts at most 21 days (rule 362)
        elif ls == "C1" and not adopt:
            nxt = when + dt.timedelta(days=_rr(rng, 120, 300))
        else:
            nxt = when + dt.timedelta(days=_rr(rng, 150, 900))
        if adoption_placed is not None and when < adoption_placed <= nxt:
            nxt = adoption_placed
        if place in ("A5", "A6"):
            nxt = stop
        episode = {
            "CHILD": child.id,
            "DECOM": when,
            "RNE": rne,
            "LS": ls,
            "CIN": need,
            "PLACE": place,
            "PLACE_PROVIDER": provider,
            "DEC": None,
            "REC": "",
            "REASON_PLACE_CHANGE": "",
            "HOME_POST": "" if uasc else rng.choice(_POST),
            "PL_POST": pl_post,
            "URN": urn,
        }
        episodes.append(episode)
        if nxt >= stop:
            if care_end is not None:
                episode["DEC"] = care_end
                if rec in ("E45", "E46") and place not in _FOSTER:
                    rec = "E47" if rec == "E45" else "E48"  # SGO to the former foster carer (rule 516)
                    child.facts["rec"] = rec
                episode["REC"] = rec
            break
        episode["DEC"] = nxt
        episode["REC"] = "X1"
        when = nxt
        # What changes: the legal status (care proceedings), the placement, or both.
        new_ls = ls
        if ls == "L2":
            new_ls = "C1"
        elif ls == "C1" and adopt and adoption_placed is not None and when < adoption_placed:
            new_ls = "E1"  # a placement order before the placement for adoption (rule 408)
        elif ls == "C1" and (adopt or rng.random() < 0.8):
            new_ls = "C2"
        elif ls == "J1":
            new_ls = "V2"
        elif ls == "V2" and rng.random() < 0.1 and not uasc:
            new_ls = "C1"
        if adoption_placed is not None and when == adoption_placed:
            new_ls = "E1"
            with_carer = rng.random() < 0.2
            new_place = "A5" if with_carer else "A6"
            change_place = True
            child.facts["adoption_place"] = new_place
            child.facts["adoption_placed"] = adoption_placed
        else:
            change_place = new_ls == ls or rng.random() < 0.2
            new_place = place
        if change_place and new_place == place:
            age = (when - dob).days
            for _ in range(10):
                candidate = _place_for(rng, age, new_ls, y.year)
                if candidate[0] != place:
                    break
            new_place, provider, urn = candidate
            if adopt:
                new_place, provider, urn = rng.choice(("U4", "U6")), "PR1", f"SC{_rr(rng, 10**6):06d}"
        elif new_place in ("A5", "A6"):
            # Placed through the regional adoption agency: URN XXXXXXX (rules 218, 242).
            provider, urn = "PR1", "XXXXXXX"
        if change_place:
            pl_post = rng.choice(_POST)
            # The reason for a change of placement goes on the episode that ends with it (rule 225).
            episode["REASON_PLACE_CHANGE"] = rng.choice(_CHANGE)
            # An A5 (with the current carer) starts with RNE T or U (rule 217); same-carer moves are T.
            if new_place == "A5":
                rne = "U" if new_ls != ls else "T"
            else:
                rne = "B" if new_ls != ls else "P"
        else:
            rne = "L"
        if new_ls == "V2" and new_place == "P1":
            new_ls = "C2"
        ls, place = new_ls, new_place
    return episodes


def _903_tables(
    rng: random.Random,
    y: _Year,
    child: Child,
    all_episodes: list[dict[str, Any]],
    uasc: bool,
    adopt: bool,
) -> dict[str, list[dict[str, Any]]]:
    dob = child.dob
    facts = child.facts
    care_start: dt.date = facts["care_start"]
    care_end: dt.date | None = facts["care_end"]
    episodes = _episodes_in(all_episodes, y)
    # The same UPN as in the CIN census; UN1 only below school age (rule 209), else not yet known (UN5).
    known = _upn(rng, y, child)
    upn = known if known is not None else ("UN5" if child.facts["school_age"] else "UN1")
    mother = ""
    mc_dob: dt.date | None = None
    if child.sex == "F":
        mother = "0"  # girls looked after have the mother field (rule 393)
        if (y.end - dob).days > 16 * 365 and rng.random() < 0.05:
            mother, mc_dob = "1", y.start - dt.timedelta(days=_rr(rng, 10, 300))
    header = {
        "CHILD": child.id,
        "SEX": child.sex,
        "DOB": dob,
        "ETHNIC": _pick(rng, _ETHNIC),
        "UPN": upn,
        "MOTHER": mother,
        "MC_DOB": mc_dob,
    }
    facts["header"] = dict(header)
    tables: dict[str, list[dict[str, Any]]] = {"Header": [header], "Episodes": episodes}
    # Reviews: within 20 working days of starting care, three months later, then every six months. The
    # dates of every review of the period of care are kept for last year's return.
    reviews = []
    dates = []
    review = care_start + dt.timedelta(days=_rr(rng, 10, 27))
    gap = 90
    stop = care_end or y.end
    while review <= stop:
        dates.append(review)
        if review >= y.start:
            reviews.append(_review(rng, child, review))
        review += dt.timedelta(days=gap + _rr(rng, -10, 0))
        gap = 182
    facts["reviews"] = dates
    tables["Reviews"] = reviews
    # Missing: about one in ten looked-after children, older ones, one to four spells.
    tables["Missing"] = _missing(rng, y, child, max(care_start, y.start), stop)
    # OC2 for children looked after continuously for the 12 months to 31 March.
    twelve = care_start <= y.start and care_end is None
    tables["OC2"] = [_oc2(rng, y, child)] if twelve else []
    # UASC.
    if uasc:
        eighteen = _add_years(dob, 18)
        duc = eighteen if eighteen <= y.end else None
        tables["UASC"] = [{"CHILD": child.id, "SEX": child.sex, "DOB": dob, "DUC": duc}]
    # Adoption: the decision, the match and the adopters.
    if adopt:
        # The decision comes before the placement order (rule 554) and after care began (rule 1003).
        order = min(e["DECOM"] for e in all_episodes if e["LS"] == "E1")
        decision = order - dt.timedelta(days=_rr(rng, 10, 60))
        decision = max(decision, care_start + DAY)
        match = decision + dt.timedelta(days=_rr(rng, 10, 50))
        match = min(match, facts["adoption_placed"])
        decision = min(decision, match)
        facts["decision"] = decision
        tables["PlacedAdoption"] = [
            {
                "CHILD": child.id,
                "DOB": dob,
                "DATE_PLACED": decision,
                "DATE_PLACED_CEASED": None,
                "REASON_PLACED_CEASED": "",
            }
        ]
        couple = rng.random() < 0.85
        sex = _pick(rng, [("MF", 85), ("MM", 7), ("FF", 8)]) if couple else rng.choice(("F1", "M1"))
        tables["AD1"] = [
            {
                "CHILD": child.id,
                "DOB": dob,
                "DATE_INT": decision,
                "DATE_MATCH": match,
                "FOSTER_CARE": "1" if facts["adoption_place"] == "A5" else "0",
                "NB_ADOPTR": "2" if couple else "1",
                "SEX_ADOPTR": sex,
                "LS_ADOPTR": _adopters_status(rng, sex),
            }
        ]
    # Care leavers: those who left care at 16 or 17 and had their 17th or 18th birthday in the year after.
    tables["OC3"] = []
    # Social workers: one allocated when care starts, changing every year or so.
    tables["SWEpisodes"] = _social_workers(rng, y, child, care_start - dt.timedelta(days=_rr(rng, 0, 30)))
    # Previous permanence for children starting care in the year (rule 630).
    if care_start >= y.start:
        tables["PrevPerm"] = [
            {"CHILD": child.id, "DOB": dob, "PREV_PERM": "Z1", "LA_PERM": "", "DATE_PERM": ""}
        ]
    return tables


def _review(rng: random.Random, child: Child, review: dt.date) -> dict[str, Any]:
    """A review row; children under 4 take part as PN0 (rule 120's codes by age)."""
    under4 = _add_years(child.dob, 4) > review
    code = (
        "PN0"
        if under4
        else _pick(
            rng,
            [("PN1", 60), ("PN2", 10), ("PN3", 3), ("PN4", 5), ("PN5", 5), ("PN6", 12), ("PN7", 5)],
        )
    )
    return {"CHILD": child.id, "DOB": child.dob, "REVIEW": review, "REVIEW_CODE": code}


def _missing(
    rng: random.Random, y: _Year, child: Child, begin: dt.date, stop: dt.date
) -> list[dict[str, Any]]:
    """Missing spells between ``begin`` and ``stop`` for about a quarter of the children over 11 at the end
    of the year: one to four, each ended within a few days (none left open at 31 March)."""
    dob = child.dob
    missing: list[dict[str, Any]] = []
    if (y.end - dob).days > 11 * 365 and rng.random() < 0.25:
        span = (stop - begin).days
        if span > 20:
            back = begin
            for day in sorted(rng.sample(range(1, span - 3), min(span - 4, _rr(rng, 1, 5)))):
                m = begin + dt.timedelta(days=day)
                if m <= back:
                    continue
                back = m + dt.timedelta(days=_rr(rng, 0, 3))
                missing.append(
                    {
                        "CHILD": child.id,
                        "DOB": dob,
                        "MISSING": "M",
                        "MIS_START": m,
                        "MIS_END": min(back, stop),
                    }
                )
    return missing


def _episodes_in(all_episodes: list[dict[str, Any]], y: _Year) -> list[dict[str, Any]]:
    """The episodes a year's return holds: those open at some time in the year, an episode running past
    31 March returned open (no DEC, REC or reason for the placement change)."""
    episodes = []
    for e in all_episodes:
        if e["DECOM"] > y.end or (e["DEC"] is not None and e["DEC"] < y.start):
            continue
        if e["DEC"] is not None and e["DEC"] > y.end:
            e = {**e, "DEC": None, "REC": "", "REASON_PLACE_CHANGE": ""}
        episodes.append(e)
    return episodes


def _adopters_status(rng: random.Random, sex: str) -> str:
    """Single adopters L0; married couples L11 if of different sexes, L12 if the same (rule 520)."""
    if sex in ("M1", "F1"):
        return "L0"
    if sex == "MF":  # L3: a man and a woman living together (rule 517)
        return _pick(rng, [("L11", 75), ("L3", 25)])
    return _pick(rng, [("L12", 50), ("L2", 30), ("L4", 20)])  # L4: a same-sex couple living together


def _oc2(rng: random.Random, y: _Year, child: Child) -> dict[str, Any]:
    dob = child.dob
    score, reason = "", ""
    if _add_years(dob, 4) <= y.start and _add_years(dob, 17) > y.end:
        # Aged 4 to 16 all year: a score (rule 186).
        score = str(min(40, max(0, int(rng.gauss(14, 7)))))
    elif _add_years(dob, 4) <= y.end and _add_years(dob, 17) > y.start:
        # Turning 4 or 17 in the year: a score or a reason for none (rule 197B).
        if rng.random() < 0.7:
            score = str(min(40, max(0, int(rng.gauss(14, 7)))))
        else:
            reason = rng.choice(("SDQ1", "SDQ2", "SDQ4", "SDQ5"))
    misuse = "1" if (y.end - dob).days > 12 * 365 and rng.random() < 0.04 else "0"
    received = ("1" if rng.random() < 0.6 else "0") if misuse == "1" else ""
    under5 = _add_years(dob, 5) > y.end
    ten = _add_years(dob, 10) <= y.end
    return {
        "CHILD": child.id,
        "DOB": dob,
        "SDQ_SCORE": score,
        "SDQ_REASON": reason,
        # Convictions only from age 10 (rule 542), development checks only under 5 (rule 546).
        "CONVICTED": ("1" if rng.random() < 0.03 else "0") if ten else "",
        "HEALTH_CHECK": ("1" if rng.random() < 0.9 else "0") if under5 else "",
        "IMMUNISATIONS": "1" if rng.random() < 0.85 else "0",
        "TEETH_CHECK": "1" if rng.random() < 0.8 else "0",
        "HEALTH_ASSESSMENT": "1" if rng.random() < 0.9 else "0",
        "SUBSTANCE_MISUSE": misuse,
        "INTERVENTION_RECEIVED": received,
        "INTERVENTION_OFFERED": ("1" if rng.random() < 0.7 else "0") if received == "0" else "",
    }


def _social_workers(rng: random.Random, y: _Year, child: Child, begin: dt.date) -> list[dict[str, Any]]:
    """Social worker episodes from ``begin``, each starting the day the one before ended, the last still
    open on 31 March (the child keeps a social worker after leaving care). The reason is the reason for
    the change to this worker. The whole chain is kept (``facts["sw"]``); the year's return holds those
    still open on 1 April or begun since (:func:`_sw_in`).

    The first worker stays at least until the 1 April after care began: so the one allocated when care
    began is still the child's at the end of that collection year, which both the DfE's checks ask for
    (rule SW12: the start of care in the reporting period, from 1 April of the year before, falls within a
    reported episode; SW16a-c: this year's first episode is the one open at the end of last year)."""
    chain = []
    when = begin
    reason = "CHCHAN"
    settled = begin + 31 * DAY
    settled = dt.date(settled.year + (settled >= dt.date(settled.year, 4, 1)), 4, 1)
    while True:
        nxt = when + dt.timedelta(days=_rr(rng, 120, 600))
        if when == begin:
            nxt = max(nxt, settled + dt.timedelta(days=_rr(rng, 0, 120)))
        row = {
            "CHILD": child.id,
            "SW_ID": f"SW{_rr(rng, 5000):05d}",
            "SW_DECOM": when,
            "SW_DEC": None,
            "SW_REASON": reason,
        }
        chain.append(row)
        if nxt >= y.end - 10 * DAY:
            break
        row["SW_DEC"] = nxt
        reason = _pick(
            rng,
            [
                ("LEFTRL", 35),
                ("MANAGE", 15),
                ("ORGRST", 10),
                ("TSPROC", 20),
                ("ABSENC", 5),
                ("CHCHAN", 10),
                ("OTHERS", 5),
            ],
        )
        when = nxt
    child.facts["sw"] = chain
    return _sw_in(chain, y)


def _sw_in(chain: list[dict[str, Any]], y: _Year) -> list[dict[str, Any]]:
    """A year's social worker episodes: those open on 1 April or begun by 31 March, one running past
    31 March returned open."""
    rows = []
    for row in chain:
        if row["SW_DECOM"] > y.end or (row["SW_DEC"] is not None and row["SW_DEC"] < y.start):
            continue
        if row["SW_DEC"] is not None and row["SW_DEC"] > y.end:
            row = {**row, "SW_DEC": None}
        rows.append(row)
    return rows


def _cin_for_looked_after(
    rng: random.Random,
    y: _Year,
    child: Child,
    care_start: dt.date,
    care_end: dt.date | None,
    rec: str,
    need: str,
) -> dict[str, Any]:
    """The looked-after child's episode of need: referred shortly before care began, open while looked
    after, closed when care ends with the matching reason."""
    cin = _identity(rng, y, child)
    referral = max(care_start - dt.timedelta(days=_rr(rng, 0, 40)), child.dob)
    ep: dict[str, Any] = {
        "CINreferralDate": referral,
        "ReferralSource": _pick(rng, _SOURCES),
        "PrimaryNeedCode": need,
        "ReferralNFA": "0",
    }
    if referral >= y.start:
        a_start = referral + dt.timedelta(days=_rr(rng, 0, 3))
        a_auth = a_start + dt.timedelta(days=_rr(rng, 10, 45))
        assessment: dict[str, Any] = {"AssessmentActualStartDate": a_start}
        if a_auth <= y.end and (care_end is None or a_auth <= care_end):
            assessment["AssessmentAuthorisationDate"] = a_auth
            factors = ["9A"] if child.facts.get("uasc") else _factors(rng, child.facts["disabled"])
            if child.facts["disabled"] and factors == ["9A"]:
                factors.append("6A")
            assessment["AssessmentFactors"] = factors
        elif care_end is not None:
            assessment = {}
        if assessment:
            ep["Assessments"] = [assessment]
    if care_end is not None:
        ep["CINclosureDate"] = care_end
        ep["ReasonForClosure"] = _CIN_CLOSE.get(rec, "RC7")
    cin["CINdetails"] = [ep]
    return cin


def _care_leaver(rng: random.Random, y: _Year, n: int) -> Child:
    """A young person aged 19 to 21 who left care: in the 903's header and OC3, not a child in need."""
    turns = rng.choice((19, 20, 21))
    birthday = y.start + dt.timedelta(days=_rr(rng, y.days))
    dob = _add_years(birthday, -turns)
    child = Child(n, dob, _pick(rng, [("M", 56), ("F", 44)]))
    in_touch, activ, accom = _leaver_status(rng)
    header = {
        "CHILD": child.id,
        "SEX": child.sex,
        "DOB": dob,
        "ETHNIC": _pick(rng, _ETHNIC),
        "UPN": child_upn(child.n),
        "MOTHER": "",
        "MC_DOB": None,
    }
    child.facts["header"] = dict(header)
    child.ssda903 = {
        "Header": [header],
        "OC3": [{"CHILD": child.id, "DOB": dob, "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}],
    }
    child.facts["leaver"] = True
    return child


def _leaver_status(rng: random.Random) -> tuple[str, str, str]:
    """A care leaver's IN_TOUCH, ACTIV and ACCOM."""
    in_touch = _pick(rng, [("YES", 88), ("NO", 5), ("REFU", 3), ("NREQ", 4)])
    activ, accom = "0", "0"
    if in_touch == "YES":
        activ = _pick(
            rng,
            [
                ("F1", 6),
                ("P1", 1),
                ("F2", 12),
                ("P2", 3),
                ("F4", 20),
                ("P4", 8),
                ("G4", 10),
                ("G5", 25),
                ("G6", 6),
                ("F5", 2),
                ("P5", 1),
            ],
        )
        accom = _pick(
            rng,
            [
                ("U1", 40),
                ("B1", 12),
                ("D1", 10),
                ("E1", 4),
                ("Z1", 8),
                ("K1", 4),
                ("V2", 2),
                ("S2", 1),
                ("X2", 2),
                ("T1", 2),
                ("Y1", 3),
            ],
        )
    return in_touch, activ, accom


# --- short breaks -----------------------------------------------------------------------------------


def _short_breaks(rng: random.Random, y: _Year, n: int) -> Child:
    """A disabled child in need whose only care is planned respite: a series of short breaks (LS V3), each
    its own period of care (RNE S, rule 366) of one to four nights in a short-break home (K2) or with
    foster carers (U3, U6; not U1 or U4, rule 227), within 17 days each (365) and 75 days a year (367);
    no placement postcode or URN (261), no reviews or mother field (399). The child's episode of need,
    for their disability (N2), is open all year under a child in need plan."""
    dob = _age_dob(rng, y, [((5, 9), 30), ((10, 15), 50), ((16, 17), 20)])
    child = Child(n, dob, "M" if rng.random() < 0.62 else "F")
    cin = _identity(rng, y, child)
    cin["Disabilities"] = rng.sample(_DISABILITY, rng.choice((1, 1, 2)))
    child.facts.update(disabled=True, breaks=True)
    referral = max(y.start - dt.timedelta(days=_rr(rng, 200, 1500)), dob + 365 * DAY)
    cin["CINdetails"] = [
        {
            "CINreferralDate": referral,
            "ReferralSource": _pick(rng, _SOURCES),
            "PrimaryNeedCode": "N2",
            "ReferralNFA": "0",
            "CINPlanDates": [{"CINPlanStartDate": min(referral + 40 * DAY, y.start - DAY)}],
        }
    ]
    child.cin = cin
    known = _upn(rng, y, child)
    header = {
        "CHILD": child.id,
        "SEX": child.sex,
        "DOB": dob,
        "ETHNIC": cin["Ethnicity"],
        "UPN": known if known is not None else ("UN5" if child.facts["school_age"] else "UN1"),
        "MOTHER": "",
        "MC_DOB": None,
    }
    child.facts["header"] = dict(header)
    place = _pick(rng, [("K2", 60), ("U6", 25), ("U3", 15)])
    provider = _pick(rng, [("PR1", 70), ("PR4", 30)])
    child.facts["respite"] = (place, provider, rng.choice(_POST))
    child.ssda903 = _break_tables(rng, y, child, header)
    return child


def _break_tables(
    rng: random.Random, y: _Year, child: Child, header: dict[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    """The year's 903 rows of a child on short breaks: the header, the breaks and, as each break starts a
    period of care in the year, the previous permanence row (rule 630; none before, Z1)."""
    episodes = _breaks(rng, y, child)
    perm = [{"CHILD": child.id, "DOB": child.dob, "PREV_PERM": "Z1", "LA_PERM": "", "DATE_PERM": ""}]
    return {"Header": [header], "Episodes": episodes, "PrevPerm": perm if episodes else []}


def _breaks(rng: random.Random, y: _Year, child: Child) -> list[dict[str, Any]]:
    """A year's short breaks: three to twelve, a fortnight to six weeks apart, at most 60 nights."""
    place, provider, home = child.facts["respite"]
    episodes: list[dict[str, Any]] = []
    count = _rr(rng, 3, 13)
    when = y.start + dt.timedelta(days=_rr(rng, 0, 30))
    total = 0
    for _ in range(count):
        nights = _rr(rng, 1, 5)
        if when + dt.timedelta(days=nights) > y.end or total + nights > 60:
            break
        episodes.append(
            {
                "CHILD": child.id,
                "DECOM": when,
                "RNE": "S",
                "LS": "V3",
                "CIN": "N2",
                "PLACE": place,
                "PLACE_PROVIDER": provider,
                "DEC": when + dt.timedelta(days=nights),
                "REC": "E4A",
                "REASON_PLACE_CHANGE": "",
                "HOME_POST": home,
                "PL_POST": "",
                "URN": "",
            }
        )
        total += nights
        when += dt.timedelta(days=nights + _rr(rng, 14, 45))
    return episodes


# --- deprivation of liberty orders (from 2026-27) -------------------------------------------------------

#: The first collection year with the DoLO table.
DOLO_FROM = 2026


def _dolos(rng: random.Random, child: Child, episodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Deprivation of liberty orders over the child's period of care: about 1.5% of looked-after children,
    nearly all 15 to 17 and living in a children's home (K2). An order lies within one K2 placement (rule
    709 expects K2, Z12 or Z13 for every placement it overlaps; 710 bars K1, K3, P1 and R5), from some
    time after the placement began to at latest the day it ended; about a quarter are renewed on the day
    they end. An order still running when the placement has no end is open (no DOLO_END)."""
    orders: list[dict[str, Any]] = []
    dob = child.dob
    for e in episodes:
        if e["PLACE"] != "K2":
            continue
        begin = max(e["DECOM"], _add_years(dob, 12))
        limit: dt.date | None = e["DEC"]
        if limit is not None and (limit - begin).days < 40:
            continue
        chance = 0.3 if (begin - dob).days >= 15 * 365 else 0.06
        if rng.random() >= chance:
            continue
        room = (limit - begin).days - 30 if limit is not None else 300
        start = begin + dt.timedelta(days=_rr(rng, 0, max(1, min(room, 300))))
        while True:
            end: dt.date | None = start + dt.timedelta(days=_rr(rng, 60, 400))
            assert end is not None
            if limit is not None and end >= limit:
                end = limit
            orders.append({"CHILD": child.id, "DOB": dob, "DOLO_START": start, "DOLO_END": end})
            if end == limit or rng.random() >= 0.25:
                break
            start = end
        if limit is None and rng.random() < 0.5:
            orders[-1]["DOLO_END"] = None  # still in force, with no end yet set
    return orders


def _dolos_in(orders: list[dict[str, Any]], y: _Year) -> list[dict[str, Any]]:
    """A year's DoLOs: those in force at some time in the year, one ending after 31 March returned open."""
    rows = []
    for d in orders:
        end = d["DOLO_END"]
        if d["DOLO_START"] > y.end or (end is not None and end < y.start):
            continue
        if end is not None and end > y.end:
            d = {**d, "DOLO_END": None}
        rows.append(d)
    return rows


# --- last year's return -------------------------------------------------------------------------------


def previous_903(child: Child, year: int) -> dict[str, list[dict[str, Any]]] | None:
    """The child's rows in last year's SSDA903 (the year before ``year``, the child's collection year), from
    the same timeline, or None if the child was not in it.

    A child looked after last year has the episodes of their period of care open then (one open on
    31 March returned open, as this year's return takes it on: rules 502, 503A-F, 562), the same header
    (UN1 for a child below school age last year, rule 208), UASC status, social worker episodes (SW16),
    the reviews of the same schedule, missing spells (all ended, rule 576), health data if looked after all
    year, the decision to place for adoption (559-561) and DoLOs (from 2026-27). A care leaver aged 19 this
    year left care at 18 last year (rules 1001, 1002), one aged 20 or 21 was a care leaver then. Whatever
    last year's return needs beyond the timeline is drawn from a stream of the child's own, so this
    year's files are the same with or without it."""
    if child.ssda903 is None:
        return None
    y = _Year(year)
    last = _Year(year - 1)
    rng = random.Random(child.facts.get("stream", child.n) * 2 + 1)
    facts = child.facts
    if facts.get("leaver"):
        return _previous_leaver(rng, y, last, child)
    header = dict(facts["header"])
    if child.dob > dt.date(last.year - 3, 8, 31):  # below school age last year
        header["UPN"] = "UN1"
    if facts.get("breaks"):
        return _break_tables(rng, last, child, header)
    care_start: dt.date = facts["care_start"]
    if care_start > last.end:
        return None
    episodes = _episodes_in(facts["episodes"], last)
    if last.year < 2024:  # K3 (supported accommodation) replaced H5 from 2024-25; 503D allows the change
        episodes = [{**e, "PLACE": "H5"} if e["PLACE"] == "K3" else e for e in episodes]
    tables: dict[str, list[dict[str, Any]]] = {"Header": [header], "Episodes": episodes}
    tables["Reviews"] = [_review(rng, child, r) for r in facts["reviews"] if last.start <= r <= last.end]
    tables["Missing"] = _missing(rng, last, child, max(care_start, last.start), last.end)
    tables["OC2"] = [_oc2(rng, last, child)] if care_start <= last.start else []
    if facts["uasc"]:
        eighteen = _add_years(child.dob, 18)
        duc = eighteen if eighteen <= last.end else None
        tables["UASC"] = [{"CHILD": child.id, "SEX": child.sex, "DOB": child.dob, "DUC": duc}]
    decision = facts.get("decision")
    if decision is not None and decision <= last.end:
        tables["PlacedAdoption"] = [
            {
                "CHILD": child.id,
                "DOB": child.dob,
                "DATE_PLACED": decision,
                "DATE_PLACED_CEASED": None,
                "REASON_PLACED_CEASED": "",
            }
        ]
    tables["SWEpisodes"] = _sw_in(facts["sw"], last)
    if care_start >= last.start:
        tables["PrevPerm"] = [
            {"CHILD": child.id, "DOB": child.dob, "PREV_PERM": "Z1", "LA_PERM": "", "DATE_PERM": ""}
        ]
    if last.year >= DOLO_FROM:
        tables["DoLO"] = _dolos_in(facts.get("dolos", []), last)
    return tables


def _previous_leaver(
    rng: random.Random, y: _Year, last: _Year, child: Child
) -> dict[str, list[dict[str, Any]]]:
    """Last year's rows of a care leaver: one aged 19 now was looked after until their 18th birthday last
    year (a period of care begun at 14 to 17, long enough to be a relevant child, rule 1001); one aged 20 or
    21 was a care leaver then too (OC3)."""
    assert child.ssda903 is not None
    header = dict(child.facts["header"])
    eighteen = _add_years(child.dob, 18)
    if eighteen < last.start:
        in_touch, activ, accom = _leaver_status(rng)
        row = {"CHILD": child.id, "DOB": child.dob, "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}
        return {"Header": [header], "OC3": [row]}
    header["MOTHER"] = "0" if child.sex == "F" else ""  # a girl looked after has the mother field (rule 393)
    # One placement from 14 to 17 until the 18th birthday: only last year's episodes are in the files, and
    # they show the 13 weeks since the 14th birthday that make a relevant child.
    care_start = _add_years(child.dob, 14) + dt.timedelta(days=_rr(rng, 60, 3 * 365))
    ls = rng.choice(("C2", "C2", "V2"))
    place, provider, urn = _place_for(rng, (care_start - child.dob).days, ls, last.year)
    if place == "P1" and ls == "V2":
        ls = "C2"
    if last.year < 2024 and place == "K3":
        place = "H5"
    episode = {
        "CHILD": child.id,
        "DECOM": care_start,
        "RNE": "S",
        "LS": ls,
        "CIN": _pick(rng, _NEEDS),
        "PLACE": place,
        "PLACE_PROVIDER": provider,
        "DEC": eighteen,
        "REC": _pick(rng, [("E17", 30), ("E5", 35), ("E6", 10), ("E8", 25)]),
        "REASON_PLACE_CHANGE": "",
        "HOME_POST": rng.choice(_POST),
        "PL_POST": rng.choice(_POST),
        "URN": urn,
    }
    tables: dict[str, list[dict[str, Any]]] = {"Header": [header], "Episodes": [episode]}
    reviews = []
    review = care_start + dt.timedelta(days=_rr(rng, 10, 27))
    gap = 90
    while review <= eighteen:
        if review >= last.start:
            reviews.append(_review(rng, child, review))
        review += dt.timedelta(days=gap + _rr(rng, -10, 0))
        gap = 182
    tables["Reviews"] = reviews
    tables["SWEpisodes"] = _social_workers(rng, last, child, care_start - dt.timedelta(days=_rr(rng, 0, 30)))
    return tables


# --- module 5: pre-proceedings and family group decision making (2026-27 on) ---------------------------

#: The first collection year whose CIN census has module 5 (PreProceedingsandFGDM inside a CINdetails).
PRE_PROCEEDINGS_FROM = 2026
_PP_STREAM = 1 << 62
# Of the episodes that could hold pre-proceedings: a child protection plan running at least 45 days into
# the year, and a child who comes into care in the year under a care order, from an episode of need
# opened three weeks or more before.
_PP_ON_PLAN = 0.19
_PP_BEFORE_CARE = 0.6


def _pre_proceedings(rng: random.Random, y: _Year, child: Child) -> None:
    """Module 5 for the child's episode of need, if the council began pre-proceedings under the Public Law
    Outline in the year (a few percent of children in need): either a child on a child protection plan
    whose plan is not working (most step down again, some are still in pre-proceedings on 31 March), or a
    child who then becomes looked after under a care order, for whom the council applied to court.

    Every date falls in the reporting year and within the episode (rules 9005-9013), and the blocks are
    complete (9000Q, 9007, 9010Q, 9015Q). The DfE's labels for the outcome codes (CS131, rule 9011) are not
    in the project; the generator takes A as stepping up to care proceedings (a court application), B as
    stepping down and C as ending otherwise, and no rule depends on that reading."""
    assert child.cin is not None
    facts = child.facts
    if facts.get("care_start") is not None:
        if rng.random() < _PP_BEFORE_CARE:
            _pp_before_care(rng, y, child)
        return
    for ep in child.cin["CINdetails"]:
        plans = ep.get("ChildProtectionPlans")
        if not plans:
            continue
        plan = plans[0]
        lo = max(plan["CPPstartDate"] + 45 * DAY, y.start)
        end = plan.get("CPPendDate") or ep.get("CINclosureDate")
        hi = min(end, y.end) if end is not None else y.end
        if (hi - lo).days >= 40 and rng.random() < _PP_ON_PLAN:
            ep["PreProceedings"] = [_pp_on_plan(rng, y, lo, hi, stepped=end is not None and end <= y.end)]
        return


def _pp_meetings(rng: random.Random, start: dt.date, letter_after: int, meeting_after: int) -> dict[str, Any]:
    """The decision, the letter before proceedings (with or without an offer of a family group decision
    making meeting) and the first pre-proceedings meeting."""
    letter = start + dt.timedelta(days=_rr(rng, 1, letter_after))
    pp: dict[str, Any] = {
        "PPStartDate": start,
        "LBPSentDate": letter,
        "FGDMMeetingOffer": "1" if rng.random() < 0.8 else "0",
    }
    if pp["FGDMMeetingOffer"] == "1":
        pp["FGDMMeetingFac"] = "1" if rng.random() < 0.65 else "0"
    pp["InitialPPMeetingDate"] = letter + dt.timedelta(days=_rr(rng, 2, meeting_after))
    return pp


def _pp_on_plan(rng: random.Random, y: _Year, lo: dt.date, hi: dt.date, stepped: bool) -> dict[str, Any]:
    """Pre-proceedings for a child on a plan, between ``lo`` and ``hi`` (at least 40 days apart): stepped
    down when the plan ends in the year, and about half of the others decided by 31 March."""
    start = lo + dt.timedelta(days=_rr(rng, 0, (hi - lo).days - 40))
    pp = _pp_meetings(rng, start, 14, 12)
    meeting: dt.date = pp["InitialPPMeetingDate"]
    last = hi
    if stepped or rng.random() < 0.5:
        decision = meeting + dt.timedelta(days=_rr(rng, 14, (hi - meeting).days))
        pp["StepDecisionDate"] = decision
        pp["PPOutcome"] = "C" if rng.random() < 0.1 else "B"
        last = decision
    # A review about every six weeks after the first meeting.
    pp["ReviewMeetingsCount"] = min((last - meeting).days // 42, 4)
    return pp


def _pp_before_care(rng: random.Random, y: _Year, child: Child) -> None:
    """Pre-proceedings ending in a court application for a child who comes into care in the year under a
    care order (interim or full): the application a few days before care began, the letter telling the
    parents of the proceedings just after it."""
    assert child.cin is not None
    facts = child.facts
    episodes = facts.get("episodes") or []
    care_start: dt.date = facts["care_start"]
    if facts.get("uasc") or facts.get("adopt") or not episodes or episodes[0]["LS"] not in ("C1", "C2"):
        return
    ep = child.cin["CINdetails"][0]
    lo = max(ep["CINreferralDate"], y.start)
    if care_start < y.start or (care_start - lo).days < 21:
        return
    pp = _pp_meetings(rng, lo + dt.timedelta(days=_rr(rng, 0, 2)), 3, 6)
    court = care_start - dt.timedelta(days=_rr(rng, 0, 4))
    meeting: dt.date = pp["InitialPPMeetingDate"]
    pp["ReviewMeetingsCount"] = 0
    pp["StepDecisionDate"] = meeting + dt.timedelta(days=_rr(rng, 0, (court - meeting).days))
    pp["PPOutcome"] = "A"
    pp["CourtAppDate"] = court
    pp["LetterInitCPDate"] = min(court + dt.timedelta(days=_rr(rng, 0, 2)), y.end)
    ep["PreProceedings"] = [pp]


# --- writing -------------------------------------------------------------------------------------------


def _cin_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xml_escape(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


_IDS = (
    "LAchildID",
    "UPN",
    "FormerUPN",
    "UPNunknown",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "Sex",
    "PersonDeathDate",
)
_DETAILS_HEAD = (
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
)
_ASSESSMENT = ("AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate")
_S47 = ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
_CPP = (
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
)

#: Module 5's elements, in the order the readers take them.
_PP = (
    "PPStartDate",
    "LBPSentDate",
    "FGDMMeetingOffer",
    "FGDMMeetingFac",
    "InitialPPMeetingDate",
    "ReviewMeetingsCount",
    "StepDecisionDate",
    "PPOutcome",
    "CourtAppDate",
    "LetterInitCPDate",
)


def _elements(d: dict[str, Any], names: Iterable[str], out: list[str]) -> None:
    for name in names:
        value = d.get(name)
        if value is not None and value != "":
            out.append(f"<{name}>{_xml_escape(_cin_text(value))}</{name}>\n")


def cin_child_xml(cin: dict[str, Any]) -> str:
    """One <Child> element, in the order the DfE schema sets."""
    out = ["<Child>\n<ChildIdentifiers>\n"]
    _elements(cin, _IDS, out)
    out.append("</ChildIdentifiers>\n<ChildCharacteristics>\n")
    _elements(cin, ("Ethnicity",), out)
    disabilities = cin.get("Disabilities")
    if disabilities:
        out.append("<Disabilities>\n")
        out.extend(f"<Disability>{_xml_escape(c)}</Disability>\n" for c in disabilities)
        out.append("</Disabilities>\n")
    out.append("</ChildCharacteristics>\n")
    for ep in cin["CINdetails"]:
        out.append("<CINdetails>\n")
        _elements(ep, _DETAILS_HEAD, out)
        for a in ep.get("Assessments", ()):
            out.append("<Assessments>\n")
            _elements(a, _ASSESSMENT, out)
            factors = a.get("AssessmentFactors")
            if factors:
                out.append("<FactorsIdentifiedAtAssessment>\n")
                out.extend(f"<AssessmentFactors>{_xml_escape(f)}</AssessmentFactors>\n" for f in factors)
                out.append("</FactorsIdentifiedAtAssessment>\n")
            out.append("</Assessments>\n")
        for p in ep.get("CINPlanDates", ()):
            out.append("<CINPlanDates>\n")
            _elements(p, ("CINPlanStartDate", "CINPlanEndDate"), out)
            out.append("</CINPlanDates>\n")
        for s in ep.get("Section47", ()):
            out.append("<Section47>\n")
            _elements(s, _S47, out)
            out.append("</Section47>\n")
        _elements(ep, ("ReferralNFA",), out)
        for c in ep.get("ChildProtectionPlans", ()):
            out.append("<ChildProtectionPlans>\n")
            _elements(c, _CPP, out)
            reviews = c.get("Reviews")
            if reviews:
                out.append("<Reviews>\n")
                out.extend(f"<CPPreviewDate>{_cin_text(r)}</CPPreviewDate>\n" for r in reviews)
                out.append("</Reviews>\n")
            out.append("</ChildProtectionPlans>\n")
        # Module 5 (2026-27 on), last in the episode.
        for pp in ep.get("PreProceedings", ()):
            out.append("<PreProceedingsandFGDM>\n")
            _elements(pp, _PP, out)
            out.append("</PreProceedingsandFGDM>\n")
        out.append("</CINdetails>\n")
    out.append("</Child>\n")
    return "".join(out)


def _select(
    year: int, seed: int, count: int, want: str, inject: Iterable[str] | None, injected: dict[str, str] | None
) -> Iterator[Child]:
    """The first ``count`` children of the population in the return (``cin`` or ``903``), with the
    requested errors injected, each into its own child."""
    from outstanding.returns.synthetic_inject import Injection

    injection = Injection(want, year, inject) if inject else None
    taken = 0
    for child in population(year, seed, want):
        if taken >= count:
            break
        held = child.cin if want == "cin" else child.ssda903
        if held is None:
            continue
        taken += 1
        if injection is not None:
            injection.offer(child, taken)
        yield child
    if injection is not None:
        injection.finish(injected)


def write_cin_xml(
    path: Path | str,
    children: int,
    year: int = 2025,
    seed: int = 1,
    la: str = "999",
    *,
    inject: Iterable[str] | None = None,
    injected: dict[str, str] | None = None,
) -> Path:
    """A CIN census file for ``year`` (start year) with the first ``children`` children in need of the
    seeded population. ``inject`` lists rule codes to inject one error each for; ``injected`` (if given) is
    filled with code → LAchildID of the child altered."""
    path = Path(path)
    ref = dt.date(year + 1, 3, 31)
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        w = out.write
        w('<?xml version="1.0" encoding="utf-8"?>\n<Message>\n<Header>\n<CollectionDetails>\n')
        w(f"<Collection>CIN</Collection>\n<Year>{year + 1}</Year>\n<ReferenceDate>{ref}</ReferenceDate>\n")
        w("</CollectionDetails>\n<Source>\n<SourceLevel>L</SourceLevel>\n")
        w(f"<LEA>{la}</LEA>\n<SoftwareCode>Outstanding</SoftwareCode>\n<Release>1</Release>\n")
        w(f"<SerialNo>001</SerialNo>\n<DateTime>{year + 1}-04-10T09:00:00</DateTime>\n</Source>\n</Header>\n")
        w("<Children>\n")
        for child in _select(year, seed, children, "cin", inject, injected):
            assert child.cin is not None
            w(cin_child_xml(child.cin))
        w("</Children>\n</Message>\n")
    return path


#: The 903 tables as files: file name → table and its columns (in the schema's order).
_FILE_TABLES = {
    "header": "Header",
    "episodes": "Episodes",
    "uasc": "UASC",
    "reviews": "Reviews",
    "ad1": "AD1",
    "placed_adoption": "PlacedAdoption",
    "prev_perm": "PrevPerm",
    "missing": "Missing",
    "oc2": "OC2",
    "oc3": "OC3",
    "sw": "SWEpisodes",
    "dolo": "DoLO",  # written for 2026-27 on (DOLO_FROM) only
}
SSDA903_FILES: dict[str, tuple[str, ...]] = {
    name: (table, *SSDA903_TABLES[table]) for name, table in _FILE_TABLES.items()
}


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    text = str(value)
    if "," in text or '"' in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def write_903_folder(
    folder: Path | str,
    children: int,
    year: int = 2025,
    seed: int = 1,
    *,
    inject: Iterable[str] | None = None,
    injected: dict[str, str] | None = None,
    previous: bool = False,
) -> Path:
    """SSDA903 tables for ``year`` (start year) for the first ``children`` children of the seeded
    population in the 903 (looked after in the year, or care leavers). ``inject`` and ``injected`` as for
    :func:`write_cin_xml`.

    ``previous=True`` writes last year's return (for the year before ``year``) of the same children instead:
    the same timelines a year earlier (:func:`previous_903`), to be sent as ``--previous`` with this year's.
    Errors cannot be injected into it."""
    if previous and inject:
        raise ValueError("errors are injected into this year's return only, not last year's")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = year - 1 if previous else year
    names = [name for name in SSDA903_FILES if name != "dolo" or written >= DOLO_FROM]
    files = {name: (folder / f"{name}.csv").open("w", encoding="utf-8", buffering=1 << 20) for name in names}
    try:
        writers = {}
        for name in names:
            table, *columns = SSDA903_FILES[name]
            files[name].write(",".join(columns) + "\n")
            writers[table] = (files[name].write, columns)
        for child in _select(year, seed, children, "903", inject, injected):
            held = previous_903(child, year) if previous else child.ssda903
            if held is None:
                continue
            for table, rows in held.items():
                w, columns = writers[table]
                for row in rows:
                    w(",".join([_csv_text(row.get(c)) for c in columns]) + "\n")
    finally:
        for fh in files.values():
            fh.close()
    return folder


def write_returns(
    folder: Path | str,
    children: int,
    year: int = 2025,
    seed: int = 1,
    *,
    inject_cin: Iterable[str] | None = None,
    inject_903: Iterable[str] | None = None,
    previous: bool = False,
) -> tuple[Path, Path, dict[str, str], dict[str, str]]:
    """Both returns for the same children: ``cin.xml`` with ``children`` children in need, and the 903
    folder with those of them looked after (and the care leavers among the same stretch of the population).
    Returns the two paths and the injected codes → child ids. ``previous=True`` also writes last year's
    903 for the same children, ``903-previous`` beside ``903`` (see :func:`write_903_folder`), without
    injected errors."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    got_cin: dict[str, str] = {}
    got_903: dict[str, str] = {}
    xml = write_cin_xml(folder / "cin.xml", children, year, seed, inject=inject_cin, injected=got_cin)
    # The 903 children among the first ``children`` children in need: count them in the population.
    count = 0
    seen = 0
    rng = random.Random()
    base = (seed * 10_000 + year) * 100_000_000
    n = 0
    while True:
        # Only each child's first draw (which kind of child), as population() makes it.
        rng.seed(base + n)
        kind = rng.random()
        if kind >= _LEAVERS:
            if seen >= children:
                break
            seen += 1
        if kind < _LEAVERS + _LOOKED_AFTER:
            count += 1
        n += 1
    ssda = write_903_folder(folder / "903", count, year, seed, inject=inject_903, injected=got_903)
    if previous:
        write_903_folder(folder / "903-previous", count, year, seed, previous=True)
    return xml, ssda, got_cin, got_903


__all__ = [
    "DOLO_FROM",
    "PRE_PROCEEDINGS_FROM",
    "SSDA903_FILES",
    "UPN_LA",
    "Child",
    "child_upn",
    "cin_child_xml",
    "fake_upn",
    "population",
    "previous_903",
    "upn_check_letter",
    "write_903_folder",
    "write_cin_xml",
    "write_returns",
]
