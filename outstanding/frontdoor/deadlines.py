"""Front-door deadlines, worked out by `outstanding.timescales` from the council's and the MASH's settings.

The timescales engine works in local wall-clock time; contacts are stored as aware datetimes, so moments are
made local and naive on the way in and aware again on the way out.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from outstanding.frontdoor.models import FrontDoorSetting, MashOpeningHours, Referral
from outstanding.partnership.models import Council, Team
from outstanding.timescales import (
    Case,
    CouncilTimescaleSettings,
    Deadline,
    Event,
    EventKind,
    OpeningHours,
    TimescaleEngine,
    Unit,
    WorkingDayCalendar,
    add_months,
    evaluate_case,
)

RE_REFERRAL_MONTHS = 12


def within_re_referral_window(earlier: date, referral_date: date) -> bool:
    """The one re-referral rule: a referral is a re-referral when the same council referred the child in the
    12 calendar months before it (on 3 March 2025, a referral since 3 March 2024, that day included)."""
    return earlier <= referral_date <= add_months(earlier, RE_REFERRAL_MONTHS)


def previous_referral(child, *, council_id: int, on: date, contact=None) -> Referral | None:
    """The child's latest referral by `council_id` that makes one on `on` a re-referral (leaving out those
    from `contact`, the contact being decided), or None."""
    earlier = Referral.objects.filter(child=child, council_id=council_id, referral_date__lte=on)
    if contact is not None:
        earlier = earlier.exclude(contact=contact)
    last = earlier.order_by("-referral_date", "-id").first()
    if last is not None and within_re_referral_window(last.referral_date, on):
        return last
    return None


def opening_hours(team: Team) -> OpeningHours:
    row = MashOpeningHours.objects.filter(team=team).first()
    return OpeningHours(row.opens, row.closes) if row else OpeningHours()


def council_setting(council: Council) -> FrontDoorSetting:
    """The council's front-door setting, or the defaults from timescales.md when it has saved none."""
    return FrontDoorSetting.objects.filter(council=council).first() or FrontDoorSetting(council=council)


def timescale_settings(council: Council, team: Team) -> CouncilTimescaleSettings:
    return timescale_settings_of(council_setting(council), opening_hours(team))


def timescale_settings_of(setting: FrontDoorSetting, opening: OpeningHours) -> CouncilTimescaleSettings:
    return CouncilTimescaleSettings(
        front_door_opening_hours=opening,
        partner_information={
            rating: Deadline(getattr(setting, f"{rating}_amount"), Unit(getattr(setting, f"{rating}_unit")))
            for rating in ("red", "amber", "green")
        },
    )


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment)


def decision_due(received_at: datetime, team: Team) -> datetime:
    return decision_due_in(received_at, opening_hours(team))


def decision_due_in(received_at: datetime, opening: OpeningHours) -> datetime:
    """One working day at the front door: one day's opening hours after the contact arrived."""
    calendar = WorkingDayCalendar.england()
    return _aware(calendar.add_working_hours(_local(received_at), opening.day_length, opening))


def partner_information_due(rated_at: datetime, rating: str, council: Council, team: Team) -> datetime:
    return partner_information_due_under(rated_at, rating, timescale_settings(council, team))


def partner_information_due_under(
    rated_at: datetime, rating: str, settings: CouncilTimescaleSettings | TimescaleEngine
) -> datetime:
    """The partners' information clock for a rating, as the timescales engine counts it (pass an engine
    built once to work out many)."""
    start = _local(rated_at)
    case = Case("contact", [Event(EventKind.CONTACT_RATED, start, facts={"rating": rating})])
    if isinstance(settings, TimescaleEngine):
        clocks = settings.evaluate(case, start)
    else:
        clocks = evaluate_case(case, start, settings)
    clock = next(c for c in clocks if c.rule.name == "partner_information")
    return _aware(clock.due)


def assessment_due(referral_date: date) -> date:
    """45 working days from the referral (the national assessment rule)."""
    case = Case("referral", [Event(EventKind.REFERRAL, referral_date)])
    clocks = evaluate_case(case, referral_date)
    return next(c for c in clocks if c.rule.name == "assessment").due


def deadline_text(setting: FrontDoorSetting, rating: str) -> str:
    return str(Deadline(getattr(setting, f"{rating}_amount"), Unit(getattr(setting, f"{rating}_unit"))))


def time_left(due: datetime | None, now: datetime, team_opening: OpeningHours) -> timedelta | None:
    """Opening time left before `due` (negative once past), for the queue."""
    if due is None:
        return None
    calendar = WorkingDayCalendar.england()
    if due >= now:
        return calendar.count_working_hours(_local(now), _local(due), team_opening)
    return -calendar.count_working_hours(_local(due), _local(now), team_opening)
