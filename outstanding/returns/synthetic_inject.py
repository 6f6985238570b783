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
_cin_episode(
    "8640",
    lambda ep: _closed(ep) and _further(ep) and _factors_of(ep) != ["21"],
    _set(ReasonForClosure="RC99"),
)
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


# More CIN injectors, written as a check and a change of the whole child.


def _cin(code: str, eligible: Check, apply: Change, years: Any = None) -> None:
    def fits(child: Child, year: int) -> bool:
        return child.cin is not None and eligible(child, year)

    _add(CIN_INJECTORS, code, fits, apply, years)


def _start(year: int) -> dt.date:
    return dt.date(year, 4, 1)


def _end(year: int) -> dt.date:
    return dt.date(year + 1, 3, 31)


DAY = dt.timedelta(days=1)


def _single(child: Child) -> dict[str, Any] | None:
    """The child's only episode of need (None if it has none or several)."""
    eps = _episodes(child)
    return eps[0] if len(eps) == 1 else None


def _nfa_only(child: Child, year: int) -> dict[str, Any] | None:
    """The only episode of a child whose one episode is a referral with no further action, from the year."""
    ep = _single(child)
    return (
        ep
        if ep is not None and ep.get("ReferralNFA") == "1" and ep["CINreferralDate"] > _start(year)
        else None
    )


def _referrals(child: Child) -> list[dt.date]:
    return [ep["CINreferralDate"] for ep in _episodes(child)]


def _assessed(ep: dict[str, Any]) -> dict[str, Any] | None:
    """The episode's first completed assessment."""
    return next((a for a in ep.get("Assessments", ()) if a.get("AssessmentAuthorisationDate")), None)


def _open_assessment(ep: dict[str, Any]) -> dict[str, Any] | None:
    return next((a for a in ep.get("Assessments", ()) if not a.get("AssessmentAuthorisationDate")), None)


def _weekday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _on_episode(
    code: str,
    where: Callable[[dict[str, Any], Child, int], bool],
    change: Callable[[dict[str, Any], Child, int], None],
    only: bool = False,
) -> None:
    """Alter the first episode ``where`` accepts (of a child with that one episode only, if ``only``)."""

    def pick(child: Child, year: int) -> dict[str, Any] | None:
        eps = _episodes(child)
        if only and len(eps) != 1:
            return None
        return next((ep for ep in eps if where(ep, child, year)), None)

    def apply(child: Child, year: int) -> None:
        ep = pick(child, year)
        assert ep is not None
        change(ep, child, year)

    _cin(code, lambda c, y: pick(c, y) is not None, apply)


def _rename(child: Child, new_id: str) -> None:
    """Give the child another LAchildID (the injection records the new one)."""
    assert child.cin is not None
    child.id = new_id
    child.cin["LAchildID"] = new_id


_cin("1570", lambda c, y: True, lambda c, y: _rename(c, c.id + "X" * 16))
_cin("1580", lambda c, y: True, lambda c, y: _rename(c, c.id + "-1"))


def _other_la(cin: dict[str, Any]) -> str:
    from outstanding.codes.upn import upn_check_letter

    body = "999" + cin["UPN"][4:]
    return upn_check_letter(body) + body


_cin_field("1530", "UPN", _other_la, _has_upn)


def _school_age(child: Child, year: int) -> bool:
    return child.cin is not None and child.cin["PersonBirthDate"] <= dt.date(year - 3, 8, 31)


def _further_action(child: Child) -> bool:
    return any(_further(ep) for ep in _episodes(child))


_cin(
    "8770Q",
    lambda c, y: _has_upn(c, y) and _school_age(c, y) and _further_action(c),
    lambda c, y: c.cin.update(UPN=None),  # type: ignore[union-attr]
)
# A date of birth after the census: referrals then within 40 weeks of it (rule 8606).
_cin(
    "8520",
    lambda c, y: all(r > _end(y) - 270 * DAY for r in _referrals(c)),
    lambda c, y: c.cin.update(PersonBirthDate=_end(y) + DAY),  # type: ignore[union-attr]
)


def _unborn(expected: Callable[[int], dt.date], sex: str) -> Change:
    def apply(child: Child, year: int) -> None:
        assert child.cin is not None
        child.cin.update(PersonBirthDate=None, ExpectedPersonBirthDate=expected(year), Sex=sex)

    return apply


def _referred_late(days: int) -> Check:
    return lambda c, y: bool(_episodes(c)) and all(r > _end(y) - days * DAY for r in _referrals(c))


# An unborn child: expected a month and a day before the census date (outside the range 8530Q expects) ...
_cin("8530Q", _referred_late(300), _unborn(lambda y: _end(y) - 31 * DAY, "U"))
# ... or within it, but not of unknown sex; or expected as well as born.
_cin("8525", _referred_late(270), lambda c, y: c.cin.update(ExpectedPersonBirthDate=_end(y)))  # type: ignore[union-attr]
_cin("8750", _referred_late(270), _unborn(lambda y: _end(y), "M"))
# Died after the census year: nothing happened after the death.
_cin("8545Q", lambda c, y: True, lambda c, y: c.cin.update(PersonDeathDate=_end(y) + DAY))  # type: ignore[union-attr]


# Died before being born: referred before birth (an unborn child's referral), died the day of referral.
def _died_unborn(child: Child, year: int) -> None:
    ep = _nfa_only(child, year)
    assert ep is not None and child.cin is not None
    child.cin.update(PersonDeathDate=ep["CINreferralDate"], PersonBirthDate=ep["CINreferralDate"] + DAY)


_cin("8535Q", lambda c, y: _nfa_only(c, y) is not None, _died_unborn)


def _died_before_referral(child: Child, year: int) -> None:
    ep = _nfa_only(child, year)
    assert ep is not None and child.cin is not None
    child.cin["PersonDeathDate"] = ep["CINreferralDate"] - DAY


