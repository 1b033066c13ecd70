"""The migration that encrypts webhook secrets: rows stored in plaintext before it are encrypted
by it (with the gateway's key), and decrypted again by its downgrade."""

from __future__ import annotations

import psycopg
from alembic import command

from baseline_api.core.settings import Settings, libpq_url
from baseline_api.webhooks.secret_box import secret_box
from baseline_devstack.migrate import alembic_config
from baseline_devstack.postgres import create_database

BEFORE = "c4d8e2a6f913"  # the revision before webhook secrets were encrypted
PLAIN = "a-plaintext-secret-from-before-0123456789"


def test_existing_secrets_are_encrypted_and_decrypted_back(pg_server_url):
    url = create_database(pg_server_url, "baseline_secrets_migration_test", drop_first=True)
    config = alembic_config(url)
    command.upgrade(config, BEFORE)
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        connection.execute(
            "INSERT INTO webhooks (url, events, secret) VALUES ('https://a.example/', ARRAY['assessment.scored'], %s)",
            (PLAIN,),
        )
        command.upgrade(config, "head")
        [(stored,)] = connection.execute("SELECT secret_ciphertext FROM webhooks").fetchall()
        assert PLAIN not in stored
        assert secret_box(Settings()).decrypt(stored) == PLAIN
        command.downgrade(config, BEFORE)
        assert connection.execute("SELECT secret FROM webhooks").fetchall() == [(PLAIN,)]
