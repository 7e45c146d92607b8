from django.apps import AppConfig


class QueuesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic.queues"
    label = "queues"
    verbose_name = "Queues"
