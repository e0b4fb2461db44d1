"""Metrics of the HTTP edge, in prometheus_client's default registry (served at `/metrics`).

Counted by the routers; defined once per process at import. Metrics that adapters or
the relay count (revocations, the replica's age, relay lag) stay in
`auth.infrastructure.observability.metrics`.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

LOGINS = Counter(
    "auth_logins_total", "Login attempts, by provider and result.", ("provider", "result")
)
PROVIDER_TOKENS_KEPT = Counter(
    "auth_provider_tokens_kept_total",
    "Provider links (and refresh tokens) kept at a login, by provider and outcome: stored, or"
    " failed (the database did not take it; the login succeeded all the same).",
    ("provider", "outcome"),
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
VALIDATE_DECISIONS = Counter(
    "auth_validate_decisions_total",
    "/validate decisions, by gateway dialect (envoy/nginx/traefik/direct), result "
    "(allow/deny/unavailable/error) and code.",
    ("dialect", "result", "code"),
)
VALIDATE_LATENCY = Histogram(
    "auth_validate_duration_seconds",
    "Time to decide a /validate request (token verification and revocation check).",
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1),
)
ACCOUNT_LINKS = Counter(
    "auth_account_links_total",
    "Link callbacks (a signed-in user linking a provider), by provider and result "
    "(linked, or the error code).",
    ("provider", "result"),
)
UNLINK_NOTICES = Counter(
    "auth_unlink_notices_total",
    "Providers' unlink notices, by provider and outcome (unlinked, user_deleted, "
    "unknown_user, or the refusal's or failure's code).",
    ("provider", "outcome"),
)
