"""Idempotency keys: a retried POST gets the first answer instead of doing the work twice."""
