"""A validation run from the web page: which council's return, who ran it, and its findings.

The uploaded files themselves are never kept: they are read in a temporary folder that is removed as soon
as the rules have run. The findings (which name children by their return identifiers) are kept only until
``expires_at``, so an analyst can work through them, download them, and rerun after fixing the records.
"""

from django.conf import settings
from django.db import models

from outstanding.partnership.models import Council


class ReturnValidation(models.Model):
    class Return(models.TextChoices):
        CIN = "cin", "Children in need census"
        SSDA903 = "903", "SSDA903 (children looked after)"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="return_validations")
    return_type = models.CharField(max_length=3, choices=Return.choices)
    year = models.CharField(max_length=7, help_text="Collection year, e.g. 2025-26.")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    files = models.JSONField(default=list, help_text="Names and sizes of the files as uploaded.")
    previous_files = models.JSONField(default=list, blank=True)
    rules_run = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(default=0)
    # A badly broken file can yield millions of findings: the first ones are kept, the counts are whole.
    findings_kept = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-run_at"]

    def __str__(self) -> str:
        return (
            f"{self.get_return_type_display()} {self.year} for {self.council} ({self.run_at:%d %b %Y %H:%M})"
        )


class ReturnFinding(models.Model):
    """One row of findings: a DfE rule (or the reader) flagging one row of one table."""

    validation = models.ForeignKey(ReturnValidation, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(max_length=20)
    type = models.CharField(max_length=5)
    message = models.TextField()
    # Whatever the file held, cut to fit: a child identifier is 20 characters in a valid return.
    child = models.CharField(max_length=100, blank=True)
    table = models.CharField(max_length=40, blank=True)
    row = models.IntegerField(null=True)
    fields = models.CharField(max_length=300, blank=True)
    values = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["validation", "code", "type"])]

    def __str__(self) -> str:
        return f"{self.code} on {self.table} line {self.row}"
