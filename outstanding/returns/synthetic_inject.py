"""Known errors for the synthetic returns: one injector per DfE rule code.

An injector picks a child its error fits (``eligible``) and alters that child only (``apply``), so that
exactly its rule fires, on exactly that child. Most are declarative: set this field of this child's row to
this value. The writers take ``inject=[codes]`` and give each code its own child (never one of the first
few); :data:`INJECTABLE` lists the codes each return can take.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from outstanding.returns.synthetic import Child

Check = Callable[[Child, int], bool]
Change = Callable[[Child, int], None]


@dataclass(frozen=True)
class Injector:
    code: str
    eligible: Check
    apply: Change
    years: frozenset[int] | None = None  # None: every supported year

    def applies_to(self, year: int) -> bool:
        return self.years is None or year in self.years


CIN_INJECTORS: dict[str, Injector] = {}
SSDA903_INJECTORS: dict[str, Injector] = {}


def _add(registry: dict[str, Injector], code: str, eligible: Check, apply: Change, years: Any = None) -> None:
    registry[code] = Injector(code, eligible, apply, frozenset(years) if years else None)


# --- CIN census ----------------------------------------------------------------------------------------


def _episodes(child: Child) -> list[dict[str, Any]]:
    return child.cin["CINdetails"] if child.cin else []


def _first(child: Child, where: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    return next((ep for ep in _episodes(child) if where(ep)), None)


def _cin_field(code: str, field: str, value: Any, when: Check | None = None) -> None:
    """Set a ChildIdentifiers / ChildCharacteristics field of the child."""

    def eligible(child: Child, year: int) -> bool:
        return child.cin is not None and (when is None or when(child, year))

    def apply(child: Child, year: int) -> None:
        assert child.cin is not None
        child.cin[field] = value(child.cin) if callable(value) else value

    _add(CIN_INJECTORS, code, eligible, apply)


def _cin_episode(
    code: str, where: Callable[[dict[str, Any]], bool], change: Callable[[dict[str, Any]], None]
) -> None:
    """Alter the child's first episode of need that ``where`` accepts."""

    def eligible(child: Child, year: int) -> bool:
        return _first(child, where) is not None

    def apply(child: Child, year: int) -> None:
        ep = _first(child, where)
        assert ep is not None
        change(ep)

    _add(CIN_INJECTORS, code, eligible, apply)


def _set(**values: Any) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        for k, v in values.items():
            d[k] = v

    return change


def _has_upn(child: Child, year: int) -> bool:
    return child.cin is not None and "UPN" in child.cin


def _one_episode(child: Child, year: int) -> bool:
    return len(_episodes(child)) == 1


def _disabled(child: Child, year: int) -> bool:
    return bool(child.facts.get("disabled"))


def _not_assessed(child: Child, year: int) -> bool:
    return not any(ep.get("Assessments") for ep in _episodes(child))


def _upn_replace(position: int, text: str) -> Callable[[dict[str, Any]], str]:
    def value(cin: dict[str, Any]) -> str:
        upn: str = cin["UPN"]
        return upn[:position] + text + upn[position + len(text) :]

    return value


def _wrong_check_letter(cin: dict[str, Any]) -> str:
    upn: str = cin["UPN"]
    return ("B" if upn[0] == "A" else "A") + upn[1:]


_cin_field("1510", "UPN", _wrong_check_letter, _has_upn)
_cin_field("1540", "UPN", _upn_replace(5, "AB"), _has_upn)
_cin_field("1550", "UPN", _upn_replace(12, "I"), _has_upn)
_cin_field("1560Q", "FormerUPN", "X12", lambda c, y: True)
_cin_field("4180", "Sex", "X", lambda c, y: True)
_cin_field("4220", "Ethnicity", "XXXX", lambda c, y: True)
_cin_field("8540", "Disabilities", ["XYZ"], lambda c, y: not _disabled(c, y) and _not_assessed(c, y))
_cin_field("8790", "Disabilities", ["NONE", "MOB"], lambda c, y: not _disabled(c, y) and _not_assessed(c, y))
_cin_field("8794", "Disabilities", lambda cin: [cin["Disabilities"][0]] * 2, _disabled)
_cin_field(
    "8772",
    "UPNunknown",
    "UN7",
    lambda c, y: (
        c.cin is not None and "UPNunknown" in c.cin and any(ep["ReferralNFA"] == "0" for ep in _episodes(c))
    ),
)
_cin_field("8775Q", "PersonBirthDate", lambda cin: cin["PersonBirthDate"].replace(year=1995, day=1), _has_upn)

