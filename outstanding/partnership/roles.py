"""The roles a member of staff can hold. A person may hold several (a team manager who chairs conferences)."""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social-worker", "Social worker"
    TEAM_MANAGER = "team-manager", "Team manager"
    MASH_OFFICER = "mash-officer", "MASH officer"
    INDEPENDENT_REVIEWING_OFFICER = "independent-reviewing-officer", "Independent reviewing officer"
    HEAD_OF_SERVICE = "head-of-service", "Head of service"
    PERFORMANCE_ANALYST = "performance-analyst", "Performance analyst"
    SYSTEM_ADMINISTRATOR = "admin", "System administrator"


# Roles whose holders practise social work and so must be registered with Social Work England.
REGISTERED_SOCIAL_WORK_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.INDEPENDENT_REVIEWING_OFFICER}
)