_cin(
    "8555",
    lambda c, y: (
        (ep := _nfa_only(c, y)) is not None
        and ep["CINreferralDate"] > _start(y) + DAY
        and c.cin is not None
        and c.cin["PersonBirthDate"] < ep["CINreferralDate"] - DAY
    ),
    _died_before_referral,
)


def _plan_of(child: Child, table: str) -> dict[str, Any] | None:
    ep = _single(child)
    plans = ep.get(table) if ep else None
    return plans[0] if plans else None


def _death_in(table: str, field: str, ended: bool) -> tuple[Check, Change]:
    """A death the day before the field of the only episode's first plan of ``table``, within the year and
    after its other dates."""

    def eligible(child: Child, year: int) -> bool:
        plan = _plan_of(child, table)
        if (
            plan is None
            or (plan.get(field.replace("start", "end").replace("Start", "End")) is not None) != ended
        ):
            return False
        day = plan.get(field)
        return day is not None and day - DAY > _start(year) and day - DAY > _single(child)["CINreferralDate"]  # type: ignore[index]

    def apply(child: Child, year: int) -> None:
        plan = _plan_of(child, table)
        assert plan is not None and child.cin is not None
        child.cin["PersonDeathDate"] = plan[field] - DAY

    return eligible, apply


_cin("8915", *_death_in("ChildProtectionPlans", "CPPstartDate", False))
_cin("8920", *_death_in("ChildProtectionPlans", "CPPendDate", True))
_cin("4008", *_death_in("CINPlanDates", "CINPlanStartDate", False))
_cin("4009", *_death_in("CINPlanDates", "CINPlanEndDate", True))
_cin("8590", lambda c, y: True, lambda c, y: c.cin.update(CINdetails=[]))  # type: ignore[union-attr]


def _ep(code: str, where: Callable[[dict[str, Any]], bool], change: Callable[[dict[str, Any]], None]) -> None:
    _on_episode(code, lambda ep, c, y: where(ep), lambda ep, c, y: change(ep))


def _nfa_ep(code: str, change: Callable[[dict[str, Any], int], None]) -> None:
    """Alter the only episode of a child referred in the year with no further action."""
    _cin(code, lambda c, y: _nfa_only(c, y) is not None, lambda c, y: change(_nfa_only(c, y), y))  # type: ignore[arg-type]


_ep("8585Q", lambda ep: _closed(ep) and _further(ep), _set(ReasonForClosure="RC2"))
_nfa_ep("8568", lambda ep, y: ep.update(ReferralNFA=None))
_nfa_ep("8630", lambda ep, y: ep.update(CINclosureDate=ep["CINreferralDate"] - DAY))
_nfa_ep("8600", lambda ep, y: ep.update(CINreferralDate=None))
# An NFA referral dated before the year (closed in it), of a child born well before.
_cin(
    "8569",
    lambda c, y: (
        _nfa_only(c, y) is not None and c.cin is not None and c.cin["PersonBirthDate"] < _start(y) - 20 * DAY
    ),
    lambda c, y: _nfa_only(c, y).update(CINreferralDate=_start(y) - 10 * DAY),  # type: ignore[union-attr]
)
_nfa_ep("8831", lambda ep, y: ep.update(DateOfInitialCPC=ep["CINreferralDate"]))
_nfa_ep("4000", lambda ep, y: ep.update(CINPlanDates=[{"CINPlanStartDate": ep["CINreferralDate"]}]))
# Born 40 weeks and a day after the referral (still by the census date).
_cin(
    "8606",
    lambda c, y: _nfa_only(c, y) is not None and _nfa_only(c, y)["CINreferralDate"] < _end(y) - 290 * DAY,  # type: ignore[index]
    lambda c, y: c.cin.update(PersonBirthDate=_nfa_only(c, y)["CINreferralDate"] + 281 * DAY),  # type: ignore[index,union-attr]
)
_on_episode(
    "8620",
    lambda ep, c, y: _closed(ep) and _further(ep),
    lambda ep, c, y: ep.update(CINclosureDate=_end(y) + DAY),
    only=True,
)
_on_episode(
    "8810",
    lambda ep, c, y: _closed(ep) and _further(ep),
    lambda ep, c, y: ep.update(CINclosureDate=None),
    only=True,
)


def _two_episodes(child: Child, year: int) -> bool:
    eps = _episodes(child)
    return len(eps) >= 2 and _closed(eps[0]) and eps[0]["CINclosureDate"] > eps[0]["CINreferralDate"]


_cin(
    "8820",
    _two_episodes,
    lambda c, y: _episodes(c)[1].update(CINreferralDate=_episodes(c)[0]["CINclosureDate"] - DAY),
)
_ep("8873Q", lambda ep: _factors_of(ep) == ["21"], _set(ReasonForClosure="RC7"))
_ep(
    "8825Q",
    lambda ep: ep.get("ReasonForClosure") in ("RC8", "RC9") and bool(ep.get("Assessments")),
    _set(Assessments=[]),
)
_ep("2991Q", lambda ep: bool(ep.get("Section47")) and bool(ep.get("Assessments")), _set(Assessments=[]))
_ep(
    "2990",
    lambda ep: ep.get("ReasonForClosure") == "RC8" and _assessed(ep) is not None,
    lambda ep: ep.update(DateOfInitialCPC=ep["Assessments"][0]["AssessmentActualStartDate"]),
)


# Assessments.
def _change_assessed(
    change: Callable[[dict[str, Any], dict[str, Any]], None],
) -> Callable[[dict[str, Any]], None]:
    def go(ep: dict[str, Any]) -> None:
        a = _assessed(ep)
        assert a is not None
        change(a, ep)

    return go