_OPEN = "CINclosureDate"


def _further(ep: dict[str, Any]) -> bool:
    return ep.get("ReferralNFA") == "0"


def _closed(ep: dict[str, Any]) -> bool:
    return ep.get(_OPEN) is not None


def _factors_of(ep: dict[str, Any]) -> list[str] | None:
    for a in ep.get("Assessments", ()):
        if a.get("AssessmentFactors"):
            factors: list[str] = a["AssessmentFactors"]
            return factors
    return None


def _with_factors(ep: dict[str, Any]) -> bool:
    factors = _factors_of(ep)
    return factors is not None and factors != ["21"]


def _set_factors(make: Callable[[list[str]], list[str]]) -> Callable[[dict[str, Any]], None]:
    def change(ep: dict[str, Any]) -> None:
        for a in ep["Assessments"]:
            if a.get("AssessmentFactors"):
                a["AssessmentFactors"] = make(a["AssessmentFactors"])
                return

    return change


_cin_episode("8650", _further, _set(PrimaryNeedCode="N99"))
_cin_episode("8610", lambda ep: _further(ep) and not ep.get("Section47"), _set(PrimaryNeedCode=None))
_cin_episode("8640", lambda ep: _closed(ep) and _further(ep), _set(ReasonForClosure="RC99"))
_cin_episode("8866", lambda ep: True, _set(ReferralSource="99"))
_cin_episode(
    "8805",
    lambda ep: _closed(ep) and _further(ep) and ep.get("ReasonForClosure") == "RC7",
    _set(ReasonForClosure=None),
)
# 8A is not a factor code, so 8897 (a completed assessment's factors missing or invalid) always speaks with
# 8617; the code injected is the general one.
_cin_episode("8897", _with_factors, _set_factors(lambda f: [*f, "99Z"]))
_cin_episode(
    "8869",
    lambda ep: _with_factors(ep) and ep.get("ReasonForClosure") in ("RC8", "RC9"),
    _set_factors(lambda f: ["21", *[x for x in f if x != "21"]][:2]),
)
_cin_episode("8898", _with_factors, _set_factors(lambda f: [f[0], f[0], *f[1:]]))
_cin_episode("8945Q", _with_factors, _set_factors(lambda f: [*f, "18A"]))
_cin_episode("8950Q", _with_factors, _set_factors(lambda f: [*f, "19A"]))


def _cpp(ep: dict[str, Any]) -> dict[str, Any] | None:
    plans = ep.get("ChildProtectionPlans")
    return plans[0] if plans else None


def _s47(ep: dict[str, Any]) -> dict[str, Any] | None:
    enquiries = ep.get("Section47")
    return enquiries[0] if enquiries else None


