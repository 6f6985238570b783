from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    # The validator itself (readers, rules, CLI) needs no database; this app adds the upload page and the
    # findings it keeps for a while, in each council's scope.
    name = "outstanding.returns"
    label = "returns"
