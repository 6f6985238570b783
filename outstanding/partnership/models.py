"""Councils, the partnerships they join, the services they share, their teams and their staff.

Every membership is dated: who worked where, and which council shared which service, on any day, is a
question the access policy, the returns and the inspection history all ask.
"""

from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from outstanding.partnership.roles import Role


class DatedQuerySet(models.QuerySet):
    def on(self, day: date) -> "DatedQuerySet":
        """Rows in force on `day`: started on or before it and not ended before it."""
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


class Dated(models.Model):
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last day in force; blank while it lasts.")

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def in_force_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


def _dates_in_order() -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
        name="%(app_label)s_%(class)s_ends_after_start",
    )


class Council(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in sign-in names and addresses.")
    la_code = models.CharField(
        "DfE local authority code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "A DfE local authority code is three digits, e.g. 213.")],
    )
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        validators=[
            # E06 unitary, E07 district, E08 metropolitan, E09 London borough, E10 county
            RegexValidator(r"^E(0[6-9]|10)\d{6}$", "An ONS code for an English council looks like E09000033.")
        ],
    )
    child_population = models.PositiveIntegerField(
        null=True, blank=True, help_text="Children aged 0–17 (ONS mid-year estimate), for rates per 10,000."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipMembership(Dated):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="partnership_memberships")

    class Meta:
        ordering = ["partnership", "start_date"]
        constraints = [_dates_in_order()]

    def __str__(self) -> str:
        return f"{self.council} in {self.partnership} from {self.start_date}"


class Service(models.Model):
    """A children's service a council runs, alone or shared (reference data)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SharedServiceArrangement(Dated):
    """A partnership sharing one service between some of its councils, over dates."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="arrangements")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="arrangements")

    class Meta:
        ordering = ["partnership", "service", "start_date"]
        constraints = [_dates_in_order()]

    def __str__(self) -> str:
        return f"{self.service} shared in {self.partnership} from {self.start_date}"


class ArrangementParticipation(Dated):
    """A council taking part in a shared service arrangement, over dates within it."""

    arrangement = models.ForeignKey(
        SharedServiceArrangement, on_delete=models.CASCADE, related_name="participations"
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="participations")

    class Meta:
        ordering = ["arrangement", "start_date"]
        constraints = [_dates_in_order()]

    def __str__(self) -> str:
        return f"{self.council} in {self.arrangement} from {self.start_date}"


class Team(models.Model):
    class Kind(models.TextChoices):
        LOCALITY = "locality", "Locality team"
        MASH = "mash", "Multi-agency safeguarding hub"
        SPECIALIST = "specialist", "Specialist team"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    council = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )
    arrangement = models.ForeignKey(
        SharedServiceArrangement, null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )
    services = models.ManyToManyField(Service, related_name="teams")

    class Meta:
        ordering = ["name"]
        constraints = [
            # A team belongs either to one council or to a shared service, never both or neither.
            models.CheckConstraint(
                condition=(Q(council__isnull=False) & Q(arrangement__isnull=True))
                | (Q(council__isnull=True) & Q(arrangement__isnull=False)),
                name="team_belongs_to_council_or_shared_service",
            ),
            models.UniqueConstraint(fields=["council", "name"], name="team_name_unique_in_council"),
            models.UniqueConstraint(fields=["arrangement", "name"], name="team_name_unique_in_arrangement"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_label(self) -> str:
        if self.council_id:
            return self.council.name
        return f"Shared: {self.arrangement.service.name} ({self.arrangement.partnership.name})"


class StaffMember(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff")
    employing_council = models.ForeignKey(
        Council,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
        help_text="Blank for staff of a partner agency (police, health) seconded to a shared team.",
    )
    job_title = models.CharField(max_length=120, blank=True)
    swe_registration_number = models.CharField(
        "Social Work England registration number",
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^SW\d{1,6}$", "A Social Work England number looks like SW123456.")],
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def role_set(self) -> set[Role]:
        # Asked on every request by the access policy: fetch once per object.
        if not hasattr(self, "_role_set"):
            self._role_set = {Role(r.role) for r in self.roles.all()}
        return self._role_set

    @property
    def role_labels(self) -> str:
        return ", ".join(sorted(Role(r).label for r in self.role_set()))


class StaffRole(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "role"], name="staff_role_once")]

    def __str__(self) -> str:
        return self.get_role_display()


class TeamMembership(Dated):
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="team_memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    is_manager = models.BooleanField(default=False)

    class Meta:
        ordering = ["team", "start_date"]
        constraints = [_dates_in_order()]

    def __str__(self) -> str:
        return f"{self.staff} in {self.team} from {self.start_date}"
