"""Every Redis key auth writes, under the service's key prefix `P`.

`<name>` is a placeholder; braces are literal: a Redis Cluster hash tag. Every Lua
script and multi-key command touches keys of one tag, so of one hash slot, and works
alike on a single Redis and on a cluster. The tags:

- `{u:<user_id>}`: a user's sessions, their grace keys and the user's set of sessions,
  so registering, rotating and ending sessions are one script each on one slot.
- `{revocations}`: the whole revocation family (denylists, revoked-before, epoch,
  stream). A revocation writes its denial and its stream entry in one script, and a
  question to Redis checks the epoch, both denylists and revoked-before in one; so the
  family lives on one slot, hence on one master. It is small (each entry lives one
  access-token lifetime, the stream is capped) and written once per logout or
  revoke-all, so one slot carries it; validators read it from their local copy.
- Every other key is used alone (one command, any slot).

- `P oauth:state:<state>` (string): JSON of a pending login (provider, redirect URI,
  frontend origin, created_at, PKCE verifier, nonce, device id; for a link, the user
  and session it links for), consumed once.
  TTL: the state lifetime (`AUTH_OAUTH__STATE_TTL_SECONDS`).
- `P unlink-notice:<provider>:<digest>` (string): a provider's signed unlink notice
  being or already applied (the digest of its signature), so a replay is refused.
  TTL: twice the notice staleness window (`AUTH_OAUTH__UNLINK_NOTICES__MAX_AGE_SECONDS`).

- `P session:{u:<user_id>}:<sid>` (hash): user_id, provider, device_id, user_agent,
  created_at, last_used_at, expires_at (epoch ms), refresh_jti (current), parent_jti
  (previous), ip_address, device, os, browser (of the login; empty when unknown,
  absent from sessions registered before they were recorded).
  TTL: until the current refresh token expires, renewed by each rotation.
- `P session:{u:<user_id>}:<sid>:grace` (string): JSON of the pair issued when
  `parent_jti` was rotated (the exact tokens). TTL: the grace window
  (`AUTH_TOKEN__REFRESH_GRACE_SECONDS`).
- `P user-sessions:{u:<user_id>}` (set): session ids of the user. TTL: until the
  latest of its sessions expires.
- `P {revocations}:deny:jti` (sorted set): denylisted access-token jti, score = its
  expiry (epoch ms); members pruned once past their score by every write.
- `P {revocations}:deny:sid` (sorted set): ended session ids, score = end + access
  lifetime (ms); pruned the same way.
- `P {revocations}:revoked-before` (hash): user_id -> revoke-all instant (epoch ms),
  with `P {revocations}:revoked-before:until` (sorted set, score = revoke-all +
  access lifetime) that prunes it.
- `P {revocations}:epoch` (hash, no TTL): id, before (ms): the revocation epoch;
  every access token issued before `before` is revoked (see `revocation_epoch`).
- `P {revocations}` (stream): fields kind (`jti`/`sid`/`user`/`all`), subject, until
  (ms), before (ms, `user`/`all` only); capped at `AUTH_TOKEN__REVOCATION_STREAM_MAXLEN`
  entries (approximate trimming).
- `P rate-limit:LIMITER/<route>/<scope>/<subject>/<amount>/<multiples>/<unit>` (list):
  the `limits` library's moving window of one rate limit (see `servicekit.rate_limiter`).
  TTL: the window.
- `P relay:dead-letter` (stream): user events that failed
  `AUTH_RELAY__MAX_DELIVERIES` times, with `error` and `source_id`; capped at
  10,000 entries (approximate).
- `P provider-unlink:dead-letter` (stream): deletion events whose links the
  provider-unlink worker could not end in `AUTH_PROVIDER_UNLINK__MAX_DELIVERIES`
  deliveries (or malformed ones), with `error` and `source_id`; capped likewise.
  Replayed by `python -m auth.workers.consumers.provider_unlink replay-dead-letters`.

The users' event stream (`AUTH_USER_EVENTS_STREAM`, default `eco2:events:users`)
belongs to the users service; auth only adds its consumer groups there (each consumer
command names that one stream).
"""

from __future__ import annotations

from dataclasses import dataclass

REVOCATIONS_TAG = "{revocations}"


@dataclass(frozen=True, slots=True)
class RedisKeys:
    """Key names under one prefix."""

    prefix: str

    def oauth_state(self, state: str) -> str:
        return f"{self.prefix}oauth:state:{state}"

    def unlink_notice(self, provider: str, digest: str) -> str:
        return f"{self.prefix}unlink-notice:{provider}:{digest}"

    def session(self, user_id: str, session_id: str) -> str:
        return f"{self.prefix}session:{_user_tag(user_id)}:{session_id}"

    def session_grace(self, user_id: str, session_id: str) -> str:
        return f"{self.prefix}session:{_user_tag(user_id)}:{session_id}:grace"

    def user_sessions(self, user_id: str) -> str:
        return f"{self.prefix}user-sessions:{_user_tag(user_id)}"

    @property
    def denied_jtis(self) -> str:
        return f"{self.prefix}{REVOCATIONS_TAG}:deny:jti"

    @property
    def denied_sessions(self) -> str:
        return f"{self.prefix}{REVOCATIONS_TAG}:deny:sid"

    @property
    def revoked_before(self) -> str:
        return f"{self.prefix}{REVOCATIONS_TAG}:revoked-before"

    @property
    def revoked_before_until(self) -> str:
        return f"{self.prefix}{REVOCATIONS_TAG}:revoked-before:until"

    @property
    def epoch(self) -> str:
        return f"{self.prefix}{REVOCATIONS_TAG}:epoch"

    @property
    def revocations(self) -> str:
        return f"{self.prefix}{REVOCATIONS_TAG}"

    @property
    def dead_letter(self) -> str:
        return f"{self.prefix}relay:dead-letter"

    @property
    def unlink_dead_letter(self) -> str:
        return f"{self.prefix}provider-unlink:dead-letter"


def _user_tag(user_id: str) -> str:
    return f"{{u:{user_id}}}"
