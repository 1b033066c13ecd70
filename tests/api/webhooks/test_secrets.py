"""Webhook secrets at rest: encrypted with BASELINE_SECRET_KEY, never the plaintext; a production
start without the key is refused; after a rotation the previous keys still decrypt, and the
re-encryption command moves every secret to the new key."""

from __future__ import annotations

import asyncio

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr, ValidationError

from baseline_api.core.settings import Settings
from baseline_api.webhooks.rekey import rekey
from baseline_api.webhooks.secret_box import DEVELOPMENT_KEY, InvalidToken, secret_box
from baseline_api.webhooks.signing import verify_signature
from tests.api.webhooks.conftest import SECRET, rows


async def test_the_stored_secret_is_not_the_plaintext(create_webhook, settings, sessions):
    await create_webhook("https://receiver.example/hook")
    [stored] = await rows(sessions, "SELECT * FROM webhooks")
    assert SECRET not in str(stored)
    assert secret_box(settings).decrypt(stored["secret_ciphertext"]) == SECRET


def test_production_refuses_to_start_without_the_key(database_url):
    base = {"database_url": database_url, "baseline_env": "production", "baseline_admin_token": "a" * 40}
    with pytest.raises(ValidationError, match="BASELINE_SECRET_KEY"):
        Settings(**base)
    assert Settings(**base, baseline_secret_key=Fernet.generate_key().decode()).baseline_secret_key


async def test_a_rotated_key_still_signs_and_the_secrets_move_to_the_new_key(
    receiver, create_webhook, submitted_event, make_step, database_url, sessions
):
    await create_webhook(receiver.url)  # encrypted with the development key (none is configured)
    new, unrelated = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    rotated = {
        "baseline_secret_key": SecretStr(new),
        "baseline_secret_key_previous": SecretStr(f"{unrelated}, {DEVELOPMENT_KEY}"),
    }
    await submitted_event()
    assert await make_step(**rotated)() is True  # decrypted with a previous key
    assert (
        await asyncio.to_thread(rekey, database_url, secret_box(Settings.model_validate(_keys(rotated)))) == 1
    )
    [stored] = await rows(sessions, "SELECT secret_ciphertext FROM webhooks")
    only_new = secret_box(Settings(baseline_secret_key=new))
    assert only_new.decrypt(stored["secret_ciphertext"]) == SECRET
    with pytest.raises(InvalidToken):
        secret_box(Settings()).decrypt(stored["secret_ciphertext"])
    await submitted_event()
    assert await make_step(baseline_secret_key=SecretStr(new))() is True  # the old keys can go
    assert len(receiver.received) == 2
    assert all(verify_signature(SECRET, r.body, r.headers["baseline-signature"]) for r in receiver.received)


async def test_a_secret_that_does_not_decrypt_is_an_attempt_not_a_request(
    api, admin_headers, receiver, create_webhook, submitted_event, make_step
):
    webhook = await create_webhook(receiver.url)
    await submitted_event()
    assert await make_step(baseline_secret_key=SecretStr(Fernet.generate_key().decode()))() is True
    assert receiver.received == []
    [delivery] = (await api.get(f"/v1/webhooks/{webhook['id']}/deliveries", headers=admin_headers)).json()[
        "items"
    ]
    assert delivery["attempts_detail"][0]["error"].startswith("not sent: the secret does not decrypt")


def _keys(update: dict[str, SecretStr]) -> dict[str, str]:
    return {name: value.get_secret_value() for name, value in update.items()}
