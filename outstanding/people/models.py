"""People: children, the family and network around them, their addresses and relationships.

Every person's record belongs to one council (the data controller). A child's record also names the council
with statutory responsibility, which may change when the child moves.
"""

from datetime import date

from django.db import models
from django.db.models import Q

from outstanding.partnership.models import Council, Service, StaffMember, Team


class Person(models.Model):
    """Anyone the service keeps a record of: a child, a parent, a grandparent, a professional."""

    class Sex(models.TextChoices):  # as the DfE records it (CIN census from 2024-25)
        MALE = "M", "Male"
        FEMALE = "F", "Female"
        UNKNOWN = "U", "Unknown or not yet born"

    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=100)
    other_names = models.CharField(max_length=300, blank=True, help_text="Previous names and aliases.")
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    phone = models.CharField(max_length=30, blank=True)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="people")
    # Search keys, written by the services whenever a name changes.
    first_name_key = models.CharField(max_length=40, blank=True)
    last_name_key = models.CharField(max_length=40, blank=True)
    last_name_folded = models.CharField(max_length=100, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name_key", "first_name_key"], name="person_sound_keys"),
            models.Index(fields=["last_name_folded"], name="person_last_name_folded"),
            models.Index(fields=["date_of_birth"], name="person_date_of_birth"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~Q(nhs_number="") & Q(merged_into__isnull=True),
                name="person_nhs_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_child(self) -> bool:
        return hasattr(self, "child")


class Child(models.Model):
    """The child a record is about: the person plus what the service and the DfE need to know of them."""

    person = models.OneToOneField(Person, primary_key=True, on_delete=models.PROTECT, related_name="child")
    responsible_council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="children")
    expected_date_of_birth = models.DateField(null=True, blank=True, help_text="For an unborn child.")
    gender_identity = models.CharField(
        max_length=60, blank=True, help_text="Only where the child has shared it."
    )
    ethnicity = models.CharField(max_length=4, blank=True)  # DfE ethnicity code
    disabilities = models.JSONField(default=list, blank=True)  # DfE disability codes
    first_language = models.CharField(max_length=60, blank=True)
    religion = models.CharField(max_length=60, blank=True)
    upn = models.CharField("Unique Pupil Number", max_length=13, blank=True, db_index=True)
    known_since = models.DateField(help_text="The date the child first became known to children's services.")
    restricted = models.BooleanField(default=False, db_index=True)
    restriction_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "children"
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self) -> str:
        return str(self.person)


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=150)
    line_2 = models.CharField(max_length=150, blank=True)
    town = models.CharField(max_length=100, default="London")
    postcode = models.CharField(max_length=8, db_index=True)  # normalised: upper case, one space
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.line_1}, {self.postcode}"


class Relationship(models.Model):
    class Kind(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step-parent", "Step-parent"
        SIBLING = "sibling", "Sibling"
        GRANDPARENT = "grandparent", "Grandparent"
        CARER = "carer", "Carer"
        HOUSEHOLD_MEMBER = "household-member", "Household member"
        PROFESSIONAL = "professional", "Professional"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_to_children")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parental_responsibility = models.BooleanField(default=False)
    lives_with_child = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "person", "kind"], name="relationship_once"),
            models.CheckConstraint(condition=~Q(child=models.F("person")), name="relationship_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person} is {self.get_kind_display().lower()} of {self.child}"


class InvolvementQuerySet(models.QuerySet):
    def open_on(self, day: date) -> "InvolvementQuerySet":
        """Started on or before `day` and not ended before it: the one reading of "open" everywhere."""
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


class Involvement(models.Model):
    """A service working with a child over dates (the MASH screening a contact, a locality team's assessment).

    The access policy reads these: staff of a shared service may see a partner council's child only while that
    service works with the child.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="involvements")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="involvements")
    allocated_worker = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["service", "end_date"], name="involvement_service_open")]

    def __str__(self) -> str:
        return f"{self.service} with {self.child} from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class NamedAccess(models.Model):
    """A member of staff named as allowed to see a restricted child's record."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="named_access")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="named_access")
    granted_by = models.ForeignKey(StaffMember, null=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "staff"], condition=Q(ended_at__isnull=True), name="named_access_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} may see {self.child}"


class BreakGlassAccess(models.Model):
    """Access to a restricted record by someone not named, for a stated reason, for a short time."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="break_glass")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="break_glass")
    reason = models.CharField(max_length=500)
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.staff} broke the glass on {self.child}: {self.reason}"


class ChronologyEvent(models.Model):
    """One significant event in a child's life and work with them, written by the service that recorded it.

    The child's chronology reads these rather than every table; the statutory clocks read them too, so `kind`
    uses the timescale engine's event kinds where one applies (`outstanding.timescales.EventKind`).
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="chronology")
    kind = models.CharField(max_length=40, db_index=True)
    occurred_on = models.DateField()
    occurred_at = models.DateTimeField(null=True, blank=True, help_text="Where the time of day matters.")
    summary = models.CharField(max_length=300)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(
        max_length=60, blank=True, help_text="Ties events of one episode or plan together."
    )
    facts = models.JSONField(default=dict, blank=True)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "occurred_at", "id"]
        indexes = [models.Index(fields=["child", "occurred_on"], name="chronology_child_date")]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.summary}"