def _change_cpp(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def go(ep: dict[str, Any]) -> None:
        plan = _cpp(ep)
        assert plan is not None
        change(plan)

    return go


def _change_s47(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def go(ep: dict[str, Any]) -> None:
        enquiry = _s47(ep)
        assert enquiry is not None
        change(enquiry)

    return go


_cin_episode("8730", lambda ep: _cpp(ep) is not None, _change_cpp(_set(NumberOfPreviousCPP=None)))


def _saturday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(5 - day.weekday()) % 7 or 7)


_cin_episode(
    "8870Q",
    lambda ep: _s47(ep) is not None and ep["Section47"][0].get("InitialCPCtarget") is not None,
    _change_s47(lambda s: s.update(InitialCPCtarget=_saturday_after(s["InitialCPCtarget"]))),
)
_cin_episode(
    "2884",
    lambda ep: _s47(ep) is not None and ep["Section47"][0].get("DateOfInitialCPC") is not None,
    lambda ep: ep.update(DateOfInitialCPC=ep["Section47"][0]["DateOfInitialCPC"]),
)


def _plan_ending(ep: dict[str, Any]) -> bool:
    plan = _cpp(ep)
    return plan is not None and plan.get("CPPendDate") is not None


# Episodes carried over from last year have no assessment here: the plans of the others start in the year.
_cin_episode(
    "8925",
    lambda ep: _plan_ending(ep) and bool(ep.get("Assessments")),
    _change_cpp(lambda p: p.update(CPPendDate=p["CPPstartDate"] - dt.timedelta(days=1), Reviews=None)),
)
_cin_episode(
    "8841",
    lambda ep: _cpp(ep) is not None and bool(ep["ChildProtectionPlans"][0].get("Reviews")),
    _change_cpp(lambda p: p.update(Reviews=[p["CPPstartDate"], *p["Reviews"][1:]])),
)


def _cin_plan(ep: dict[str, Any]) -> dict[str, Any] | None:
    plans = ep.get("CINPlanDates")
    return plans[0] if plans else None


_cin_episode(
    "4011",
    lambda ep: (
        (p := _cin_plan(ep)) is not None
        and p.get("CINPlanEndDate") is not None
        and bool(ep.get("Assessments"))
    ),
    lambda ep: ep["CINPlanDates"][0].update(
        CINPlanEndDate=ep["CINPlanDates"][0]["CINPlanStartDate"] - dt.timedelta(days=1)
    ),
)


# --- SSDA903 -------------------------------------------------------------------------------------------


def _rows(child: Child, table: str) -> list[dict[str, Any]]:
    return child.ssda903.get(table, []) if child.ssda903 else []


def _903(
    code: str,
    table: str,
    where: Callable[[dict[str, Any], Child, int], bool],
    change: Callable[[dict[str, Any], Child, int], None],
    years: Any = None,
) -> None:
    """Alter the child's first row of ``table`` that ``where`` accepts."""

    def pick(child: Child, year: int) -> dict[str, Any] | None:
        return next((r for r in _rows(child, table) if where(r, child, year)), None)

    def eligible(child: Child, year: int) -> bool:
        return pick(child, year) is not None

    def apply(child: Child, year: int) -> None:
        row = pick(child, year)
        assert row is not None
        change(row, child, year)

    _add(SSDA903_INJECTORS, code, eligible, apply, years)


def _to(**values: Any) -> Callable[[dict[str, Any], Child, int], None]:
    def change(row: dict[str, Any], child: Child, year: int) -> None:
        row.update(values)

    return change


def _any(row: dict[str, Any], child: Child, year: int) -> bool:
    return True


def _field_is(field: str, *values: Any) -> Callable[[dict[str, Any], Child, int], bool]:
    return lambda row, child, year: row.get(field) in values


def _field_set(field: str) -> Callable[[dict[str, Any], Child, int], bool]:
    return lambda row, child, year: row.get(field) not in (None, "")


def _looked_after(row: dict[str, Any], child: Child, year: int) -> bool:
    return bool(_rows(child, "Episodes"))


_903("101", "Header", lambda r, c, y: r["SEX"] == "M", _to(SEX="X"))
_903("103", "Header", _looked_after, _to(ETHNIC="XXXX"))
_903("168", "Header", lambda r, c, y: _looked_after(r, c, y) and r["UPN"] != "UN1", _to(UPN="ABC"))
# A blank MOTHER for a looked-after girl is both 165 and 393 (the DfE's rules overlap): 165 is injected with
# a value neither 0 nor 1.
_903("165", "Header", lambda r, c, y: _looked_after(r, c, y) and r["MOTHER"] == "0", _to(MOTHER="5"))


def _older_boy(row: dict[str, Any], child: Child, year: int) -> bool:
    return _looked_after(row, child, year) and row["SEX"] == "M" and row["DOB"] < dt.date(year - 14, 4, 1)


_903("174", "Header", _older_boy, lambda r, c, y: r.update(MC_DOB=dt.date(y, 1, 10)))


def _school_age_upn(row: dict[str, Any], child: Child, year: int) -> bool:
    dob: dt.date = row["DOB"]
    return (
        _looked_after(row, child, year)
        and dob.replace(year=dob.year + 4, day=min(dob.day, 28)) < dt.date(year - 1, 8, 1)
        and row["UPN"] not in ("UN1", "UN5")
    )


_903("209", "Header", _school_age_upn, _to(UPN="UN1"))
_903("144", "Episodes", _field_is("LS", "C2"), _to(LS="ZZ"))
_903("145", "Episodes", _any, lambda r, c, y: [e.update(CIN="N99") for e in _rows(c, "Episodes")] and None)
_903("149", "Episodes", _field_is("REC", "E4A", "E8", "E13"), _to(REC="ZZ"))
_903(
    "1009",
    "Episodes",
    _field_is("REASON_PLACE_CHANGE", "CARPL", "CLOSE", "OTHER"),
    _to(REASON_PLACE_CHANGE="ZZZZZ"),
)
_903("222", "Episodes", _field_is("PLACE", "R1"), _to(URN="SC123456"))
_903("218", "Episodes", _field_is("PLACE", "U4", "U6"), _to(URN=""))
_903("131", "OC3", _field_is("IN_TOUCH", "YES"), _to(IN_TOUCH="XXX"))
_903("132", "OC3", _field_is("IN_TOUCH", "YES"), _to(ACTIV="X9"))
_903("133", "OC3", _field_is("IN_TOUCH", "YES"), _to(ACCOM="X9"))
_903("153", "OC3", _field_is("IN_TOUCH", "YES"), _to(ACTIV=""))
_903("345", "OC3", _field_is("IN_TOUCH", "YES"), _to(ACTIV="0"))
_903("167", "Reviews", _any, _to(REVIEW_CODE="PN9"))
_903("1006", "Missing", _any, _to(MISSING="X"))
_903("180", "OC2", _field_set("SDQ_SCORE"), _to(SDQ_SCORE="99"))
_903("181", "OC2", _field_is("CONVICTED", "0"), _to(CONVICTED="7"))
_903("542", "OC2", _field_is("CONVICTED", ""), _to(CONVICTED="0"))
_903("546", "OC2", _field_is("HEALTH_CHECK", ""), _to(HEALTH_CHECK="1"))
_903("192", "OC2", _field_is("SUBSTANCE_MISUSE", "0"), _to(SUBSTANCE_MISUSE="1"))
_903("193", "OC2", _field_is("SUBSTANCE_MISUSE", "0"), _to(INTERVENTION_RECEIVED="1"))
_903("158", "OC2", _field_is("INTERVENTION_RECEIVED", "1"), _to(INTERVENTION_OFFERED="1"))
_903(
    "159",
    "OC2",
    _field_is("SUBSTANCE_MISUSE", "0"),
    _to(SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0", INTERVENTION_OFFERED=""),
)
_903("175", "AD1", _any, _to(NB_ADOPTR="3"))
_903("177", "AD1", _any, _to(LS_ADOPTR="L9"))
_903("114", "AD1", _any, _to(FOSTER_CARE="5"))
_903("SW02", "SWEpisodes", _any, _to(SW_ID="AB1234"))
_903("SW13", "SWEpisodes", _any, _to(SW_REASON="ZZZZZZ"))


# --- the writers' side ---------------------------------------------------------------------------------

#: Rule codes each return's generator can inject (for a given year, see :func:`injectable`).
INJECTABLE: dict[str, tuple[str, ...]] = {
    "cin": tuple(sorted(CIN_INJECTORS)),
    "903": tuple(sorted(SSDA903_INJECTORS)),
}


def injectable(return_: str, year: int) -> list[str]:
    """The codes that can be injected into ``return_`` for the collection year starting ``year``."""
    registry = CIN_INJECTORS if return_ == "cin" else SSDA903_INJECTORS
    return sorted(code for code, inj in registry.items() if inj.applies_to(year))


# The first few children are never altered, so a small file always has clean children too.
_SKIP = 5


class Injection:
    """Hands each requested code to the next child it fits, one code per child."""

    def __init__(self, return_: str, year: int, codes: Iterable[str]) -> None:
        self.registry = CIN_INJECTORS if return_ == "cin" else SSDA903_INJECTORS
        self.year = year
        self.pending = list(dict.fromkeys(str(c) for c in codes))
        unknown = [c for c in self.pending if c not in self.registry or not self.registry[c].applies_to(year)]
        if unknown:
            raise ValueError(f"cannot inject {unknown} into a {return_} return for {year}")
        self.done: dict[str, str] = {}

    def offer(self, child: Child, taken: int) -> None:
        if taken <= _SKIP or not self.pending:
            return
        for code in self.pending:
            injector = self.registry[code]
            if injector.eligible(child, self.year):
                injector.apply(child, self.year)
                self.done[code] = child.id
                self.pending.remove(code)
                return

    def finish(self, injected: dict[str, str] | None) -> None:
        if self.pending:
            raise ValueError(f"no child in the file fits {self.pending}: generate more children")
        if injected is not None:
            injected.update(self.done)
