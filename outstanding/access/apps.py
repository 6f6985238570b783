from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "outstanding.access"
    label = "access"
