from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class ClinicModelBackend(ModelBackend):
    """Django's backend, except that demo accounts cannot log in to a production install."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and settings.PRODUCTION:
            return False
        return bool(super().user_can_authenticate(user))
