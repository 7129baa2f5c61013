# The avoidance detectors' partial indexes on work_task, declared on Task.Meta.indexes.
#
# Both are partial: they hold only the tasks a detector can match, so they stay small and cost
# little to maintain. Their WHERE clauses are repeated literally by the detectors' queries
# (WAITING_SQL and AT_ZERO_SQL in baro/oversight/detectors.py): SQLite uses a partial index
# only when the query's WHERE contains the same terms, written with constants.
#
# oversight/0002 created them with raw SQL before; undeclared, they would be lost the first
# time SQLite rebuilt work_task for a schema change (Django recreates only the indexes a model
# declares). Here they enter the model's state, and in the database they are created only
# where missing (same names, same definitions), so installations that ran oversight/0002 keep
# theirs.

from django.db import migrations, models

WAITING = (
    'CREATE INDEX IF NOT EXISTS "oversight_task_waiting_idx" ON "work_task" ("assigned_on") '
    "WHERE \"status\" = 'assigned'"
)
AT_ZERO = (
    'CREATE INDEX IF NOT EXISTS "oversight_task_zero_idx" ON "work_task" '
    '("status", "deadline", "assigned_on") '
    "WHERE \"percent\" = 0 AND \"status\" IN ('assigned', 'in_progress')"
)


class Migration(migrations.Migration):
    dependencies = [
        ("work", "0005_extension_not_decided_by_requester"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="task",
                    index=models.Index(
                        condition=models.Q(("status", "assigned")),
                        fields=["assigned_on"],
                        name="oversight_task_waiting_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="task",
                    index=models.Index(
                        condition=models.Q(
                            ("percent", 0), ("status__in", ["assigned", "in_progress"])
                        ),
                        fields=["status", "deadline", "assigned_on"],
                        name="oversight_task_zero_idx",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    WAITING, reverse_sql='DROP INDEX IF EXISTS "oversight_task_waiting_idx"'
                ),
                migrations.RunSQL(
                    AT_ZERO, reverse_sql='DROP INDEX IF EXISTS "oversight_task_zero_idx"'
                ),
            ],
        ),
    ]
