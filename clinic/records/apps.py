from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic.records"
    label = "records"
    verbose_name = "Medical records"

    def ready(self) -> None:
        # Outbox handlers for kunjungan, obat and tindakan.
        from clinic.records import handlers  # noqa: F401
