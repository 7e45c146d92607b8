"""A trigram index on UPPER(name) for "part of the name" search, on PostgreSQL only.

SQLite has no pg_trgm; there the search scans the facility's rows (fine for a test database),
so this migration does nothing on other databases. The index is not in ``Meta.indexes`` because
it cannot exist everywhere.
"""

from typing import Any

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

INDEX_NAME = "patient_name_trgm"


def _index() -> GinIndex:
    return GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name=INDEX_NAME)


def create_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.add_index(apps.get_model("patients", "Patient"), _index())


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("patients", "Patient"), _index())


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_search_keys_and_eligibility")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
