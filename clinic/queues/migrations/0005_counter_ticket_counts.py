# The day's counter keeps how many of its tickets are waiting and how many were called, so a
# booking reads its place in the queue with its number instead of counting the day's tickets
# (which grows with every booking, under the counter's lock). Database triggers keep the two
# counts, so every way a ticket is written (services, bulk updates, a visit's cascade delete,
# the admin) keeps them right. PostgreSQL and SQLite, the two databases the clinic runs on.
#
# SQLite drops a table's triggers when Django rebuilds the table: a later migration that alters
# queues_queueticket on SQLite must create them again. tests/queues/test_ticket_counts.py
# fails if they are missing after all migrations.

from django.db import migrations, models

WAITING = "waiting"  # TicketStatus.WAITING, frozen as this migration was written

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION queues_ticket_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_waiting integer := 0;
    old_called integer := 0;
    new_waiting integer := 0;
    new_called integer := 0;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_waiting := (OLD.status = '{WAITING}')::integer;
        old_called := (OLD.called_at IS NOT NULL)::integer;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_waiting := (NEW.status = '{WAITING}')::integer;
        new_called := (NEW.called_at IS NOT NULL)::integer;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.facility_id = NEW.facility_id AND OLD.poli_id = NEW.poli_id
            AND OLD.date = NEW.date THEN
        IF new_waiting <> old_waiting OR new_called <> old_called THEN
            UPDATE queues_queuecounter
               SET waiting = waiting + new_waiting - old_waiting,
                   called = called + new_called - old_called
             WHERE facility_id = NEW.facility_id AND poli_id = NEW.poli_id AND date = NEW.date;
        END IF;
        RETURN NULL;
    END IF;
    IF old_waiting + old_called > 0 THEN
        UPDATE queues_queuecounter
           SET waiting = waiting - old_waiting, called = called - old_called
         WHERE facility_id = OLD.facility_id AND poli_id = OLD.poli_id AND date = OLD.date;
    END IF;
    IF new_waiting + new_called > 0 THEN
        UPDATE queues_queuecounter
           SET waiting = waiting + new_waiting, called = called + new_called
         WHERE facility_id = NEW.facility_id AND poli_id = NEW.poli_id AND date = NEW.date;
    END IF;
    RETURN NULL;
END
$$
"""
POSTGRES_TRIGGER = """
CREATE TRIGGER queues_ticket_counts
    AFTER INSERT OR DELETE OR UPDATE OF status, called_at, facility_id, poli_id, date
    ON queues_queueticket FOR EACH ROW EXECUTE FUNCTION queues_ticket_counts();
"""

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS queues_ticket_counts ON queues_queueticket",
    "DROP FUNCTION IF EXISTS queues_ticket_counts()",
]

_SQLITE_MINUS_OLD = f"""
    UPDATE queues_queuecounter
       SET waiting = waiting - (OLD.status = '{WAITING}'),
           called = called - (OLD.called_at IS NOT NULL)
     WHERE facility_id = OLD.facility_id AND poli_id = OLD.poli_id AND date = OLD.date;"""
_SQLITE_PLUS_NEW = f"""
    UPDATE queues_queuecounter
       SET waiting = waiting + (NEW.status = '{WAITING}'),
           called = called + (NEW.called_at IS NOT NULL)
     WHERE facility_id = NEW.facility_id AND poli_id = NEW.poli_id AND date = NEW.date;"""

SQLITE_FORWARD = [
    f"""CREATE TRIGGER queues_ticket_counts_insert AFTER INSERT ON queues_queueticket
    WHEN NEW.status = '{WAITING}' OR NEW.called_at IS NOT NULL
    BEGIN{_SQLITE_PLUS_NEW}
    END""",
    f"""CREATE TRIGGER queues_ticket_counts_delete AFTER DELETE ON queues_queueticket
    WHEN OLD.status = '{WAITING}' OR OLD.called_at IS NOT NULL
    BEGIN{_SQLITE_MINUS_OLD}
    END""",
    f"""CREATE TRIGGER queues_ticket_counts_update
    AFTER UPDATE OF status, called_at, facility_id, poli_id, date ON queues_queueticket
    WHEN (OLD.status = '{WAITING}') <> (NEW.status = '{WAITING}')
      OR (OLD.called_at IS NULL) <> (NEW.called_at IS NULL)
      OR OLD.facility_id <> NEW.facility_id OR OLD.poli_id <> NEW.poli_id
      OR OLD.date <> NEW.date
    BEGIN{_SQLITE_MINUS_OLD}{_SQLITE_PLUS_NEW}
    END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS queues_ticket_counts_insert",
    "DROP TRIGGER IF EXISTS queues_ticket_counts_delete",
    "DROP TRIGGER IF EXISTS queues_ticket_counts_update",
]

BACKFILL = f"""
UPDATE queues_queuecounter SET
    waiting = (SELECT COUNT(*) FROM queues_queueticket t
                WHERE t.facility_id = queues_queuecounter.facility_id
                  AND t.poli_id = queues_queuecounter.poli_id
                  AND t.date = queues_queuecounter.date AND t.status = '{WAITING}'),
    called = (SELECT COUNT(*) FROM queues_queueticket t
               WHERE t.facility_id = queues_queuecounter.facility_id
                 AND t.poli_id = queues_queuecounter.poli_id
                 AND t.date = queues_queuecounter.date AND t.called_at IS NOT NULL)
"""


def _statements(vendor: str, forward: bool) -> list[str]:
    if vendor == "postgresql":
        return [POSTGRES_FORWARD, POSTGRES_TRIGGER, BACKFILL] if forward else POSTGRES_BACKWARD
    if vendor == "sqlite":
        return [*SQLITE_FORWARD, BACKFILL] if forward else SQLITE_BACKWARD
    raise RuntimeError(f"queues: no ticket-count triggers for the {vendor} database")


def forward(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, True):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("queues", "0004_visit_patient_day_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="queuecounter",
            name="called",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="queuecounter",
            name="waiting",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(forward, backward),
    ]
