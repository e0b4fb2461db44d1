"""Auth metrics, in prometheus_client's default registry (served at `/metrics`).

Defined once per process at import; every app instance in the process shares them.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

LOGINS = Counter(
    "auth_logins_total", "Login attempts, by provider and result.", ("provider", "result")
)
REFRESHES = Counter(
    "auth_refreshes_total",
    "Refresh requests, by outcome (rotated, grace, or the error code).",
    ("outcome",),
)
REFRESH_REUSE_DETECTED = Counter(
    "auth_refresh_reuse_detected_total", "Rotated refresh tokens presented again (session ended)."
)
REFRESH_GRACE_HITS = Counter(
    "auth_refresh_grace_hits_total", "Repeats of the parent refresh token within the grace window."
)
REVOCATIONS = Counter(
    "auth_revocations_total",
    "Revocations, by kind (logout, session, all, user_deleted, refresh_reuse).",
    ("kind",),
)
VALIDATE_DECISIONS = Counter(
    "auth_validate_decisions_total",
    "ext_authz decisions, by result (allow/deny) and code.",
    ("result", "code"),
)
VALIDATE_LATENCY = Histogram(
    "auth_validate_duration_seconds",
    "Time to decide a /validate request (token verification and revocation check).",
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1),
)
REPLICA_AGE = Gauge(
    "auth_revocation_replica_age_seconds",
    "Time since this process last confirmed its revocation copy (validate asks Redis past the"
    " staleness bound); -1 before the first bootstrap.",
)
RELAY_LAG = Gauge(
    "auth_relay_lag_seconds",
    "Age of the last user event the blacklist relay applied (now - occurred_at).",
)
RELAY_MESSAGES = Counter(
    "auth_relay_messages_total",
    "User events handled by the blacklist relay, by outcome.",
    ("outcome",),
)
