"""Outbox relay metrics, in prometheus_client's default registry (served at the
relay's `/metrics`). Defined once per process at import."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

OUTBOX_EVENTS = Counter(
    "users_outbox_events_total",
    "Outbox events the relay sent, by outcome (published; duplicate: already in the stream).",
    ("outcome",),
)
OUTBOX_LAG = Gauge(
    "users_outbox_lag_seconds",
    "Age of the last outbox event the relay published (publish time - occurred_at).",
)
OUTBOX_FAILURES = Counter(
    "users_outbox_batch_failures_total",
    "Relay batches that failed (PostgreSQL or Redis unavailable) and were retried.",
)
OUTBOX_LISTENING = Gauge(
    "users_outbox_listening",
    "1 while the relay holds its LISTEN connection (woken on commit), 0 while it only polls.",
)
