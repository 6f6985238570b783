from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "outstanding.clocks"
    label = "clocks"
