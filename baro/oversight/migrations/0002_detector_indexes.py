# Indexes for the avoidance detectors (baro/oversight/detectors.py) on work_task.
#
# Both are partial: they hold only the tasks a detector can match, so they stay small and cost
# little to maintain. Their WHERE clauses are repeated literally by the detectors' queries
# (WAITING_SQL and AT_ZERO_SQL there): SQLite uses a partial index only when the query's WHERE
# contains the same terms, written with constants, not parameters.
#
# - oversight_task_waiting_idx: tasks waiting for acceptance, by assignment date
#   (detect_not_accepted: status = 'assigned' AND assigned_on <= cut-off);
# - oversight_task_zero_idx: tasks at 0% their lead holds, with the two dates the "more than
#   half of the time" test reads (detect_stalled_at_zero). Status leads the index so that
#   SQLite's planner prefers it to work_task_due_idx (status, deadline): with a plain scan of
#   the partial index as the only way in, it chose the larger index's search instead.
#
# They are raw SQL because work_task is another app's model. SQLite rebuilds a table for some
# schema changes and then recreates only the indexes the model declares: the integrator may
# prefer to declare these on Task.Meta.indexes (condition=Q(...)) in a work migration instead.

from django.db import migrations

WAITING = (
    'CREATE INDEX "oversight_task_waiting_idx" ON "work_task" ("assigned_on") '
    "WHERE \"status\" = 'assigned'"
)
AT_ZERO = (
    'CREATE INDEX "oversight_task_zero_idx" ON "work_task" ("status", "deadline", "assigned_on") '
    "WHERE \"percent\" = 0 AND \"status\" IN ('assigned', 'in_progress')"
)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("work", "0005_extension_not_decided_by_requester"),
    ]

    operations = [
        migrations.RunSQL(WAITING, reverse_sql='DROP INDEX IF EXISTS "oversight_task_waiting_idx"'),
        migrations.RunSQL(AT_ZERO, reverse_sql='DROP INDEX IF EXISTS "oversight_task_zero_idx"'),
    ]