_ep(
    "1103",
    lambda ep: _assessed(ep) is not None,
    _change_assessed(lambda a, ep: a.update(AssessmentActualStartDate=ep["CINreferralDate"] - DAY)),
)
_ep(
    "8608",
    lambda ep: (a := _assessed(ep)) is not None and a["AssessmentActualStartDate"] > ep["CINreferralDate"],
    _change_assessed(
        lambda a, ep: a.update(AssessmentAuthorisationDate=a["AssessmentActualStartDate"] - DAY)
    ),
)
_on_episode(
    "8696",
    lambda ep, c, y: not _closed(ep) and _assessed(ep) is not None,
    lambda ep, c, y: _assessed(ep).update(AssessmentAuthorisationDate=_end(y) + DAY),  # type: ignore[union-attr]
)
_ep(
    "8863",
    lambda ep: _assessed(ep) is not None and len(ep["Assessments"]) == 1,
    lambda ep: ep.update(Assessments=[*ep["Assessments"], dict(ep["Assessments"][0])]),
)
_ep(
    "8614",
    lambda ep: _open_assessment(ep) is not None,
    lambda ep: _open_assessment(ep).update(AssessmentFactors=["2A"]),  # type: ignore[union-attr]
)
_on_episode(
    "8899Q",
    lambda ep, c, y: _disabled(c, y) and (f := _factors_of(ep)) is not None and ("5A" in f or "6A" in f),
    lambda ep, c, y: _set_factors(lambda f: [x for x in f if x not in ("5A", "6A")] or ["2A"])(ep),
)
_on_episode(
    "8670Q",
    lambda ep, c, y: (
        _open_assessment(ep) is not None
        and len(ep["Assessments"]) == 1
        and not ep.get("Section47")
        and not ep.get("CINPlanDates")
        and not ep.get("ChildProtectionPlans")
        and c.cin is not None
        and c.cin["PersonBirthDate"] < _end(y) - 130 * DAY
    ),
    lambda ep, c, y: (
        (
            ep.update(CINreferralDate=_end(y) - 120 * DAY),
            ep["Assessments"][0].update(AssessmentActualStartDate=_end(y) - 120 * DAY),
        )
        and None
    ),
    only=True,
)
_on_episode(
    "8867",
    lambda ep, c, y: (
        _closed(ep)
        and (a := _assessed(ep)) is not None
        and a["AssessmentActualStartDate"] > _end(y) - 40 * DAY
    ),
    lambda ep, c, y: _assessed(ep).update(AssessmentAuthorisationDate=None, AssessmentFactors=None),  # type: ignore[union-attr]
)


# Section 47 enquiries.
def _s47_with(where: Callable[[dict[str, Any], dict[str, Any]], bool]) -> Callable[[dict[str, Any]], bool]:
    return lambda ep: (s := _s47(ep)) is not None and where(s, ep)


_ep(
    "2889",
    _s47_with(lambda s, ep: True),
    lambda ep: ep["Section47"][0].update(S47ActualStartDate=ep["CINreferralDate"] - DAY),
)
_ep(
    "8615",
    _s47_with(lambda s, ep: s.get("DateOfInitialCPC") is not None),
    _change_s47(_set(S47ActualStartDate=None)),
)
_ep(
    "8890",
    _s47_with(lambda s, ep: s.get("DateOfInitialCPC") is not None and len(ep["Section47"]) == 1),
    lambda ep: ep.update(Section47=[*ep["Section47"], dict(ep["Section47"][0])]),
)
# No conference and the flag left out, on a closed episode (a flag of 0 would also be 8675Q's query).
_ep(
    "8868",
    lambda ep: _closed(ep) and _s47_with(lambda s, e: s.get("ICPCnotRequired") == "1")(ep),
    _change_s47(_set(ICPCnotRequired=None)),
)
_on_episode(
    "8675Q",
    lambda ep, c, y: (
        not _closed(ep)
        and _s47_with(
            lambda s, e: s.get("ICPCnotRequired") == "1" and s["S47ActualStartDate"] < _end(y) - 30 * DAY
        )(ep)
    ),
    lambda ep, c, y: ep["Section47"][0].update(ICPCnotRequired="0"),
)


def _conference_alone(ep: dict[str, Any], year: int) -> dt.date | None:
    """The Saturday after the episode's only conference, if no plan followed it and the day is in the
    episode and the year."""
    s = _s47(ep)
    if (
        s is None
        or len(ep["Section47"]) != 1
        or s.get("DateOfInitialCPC") is None
        or ep.get("ChildProtectionPlans")
    ):
        return None
    day = _saturday_after(s["DateOfInitialCPC"])
    closed = ep.get(_OPEN)
    return day if day <= _end(year) and (closed is None or day <= closed) else None


_on_episode(
    "8875",
    lambda ep, c, y: _conference_alone(ep, y) is not None,
    lambda ep, c, y: ep["Section47"][0].update(DateOfInitialCPC=_conference_alone(ep, y)),
)
_on_episode(
    "8715",
    lambda ep, c, y: not _closed(ep) and _conference_alone(ep, y) is not None,
    lambda ep, c, y: ep["Section47"][0].update(DateOfInitialCPC=_weekday_after(_end(y) + 3 * DAY)),
)


# Child protection plans.
def _cpp_with(where: Callable[[dict[str, Any], dict[str, Any]], bool]) -> Callable[[dict[str, Any]], bool]:
    return lambda ep: (p := _cpp(ep)) is not None and len(ep["ChildProtectionPlans"]) == 1 and where(p, ep)


def _carried_cpp(p: dict[str, Any], ep: dict[str, Any]) -> bool:
    return (
        not ep.get("Section47")
        and p["CPPstartDate"] < ep["CINreferralDate"] + 40 * DAY
        and not ep.get("Assessments")
    )


