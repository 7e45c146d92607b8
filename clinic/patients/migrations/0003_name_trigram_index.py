"""A trigram index on UPPER(name) for "part of the name" search, on PostgreSQL only.

SQLite has no pg_trgm; there the search scans the facility's rows (fine for a test database),
so this migration does nothing on other databases. The index is not in ``Meta.indexes`` because
it cannot exist everywhere. It is written in SQL: ``GinIndex(OpClass(Upper("name"), ...))`` only
renders correctly when ``django.contrib.postgres`` is an installed app (it registers OpClass as
an index wrapper), which this project does not need otherwise.

The expression matches what ``name__icontains`` generates on PostgreSQL
(``UPPER("name"::text) LIKE UPPER(%s)``), so the planner can use the index.
"""

from typing import Any

from django.db import migrations

INDEX_NAME = "patient_name_trgm"


def create_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    table = apps.get_model("patients", "Patient")._meta.db_table
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX_NAME}" ON "{table}" '
        'USING gin ((UPPER("name"::text)) gin_trgm_ops)'
    )


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX_NAME}"')


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_search_keys_and_eligibility")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
