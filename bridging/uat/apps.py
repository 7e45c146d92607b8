from django.apps import AppConfig


class UatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bridging.uat"
    label = "uat"
