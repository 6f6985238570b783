"""A council's timescale settings: plain data with the defaults from timescales.md.

The partnership part will store these per council and hand them in; the engine never reads a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .calendar import OpeningHours
from .rules import Deadline, Unit

# Module constants, as dataclass defaults must not call anything (Deadline is frozen, so sharing is safe).
_TEN_WORKING_DAYS = Deadline(10, Unit.WORKING_DAYS)
_TWENTY_WORKING_DAYS = Deadline(20, Unit.WORKING_DAYS)
_EVERY_OTHER_VISIT = Deadline(2, Unit.VISITS)
_EIGHT_WEEKS = Deadline(8, Unit.WEEKS)


def _default_partner_information() -> Mapping[str, Deadline]:
    return MappingProxyType(
        {
            "red": Deadline(4, Unit.WORKING_HOURS),
            "amber": Deadline(1, Unit.WORKING_DAYS),
            "green": Deadline(3, Unit.WORKING_DAYS),
        }
    )


@dataclass(frozen=True, slots=True)
class CouncilTimescaleSettings:
    """Local timescales and closure days for one council. Every field has the timescales.md default.

    Merton's front door, for example, would pass
    `partner_information={"red": Deadline(2, Unit.WORKING_HOURS), "amber": Deadline(6, Unit.WORKING_HOURS),
    "green": Deadline(24, Unit.WORKING_HOURS)}`.
    """

    # Days the council's offices are closed on top of bank holidays, e.g. between Christmas and New Year.
    closure_days: frozenset[date] = frozenset()
    front_door_opening_hours: OpeningHours = field(default_factory=OpeningHours)
    # Deadline for partners' information at the front door, per urgency rating.
    partner_information: Mapping[str, Deadline] = field(default_factory=_default_partner_information)
    first_core_group: Deadline = _TEN_WORKING_DAYS
    cp_visits: Deadline = _TEN_WORKING_DAYS
    # 'Seen alone at least every other visit': within 2 visits of the last time seen alone.
    cp_seen_alone: Deadline = _EVERY_OTHER_VISIT
    cin_visits: Deadline = _TWENTY_WORKING_DAYS
    care_leaver_contact: Deadline = _EIGHT_WEEKS
    # An open clock is 'due soon' when this many working days or fewer remain (hours-based: due_soon_hours).
    due_soon_working_days: int = 5
    due_soon_hours: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "closure_days", frozenset(self.closure_days))
        if not isinstance(self.partner_information, MappingProxyType):
            object.__setattr__(self, "partner_information", MappingProxyType(dict(self.partner_information)))
        if not self.partner_information:
            raise ValueError("partner_information needs a deadline for at least one urgency rating.")
        for rating, deadline in self.partner_information.items():
            if deadline.unit not in (Unit.WORKING_HOURS, Unit.WORKING_DAYS):
                raise ValueError(
                    f"The front-door deadline for {rating!r} must be in working hours or working days, "
                    f"not {deadline.unit}."
                )
        if self.cp_seen_alone.unit is not Unit.VISITS:
            raise ValueError(f"cp_seen_alone is counted in visits, not {self.cp_seen_alone.unit}.")
        for name in ("first_core_group", "cp_visits", "cin_visits", "care_leaver_contact"):
            deadline = getattr(self, name)
            if deadline.is_timed or deadline.unit is Unit.VISITS:
                raise ValueError(f"{name} must be in days, weeks or months, not {deadline.unit}.")
        if self.due_soon_working_days < 0 or self.due_soon_hours < 0:
            raise ValueError("The 'due soon' warnings cannot be negative.")


DEFAULT_SETTINGS = CouncilTimescaleSettings()
