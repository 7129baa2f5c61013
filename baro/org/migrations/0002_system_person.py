"""Baro's own actor: the worker and set-up act as this person, never as None."""

from django.db import migrations

SYSTEM_CODE = "baro-system"


def forward(apps, schema_editor):
    Person = apps.get_model("org", "Person")
    Person.objects.get_or_create(
        code=SYSTEM_CODE, defaults={"full_name": "Hệ thống Baro", "is_system": True}
    )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
