"""Reads at the front door. Each takes the acting user, returns only what they may see, audits the look."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.utils import timezone

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.frontdoor import deadlines
from outstanding.frontdoor.models import Contact, ContactChild, PartnerCheck, Referral
from outstanding.frontdoor.services import agencies_in_mash
from outstanding.partnership.models import Council, Team
from outstanding.people.models import Child

QUEUE_PAGE_SIZE = 50
NOT_FOUND = "There is no contact you can open with that number."


def _reach_q(user: AbstractBaseUser, on: date) -> Q:
    """The contacts in the user's queue: those of the MASH teams they work in, for the councils each serves
    that day; for a council's own MASH team, also the council's contacts left in a shared MASH it no longer
    takes part in (nothing open is lost when a council leaves); for a head of service, every contact of
    their council."""
    reach = policy.front_door_reach(user, on)
    q = Q(pk__in=[])
    for team_id, councils in reach.items():
        q |= Q(mash_team_id=team_id, council_id__in=councils)
    own = policy.own_mash_councils(user, on)
    if own:
        shared = list(Team.objects.filter(kind=Team.Kind.MASH, council__isnull=True))
        for council_id in sorted(own):
            left = [t.pk for t in shared if council_id not in policy.mash_councils(t, on)]
            if left:
                q |= Q(council_id=council_id, mash_team_id__in=left)
    whole = policy.own_front_door_councils(user, on) - own
    if whole:
        q |= Q(council_id__in=whole)
    return q


@dataclass
class QueueRow:
    contact: Contact
    children: list[Child | None]  # None: a child whose record the viewer may not open, not named
    due_what: str  # "Partners' information" or "Decision"
    time_left: timedelta | None
    overdue: bool


@dataclass
class Queue:
    rows: list[QueueRow]
    total: int
    overdue: int
    page: int
    pages: int
    councils: list[Council]
    teams: list[Team]
    now: datetime


def mash_queue(
    *,
    user: AbstractBaseUser,
    council_id: int | None = None,
    rating: str = "",
    status: str = "",
    order: str = "urgent",
    page: int = 1,
    per_page: int = QUEUE_PAGE_SIZE,
    now: datetime | None = None,
    ip_address: str | None = None,
) -> Queue:
    """Every open contact across the councils the user's MASH serves today, most urgent (or oldest) first.

    Nothing open is ever left out: a contact is in the queue from the moment it is recorded until decided,
    whoever holds it.
    """
    today = timezone.localdate()
    if not policy.may_use_mash_queue(user, today):
        raise PermissionDenied("The MASH queue is for the staff of a MASH.")
    now = now or timezone.now()
    contacts = Contact.objects.filter(_reach_q(user, today), status__in=Contact.OPEN_STATUSES)
    if council_id:
        contacts = contacts.filter(council_id=council_id)
    if rating == "unrated":
        contacts = contacts.filter(rating="")
    elif rating:
        contacts = contacts.filter(rating=rating)
    if status:
        contacts = contacts.filter(status=status)
    total = contacts.count()
    overdue = contacts.filter(due_at__lt=now).count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    ordering = ["received_at", "id"] if order == "oldest" else ["due_at", "received_at", "id"]
    shown = list(
        contacts.order_by(*ordering)
        .select_related("council", "owner__user", "mash_team")
        .prefetch_related(
            Prefetch(
                "contact_children",
                queryset=ContactChild.objects.select_related("child__person").order_by("id"),
            )
        )[(page - 1) * per_page : page * per_page]
    )
    reach = policy.front_door_reach(user, today)
    teams = list(Team.objects.filter(pk__in=reach).order_by("name"))
    opening = {t.pk: deadlines.opening_hours(t) for t in teams}
    for contact in shown:  # a contact left in a MASH the council has left keeps that MASH's hours
        if contact.mash_team_id not in opening:
            opening[contact.mash_team_id] = deadlines.opening_hours(contact.mash_team)
    named = policy.children_shown_on_contacts(
        user, [cc.child for contact in shown for cc in contact.contact_children.all()], today
    )
    rows = []
    for contact in shown:
        partners_running = (
            contact.partner_information_due_at and contact.partner_information_complete_at is None
        )
        due_what = (
            "Partners' information"
            if partners_running and contact.due_at == contact.partner_information_due_at
            else "Decision"
        )
        rows.append(
            QueueRow(
                contact=contact,
                children=[
                    cc.child if cc.child_id in named else None for cc in contact.contact_children.all()
                ],
                due_what=due_what,
                time_left=deadlines.time_left(contact.due_at, now, opening[contact.mash_team_id]),
                overdue=contact.due_at is not None and contact.due_at < now,
            )
        )
    served = set().union(*reach.values(), policy.own_front_door_councils(user, today))
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        summary=f"Viewed the MASH queue: {total} open contacts, page {page}",
        ip_address=ip_address,
    )
    return Queue(
        rows=rows,
        total=total,
        overdue=overdue,
        page=page,
        pages=pages,
        councils=list(Council.objects.filter(pk__in=served).order_by("name")),
        teams=teams,
        now=now,
    )


@dataclass
class ChildOnContactView:
    child: Child
    previous_referral: Referral | None  # within 12 months: a referral now would be a re-referral
    shown: bool = True  # False: the viewer may not open the child's record, so it is not named


@dataclass
class ContactView:
    contact: Contact
    children: list[ChildOnContactView]
    adults: list
    checks: list[PartnerCheck]
    may_screen: bool
    may_authorise: bool
    agency: (
        str | None
    )  # a partner agency's officer sees their own agency's check and the people, nothing else
    recordable_checks: set[int] = field(default_factory=set)

    @property
    def limited(self) -> bool:
        return self.agency is not None


def contact_for_work(*, user: AbstractBaseUser, contact_id: int, ip_address: str | None = None) -> Contact:
    """A contact the user may see, to act on (the service then checks the action itself).

    Refuses with the same words whether the contact is missing or not theirs to see, so a refusal confirms
    nothing; a refusal of a contact that exists is audited.
    """
    contact = (
        Contact.objects.select_related(
            "council", "mash_team", "owner__user", "rated_by__user", "decided_by__user", "authorised_by__user"
        )
        .filter(pk=contact_id)
        .first()
    )
    if contact is None or not policy.may_see_contact(user, contact, timezone.localdate()):
        if contact is not None:
            audit_record(
                actor=user,
                action=AuditEvent.Action.ACCESS_DENIED,
                obj=contact,
                council_id=contact.council_id,
                summary="Refused a contact",
                ip_address=ip_address,
            )
        raise PermissionDenied(NOT_FOUND)
    return contact


def contact_for_viewing(
    *, user: AbstractBaseUser, contact_id: int, ip_address: str | None = None
) -> ContactView:
    today = timezone.localdate()
    contact = contact_for_work(user=user, contact_id=contact_id, ip_address=ip_address)
    agency = policy.partner_agency_of(user)
    children = [cc.child for cc in contact.contact_children.select_related("child__person").order_by("id")]
    checks = list(contact.partner_checks.select_related("returned_by__user", "requested_by__user"))
    if agency is not None:
        checks = [c for c in checks if c.agency == agency]
    represented = agencies_in_mash(contact.mash_team, today)
    recordable = {
        c.pk
        for c in checks
        if not c.is_returned
        and contact.is_open
        and policy.may_record_partner_check(user, contact, c.agency, represented, today)
    }
    named = policy.children_shown_on_contacts(user, children, today)
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        obj=contact,
        council_id=contact.council_id,
        summary=f"Viewed contact {contact.pk} about "
        + ", ".join(c.person.full_name if c.pk in named else "a record they may not open" for c in children),
        ip_address=ip_address,
    )
    reference_day = timezone.localtime(contact.received_at).date()
    return ContactView(
        contact=contact,
        children=[
            ChildOnContactView(
                c,
                deadlines.previous_referral(
                    c, council_id=contact.council_id, on=reference_day, contact=contact
                )
                if agency is None and c.pk in named
                else None,
                shown=c.pk in named,
            )
            for c in children
        ],
        adults=list(contact.contact_adults.select_related("person")),
        checks=checks,
        may_screen=policy.may_screen_contact(user, contact, today),
        may_authorise=policy.may_authorise_contact_decision(user, contact, today),
        agency=agency,
        recordable_checks=recordable,
    )


def partner_checks_waiting(*, user: AbstractBaseUser) -> list[PartnerCheck]:
    """A partner agency's officer's list: their agency's checks on open contacts of the councils their MASH
    serves, oldest first."""
    today = timezone.localdate()
    agency = policy.partner_agency_of(user)
    if agency is None or not policy.may_see_partner_checks(user, today):
        raise PermissionDenied("This list is for partner agencies' officers in a MASH.")
    contacts = Contact.objects.filter(_reach_q(user, today), status__in=Contact.OPEN_STATUSES)
    checks = (
        PartnerCheck.objects.filter(contact__in=contacts, agency=agency, returned_at__isnull=True)
        .select_related("contact__council")
        .prefetch_related("contact__contact_children__child__person")
        .order_by("contact__partner_information_due_at", "requested_at")
    )
    found = list(checks[:500])
    named = policy.children_shown_on_contacts(
        user, [cc.child for c in found for cc in c.contact.contact_children.all()], today
    )
    for check in found:
        check.children_shown = [
            cc.child if cc.child_id in named else None for cc in check.contact.contact_children.all()
        ]
    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, summary=f"Viewed {len(found)} {agency} checks waiting"
    )
    return found


@dataclass
class ChildFrontDoor:
    contacts: list[Contact]
    referrals: list[Referral]


def child_front_door(*, user: AbstractBaseUser, child: Child, access: policy.ChildAccess) -> ChildFrontDoor:
    """A child's contacts and referrals for their summary page. A shared MASH sees only its own contacts;
    referrals are the council's social care record, for those who see the whole record."""
    if not access.can_view:
        return ChildFrontDoor([], [])
    contacts = Contact.objects.filter(contact_children__child=child).select_related("mash_team", "council")
    if not access.whole_record:
        contacts = contacts.filter(_reach_q(user, timezone.localdate()))
        return ChildFrontDoor(list(contacts.order_by("-received_at")[:20]), [])
    referrals = list(
        child.referrals.select_related("involvement__team", "contact").order_by("-referral_date")[:20]
    )
    return ChildFrontDoor(list(contacts.order_by("-received_at")[:20]), referrals)
