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
# They were raw SQL because work_task is another app's model; work/0006 now declares them on
# Task.Meta.indexes (so a SQLite rebuild of work_task recreates them) and creates them where
# missing, which is why both statements here say IF NOT EXISTS.

from django.db import migrations

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
        ("oversight", "0001_initial"),
        ("work", "0005_extension_not_decided_by_requester"),
    ]

    operations = [
        migrations.RunSQL(WAITING, reverse_sql='DROP INDEX IF EXISTS "oversight_task_waiting_idx"'),
        migrations.RunSQL(AT_ZERO, reverse_sql='DROP INDEX IF EXISTS "oversight_task_zero_idx"'),
    ]
