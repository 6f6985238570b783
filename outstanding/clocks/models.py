"""A council's own timescale settings, where the law leaves them local (defaults from timescales.md)."""

from django.db import models

from outstanding.partnership.models import Council


class CouncilTimescaleSetting(models.Model):
    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="timescale_setting")
    closed_christmas_to_new_year = models.BooleanField(
        default=False, help_text="Offices closed on the working days between Christmas and New Year."
    )
    extra_closure_days = models.JSONField(
        default=list, blank=True, help_text="Other closure days, as YYYY-MM-DD."
    )
    first_core_group_working_days = models.PositiveSmallIntegerField(default=10)
    cp_visit_working_days = models.PositiveSmallIntegerField(default=10)
    cin_visit_working_days = models.PositiveSmallIntegerField(default=20)
    care_leaver_contact_weeks = models.PositiveSmallIntegerField(default=8)

    def __str__(self) -> str:
        return f"Timescale settings for {self.council}"