_ep("8720", _cpp_with(lambda p, ep: True), _change_cpp(_set(CPPstartDate=None)))
_ep(
    "1105",
    _cpp_with(_carried_cpp),
    lambda ep: ep["ChildProtectionPlans"][0].update(CPPstartDate=ep["CINreferralDate"] - DAY),
)
_ep(
    "2885",
    _cpp_with(lambda p, ep: bool(ep.get("Section47"))),
    _change_cpp(lambda p: p.update(CPPstartDate=p["CPPstartDate"] + DAY)),
)
_ep(
    "8840",
    _cpp_with(lambda p, ep: bool(ep.get("Section47")) and p.get("CPPendDate") is not None),
    _change_cpp(lambda p: p.update(CPPendDate=p["CPPstartDate"], Reviews=None)),
)
_on_episode(
    "8930",
    lambda ep, c, y: not _closed(ep) and _cpp_with(lambda p, e: p.get("CPPendDate") is None)(ep),
    lambda ep, c, y: ep["ChildProtectionPlans"][0].update(CPPendDate=_end(y) + DAY),
)
_ep(
    "8940",
    _cpp_with(lambda p, ep: _carried_cpp(p, ep) and p.get("CPPendDate") is not None),
    lambda ep: ep.update(
        ChildProtectionPlans=[*ep["ChildProtectionPlans"], dict(ep["ChildProtectionPlans"][0])]
    ),
)
_ep("8905", _cpp_with(lambda p, ep: True), _change_cpp(_set(InitialCategoryOfAbuse="XXX")))
_ep("8910", _cpp_with(lambda p, ep: True), _change_cpp(_set(LatestCategoryOfAbuse="XXX")))
_ep(
    "8842Q",
    _cpp_with(lambda p, ep: bool(p.get("Reviews"))),
    _change_cpp(lambda p: p.update(Reviews=[*p["Reviews"], ""])),
)


# CIN plans.
def _plan_with(where: Callable[[dict[str, Any], dict[str, Any]], bool]) -> Callable[[dict[str, Any]], bool]:
    return lambda ep: (p := _cin_plan(ep)) is not None and len(ep["CINPlanDates"]) == 1 and where(p, ep)


def _carried_plan(p: dict[str, Any], ep: dict[str, Any]) -> bool:
    return not ep.get("Assessments") and not ep.get("ChildProtectionPlans")


_ep("4010", _plan_with(lambda p, ep: True), lambda ep: ep["CINPlanDates"][0].update(CINPlanStartDate=None))
_ep(
    "4015",
    _plan_with(_carried_plan),
    lambda ep: ep["CINPlanDates"][0].update(CINPlanStartDate=ep["CINreferralDate"] - DAY),
)
_on_episode(
    "4012Q",
    lambda ep, c, y: _plan_with(
        lambda p, e: p.get("CINPlanEndDate") is not None and p["CINPlanStartDate"] >= _start(y)
    )(ep),
    lambda ep, c, y: ep["CINPlanDates"][0].update(CINPlanEndDate=ep["CINPlanDates"][0]["CINPlanStartDate"]),
)
_on_episode(
    "4013",
    lambda ep, c, y: not _closed(ep) and _plan_with(lambda p, e: p.get("CINPlanEndDate") is None)(ep),
    lambda ep, c, y: ep["CINPlanDates"][0].update(CINPlanEndDate=_end(y) + DAY),
)
_ep(
    "4014",
    _plan_with(lambda p, ep: p.get("CINPlanEndDate") is not None),
    lambda ep: ep.update(CINPlanDates=[*ep["CINPlanDates"], dict(ep["CINPlanDates"][0])]),
)
# A CIN plan in the last day of a child protection plan (4016), or around its first (4017).
_ep(
    "4016",
    _cpp_with(lambda p, ep: p.get("CPPendDate") is not None and not ep.get("CINPlanDates")),
    lambda ep: ep.update(
        CINPlanDates=[
            {
                "CINPlanStartDate": ep["ChildProtectionPlans"][0]["CPPendDate"] - DAY,
                "CINPlanEndDate": ep["ChildProtectionPlans"][0]["CPPendDate"],
            }
        ]
    ),
)
_ep(
    "4017",
    _cpp_with(lambda p, ep: bool(ep.get("Section47")) and not ep.get("CINPlanDates")),
    lambda ep: ep.update(
        CINPlanDates=[
            {
                "CINPlanStartDate": ep["ChildProtectionPlans"][0]["CPPstartDate"] - DAY,
                "CINPlanEndDate": ep["ChildProtectionPlans"][0]["CPPstartDate"] + DAY,
            }
        ]
    ),
)
# Closed a day before the CIN plan ended.
_ep(
    "8565",
    lambda ep: (
        _closed(ep)
        and _plan_with(
            lambda p, e: (
                p.get("CINPlanEndDate") is not None and p["CINPlanEndDate"] - DAY > e["CINreferralDate"]
            )
        )(ep)
    ),
    lambda ep: ep.update(CINclosureDate=ep["CINPlanDates"][0]["CINPlanEndDate"] - DAY),
)


# --- CIN module 5: pre-proceedings (2026-27) -------------------------------------------------------------
# Each alters the child's one PreProceedingsandFGDM block (see synthetic._pre_proceedings). 8995Q (no
# module 5 for any child) is about the whole return, so it is not injected into one child.

_PP_YEARS = (2026,)
PPDict = dict[str, Any]


def _pp_of(child: Child) -> PPDict | None:
    return next((ep["PreProceedings"][0] for ep in _episodes(child) if ep.get("PreProceedings")), None)


def _pp(code: str, where: Callable[[PPDict, int], bool], change: Callable[[PPDict, int], None]) -> None:
    def eligible(child: Child, year: int) -> bool:
        pp = _pp_of(child)
        return pp is not None and where(pp, year)

    def apply(child: Child, year: int) -> None:
        pp = _pp_of(child)
        assert pp is not None
        change(pp, year)

    _cin(code, eligible, apply, _PP_YEARS)


def _has(*fields: str) -> Callable[[PPDict, int], bool]:
    return lambda pp, year: all(pp.get(f) is not None for f in fields)


