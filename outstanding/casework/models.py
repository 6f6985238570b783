"""Casework records kept alongside every step: case notes (with every version), risks and their reviews, and
chronologies curated for a conference or for court."""

from django.db import models

from outstanding.partnership.models import Council, Service, StaffMember
from outstanding.people.models import Child, ChronologyEvent


class CaseNote(models.Model):
    """A note written once, about one child or several (siblings), that appears on each child's record.

    A draft keeps every save as a version; a finalised note is never changed again, only added to.
    """

    class Kind(models.TextChoices):
        HOME_VISIT = "home-visit", "Home visit"
        PHONE_CALL = "phone-call", "Phone call"
        MEETING = "meeting", "Meeting"
        SUPERVISION = "supervision", "Supervision"
        DIRECT_WORK = "direct-work", "Direct work"
        OTHER = "other", "Other"

    children = models.ManyToManyField(Child, related_name="case_notes")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="case_notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_on = models.DateField()
    title = models.CharField(max_length=150)
    significant = models.BooleanField(
        default=False, help_text="A significant event: it joins the chronology."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}: {self.title}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    @property
    def current(self) -> "CaseNoteVersion | None":
        return self.versions.order_by("-number").first()


class CaseNoteVersion(models.Model):
    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    saved_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now=True)
    autosaved = models.BooleanField(default=False, help_text="Saved as the author typed, not by them.")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["note", "number"], name="note_version_once")]

    def __str__(self) -> str:
        return f"Version {self.number} of note {self.note_id}"


class CaseNoteAddition(models.Model):
    """Added to a finalised note, which itself stays as it was."""

    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="additions")
    text = models.TextField()
    author = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]

    def __str__(self) -> str:
        return f"Addition to note {self.note_id}"


class Risk(models.Model):
    class Kind(models.TextChoices):
        CHILD_SEXUAL_EXPLOITATION = "cse", "Child sexual exploitation"
        CHILD_CRIMINAL_EXPLOITATION = "cce", "Child criminal exploitation"
        GOING_MISSING = "missing", "Going missing"
        DOMESTIC_ABUSE = "domestic-abuse", "Domestic abuse"
        FGM = "fgm", "Female genital mutilation"
        FORCED_MARRIAGE = "forced-marriage", "Forced marriage"
        HONOUR_BASED_ABUSE = "honour-based-abuse", "Honour-based abuse"
        RADICALISATION = "radicalisation", "Radicalisation"
        GANGS = "gangs", "Gangs"
        TRAFFICKING = "trafficking", "Trafficking"
        SELF_HARM = "self-harm", "Self-harm"
        ALCOHOL = "alcohol", "Alcohol misuse"
        DRUGS = "drugs", "Drug misuse"
        MENTAL_HEALTH = "mental-health", "Mental health"
        NEGLECT = "neglect", "Neglect"
        OTHER = "other", "Other"

    class Level(models.IntegerChoices):
        LOW = 1, "Low"
        MEDIUM = 2, "Medium"
        HIGH = 3, "High"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    identified_on = models.DateField()
    level = models.PositiveSmallIntegerField(choices=Level.choices, help_text="The level when identified.")
    description = models.TextField(blank=True)
    identified_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-identified_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_level_display()}) from {self.identified_on}"


class RiskReview(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    level = models.PositiveSmallIntegerField(choices=Risk.Level.choices)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"Review of {self.risk} on {self.reviewed_on}"


class CuratedChronology(models.Model):
    """A chronology a worker prepares for a conference or for court: chosen entries, with analysis."""

    class Purpose(models.TextChoices):
        CONFERENCE = "conference", "Child protection conference"
        COURT = "court", "Court"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="curated_chronologies")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    title = models.CharField(max_length=150)
    analysis = models.TextField(blank=True)
    prepared_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class CuratedEntry(models.Model):
    chronology = models.ForeignKey(CuratedChronology, on_delete=models.CASCADE, related_name="entries")
    event = models.ForeignKey(ChronologyEvent, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True, help_text="The worker's analysis of this event.")

    class Meta:
        ordering = ["event__occurred_on", "event__id"]
        constraints = [models.UniqueConstraint(fields=["chronology", "event"], name="curated_entry_once")]

    def __str__(self) -> str:
        return f"{self.event} in {self.chronology}"


