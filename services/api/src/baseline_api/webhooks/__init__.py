"""Webhooks: signed HTTP callbacks to subscribers, fed by a transactional outbox.

An event is written to ``events`` in the same transaction as the change that caused it, with one
pending delivery per subscribed webhook (``outbox.record_events``). A background worker delivers
them (``delivery.deliver_due``), claiming rows with ``FOR UPDATE SKIP LOCKED`` so that any number
of gateway processes share the work and each delivery is sent by one of them.
"""
