"""Migrations go up, down and up again, and agree with the ORM models."""

from __future__ import annotations

from alembic import command

from baseline_devstack.migrate import alembic_config
from baseline_devstack.postgres import create_database


def test_upgrade_downgrade_upgrade_then_models_match(pg_server_url):
    url = create_database(pg_server_url, "baseline_migrations_test", drop_first=True)
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    command.check(config)  # raises when models and migrations disagree
