"""The portal: role home pages, the demo seed and the process runner.

Why an app of its own: these pieces compose every domain app (a home page shows today's
schedules, the demo seed creates polis, credentials and web-service accounts), so they sit above
all of them in the layer order instead of pulling `core` up.
"""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic.portal"
    label = "portal"
