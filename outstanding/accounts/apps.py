from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "outstanding.accounts"
    label = "accounts"
