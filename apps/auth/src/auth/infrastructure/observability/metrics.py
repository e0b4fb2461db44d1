"""Metrics the adapters and the blacklist relay count, in prometheus_client's default
registry (served at `/metrics`). The HTTP edge's own are in `auth.presentation.http.metrics`.

Defined once per process at import; every app instance in the process shares them.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge

# Counted by the relay (user_deleted) and by the HTTP edge (the rest), so defined once here;
# routers reach it through `auth.setup.dependencies.count_revocation`.
REVOCATIONS = Counter(
    "auth_revocations_total",
    "Revocations, by kind (logout, session, all, refresh_reuse, and the user event that"
    " caused it: user_deletion_requested, user_disabled, user_purged, user_deleted).",
    ("kind",),
)
REPLICA_AGE = Gauge(
    "auth_revocation_replica_age_seconds",
    "Time since this process last confirmed its revocation copy (validate asks Redis past the"
    " staleness bound); -1 before the first bootstrap.",
)
RELAY_LAG = Gauge(
    "auth_relay_lag_seconds",
    "Age of the last user event a consumer group applied (now - occurred_at), by group.",
    ("group",),
)
RELAY_MESSAGES = Counter(
    "auth_relay_messages_total",
    "User events handled, by consumer group (the blacklist relay's, the audit eraser's, the"
    " provider-unlink worker's) and outcome (applied, ignored, retry, dead_letter).",
    ("group", "outcome"),
)
PROVIDER_UNLINKS = Counter(
    "auth_provider_unlinks_total",
    "Links ended at a provider by the provider-unlink worker, by provider and outcome"
    " (unlinked, already_gone, skipped, relinked; retry: a call retried; failed: given up"
    " for this delivery).",
    ("provider", "outcome"),
)
