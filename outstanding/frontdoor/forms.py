"""Reading the front door's forms: the contact form has as many children and adults as the worker adds, so it
is read field by field into the services' own inputs, every problem with a message tied to its box."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone

from outstanding.frontdoor import services
from outstanding.people.forms import date_from
from outstanding.people.models import Person

MAX_CHILDREN = 8
MAX_ADULTS = 6
DATE_FIELDS = ("date_of_birth", "received_at")


def error_list(error: ValidationError) -> list[dict[str, str]]:
    """A ValidationError as GOV.UK error-summary entries, each linking to its box (date boxes: the day)."""
    if not hasattr(error, "error_dict"):
        return [{"text": m, "href": "#main-content"} for m in error.messages]
    found = []
    for key, messages in error.message_dict.items():
        anchor = f"{key}-day" if key.endswith(DATE_FIELDS) else key
        found += [{"text": m, "href": f"#{anchor}"} for m in messages]
    return found


def field_errors(errors: list[dict[str, str]]) -> dict[str, str]:
    """The first message for each box, to show beside it."""
    shown: dict[str, str] = {}
    for e in errors:
        key = e["href"].lstrip("#").removesuffix("-day")
        shown.setdefault(key, e["text"])
    return shown


def _count(data, name: str, default: int, most: int) -> int:
    value = str(data.get(name, "")).strip()
    return min(max(int(value), 1) if value.isdigit() else default, most)


def _time(value: str) -> time | None:
    value = value.strip().replace(".", ":")
    try:
        hours, minutes = (int(p) for p in value.split(":"))
        return time(hours, minutes)
    except ValueError:
        return None


@dataclass
class ContactInput:
    """The contact form as the service wants it, or the problems found reading it."""

    received_at: datetime | None = None
    children: list[services.ChildOnContact] = field(default_factory=list)
    adults: list[services.AdultOnContact] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    child_slots: int = 1
    adult_slots: int = 0


def read_contact(data) -> ContactInput:
    found = ContactInput(
        child_slots=_count(data, "children", 1, MAX_CHILDREN),
        adult_slots=_count(data, "adults", 0, MAX_ADULTS),
    )
    if data.get("action") == "add-child":
        found.child_slots = min(found.child_slots + 1, MAX_CHILDREN)
    if data.get("action") == "add-adult":
        found.adult_slots = min(found.adult_slots + 1, MAX_ADULTS)
    try:
        day = date_from(data, "received_at", required=True, label="date received")
    except ValidationError as error:
        found.errors["received_at"] = error.messages[0]
        day = None
    moment = _time(str(data.get("received_time", "")))
    if moment is None:
        found.errors.setdefault("received_time", "Enter the time received, like 14:30.")
    if day and moment:
        found.received_at = timezone.make_aware(datetime.combine(day, moment))
    for n in range(1, found.child_slots + 1):
        prefix = f"child-{n}"
        choice = str(data.get(f"{prefix}-choice", "")).strip()
        record = str(data.get(f"{prefix}-record", "")).strip()
        if choice.isdigit():
            record = choice  # the worker chose a likely duplicate: it is this child
        if record:
            if not record.isdigit():
                found.errors[f"{prefix}-record"] = "A record number is digits only, like 10234."
            else:
                found.children.append(services.ChildOnContact(record=int(record)))
            continue
        first, last = (
            str(data.get(f"{prefix}-first_name", "")).strip(),
            str(data.get(f"{prefix}-last_name", "")),
        )
        if not first and not last.strip() and n > 1:
            continue  # a row left blank
        try:
            born = date_from(data, f"{prefix}-date_of_birth", label="date of birth")
        except ValidationError as error:
            found.errors[f"{prefix}-date_of_birth"] = error.messages[0]
            born = None
        found.children.append(
            services.ChildOnContact(
                details=services.NewPerson(
                    first_name=first,
                    last_name=last.strip(),
                    date_of_birth=born,
                    sex=str(data.get(f"{prefix}-sex", "")) or Person.Sex.UNKNOWN,
                    nhs_number=str(data.get(f"{prefix}-nhs_number", "")).replace(" ", ""),
                ),
                confirmed_new=choice == "new",
            )
        )
    for n in range(1, found.adult_slots + 1):
        prefix = f"adult-{n}"
        first, last = (
            str(data.get(f"{prefix}-first_name", "")).strip(),
            str(data.get(f"{prefix}-last_name", "")),
        )
        if not first and not last.strip():
            continue
        try:
            born = date_from(data, f"{prefix}-date_of_birth", label="date of birth")
        except ValidationError as error:
            found.errors[f"{prefix}-date_of_birth"] = error.messages[0]
            born = None
        found.adults.append(
            services.AdultOnContact(
                details=services.NewPerson(
                    first_name=first,
                    last_name=last.strip(),
                    date_of_birth=born,
                    phone=str(data.get(f"{prefix}-phone", "")).strip(),
                ),
                kind=str(data.get(f"{prefix}-kind", "")),
            )
        )
    return found


def moment_from(data, prefix: str, *, label: str) -> datetime | None:
    """A date (three boxes) and a time (one box) as an aware datetime; blank means now."""
    day = date_from(data, prefix, label=label)
    text = str(data.get(f"{prefix}-time", "")).strip()
    if day is None and not text:
        return None
    moment = _time(text) if text else None
    if day is None or moment is None:
        raise ValidationError(f"Enter the {label} as a date and a time, like 3 3 2025 and 14:30.")
    value = timezone.make_aware(datetime.combine(day, moment))
    if value > timezone.now():
        raise ValidationError(f"The {label} can't be in the future.")
    return value