def _after_first_day(*fields: str) -> Callable[[PPDict, int], bool]:
    """The fields are present and PPStartDate is after 1 April (so a day before it is still in the year)."""
    return lambda pp, year: _has("PPStartDate", *fields)(pp, year) and pp["PPStartDate"] > _start(year)


def _drop(field: str) -> Callable[[PPDict, int], None]:
    return lambda pp, year: pp.pop(field)


def _day_before(field: str, other: str) -> Callable[[PPDict, int], None]:
    return lambda pp, year: pp.update({field: pp[other] - DAY})


_pp("9000Q", _has("PPStartDate"), _drop("PPStartDate"))
_pp("9005", _has("PPStartDate"), lambda pp, year: pp.update(PPStartDate=_start(year) - 10 * DAY))
_pp("9006", _after_first_day("LBPSentDate"), _day_before("LBPSentDate", "PPStartDate"))
_pp("9007", _has("LBPSentDate", "FGDMMeetingOffer"), _drop("FGDMMeetingOffer"))
_pp("9008", _has("InitialPPMeetingDate"), lambda pp, year: pp.update(InitialPPMeetingDate=_end(year) + DAY))
_pp("9009", _after_first_day("StepDecisionDate"), _day_before("StepDecisionDate", "PPStartDate"))
_pp(
    "9010Q",
    lambda pp, year: pp.get("FGDMMeetingOffer") == "1" and pp.get("FGDMMeetingFac") is not None,
    _drop("FGDMMeetingFac"),
)
_pp("9011", _has("PPOutcome"), lambda pp, year: pp.update(PPOutcome="D"))
_pp("9012", _has("StepDecisionDate", "CourtAppDate"), _day_before("CourtAppDate", "StepDecisionDate"))
_pp("9013", _has("CourtAppDate", "LetterInitCPDate"), _day_before("LetterInitCPDate", "CourtAppDate"))
_pp("9015Q", _has("InitialPPMeetingDate", "ReviewMeetingsCount"), _drop("ReviewMeetingsCount"))


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
# The child's last episode, one not continuing the legal status before it (rule 435).
_903(
    "144",
    "Episodes",
    lambda r, c, y: r["LS"] == "C2" and r is _eps(c)[-1] and r["RNE"] in ("S", "L", "B", "U"),
    _to(LS="ZZ"),
)
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


# More SSDA903 injectors: whole-child checks and changes.


def _903c(code: str, eligible: Check, apply: Change, years: Any = None) -> None:
    def fits(child: Child, year: int) -> bool:
        return child.ssda903 is not None and eligible(child, year)

    _add(SSDA903_INJECTORS, code, fits, apply, years)


def _head(child: Child) -> dict[str, Any]:
    return _rows(child, "Header")[0]


def _eps(child: Child) -> list[dict[str, Any]]:
    return _rows(child, "Episodes")


def _bday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:
        return dob.replace(year=dob.year + years, day=28)


def _plain(child: Child) -> bool:
    """Looked after, not UASC, with no DoLO: a child whose placements can be altered on their own."""
    return bool(_eps(child)) and not _rows(child, "UASC") and not _rows(child, "DoLO")


_FOSTER = ("U1", "U2", "U3", "U4", "U5", "U6")
_FOUR_YEARS = (2025, 2026)


def _placement(
    code: str,
    when: Callable[[dict[str, Any], Child, int], bool],
    change: Callable[[dict[str, Any], Child, int], None],
) -> None:
    """Alter the placement of an episode that neither starts nor precedes a change of legal status only
    (RNE L), so the placement still changes where the episodes say it does (rules 434 to 436)."""

    def pick(child: Child, year: int) -> dict[str, Any] | None:
        eps = _eps(child)
        if not _plain(child):
            return None
        for i, ep in enumerate(eps):
            after = eps[i + 1]["RNE"] if i + 1 < len(eps) else None
            ended = ep["REC"] in ("", "X1", "E4A", "E13", "E8", "E17", "E5", "E6")
            if ep["RNE"] != "L" and after != "L" and ended and when(ep, child, year):
                return ep
        return None

    def apply(child: Child, year: int) -> None:
        ep = pick(child, year)
        assert ep is not None
        change(ep, child, year)

    _903c(code, lambda c, y: pick(c, y) is not None, apply)


def _younger_than(
    years: int, place: tuple[str, ...] = _FOSTER
) -> Callable[[dict[str, Any], Child, int], bool]:
    return lambda ep, c, y: ep["PLACE"] in place and ep["DECOM"] < _bday(_head(c)["DOB"], years)


_placement("371", _younger_than(16, ("K2",)), _to(PLACE="K3"))
_placement("372", _younger_than(10), _to(PLACE="R5", PLACE_PROVIDER="PR3", URN=""))
_placement("373", _younger_than(4), _to(PLACE="S1"))
_placement("374", _younger_than(14), _to(PLACE="P3", URN=""))
_placement(
    "380", lambda ep, c, y: ep["RNE"] == "S" and ep["DEC"] is None, _to(PLACE="T2", PLACE_PROVIDER="", URN="")
)


def _placed(*places: str) -> Callable[[dict[str, Any], Child, int], bool]:
    return lambda ep, c, y: ep["PLACE"] in places


