from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "outstanding.audit"
    label = "audit"
