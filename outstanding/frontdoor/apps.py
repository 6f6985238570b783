from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "outstanding.frontdoor"
    label = "frontdoor"
