"""Webhooks: signed HTTP callbacks to subscribers, fed by a transactional outbox.

An event is written to ``events`` by the same statement as the change that caused it, with one
pending delivery per subscribed webhook (``outbox.EVENTS_OF_CHANGED``). A background worker delivers
them (``delivery.deliver_due``), claiming rows with ``FOR UPDATE SKIP LOCKED`` so that any number
of gateway processes share the work and each delivery is sent by one of them.
"""
