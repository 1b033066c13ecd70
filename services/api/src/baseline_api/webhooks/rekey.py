"""``python -m baseline_api.webhooks.rekey``: re-encrypt every stored webhook secret with the
current ``BASELINE_SECRET_KEY`` (after a rotation: see ``secret_box``). Safe to run while the
gateway serves, and again: each row is rewritten in its own short transaction."""

from __future__ import annotations

import psycopg

from baseline_api.core.settings import Settings, libpq_url

from .secret_box import SecretBox, secret_box

__all__ = ["main", "rekey"]


def rekey(database_url: str, box: SecretBox) -> int:
    """Re-encrypt each webhook's secret; how many were rewritten."""
    with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM webhooks").fetchall()]
        for webhook_id in ids:
            with connection.transaction():
                found = connection.execute(
                    "SELECT secret_ciphertext FROM webhooks WHERE id = %s FOR UPDATE", (webhook_id,)
                ).fetchone()
                if found is not None:
                    connection.execute(
                        "UPDATE webhooks SET secret_ciphertext = %s WHERE id = %s",
                        (box.rotate(found[0]), webhook_id),
                    )
    return len(ids)


def main() -> None:
    settings = Settings()
    print(f"re-encrypted {rekey(settings.database_url, secret_box(settings))} webhook secrets")


if __name__ == "__main__":
    main()
