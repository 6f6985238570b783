"""The front door: contacts about children, their screening in the MASH, partner agencies' checks, the
decision, and the referrals that decisions start.

A contact is screened by one MASH team (a council's own, or a shared service's) for one council: each child
stays the responsibility of their own council, so a contact about a family names that council. Links to
staff are kept if a sign-in is ever removed (set to blank, never cascading a child's record away).
"""

from datetime import time

from django.db import models
from django.db.models import Q

from outstanding.partnership.models import Council, StaffMember, Team
from outstanding.people.models import Child, Involvement, Person, Relationship


class Agency(models.TextChoices):
    """Partner agencies the MASH asks what they know."""

    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    EARLY_HELP = "early-help", "Early help"
    OTHER = "other", "Other agency"


class DeadlineUnit(models.TextChoices):
    # the same words as outstanding.timescales.Unit, which the deadlines are handed to
    WORKING_HOURS = "working hours", "Working hours"
    WORKING_DAYS = "working days", "Working days"


class FrontDoorSetting(models.Model):
    """A council's local front-door rules: partners' information deadlines per rating, and authorisation."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="front_door_setting")
    red_amount = models.PositiveSmallIntegerField(default=4)
    red_unit = models.CharField(
        max_length=20, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKING_HOURS
    )
    amber_amount = models.PositiveSmallIntegerField(default=1)
    amber_unit = models.CharField(
        max_length=20, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKING_DAYS
    )
    green_amount = models.PositiveSmallIntegerField(default=3)
    green_unit = models.CharField(
        max_length=20, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKING_DAYS
    )
    decisions_need_authorisation = models.BooleanField(
        default=False, help_text="A MASH manager authorises every decision before its next step starts."
    )

    def __str__(self) -> str:
        return f"Front-door settings for {self.council}"


class MashOpeningHours(models.Model):
    """When a MASH is open: its hours-based deadlines run only then, on working days."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="mash_opening_hours")
    opens = models.TimeField(default=time(9, 0))
    closes = models.TimeField(default=time(17, 0))

    class Meta:
        verbose_name_plural = "MASH opening hours"
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")), name="mash_opens_first")
        ]

    def __str__(self) -> str:
        return f"{self.team} open {self.opens:%H:%M}–{self.closes:%H:%M}"


class PartnerAgencyOfficer(models.Model):
    """A member of staff seconded to a MASH by a partner agency: they record their own agency's checks."""

    staff = models.OneToOneField(StaffMember, on_delete=models.CASCADE, related_name="partner_agency")
    agency = models.CharField(max_length=20, choices=Agency.choices)

    def __str__(self) -> str:
        return f"{self.staff} ({self.get_agency_display()})"


class Contact(models.Model):
    class Status(models.TextChoices):
        AWAITING_SCREENING = "awaiting-screening", "Awaiting screening"
        SCREENING = "screening", "Being screened"
        AWAITING_AUTHORISATION = "awaiting-authorisation", "Awaiting authorisation"
        DECIDED = "decided", "Decided"

    class Rating(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    class Threshold(models.IntegerChoices):
        UNIVERSAL = 1, "Level 1 – universal services"
        EARLY_HELP = 2, "Level 2 – early help"
        CHILD_IN_NEED = 3, "Level 3 – child in need"
        CHILD_PROTECTION = 4, "Level 4 – child protection"

    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "no-further-action", "No further action"
        INFORMATION_AND_ADVICE = "information-and-advice", "Information and advice"
        EARLY_HELP = "early-help", "Early help"
        REFERRAL = "referral", "Referral to social care for assessment"
        STRATEGY_DISCUSSION = "strategy-discussion", "Strategy discussion now"

    class Consent(models.TextChoices):
        GIVEN = "given", "Consent given to share"
        NOT_GIVEN = "not-given", "Consent refused: shared without it"
        NOT_SOUGHT = "not-sought", "Consent not sought: shared without it"

    OPEN_STATUSES = (Status.AWAITING_SCREENING, Status.SCREENING, Status.AWAITING_AUTHORISATION)

    mash_team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contacts")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="contacts")
    received_at = models.DateTimeField()
    source = models.CharField(max_length=3, help_text="DfE referral source code.")
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=150, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_email = models.CharField(max_length=150, blank=True)
    concern = models.TextField(help_text="The concern, in the referrer's words.")
    consent = models.CharField(max_length=20, choices=Consent.choices)
    consent_reason = models.CharField(
        max_length=500, blank=True, help_text="Why it was shared without consent."
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.AWAITING_SCREENING)
    owner = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts_owned"
    )
    # Screening
    threshold = models.PositiveSmallIntegerField(choices=Threshold.choices, null=True, blank=True)
    rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    screening_notes = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rated_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner_information_due_at = models.DateTimeField(null=True, blank=True)
    partner_information_complete_at = models.DateTimeField(null=True, blank=True)
    decision_due_at = models.DateTimeField()
    # The nearest deadline still running, kept so the queue sorts by an index; blank once decided.
    due_at = models.DateTimeField(null=True, blank=True)
    # Decision
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts_passed_on"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["mash_team", "status", "due_at"], name="contact_queue"),
            models.Index(fields=["council", "received_at"], name="contact_council_received"),
        ]

    def __str__(self) -> str:
        return f"Contact {self.pk} received {self.received_at:%d %b %Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ContactChild(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="contact_children")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    # The work the decision started for this child (an early help or assessment involvement).
    next_involvement = models.ForeignKey(
        Involvement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "child"], name="contact_child_once")]

    def __str__(self) -> str:
        return f"{self.child} in contact {self.contact_id}"


class ContactAdult(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="contact_adults")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts_as_adult")
    kind = models.CharField(max_length=20, choices=Relationship.Kind.choices)

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()}) in contact {self.contact_id}"


class PartnerCheck(models.Model):
    """A question to one partner agency about a contact, and its answer."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="partner_checks")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    question = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    information_held = models.BooleanField(null=True, blank=True)
    findings = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["contact", "agency"], name="partner_check_once")]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} check on contact {self.contact_id}"

    @property
    def is_returned(self) -> bool:
        return self.returned_at is not None


class Referral(models.Model):
    """A child's referral to children's social care: starts the children in need episode and the assessment
    clock (or, for a strategy discussion now, the child protection route)."""

    class NextStep(models.TextChoices):
        ASSESSMENT = "assessment", "Child and family assessment"
        STRATEGY_DISCUSSION = "strategy-discussion", "Strategy discussion"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="referrals")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="referrals"
    )
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="referrals")
    referral_date = models.DateField()
    source = models.CharField(max_length=3, help_text="DfE referral source code.")
    next_step = models.CharField(max_length=30, choices=NextStep.choices, default=NextStep.ASSESSMENT)
    is_re_referral = models.BooleanField(default=False, help_text="Another referral in the 12 months before.")
    previous_referral = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessment_due_on = models.DateField()
    involvement = models.ForeignKey(
        Involvement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referral_date", "-id"]
        indexes = [
            models.Index(fields=["child", "referral_date"], name="referral_child_date"),
            models.Index(fields=["council", "referral_date"], name="referral_council_date"),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.child} on {self.referral_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
