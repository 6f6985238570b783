from django.db import models


class SignInThrottle(models.Model):
    """Failed sign-ins in a row for one sign-in name, known or not (so a lock reveals nothing)."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.username}: {self.failures} failures"
