from django.apps import AppConfig


class AntreanWsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bridging.antrean_ws"
    label = "antrean_ws"
