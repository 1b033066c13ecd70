"""Webhook secrets at rest: encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from ``cryptography``).

A webhook's secret is the key its deliveries are signed with, so it must be recoverable and cannot
be stored as a digest; it is stored encrypted with ``BASELINE_SECRET_KEY`` instead, so a copy of
the database (a backup, a replica, a leaked dump) does not let anyone sign requests as Baseline.

Rotation: a new key goes into ``BASELINE_SECRET_KEY`` and the old ones into
``BASELINE_SECRET_KEY_PREVIOUS`` (comma-separated). Every key decrypts, only the new one
encrypts; ``python -m baseline_api.webhooks.rekey`` then re-encrypts every stored secret
with the new key, after which the old keys can go.
"""

from __future__ import annotations

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from baseline_api.core.settings import Settings

__all__ = ["DEVELOPMENT_KEY", "InvalidToken", "SecretBox", "secret_box"]

_log = logging.getLogger("baseline.webhooks")

# Used only in development when BASELINE_SECRET_KEY is unset (production refuses to start without
# one): a fixed, public key, so that `make run` keeps working across restarts. It protects nothing.
DEVELOPMENT_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"baseline development only").digest()).decode()


class SecretBox:
    """Encrypts with the first key; decrypts with any of them."""

    def __init__(self, keys: list[str]) -> None:
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError as exc:  # a key of the wrong form: refuse to start, naming no key
            raise ValueError(
                "BASELINE_SECRET_KEY and BASELINE_SECRET_KEY_PREVIOUS must be Fernet keys "
                "(url-safe base64 of 32 bytes: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')"
            ) from exc

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        return self._fernet.decrypt(ciphertext.encode()).decode()

    def rotate(self, ciphertext: str) -> str:
        """The same secret, encrypted with the current key."""
        return self._fernet.rotate(ciphertext.encode()).decode()


def secret_box(settings: Settings) -> SecretBox:
    current = settings.baseline_secret_key
    if current is None:
        _log.warning("BASELINE_SECRET_KEY is unset: webhook secrets use the public development key")
        keys = [DEVELOPMENT_KEY]
    else:
        keys = [current.get_secret_value()]
    previous = settings.baseline_secret_key_previous
    if previous is not None:
        keys += [key.strip() for key in previous.get_secret_value().split(",") if key.strip()]
    return SecretBox(keys)
