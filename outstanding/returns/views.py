"""The returns page: a council's analyst uploads a return, sees the findings by rule, downloads them."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import polars as pl
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.partnership.models import Council
from outstanding.returns import findings as F
from outstanding.returns import selectors, services
from outstanding.returns.engine import SUPPORTED_YEARS, CollectionYear
from outstanding.returns.models import ReturnValidation
from outstanding.web.views import client_address, error_summary, page, staff_required

YEARS = [CollectionYear(y).label for y in SUPPORTED_YEARS]
DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


class UploadTooLarge(FileUploadHandler):
    """Stops keeping an upload as soon as it passes the limit (the rest is read and thrown away, never
    written to disk), so the page can say why."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.tripped = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.OUTSTANDING_RETURNS_MAX_UPLOAD_BYTES:
            self.tripped = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _councils_or_refuse(request: HttpRequest) -> list[Council]:
    councils = list(selectors.councils_for_returns(user=request.user))
    if not councils:
        raise PermissionDenied(
            "Checking DfE returns is for a council's performance analysts and heads of service."
        )
    return councils


@csrf_exempt  # checked below, once the upload limit is in place (CSRF's check would read the body first)
@require_http_methods(["GET", "POST"])
@staff_required
def returns_home(request: HttpRequest) -> HttpResponse:
    # Refused before a byte of the upload is read.
    councils = _councils_or_refuse(request)
    limit = UploadTooLarge(request)
    request.upload_handlers.insert(0, limit)
    return _returns_home(request, councils, limit)


@csrf_protect
def _returns_home(request: HttpRequest, councils: list[Council], limit: UploadTooLarge) -> HttpResponse:
    services.return_validations_purge()
    errors: list[dict[str, str]] = []
    form = {"return_type": "", "year": YEARS[-2] if len(YEARS) > 1 else YEARS[0], "council": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("return_type", "year", "council")}
        council = next((c for c in councils if str(c.pk) == form["council"]), None)
        if council is None and len(councils) == 1:
            council = councils[0]
        try:
            if limit.tripped:
                mb = settings.OUTSTANDING_RETURNS_MAX_UPLOAD_BYTES // (1024 * 1024)
                raise ValidationError({"files": f"The files are larger than {mb} MB together."})
            if council is None:
                raise ValidationError({"council": "Choose the council whose return this is."})
            validation = services.return_validation_create(
                actor=request.user,
                council=council,
                return_type=form["return_type"],
                year=form["year"],
                files=request.FILES.getlist("files"),
                previous_files=request.FILES.getlist("previous_files"),
                ip_address=client_address(request),
            )
        except ValidationError as invalid:
            errors = error_summary(invalid)
        else:
            return redirect("returns:validation", validation.pk)
    validations = list(selectors.return_validations(user=request.user)[:50])
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        summary=f"Viewed the list of DfE return checks ({len(validations)} shown)"
        + (f"; an upload was refused: {'; '.join(e['text'] for e in errors)}" if errors else ""),
        council_id=councils[0].pk if len(councils) == 1 else None,
        ip_address=client_address(request),
    )
    return page(
        request,
        "returns/home.html",
        {
            "councils": councils,
            "years": YEARS,
            "form": form,
            "errors": errors,
            "validations": validations,
            "Return": ReturnValidation.Return,
            "keep_days": settings.OUTSTANDING_RETURNS_KEEP_DAYS,
        },
        status=400 if errors else 200,
    )


@require_GET
@staff_required
def validation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    validation = selectors.return_validation_for(user=request.user, pk=pk, ip_address=client_address(request))
    return page(
        request,
        "returns/validation.html",
        {
            "validation": validation,
            "groups": selectors.findings_by_rule(user=request.user, validation=validation),
            "shown_per_rule": selectors.ROWS_SHOWN_PER_RULE,
        },
    )


@require_GET
@staff_required
def validation_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in DOWNLOADS:
        raise Http404("No such download")
    validation = selectors.return_validation_for(
        user=request.user, pk=pk, ip_address=client_address(request), purpose="export", export=kind
    )
    rows = list(selectors.findings_rows(user=request.user, validation=validation).values_list(*F.COLUMNS))
    findings = pl.DataFrame(rows, schema=F.FINDING_SCHEMA, orient="row")
    for column in ("child", "table"):
        findings = findings.with_columns(pl.col(column).replace("", None))
    name = f"{validation.council.slug}-{validation.return_type}-{validation.year}-findings.{kind}"
    if kind == "json":
        buffer = io.StringIO()
        F.write_json(
            findings,
            buffer,
            {"council": validation.council.name, "return": validation.return_type, "year": validation.year},
        )
        body: bytes = buffer.getvalue().encode()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            (F.write_csv if kind == "csv" else F.write_excel)(findings, path)
            body = path.read_bytes()
    response = HttpResponse(body, content_type=DOWNLOADS[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_required
def validation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    validation = selectors.return_validation_for(
        user=request.user, pk=pk, ip_address=client_address(request), purpose="delete"
    )
    services.return_validation_delete(
        actor=request.user, validation=validation, ip_address=client_address(request)
    )
    messages.success(request, "The findings were deleted.")
    return redirect("returns:home")
