"""Peer benchmarks: how organisations' latest scores spread, never who scored what."""
