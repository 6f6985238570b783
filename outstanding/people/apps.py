from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "outstanding.people"
    label = "people"
