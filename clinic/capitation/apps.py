from django.apps import AppConfig


class CapitationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic.capitation"
    label = "capitation"
