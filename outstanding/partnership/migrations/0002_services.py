"""The children's services a council runs, alone or shared with partners (reference data)."""

from django.db import migrations

from outstanding.partnership.reference import SERVICES


def add(apps, schema_editor):
    Service = apps.get_model("partnership", "Service")
    for code, name in SERVICES:
        Service.objects.update_or_create(code=code, defaults={"name": name})


def remove(apps, schema_editor):
    apps.get_model("partnership", "Service").objects.filter(code__in=[c for c, _ in SERVICES]).delete()


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
