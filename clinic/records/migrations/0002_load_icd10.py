"""Load the ICD-10 table (all categories and subcategories, WHO titles, nonSpesialis flag).

``manage.py icd10_load`` refreshes it later (a new nonspesialis.json); on PostgreSQL a trigram
index on ``search_text`` serves word search.
"""

from typing import Any

from django.db import migrations

INDEX = "records_icd10_search_trgm"


def load(apps: Any, schema_editor: Any) -> None:
    from clinic.records.icd10 import icd10_load

    icd10_load(apps.get_model("records", "Icd10Code"))


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("records", "Icd10Code").objects.all().delete()


def trigram(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON records_icd10code "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [
        migrations.RunPython(load, unload),
        migrations.RunPython(trigram, drop_trigram),
    ]
