"""Reads for the returns page: only the unexpired checks of councils the user may check returns for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.partnership.models import Council
from outstanding.returns.models import ReturnFinding, ReturnValidation

ROWS_SHOWN_PER_RULE = 50

Purpose = Literal["view", "export", "delete"]


def councils_for_returns(*, user: AbstractBaseUser) -> QuerySet[Council]:
    return Council.objects.filter(pk__in=policy.returns_councils(user)).order_by("name")


def return_validations(*, user: AbstractBaseUser) -> QuerySet[ReturnValidation]:
    return (
        ReturnValidation.objects.filter(
            council_id__in=policy.returns_councils(user), expires_at__gt=timezone.now()
        )
        .select_related("council", "run_by")
        .order_by("-run_at")
    )


def return_validation_for(
    *,
    user: AbstractBaseUser,
    pk: int,
    ip_address: str | None = None,
    purpose: Purpose = "view",
    export: str = "",
) -> ReturnValidation:
    """One unexpired check, if the user may see its council's returns. Looks and downloads are audited
    here; a deletion is audited by its service. Another council's check is "not found", as a missing one
    is, so a refusal says nothing about what exists; the refusal is audited against that council."""
    validation = ReturnValidation.objects.select_related("council").filter(pk=pk).first()
    if validation is None or validation.expires_at <= timezone.now():
        raise Http404("No such check: it may have been deleted, or its keeping time has ended.")
    if not policy.may_check_returns(user, validation.council_id):
        audit_record(
            actor=user,
            action=AuditEvent.Action.ACCESS_DENIED,
            summary=f"Refused the findings of another council's return check ({purpose})",
            obj=validation,
            council_id=validation.council_id,
            ip_address=ip_address,
        )
        raise Http404("No such check: it may have been deleted, or its keeping time has ended.")
    if purpose != "delete":
        audit_record(
            actor=user,
            action=AuditEvent.Action.EXPORT if purpose == "export" else AuditEvent.Action.VIEW,
            summary=(
                f"Downloaded the findings of {validation} as {export}"
                if purpose == "export"
                else f"Viewed {validation}"
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
    messages_vary: bool  # the reader's findings (code READ) each say their own thing


def _code_order(code: str) -> tuple[int, str]:
    digits = re.match(r"\d+", code)
    return (int(digits.group()) if digits else -1, code)


def findings_by_rule(*, user: AbstractBaseUser, validation: ReturnValidation) -> list[RuleGroup]:
    """The findings grouped by rule and type — errors first, then in code order — with the first rows
    behind each, in two queries whatever the number of rules."""
    if not policy.may_check_returns(user, validation.council_id):
        return []
    summary = validation.findings.values("code", "type").annotate(
        rows=Count("pk"),
        children=Count("child", distinct=True, filter=~Q(child="")),
        messages=Count("message", distinct=True),
    )
    ranked = validation.findings.annotate(
        rank=Window(RowNumber(), partition_by=[F("code"), F("type")], order_by=F("pk").asc())
    )
    shown: dict[tuple[str, str], list[ReturnFinding]] = {}
    for finding in ranked.filter(rank__lte=ROWS_SHOWN_PER_RULE).order_by("pk"):
        shown.setdefault((finding.code, finding.type), []).append(finding)
    groups = [
        RuleGroup(
            code=item["code"],
            type=item["type"],
            message=(
                "The files could not be read as sent"
                if item["messages"] > 1
                else shown[(item["code"], item["type"])][0].message
            ),
            rows=item["rows"],
            children=item["children"],
            shown=shown[(item["code"], item["type"])],
            messages_vary=item["messages"] > 1,
        )
        for item in summary
    ]
    return sorted(groups, key=lambda g: (g.type != "error", _code_order(g.code)))


def findings_rows(*, user: AbstractBaseUser, validation: ReturnValidation) -> QuerySet[ReturnFinding]:
    if not policy.may_check_returns(user, validation.council_id):
        return ReturnFinding.objects.none()
    return validation.findings.order_by("pk")