_placement("178", _placed(*_FOSTER), _to(PLACE_PROVIDER="PR9"))
_placement("526", _placed(*_FOSTER), _to(PLACE_PROVIDER=""))
_placement("527", _placed("P1"), _to(PLACE_PROVIDER="PR1"))
_placement("528", _placed("P1"), _to(PLACE_PROVIDER="PR2"))
_placement("529", _placed(*_FOSTER), _to(PLACE_PROVIDER="PR3"))
_placement("530", _placed("P1"), _to(PLACE_PROVIDER="PR4"))
_placement("531", _placed("P1"), _to(PLACE_PROVIDER="PR5"))
_placement("550", _placed(*_FOSTER), _to(PLACE_PROVIDER="PR0"))
_placement("146", _placed("U4", "U6"), _to(PLACE="ZZ"))
_903("143", "Episodes", lambda r, c, y: r["RNE"] == "L", _to(RNE="ZZ"))
_903("225", "Episodes", _field_set("REASON_PLACE_CHANGE"), _to(REASON_PLACE_CHANGE=""))
_903(
    "233",
    "Episodes",
    lambda r, c, y: r["DEC"] is None and r is _eps(c)[-1],
    _to(REASON_PLACE_CHANGE="CARPL"),
    years=_FOUR_YEARS,
)
_903(
    "234",
    "Episodes",
    lambda r, c, y: bool(r.get("REASON_PLACE_CHANGE")) and r["DEC"] < _bday(_head(c)["DOB"], 10),
    _to(REASON_PLACE_CHANGE="CUSTOD"),
    years=_FOUR_YEARS,
)
_903("242", "Episodes", _field_is("PLACE", "K2"), _to(URN="XXXXXXX"), years=_FOUR_YEARS)
# A placement in Wales (postcode area CF) with an Ofsted URN.
_903(
    "243",
    "Episodes",
    lambda r, c, y: r["PLACE"] in _FOSTER and r is _eps(c)[-1] and len(_eps(c)) == 1,
    _to(PL_POST="CF10 1"),
    years=_FOUR_YEARS,
)


def _later(*rne: str) -> Callable[[dict[str, Any], Child, int], bool]:
    """An episode with one of these reasons for new episode, not the first of the year's (which the rules
    on changes cannot compare)."""
    return lambda r, c, y: r["RNE"] in rne and r is not _eps(c)[0]


_903("435", "Episodes", _later("B"), _to(RNE="P"))
_903("436", "Episodes", _later("P"), _to(RNE="B"))
_903(
    "434",
    "Episodes",
    _later("L"),
    lambda r, c, y: r.update(PL_POST="ZZ9 9" if r["PL_POST"] != "ZZ9 9" else "ZZ8 8"),
)


def _not_first_of_period(row: dict[str, Any], child: Child, year: int) -> bool:
    return row["RNE"] != "S" and row is not _eps(child)[0]


_903(
    "504",
    "Episodes",
    _not_first_of_period,
    lambda r, c, y: r.update(CIN="N1" if r["CIN"] != "N1" else "N2"),
)


def _in_care_in_year(child: Child, year: int) -> bool:
    """Started care in the year (so never looked after for the 12 months to 31 March)."""
    return bool(_eps(child)) and child.facts.get("care_start", _start(year)) > _start(year)


_903(
    "357",
    "Episodes",
    lambda r, c, y: (
        r["RNE"] == "S" and r is _eps(c)[0] and _in_care_in_year(c, y) and _eps(c)[-1]["DEC"] is not None
    ),
    _to(RNE="P"),
)
# With the foster carer: a change of placement (P) for one of placement only (T), or B for U.
_903(
    "217",
    "Episodes",
    lambda r, c, y: r["PLACE"] == "A5" and r["RNE"] in ("T", "U"),
    lambda r, c, y: r.update(RNE="P" if r["RNE"] == "T" else "B"),
)


def _ended(row: dict[str, Any], child: Child, year: int) -> bool:
    return row["DEC"] is not None and row["REC"] not in ("X1", "")


def _age_at_end_under(years: int) -> Callable[[dict[str, Any], Child, int], bool]:
    return lambda r, c, y: (
        _ended(r, c, y) and r["DEC"] < _bday(_head(c)["DOB"], years) and r["REC"] not in ("E11", "E12")
    )


_903("387", "Episodes", _age_at_end_under(14), _to(REC="E5"))
_903("389", "Episodes", _age_at_end_under(16), _to(REC="E7"))
_903("460", "Episodes", _age_at_end_under(18), _to(REC="E17"))
_903(
    "388",
    "Episodes",
    lambda r, c, y: _ended(r, c, y) and _in_care_in_year(c, y) and r["REC"] in ("E17", "E8", "E5", "E6"),
    _to(REC="X1"),
)
# The child's last episode (a blank REC on an earlier one is also rule 142's).
_903(
    "148",
    "Episodes",
    lambda r, c, y: _ended(r, c, y) and r["REC"] in ("E4A", "E13", "E8") and r is _eps(c)[-1],
    _to(REC=""),
)
_903(
    "385",
    "Episodes",
    lambda r, c, y: _ended(r, c, y) and _in_care_in_year(c, y) and r["REC"] in ("E4A", "E13"),
    lambda r, c, y: r.update(DEC=_end(y) + DAY),
)


def _spell(ls: str, longer: int, older: int = 0) -> Callable[[dict[str, Any], Child, int], bool]:
    return lambda r, c, y: (
        r["LS"] == "L2"
        and r["DEC"] is not None
        and (r["DEC"] - r["DECOM"]).days > longer
        and r["DECOM"] >= _bday(_head(c)["DOB"], older)
    )


_903("361", "Episodes", _spell("L1", 3), _to(LS="L1"))
_903("363", "Episodes", _spell("L3", 7), _to(LS="L3"))
_903("378", "Episodes", lambda r, c, y: r["PLACE"] == "P1" and len(_eps(c)) == 1, _to(LS="V2"))

# Header.
_903("232", "Header", lambda r, c, y: _looked_after(r, c, y) and r["SEX"] == "M", _to(SEX="U"))
_903("442", "Header", _looked_after, _to(UPN=""))


def _girl(older: int, mother: str) -> Callable[[dict[str, Any], Child, int], bool]:
    return lambda r, c, y: (
        _looked_after(r, c, y)
        and r["SEX"] == "F"
        and r["MOTHER"] == mother
        and r["DOB"] < _bday(_start(y), -older)
    )


def _first_decom(child: Child) -> dt.date:
    return min(e["DECOM"] for e in _eps(child))


