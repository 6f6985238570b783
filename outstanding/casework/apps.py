from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "outstanding.casework"
    label = "casework"
