from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "outstanding.demo"
    label = "demo"