_903("611", "Header", _girl(12, "0"), _to(MOTHER="1"))
_903("612", "Header", _girl(12, "0"), lambda r, c, y: r.update(MC_DOB=_first_decom(c)))
_903(
    "620",
    "Header",
    lambda r, c, y: _looked_after(r, c, y) and r["SEX"] == "F" and r["DOB"] > _bday(_start(y), -11),
    lambda r, c, y: r.update(MOTHER="1", MC_DOB=_first_decom(c)),
)
_903("621", "Header", _girl(12, "0"), lambda r, c, y: r.update(MOTHER="1", MC_DOB=r["DOB"] - DAY))
_903("625", "Header", _girl(12, "0"), lambda r, c, y: r.update(MOTHER="1", MC_DOB=_end(y) + DAY))


def _leaver(row: dict[str, Any], child: Child, year: int) -> bool:
    return bool(child.facts.get("leaver"))


_903("628", "Header", lambda r, c, y: _leaver(r, c, y) and r["SEX"] == "F", _to(MOTHER="0"))
_903("351", "Header", _leaver, lambda r, c, y: r.update(DOB=_bday(_start(y), -22)))
_903("301", "Header", _leaver, lambda r, c, y: r.update(DOB=_end(y) + DAY))

# Reviews.
_903("166", "Reviews", _any, _to(REVIEW="", REVIEW_CODE=""))
_903("440", "Reviews", lambda r, c, y: r["REVIEW_CODE"] != "PN0", _to(REVIEW_CODE="PN0"))
_903("441", "Reviews", _field_is("REVIEW_CODE", "PN0"), _to(REVIEW_CODE="PN1"))

# Missing.
# Still missing (no end) and no type: the child's last spell, in an episode still open.
_903(
    "565",
    "Missing",
    lambda r, c, y: (
        r is _rows(c, "Missing")[-1] and _eps(c)[-1]["DEC"] is None and r["MIS_START"] >= _eps(c)[-1]["DECOM"]
    ),
    _to(MISSING="", MIS_END=""),
)
_903(
    "567",
    "Missing",
    lambda r, c, y: r["MIS_END"] is not None and r["MIS_START"] > _start(y),
    lambda r, c, y: r.update(MIS_END=r["MIS_START"] - DAY),
)

# OC2.
_903("196", "OC2", _field_set("SDQ_REASON"), _to(SDQ_REASON="SDQ9"))
_903("197a", "OC2", _field_set("SDQ_SCORE"), _to(SDQ_REASON="SDQ2"))
_903("197B", "OC2", _field_set("SDQ_REASON"), _to(SDQ_REASON=""))
_903(
    "186",
    "OC2",
    lambda r, c, y: (
        bool(r["SDQ_SCORE"]) and _bday(r["DOB"], 4) <= _start(y) and _bday(r["DOB"], 17) > _end(y)
    ),
    _to(SDQ_SCORE=""),
)
_903("188", "OC2", lambda r, c, y: _bday(r["DOB"], 4) > _end(y), _to(SDQ_SCORE="10"))
# A score for a young person 17 at the start of the year: the OC2 row's date of birth (which the age rules
# read) a day past that, on a row whose other items suit the age.
_903(
    "189",
    "OC2",
    lambda r, c, y: bool(r["SDQ_SCORE"]) and bool(r["CONVICTED"]) and _bday(r["DOB"], 10) <= _end(y),
    lambda r, c, y: r.update(DOB=_bday(_start(y), -17) - DAY),
)
_903(
    "157",
    "OC2",
    lambda r, c, y: (
        bool(r["SDQ_SCORE"]) and _bday(r["DOB"], 4) <= _start(y) and _bday(r["DOB"], 17) > _end(y)
    ),
    _to(SDQ_SCORE="", SDQ_REASON="SDQ1"),
)
_903("543", "OC2", _field_is("CONVICTED", "0"), _to(CONVICTED=""))
_903("545", "OC2", _field_set("HEALTH_CHECK"), _to(HEALTH_CHECK=""))


# OC2 data for a child not looked after for the 12 months.
def _oc2_for(**values: Any) -> Change:
    def apply(child: Child, year: int) -> None:
        assert child.ssda903 is not None
        dob = _head(child)["DOB"]
        row = {"CHILD": child.id, "DOB": dob, **values}
        child.ssda903["OC2"] = [row]

    return apply


def _not_twelve_months(child: Child, year: int) -> bool:
    return bool(_eps(child)) and not _rows(child, "OC2") and not _rows(child, "AD1")


def _sdq_age(child: Child, year: int) -> bool:
    dob = _head(child)["DOB"]
    return _not_twelve_months(child, year) and _bday(dob, 4) <= _end(year) and _bday(dob, 17) > _start(year)


_903c("185", _sdq_age, _oc2_for(SDQ_SCORE="12"))
_903c("198", _sdq_age, _oc2_for(SDQ_REASON="SDQ1"))
_903c(
    "190",
    _not_twelve_months,
    _oc2_for(IMMUNISATIONS="1", TEETH_CHECK="1", HEALTH_ASSESSMENT="1", SUBSTANCE_MISUSE="0"),
)

# OC3, care leavers.
_903("344", "OC3", _field_is("IN_TOUCH", "YES"), _to(IN_TOUCH="DIED"))


def _add_rows(table: str, make: Callable[[Child, int], dict[str, Any]]) -> Change:
    def apply(child: Child, year: int) -> None:
        assert child.ssda903 is not None
        child.ssda903.setdefault(table, []).append(make(child, year))

    return apply


_903c(
    "1014",
    lambda c, y: bool(c.facts.get("leaver")),
    _add_rows("UASC", lambda c, y: {"CHILD": c.id, "SEX": c.sex, "DOB": c.dob, "DUC": None}),
)
_903c(
    "1012",
    lambda c, y: bool(c.facts.get("leaver")),
    _add_rows("PrevPerm", lambda c, y: {"CHILD": c.id, "DOB": c.dob, "PREV_PERM": "Z1"}),
)

