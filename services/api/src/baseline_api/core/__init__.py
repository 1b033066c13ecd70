"""Cross-cutting pieces of the gateway: settings, database, errors, the scoring client."""
