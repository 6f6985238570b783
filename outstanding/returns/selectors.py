"""Reads for the returns page: only the checks of councils the user may check returns for."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, QuerySet
from django.http import Http404

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.partnership.models import Council
from outstanding.returns.models import ReturnFinding, ReturnValidation

ROWS_SHOWN_PER_RULE = 100


def councils_for_returns(*, user: AbstractBaseUser) -> QuerySet[Council]:
    return Council.objects.filter(pk__in=policy.returns_councils(user)).order_by("name")


def return_validations(*, user: AbstractBaseUser) -> QuerySet[ReturnValidation]:
    return (
        ReturnValidation.objects.filter(council_id__in=policy.returns_councils(user))
        .select_related("council", "run_by")
        .order_by("-run_at")
    )


def return_validation_for(
    *, user: AbstractBaseUser, pk: int, ip_address: str | None = None, export: str | None = None
) -> ReturnValidation:
    """One check, if the user may see its council's returns; the look (or download) is audited."""
    validation = ReturnValidation.objects.select_related("council").filter(pk=pk).first()
    if validation is None:
        raise Http404("No such check")
    if not policy.may_check_returns(user, validation.council_id):
        raise PermissionDenied("These findings are another council's.")
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT if export else AuditEvent.Action.VIEW,
        summary=(
            f"Downloaded the findings of {validation} as {export}" if export else f"Viewed {validation}"
        ),
        obj=validation,
        council_id=validation.council_id,
        ip_address=ip_address,
    )
    return validation


@dataclass
class RuleGroup:
    code: str
    type: str
    message: str
    rows: int
    children: int
    shown: list[ReturnFinding]


def findings_by_rule(*, validation: ReturnValidation) -> list[RuleGroup]:
    """The findings grouped by rule, errors first, with the first rows behind each."""
    summary = (
        validation.findings.values("code", "type")
        .annotate(rows=Count("pk"), children=Count("child", distinct=True), first=Min("pk"))
        .order_by("type", "code")
    )
    groups = []
    for item in summary:
        shown = list(validation.findings.filter(code=item["code"]).order_by("pk")[:ROWS_SHOWN_PER_RULE])
        groups.append(
            RuleGroup(
                code=item["code"],
                type=item["type"],
                message=shown[0].message if shown else "",
                rows=item["rows"],
                children=item["children"],
                shown=shown,
            )
        )
    return groups


def findings_rows(*, validation: ReturnValidation) -> QuerySet[ReturnFinding]:
    return validation.findings.order_by("pk")
