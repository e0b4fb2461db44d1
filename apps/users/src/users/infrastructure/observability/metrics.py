"""Metrics of the workers (outbox relay, account purge), in prometheus_client's default
registry (served at each worker's `/metrics`). Defined once per process at import."""

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
PURGED_ACCOUNTS = Counter(
    "users_purged_accounts_total",
    "Accounts the purge worker erased (each with one user.purged event).",
)
PURGE_FAILURES = Counter(
    "users_purge_batch_failures_total",
    "Purge batches that failed (rolled back) and were retried.",
)
PURGE_LAST_RUN = Gauge(
    "users_purge_last_success_timestamp_seconds",
    "When the purge worker last finished a scan with nothing left due (Unix time).",
)