class Assessment(models.Model):
    """A child and family assessment: what was found, in the child's own words too, and what happens next."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for a manager"
        AUTHORISED = "authorised", "Authorised"

    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        EARLY_HELP = "early-help", "Early help"
        CHILD_IN_NEED_PLAN = "cin-plan", "Child in need plan"
        STRATEGY_DISCUSSION = "strategy-discussion", "Strategy discussion"
        LOOKED_AFTER = "looked-after", "Child to be looked after"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="assessments")
    referral = models.ForeignKey(
        "frontdoor.Referral", null=True, blank=True, on_delete=models.RESTRICT, related_name="assessments"
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="assessments")
    started_on = models.DateField()
    child_seen_on = models.DateField(null=True, blank=True)
    child_seen_alone_on = models.DateField(null=True, blank=True)
    childs_views = models.TextField(
        blank=True, help_text="The child's views, wishes and aspirations, in their own words."
    )
    factors = models.JSONField(default=list, blank=True)  # DfE assessment factor codes
    analysis = models.TextField(blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authorised_on = models.DateField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            # one assessment per referral, even if two workers start one at the same moment
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(referral__isnull=False),
                name="one_assessment_per_referral",
            )
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.child} from {self.started_on}"


class StrategyDiscussion(models.Model):
    """Agencies decide together whether to start a section 47 enquiry, which is dated on the discussion."""

    class Decision(models.TextChoices):
        START_SECTION_47 = "section-47", "Start a section 47 enquiry"
        NO_SECTION_47 = "no-section-47", "No section 47 enquiry"

    class Outcome(models.TextChoices):
        SUBSTANTIATED_ICPC = "icpc", "Concerns substantiated: initial child protection conference"
        SUBSTANTIATED_NO_ICPC = "no-icpc", "Concerns substantiated: no conference needed"
        NOT_SUBSTANTIATED = "not-substantiated", "Concerns not substantiated"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="strategy_discussions")
    held_on = models.DateField()
    agencies = models.JSONField(default=list, help_text="The agencies that took part.")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Strategy discussion for {self.child} on {self.held_on}"


class ChildProtectionPlan(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="protection_plans")
    started_on = models.DateField()
    initial_category = models.CharField(max_length=3)  # DfE category of abuse
    latest_category = models.CharField(max_length=3)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"Child protection plan for {self.child} from {self.started_on}"

    @property
    def previous_plans(self) -> int:
        """Plans the child had before this one: the census counts second and later plans."""
        return self.child.protection_plans.filter(started_on__lt=self.started_on).count()


class ChildProtectionConference(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial conference"
        REVIEW = "review", "Review conference"

    class Decision(models.TextChoices):
        PLAN = "plan", "Child protection plan"
        NO_PLAN = "no-plan", "No child protection plan"
        END_PLAN = "end-plan", "End the plan"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="protection_conferences")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField()
    agencies = models.JSONField(default=list)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    category = models.CharField(max_length=3, blank=True)
    # RESTRICT: kept while the conference stands, yet removed with the child's whole record
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, null=True, blank=True, on_delete=models.RESTRICT, related_name="conferences"
    )
    plan = models.ForeignKey(
        ChildProtectionPlan, null=True, blank=True, on_delete=models.RESTRICT, related_name="conferences"
    )
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child} on {self.held_on}"


class Visit(models.Model):
    """A statutory visit: whether the child was seen, and seen alone, and what they said."""

    class Kind(models.TextChoices):
        CHILD_PROTECTION = "cp", "Child protection visit"
        CHILD_IN_NEED = "cin", "Child in need visit"
        CHILD_IN_CARE = "cic", "Visit to a child in care"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    visited_on = models.DateField()
    child_seen = models.BooleanField(default=True)
    seen_alone = models.BooleanField(default=False)
    childs_views = models.TextField(blank=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.child} on {self.visited_on}"


class ChildInNeedPlan(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cin_plans")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"Child in need plan for {self.child} from {self.started_on}"


class PlanReview(models.Model):
    """A review of a child in need plan, or a child protection core group or review conference."""

    class Kind(models.TextChoices):
        CIN_REVIEW = "cin-review", "Child in need plan review"
        CORE_GROUP = "core-group", "Core group meeting"
        CP_REVIEW_CONFERENCE = "cp-review", "Review child protection conference"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plan_reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField()
    cin_plan = models.ForeignKey(
        ChildInNeedPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    cp_plan = models.ForeignKey(
        ChildProtectionPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    category = models.CharField(max_length=3, blank=True, help_text="A review conference's latest category.")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child} on {self.held_on}"


class EpisodeClosure(models.Model):
    """The end of a children in need episode (which a referral opened), with the DfE reason for closure.
    A later referral opens a new episode."""

    referral = models.OneToOneField("frontdoor.Referral", on_delete=models.RESTRICT, related_name="closure")
    closed_on = models.DateField()
    reason = models.CharField(max_length=3)  # DfE reason for closure, RC1-RC9
    closed_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Closure of {self.referral} on {self.closed_on} ({self.reason})"
