"""Checking a return uploaded on the web page: validate in a temporary folder, keep the findings a while.

Each function is one transaction and writes its own audit event.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePath, PureWindowsPath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from outstanding.access import policy
from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.partnership.models import Council
from outstanding.returns.models import ReturnFinding, ReturnValidation

_BATCH = 5_000


def _text(value: object, limit: int | None = None) -> str:
    """A value from the file, safe to store: no NUL (PostgreSQL refuses it), cut to the column's size."""
    text = "" if value is None else str(value).replace("\x00", "")
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _checked_files(files: Sequence[UploadedFile], return_type: str, label: str) -> list[UploadedFile]:
    if not files:
        raise ValidationError({label: "Choose the return's files to check."})
    limit = settings.OUTSTANDING_RETURNS_MAX_UPLOAD_BYTES
    if sum(f.size or 0 for f in files) > limit:
        raise ValidationError({label: f"The files are larger than {limit // (1024 * 1024)} MB together."})
    if return_type == ReturnValidation.Return.CIN:
        if len(files) != 1 or not (files[0].name or "").lower().endswith(".xml"):
            raise ValidationError({label: "The children in need census is one XML file (.xml)."})
    else:
        wrong = [f.name for f in files if not (f.name or "").lower().endswith(".csv")]
        if wrong:
            raise ValidationError(
                {label: f"The SSDA903 is sent as CSV files; not a CSV: {', '.join(wrong)}."}
            )
    names = [PurePath(f.name or "").name.lower() for f in files]
    if len(set(names)) != len(names):
        raise ValidationError({label: "Two of the files have the same name."})
    return list(files)


UPLOAD_PREFIX = "outstanding-return-"


def _sweep_upload_folders(*, older_than: dt.datetime) -> None:
    """A request killed mid-validation (a worker timeout, out of memory) skips its own clean-up."""
    for folder in Path(tempfile.gettempdir()).glob(UPLOAD_PREFIX + "*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < older_than.timestamp():
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _safe_name(name: str | None, index: int) -> str:
    """The file's own name, reduced to plain characters: never a path the browser made up."""
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", PureWindowsPath(PurePath(name or "").name).name).strip(" .")
    return base or f"upload-{index + 1}"


def _save(files: Sequence[UploadedFile], folder: Path) -> list[dict[str, object]]:
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for i, f in enumerate(files):
        # Numbered, so two names that reduce to the same plain name never overwrite each other; the
        # readers recognise the tables by their header rows, not their names.
        with (folder / f"{i + 1:02d}-{_safe_name(f.name, i)}").open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        kept.append({"name": _text(PurePath(f.name or "").name, 200), "bytes": f.size})
    return kept


def return_validation_create(
    *,
    actor: AbstractBaseUser,
    council: Council,
    return_type: str,
    year: str,
    files: Sequence[UploadedFile],
    previous_files: Sequence[UploadedFile] = (),
    ip_address: str | None = None,
) -> ReturnValidation:
    """Validate a council's return and keep its findings until they expire. The uploaded files are removed
    when this returns, whatever happens."""
    from outstanding.returns.validate import UnsupportedYear, check_year, validate_903, validate_cin

    if not policy.may_check_returns(actor, council.pk):
        raise PermissionDenied("You can check returns only for the council you work for.")
    if return_type not in ReturnValidation.Return.values:
        raise ValidationError({"return_type": "Choose the children in need census or the SSDA903."})
    try:
        parsed = check_year(year)
    except (UnsupportedYear, ValueError) as exc:
        raise ValidationError({"year": str(exc)}) from exc
    files = _checked_files(files, return_type, "files")
    if previous_files:
        if return_type == ReturnValidation.Return.CIN:
            raise ValidationError({"previous_files": "Last year's files are used by the SSDA903 only."})
        previous_files = _checked_files(previous_files, return_type, "previous_files")

    with tempfile.TemporaryDirectory(prefix=UPLOAD_PREFIX) as tmp:
        folder = Path(tmp)
        this_year, previous = folder / "this-year", folder / "previous"
        kept = _save(files, this_year)
        kept_previous = _save(previous_files, previous) if previous_files else []
        if return_type == ReturnValidation.Return.CIN:
            result = validate_cin(next(this_year.iterdir()), parsed.label)
        else:
            result = validate_903(this_year, parsed.label, previous if previous_files else None)
        # The reader names files and folders in its messages: say what they are, not where they were.
        places = [(str(this_year), "the uploaded files"), (str(previous), "last year's files")]
    findings = result.findings
    counts = findings.group_by("type").len() if findings.height else None
    by_type = dict(zip(counts["type"], counts["len"], strict=True)) if counts is not None else {}
    limit = settings.OUTSTANDING_RETURNS_MAX_FINDINGS

    def message(text: str) -> str:
        for path, words in places:
            text = text.replace(path, words)
        return _text(text)

    with transaction.atomic():
        validation = ReturnValidation.objects.create(
            council=council,
            return_type=return_type,
            year=parsed.label,
            run_by=actor,
            expires_at=timezone.now() + dt.timedelta(days=settings.OUTSTANDING_RETURNS_KEEP_DAYS),
            files=kept,
            previous_files=kept_previous,
            rules_run=result.rules_run,
            errors=int(by_type.get("error", 0)),
            queries=int(by_type.get("query", 0)),
            findings_kept=min(findings.height, limit),
            seconds=round(result.read_seconds + result.rule_seconds, 3),
        )
        batch: list[ReturnFinding] = []
        for item in findings.head(limit).iter_rows(named=True):
            batch.append(
                ReturnFinding(
                    validation=validation,
                    code=_text(item["code"], 20),
                    type=_text(item["type"], 5),
                    message=message(item["message"]),
                    child=_text(item["child"], 100),
                    table=_text(item["table"], 40),
                    row=item["row"],
                    fields=_text(item["fields"], 300),
                    values=_text(item["values"]),
                )
            )
            if len(batch) >= _BATCH:
                ReturnFinding.objects.bulk_create(batch)
                batch = []
        ReturnFinding.objects.bulk_create(batch)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            summary=(
                f"Checked {validation.get_return_type_display()} {validation.year} for {council}: "
                f"{validation.errors} errors, {validation.queries} queries (files not kept)"
            ),
            obj=validation,
            council_id=council.pk,
            changes={"files": [f["name"] for f in kept + kept_previous]},
            ip_address=ip_address,
        )
    return validation


def return_validation_delete(
    *, actor: AbstractBaseUser, validation: ReturnValidation, ip_address: str | None = None
) -> None:
    if not policy.may_check_returns(actor, validation.council_id):
        raise PermissionDenied("You can delete only your own council's checks.")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            summary=f"Deleted the findings of {validation}",
            obj=validation,
            council_id=validation.council_id,
            ip_address=ip_address,
        )
        validation.delete()


def return_validations_purge(*, now: dt.datetime | None = None) -> int:
    """Delete every check whose keeping time has passed, and any upload folder a crashed request left
    behind; returns how many checks."""
    now = now or timezone.now()
    _sweep_upload_folders(older_than=now - dt.timedelta(hours=1))
    with transaction.atomic():
        expired = list(ReturnValidation.objects.filter(expires_at__lte=now).select_for_update())
        for validation in expired:
            audit_record(
                actor=None,
                action=AuditEvent.Action.DELETE,
                summary=f"Findings of {validation} deleted: their keeping time ended",
                obj=validation,
                council_id=validation.council_id,
            )
            validation.delete()
    return len(expired)
