"""PostgreSQL: compare unit paths byte by byte (COLLATE "C").

Paths are ASCII digits and dots, whose tree order is their byte order. Under a linguistic
collation (en_US.UTF-8) PostgreSQL cannot use the path index both to select a subtree
(LIKE 'p%') and to return it in tree order, so a page of a large subtree sorts thousands of
rows. With "C", one btree index serves the prefix match and the ORDER BY path … LIMIT.
SQLite already compares with BINARY; nothing to do there.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE org_unit ALTER COLUMN path TYPE varchar(255) COLLATE "C"'
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE org_unit ALTER COLUMN path TYPE varchar(255) COLLATE "default"'
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0002_system_person")]
    operations = [migrations.RunPython(forward, backward)]
