"""Django admin for reference data only (councils and services); everything else has its own pages."""

from django.contrib import admin

from outstanding.audit.models import AuditEvent
from outstanding.audit.services import audit_record
from outstanding.partnership.models import Council, Service


class AuditedAdmin(admin.ModelAdmin):
    """Reference data changed in the admin is audited like any other change."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            obj=obj,
            summary=f"{'Changed' if change else 'Added'} {obj._meta.verbose_name} {obj} in admin",
            changes={f: str(form.cleaned_data.get(f)) for f in form.changed_data},
            ip_address=request.META.get("REMOTE_ADDR"),
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # records point at reference data; retire it instead of deleting it


@admin.register(Council)
class CouncilAdmin(AuditedAdmin):
    list_display = ["name", "la_code", "ons_code", "child_population"]


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ["name", "code"]
