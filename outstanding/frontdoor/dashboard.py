"""The front-door dashboard: contacts and referrals by month and source, conversion from contact to
referral, decisions within one working day, re-referrals. Per council, or across the partnership's councils
the viewer may see; a selector (takes the user, audits the look) with its charts drawn as plain SVG."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.codes import CIN
from outstanding.frontdoor.models import Contact, Referral
from outstanding.partnership.models import Council
from outstanding.timescales import add_months

MONTHS = 12
REFERRED = (Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY_DISCUSSION)
# A decision waiting for a manager's authorisation is not yet decided, nor yet a referral.
DECIDED = Q(status=Contact.Status.DECIDED)


def first_month(today: date) -> date:
    """The first of the 12 months shown, the current month last (January to December in December)."""
    return add_months(today.replace(day=1, year=today.year - 1), 1)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Month:
    start: date
    contacts: int = 0
    referrals: int = 0

    @property
    def label(self) -> str:
        return self.start.strftime("%b %Y")


@dataclass
class SourceRow:
    code: str
    description: str
    contacts: int
    referred: int

    @property
    def conversion(self) -> float | None:
        return _share(self.referred, self.contacts)


@dataclass
class Figures:
    """One council's (or the partnership's) headline figures for the period."""

    name: str
    contacts: int
    decided: int
    referred_contacts: int
    decided_in_time: int
    referrals: int
    re_referrals: int
    rate_per_10k: float | None  # referrals a year per 10,000 children

    @property
    def conversion(self) -> float | None:
        return _share(self.referred_contacts, self.decided)

    @property
    def in_time(self) -> float | None:
        return _share(self.decided_in_time, self.decided)

    @property
    def re_referral_rate(self) -> float | None:
        return _share(self.re_referrals, self.referrals)


@dataclass
class Dashboard:
    councils: list[Council]  # those the viewer may see
    council: Council | None  # None: the partnership (every council the viewer may see)
    start: date
    end: date
    headline: Figures
    per_council: list[Figures]
    months: list[Month]
    sources: list[SourceRow]
    chart: SafeString


def _figures(name: str, councils: list[Council], start: date, end: date) -> Figures:
    ids = [c.pk for c in councils]
    contacts = Contact.objects.filter(
        council_id__in=ids, received_at__date__gte=start, received_at__date__lte=end
    )
    counts = contacts.aggregate(
        contacts=Count("id"),
        decided=Count("id", filter=DECIDED),
        referred=Count("id", filter=DECIDED & Q(outcome__in=REFERRED)),
        in_time=Count("id", filter=DECIDED & Q(decided_at__lte=F("decision_due_at"))),
    )
    referrals = Referral.objects.filter(council_id__in=ids, referral_date__gte=start, referral_date__lte=end)
    r = referrals.aggregate(n=Count("id"), again=Count("id", filter=Q(is_re_referral=True)))
    population = sum(c.child_population or 0 for c in councils)
    days = (end - start).days + 1
    rate = round(r["n"] / population * 10_000 * 365 / days) if population else None
    return Figures(
        name=name,
        contacts=counts["contacts"],
        decided=counts["decided"],
        referred_contacts=counts["referred"],
        decided_in_time=counts["in_time"],
        referrals=r["n"],
        re_referrals=r["again"],
        rate_per_10k=rate,
    )


def front_door_dashboard(
    *,
    user: AbstractBaseUser,
    council_id: int | None = None,
    ip_address: str | None = None,
    today: date | None = None,
) -> Dashboard:
    today = today or timezone.localdate()
    councils = [
        c for c in Council.objects.order_by("name") if policy.may_see_front_door_figures(user, c.pk, today)
    ]
    if not councils:
        raise PermissionDenied(
            "The front-door dashboard is for heads of service, analysts and MASH managers."
        )
    council = next((c for c in councils if c.pk == council_id), None)
    if council is None and len(councils) == 1:
        council = councils[0]
    chosen = [council] if council else councils
    ids = [c.pk for c in chosen]
    start, end = first_month(today), today
    months = {}
    day = start
    while day <= today:
        months[day] = Month(day)
        day = add_months(day, 1)
    by_month = (
        Contact.objects.filter(council_id__in=ids, received_at__date__gte=start, received_at__date__lte=end)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("id"))
    )
    for row in by_month:
        key = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        if key in months:
            months[key].contacts = row["n"]
    referrals_by_month = (
        Referral.objects.filter(council_id__in=ids, referral_date__gte=start, referral_date__lte=end)
        .annotate(month=TruncMonth("referral_date"))
        .values("month")
        .annotate(n=Count("id"))
    )
    for row in referrals_by_month:
        if row["month"] in months:
            months[row["month"]].referrals = row["n"]
    sources = [
        SourceRow(
            code=row["source"],
            description=CIN.REFERRAL_SOURCE.describe(row["source"])
            if row["source"] in CIN.REFERRAL_SOURCE
            else "",
            contacts=row["contacts"],
            referred=row["referred"],
        )
        for row in Contact.objects.filter(
            council_id__in=ids, received_at__date__gte=start, received_at__date__lte=end
        )
        .values("source")
        .annotate(contacts=Count("id"), referred=Count("id", filter=DECIDED & Q(outcome__in=REFERRED)))
        .order_by("-contacts")
    ]
    name = council.name if council else "The partnership"
    headline = _figures(name, chosen, start, end)
    per_council = [_figures(c.name, [c], start, end) for c in chosen] if council is None else []
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        council_id=council.pk if council else None,
        summary=f"Viewed the front-door dashboard: {name}",
        ip_address=ip_address,
    )
    month_list = list(months.values())
    return Dashboard(
        councils=councils,
        council=council,
        start=start,
        end=end,
        headline=headline,
        per_council=per_council,
        months=month_list,
        sources=sources,
        chart=bar_chart(month_list),
    )


def bar_chart(months: list[Month], width: int = 720, height: int = 260) -> SafeString:
    """Contacts and referrals per month as paired bars: an SVG drawn here, so nothing loads from elsewhere.

    The table beside it carries the same numbers for screen readers and for copying.
    """
    top = max([m.contacts for m in months] + [m.referrals for m in months] + [1])
    left, bottom, right = 44, 30, 8
    plot_w, plot_h = width - left - right, height - bottom - 10
    slot = plot_w / max(1, len(months))
    bar = slot * 0.36
    parts = [
        f'<svg class="app-chart" role="img" aria-labelledby="chart-title" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">Contacts and referrals by '
        "month</title>"
    ]
    for i in range(5):
        value = round(top * i / 4)
        y = 10 + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" '
            f'stroke-width="0.5"/><text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#505a5f">{value}</text>'
        )
    for i, m in enumerate(months):
        x = left + i * slot + slot * 0.12
        for j, (value, colour, what) in enumerate(
            ((m.contacts, "#1d70b8", "contacts"), (m.referrals, "#f47738", "referrals"))
        ):
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x + j * bar:.1f}" y="{10 + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(m.label)}: {value} {what}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{height - 12}" font-size="11" text-anchor="middle" '
            f'fill="#0b0c0c">{escape(m.start.strftime("%b"))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built above from numbers and escaped labels only
