"""Webhooks: signed HTTP callbacks to subscribers, fed by a transactional outbox.

An event is written to ``events`` by the same statement as the change that caused it, with one
pending delivery per webhook that hears of it (``outbox``). Every gateway process runs a delivery
worker (``delivery``): it leases due deliveries fairly between receivers (``claiming``), sends
each outside any transaction to an address it checked (``sending``, ``addresses``), and records
each outcome on its own, keeping each receiver's circuit (``circuit``) and disabling a receiver
that failed for too long (``disabling``). Secrets are kept encrypted (``secret_box``).
"""