# AD1.
_903("335", "AD1", _any, lambda r, c, y: r.update(FOSTER_CARE="1" if r["FOSTER_CARE"] == "0" else "0"))
# Adopters' legal status against their sexes: two adopters of a status their sexes cannot have.
for _code, _status, _sexes in (
    ("514", "L0", "MF"),
    ("517", "L3", "MM"),
    ("518", "L4", "MF"),
    ("520", "L11", "MM"),
    ("524", "L12", "MF"),
):
    _903(_code, "AD1", _any, _to(NB_ADOPTR="2", LS_ADOPTR=_status, SEX_ADOPTR=_sexes))

# A civil partnership of one.
_903("519", "AD1", _any, _to(NB_ADOPTR="1", LS_ADOPTR="L2", SEX_ADOPTR="M1"))


def _adoption_placement(child: Child) -> dt.date:
    return next(e["DECOM"] for e in _eps(child) if e["REC"] in ("E11", "E12"))


_903(
    "331",
    "AD1",
    lambda r, c, y: any(e["REC"] in ("E11", "E12") for e in _eps(c)),
    lambda r, c, y: r.update(DATE_MATCH=_adoption_placement(c) + DAY),
)
_903c(
    "602",
    lambda c, y: _not_twelve_months(c, y) and not _rows(c, "PlacedAdoption") and not c.facts.get("adopt"),
    _add_rows(
        "AD1",
        lambda c, y: {
            "CHILD": c.id,
            "DOB": c.dob,
            "DATE_INT": max(_first_decom(c), _start(y)),
            "DATE_MATCH": max(_first_decom(c), _start(y)),
            "FOSTER_CARE": "0",
            "NB_ADOPTR": "1",
            "SEX_ADOPTR": "F1",
            "LS_ADOPTR": "L0",
        },
    ),
)

# The decision to place for adoption recorded a day later in AD1 than in PlacedAdoption (still before the
# match).
_903(
    "523",
    "AD1",
    lambda r, c, y: r["DATE_MATCH"] > r["DATE_INT"],
    lambda r, c, y: r.update(DATE_INT=r["DATE_INT"] + DAY),
)


def _spells(child: Child) -> list[dict[str, Any]]:
    return _rows(child, "Missing")


# Missing three days before care began (the child's first spell, care begun in the year).
_903(
    "581",
    "Missing",
    lambda r, c, y: r is _spells(c)[0] and _in_care_in_year(c, y) and _eps(c)[0]["RNE"] == "S",
    lambda r, c, y: r.update(MIS_START=_eps(c)[0]["DECOM"] - 3 * DAY),
)
# A second spell starting the day before the first ended.
_903(
    "574",
    "Missing",
    lambda r, c, y: (
        len(_spells(c)) >= 2 and r is _spells(c)[1] and _spells(c)[0]["MIS_END"] > _spells(c)[0]["MIS_START"]
    ),
    lambda r, c, y: r.update(MIS_START=_spells(c)[0]["MIS_END"] - DAY),
)

# Previous permanence.
_903("631", "PrevPerm", _any, _to(PREV_PERM="ZZ", LA_PERM="340", DATE_PERM="01/01/2015"))
_903("633", "PrevPerm", _any, _to(PREV_PERM="P1", LA_PERM="XYZ", DATE_PERM="01/01/2015"))
_903("632", "PrevPerm", _any, _to(PREV_PERM="P1", LA_PERM="340", DATE_PERM="31/02/2015"))
_903("635", "PrevPerm", _field_is("PREV_PERM", "Z1"), _to(LA_PERM="340"))
_903c("630", lambda c, y: bool(_rows(c, "PrevPerm")), lambda c, y: c.ssda903.update(PrevPerm=[]))  # type: ignore[union-attr]

# UASC.
_903("406", "Episodes", lambda r, c, y: bool(_rows(c, "UASC")) and not r["HOME_POST"], _to(HOME_POST="LS6 2"))

# Social workers.
_903(
    "SW01a",
    "SWEpisodes",
    lambda r, c, y: r["SW_DECOM"] < dt.date(2023, 4, 1),
    _to(SW_ID=""),
    years=(2024,),
)
_903("SW01b", "SWEpisodes", lambda r, c, y: r["SW_DECOM"] >= dt.date(2023, 4, 1), _to(SW_ID=""))
_903(
    "SW01",
    "Episodes",
    lambda r, c, y: (
        r["DEC"] is None and min(e["DECOM"] for e in _eps(c)) < _start(y) - dt.timedelta(days=400)
    ),
    lambda r, c, y: c.ssda903.update(SWEpisodes=[]),  # type: ignore[union-attr]
)
_903(
    "SW17",
    "SWEpisodes",
    lambda r, c, y: r["SW_DEC"] is None,
    lambda r, c, y: r.update(SW_DEC=_end(y)),
    years=_FOUR_YEARS,
)
_903(
    "SW10b",
    "SWEpisodes",
    lambda r, c, y: r is not _rows(c, "SWEpisodes")[0],
    _to(SW_REASON="FCONTA"),
    years=_FOUR_YEARS,
)


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


# Codes few children fit (adoptions, mothers, short legal statuses): offered each child first, so the
# commoner codes do not take the few children they fit.
_RARE = frozenset(
    {
        "114",
        "158",
        "171",
        "175",
        "177",
        "217",
        "222",
        "331",
        "335",
        "361",
        "363",
        "514",
        "517",
        "518",
        "519",
        "520",
    }
    | {"523", "524", "611", "612", "620", "621", "625", "8715", "174"}
    # Court applications in pre-proceedings (CIN 2026-27): children coming into care in the year.
    | {"9012", "9013"}
)

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
        for code in sorted(self.pending, key=lambda c: c not in _RARE):
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
