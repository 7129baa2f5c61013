"""Make the database itself refuse a task status change the workflow does not allow.

The pairs are written out here (a migration is frozen history); a test checks that they are
exactly the moves of baro.work.rules.TRANSITIONS, so the two cannot drift apart. Staying in the
same status (a progress report, an extension) is always allowed; inserts are not guarded.
"""

from django.db import migrations

ALLOWED_MOVES = (
    ("assigned", "in_progress"),
    ("assigned", "disputed"),
    ("assigned", "cancelled"),
    ("in_progress", "submitted"),
    ("in_progress", "cancelled"),
    ("submitted", "completed"),
    ("submitted", "in_progress"),
    ("submitted", "cancelled"),
    ("disputed", "assigned"),
)
_PAIRS = ", ".join(f"'{old}>{new}'" for old, new in ALLOWED_MOVES)

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER work_task_transition_guard
    BEFORE UPDATE OF status ON work_task
    WHEN OLD.status <> NEW.status AND (OLD.status || '>' || NEW.status) NOT IN ({_PAIRS})
    BEGIN
        SELECT RAISE(ABORT, 'work_task: this status change is not an allowed transition');
    END;
    """
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS work_task_transition_guard;"]

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION baro_work_task_transition_guard() RETURNS trigger AS $$
    BEGIN
        IF OLD.status <> NEW.status AND (OLD.status || '>' || NEW.status) NOT IN ({_PAIRS}) THEN
            RAISE EXCEPTION 'work_task: % -> % is not an allowed transition',
                OLD.status, NEW.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER work_task_transition_guard
    BEFORE UPDATE OF status ON work_task
    FOR EACH ROW EXECUTE FUNCTION baro_work_task_transition_guard();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS work_task_transition_guard ON work_task;",
    "DROP FUNCTION IF EXISTS baro_work_task_transition_guard();",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, [])
    for statement in statements:
        # params=None: no placeholder parsing, so the % of RAISE reaches PostgreSQL as is.
        schema_editor.execute(statement, params=None)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("work", "0003_task_list_indexes")]
    operations = [migrations.RunPython(forward, reverse)]
