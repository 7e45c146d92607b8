from django.apps import AppConfig


class QueuesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic.queues"
    label = "queues"
    verbose_name = "Queues"

    def ready(self) -> None:
        # The outbox handlers for the queue's BPJS writes (pendaftaran, Antrean FKTP).
        from clinic.queues import handlers  # noqa: F401
