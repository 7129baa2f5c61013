"""Make the database itself refuse UPDATE and DELETE of ledger events (and checkpoints)."""

from django.db import migrations

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER ledger_{table}_no_{verb.lower()}
    BEFORE {verb} ON ledger_{table}
    BEGIN
        SELECT RAISE(ABORT, 'ledger_{table} is append-only: {verb} refused');
    END;
    """
    for table in ("ledgerevent",)
    for verb in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS ledger_{table}_no_{verb};"
    for table in ("ledgerevent",)
    for verb in ("update", "delete")
]

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION baro_ledger_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER ledger_ledgerevent_append_only
    BEFORE UPDATE OR DELETE ON ledger_ledgerevent
    FOR EACH ROW EXECUTE FUNCTION baro_ledger_refuse_change();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS ledger_ledgerevent_append_only ON ledger_ledgerevent;",
    "DROP FUNCTION IF EXISTS baro_ledger_refuse_change();",
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
        # params=None: no placeholder parsing, so the % of RAISE reaches PostgreSQL as is.
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
