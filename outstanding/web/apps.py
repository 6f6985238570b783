from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "outstanding.web"
    label = "web"
