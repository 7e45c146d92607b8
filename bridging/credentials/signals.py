"""Signals of the credentials app (the clinic connects them; this app never imports it).

``credential_changed`` is sent after an admin saved a credential on the clinic's pages::

    credential_changed.send(
        sender=BpjsCredential,
        credential=credential,          # the saved row (never log its secrets)
        user=request.user,              # who saved it
        created=True | False,
        changed_fields=["cons_id", "secret"],   # names only, never values
    )

The clinic's receiver writes the audit log entry (action ``update`` or ``create``).
"""

from __future__ import annotations

from django.dispatch import Signal

credential_changed = Signal()
