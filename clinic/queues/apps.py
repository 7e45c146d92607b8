from django.apps import AppConfig


class QueuesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic.queues"
    label = "queues"
    verbose_name = "Queues"

    def ready(self) -> None:
        # The outbox handlers for the queue's BPJS writes (pendaftaran, Antrean FKTP), and the
        # signals that drop the Mobile JKN adapter's cached polis and sessions on a change.
        from clinic.queues import handlers, signals  # noqa: F401

        signals.connect()
