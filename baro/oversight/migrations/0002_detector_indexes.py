# The avoidance detectors' partial indexes on work_task used to be created here with raw SQL
# (work_task is another app's table). They are now declared on Task.Meta.indexes and created
# by work/0006, which creates them only where missing, so installations that ran this
# migration keep theirs. Kept, empty, so the migration graph stays as it was applied.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("work", "0005_extension_not_decided_by_requester"),
    ]

    operations: list[migrations.operations.base.Operation] = []
