from django.apps import AppConfig
from django.db.models.signals import post_save


class CapitationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic.capitation"
    label = "capitation"
    verbose_name = "Capitation"

    def ready(self) -> None:
        from clinic.capitation import handlers  # noqa: F401  (outbox handlers, Prolanis)
        from clinic.capitation.signals import patient_saved

        post_save.connect(
            patient_saved, sender="patients.Patient", dispatch_uid="capitation_roster_eligibility"
        )
