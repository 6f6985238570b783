from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "outstanding.partnership"
    label = "partnership"
