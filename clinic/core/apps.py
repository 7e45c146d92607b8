from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from clinic.core import signals  # noqa: F401
