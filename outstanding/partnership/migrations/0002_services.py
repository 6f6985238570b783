"""The children's services a council runs, alone or shared with partners (reference data)."""

from django.db import migrations

SERVICES = [
    ("front-door", "Front door and MASH"),
    ("early-help", "Early help"),
    ("assessment", "Assessment and intervention"),
    ("child-protection", "Child protection"),
    ("children-in-care", "Children in care"),
    ("care-leavers", "Care leavers"),
    ("adoption", "Adoption"),
    ("fostering", "Fostering"),
    ("disabled-children", "Disabled children"),
    ("exploitation", "Exploitation and missing"),
    ("independent-reviewing", "Independent reviewing and conference chairs"),
]


def add(apps, schema_editor):
    Service = apps.get_model("partnership", "Service")
    for code, name in SERVICES:
        Service.objects.update_or_create(code=code, defaults={"name": name})


def remove(apps, schema_editor):
    apps.get_model("partnership", "Service").objects.filter(code__in=[c for c, _ in SERVICES]).delete()


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
