"""Tokens BPJS gets from ``GET /auth`` and sends back as ``x-token``.

A token is ``<account id>.<key version>`` signed with Django's :class:`TimestampSigner` (the
installation's SECRET_KEY, a salt of its own). It expires after the account's token lifetime;
changing the account's password bumps the key version and so invalidates every older token.
"""

from __future__ import annotations

import time

from django.core import signing

from bridging.antrean_ws.models import AntreanWsAccount

SALT = "bridging.antrean_ws.token"
_signer = signing.TimestampSigner(salt=SALT)


class TokenRejected(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def issue(account: AntreanWsAccount) -> str:
    return _signer.sign(f"{account.pk}.{account.key_version}")


def verify(token: str, *, username: str | None) -> AntreanWsAccount:
    """The account the token was issued to, or :class:`TokenRejected` with the message."""
    from bridging.antrean_ws import messages

    if not token or len(token) > 200:
        raise TokenRejected(messages.TOKEN_INVALID)
    # One signature check, first (a forged token never reaches the database): the plain
    # Signer part of the TimestampSigner gives back "value:timestamp"; the age is checked
    # below against the account's own lifetime.
    try:
        signed = signing.Signer.unsign(_signer, token)
        value, stamp = signed.rsplit(_signer.sep, 1)
        issued_at = signing.b62_decode(stamp)
        account_id, version = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        raise TokenRejected(messages.TOKEN_INVALID) from None
    account = AntreanWsAccount.cached(account_id)
    if account is None or not account.is_active or account.key_version != version:
        raise TokenRejected(messages.TOKEN_INVALID)
    if username and username != account.username:
        raise TokenRejected(messages.TOKEN_INVALID)
    if time.time() - issued_at > account.token_lifetime_seconds:
        raise TokenRejected(messages.TOKEN_EXPIRED)
    return account
