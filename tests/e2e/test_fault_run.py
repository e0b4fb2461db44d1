"""Fault run: the whole stack under load while its dependencies fail one after another.

The stack owns what it breaks: its own PostgreSQL cluster and Redis
(`testkit.own_servers`), the provider, auth, users and both relays as processes
(`e2e.stack`). Bounded concurrent loops (loopback only, each capped in requests
and stopped at the end) log in through the provider, validate live tokens,
validate and refresh revoked ones (logged out, revoke-all, deleted users),
refresh, and read users' `/me`. Faults, in sequence, each followed by a recovery
phase:

1. PostgreSQL stopped 5 s, then started;
2. users SIGKILLed, then restarted;
3. Redis stopped, then started with its data (AOF);
4. Redis stopped, then started empty; afterwards tokens issued before the loss
   are checked at the running auth and at an auth process started after the loss;
5. the blacklist relay SIGKILLed; a user deleted while it is down; restarted.

After each return a tight probe logs in until one login succeeds: a new whole login
through the provider every 0.1 s, at most 4 at a time. "login back" is when the
earliest successful one was begun and when it was done, in seconds after the
dependency's return. The bound applies to `begun`: a login begun within 1 s of the
return succeeds. `done` adds the login's own duration, which on a busy machine alone
can exceed a second (the warm-up prints it).

Printed per fault (lines prefixed `FAULT-RUN`; run
`./pants test tests/e2e/test_fault_run.py -- -s` to see them): requests by route and
status, HTTP 500s, the other 5xx by route (503s: the fail-closed answers the design
asks for, e.g. `/validate` with a stale copy and Redis down, refresh with Redis
down), revoked tokens accepted, logins by outcome, deletion latency, login back;
then one SUMMARY line per fault.

A token counts as revoked once its revocation was acknowledged (logout 204, revoke
200) or, for a deleted user, once `/validate` first rejected it; any later 200 for
it (at `/validate`, or a refresh with its refresh token) is a revoked token accepted.

Asserted: no HTTP 500; no revoked token accepted; login back begun within 1 s of each
return; every deletion takes effect (the one issued while the relay was down within
5 s of its restart); no traceback in any service's log.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from auth.infrastructure.persistence_redis.keys import RedisKeys
from e2e.stack import Browser, Processes, Stack, running_stack, signing_key_pem
from testkit.own_servers import OwnPostgres, OwnRedis, own_postgres, own_redis
from testkit.ports import free_port

LOGIN_BACK_BOUND_SECONDS = 1.0
PROBE_GIVE_UP_SECONDS = 40.0
PROBES = 4
PROBE_STAGGER_SECONDS = 0.1
RELAY_TAKEOVER_BOUND_SECONDS = 5.0
DELETIONS_SETTLE_SECONDS = 5.0
POSTGRES_DOWN_SECONDS = 5.0
USERS_DOWN_SECONDS = 1.0
REDIS_DOWN_SECONDS = 3.0
REDIS_EMPTY_DOWN_SECONDS = 1.0
RELAY_DOWN_SECONDS = 2.0
WARM_UP_SECONDS = 4.0
RECOVERY_SECONDS = 3.0
REQUEST_TIMEOUT_SECONDS = 5.0
MAX_REQUESTS_PER_LOOP = 20_000
LIVE_POOL_SIZE = 40
PRE_LOSS_SAMPLE = 20
PREFIX = "FAULT-RUN"


def say(line: str = "") -> None:
    print(f"{PREFIX} {line}".rstrip(), flush=True)


@dataclass
class Tokens:
    """One session's current pair, as a client holds it."""

    access: str
    refresh: str


@dataclass
class Revoked:
    tokens: Tokens
    kind: str  # logout, revoke-all, delete


@dataclass
class PendingDeletion:
    tokens: Tokens
    deleted_at: float
    phase: str


@dataclass(frozen=True)
class LoginBack:
    """The first successful login after a dependency returned, in seconds after that return."""

    begun: float
    done: float

    def __str__(self) -> str:
        return f"begun {self.begun:.3f} s, done {self.done:.3f} s"


@dataclass
class Ledger:
    """Everything the loops saw, by phase (the fault in progress)."""

    phase: str = "warm-up"
    requests: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    logins: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    accepted: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    deletion_latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    login_back: dict[str, LoginBack | None] = field(default_factory=dict)
    relay_takeover: float | None = None
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    phases: list[str] = field(default_factory=lambda: ["warm-up"])

    def enter(self, phase: str) -> None:
        self.phase = phase
        self.phases.append(phase)

    def request(self, route: str, status: str) -> None:
        self.requests[self.phase][(route, status)] += 1

    def revoked_accepted(self, route: str, kind: str) -> None:
        self.accepted[self.phase][f"{route} ({kind})"] += 1

    def note(self, line: str) -> None:
        self.notes[self.phase].append(line)
        say(f"  {self.phase}: {line}")


class Client:
    """An httpx client whose every answer (or transport failure) goes to the ledger."""

    def __init__(self, stack: Stack, ledger: Ledger) -> None:
        self.stack = stack
        self.ledger = ledger
        self.http = httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS)
        self.browser = Browser(stack, self.http)

    async def call(
        self, route: str, method: str, url: str, headers: dict[str, str] | None = None
    ) -> httpx.Response | None:
        try:
            response = await self.http.request(method, url, headers=headers)
        except httpx.TimeoutException:
            self.ledger.request(route, "timeout")
            return None
        except httpx.TransportError:
            self.ledger.request(route, "unreachable")
            return None
        self.ledger.request(route, str(response.status_code))
        return response

    async def login(self, name: str) -> Tokens | None:
        """A whole login through the provider; the session's pair, or None."""
        self.http.cookies.clear()
        auth = self.stack.auth
        started = await self.call("GET authorize", "GET", f"{auth}/api/v1/auth/e2e/authorize")
        if started is None or started.status_code != 200:
            self.ledger.logins[self.ledger.phase][f"authorize {_status(started)}"] += 1
            return None
        try:
            callback_url = await self.browser.approve(started.json()["authorization_url"], name)
        except (AssertionError, httpx.HTTPError) as exc:
            self.ledger.logins[self.ledger.phase][f"provider {type(exc).__name__}"] += 1
            return None
        done = await self.call("GET callback", "GET", callback_url)
        self.http.cookies.clear()
        if done is None or done.status_code != 302:
            self.ledger.logins[self.ledger.phase][f"callback {_status(done)}"] += 1
            return None
        target = httpx.URL(done.headers["location"])
        if target.path != "/login/success":
            error = target.params.get("error", "?")
            self.ledger.logins[self.ledger.phase][f"error={error}"] += 1
            return None
        self.ledger.logins[self.ledger.phase]["ok"] += 1
        return Tokens(done.cookies["s_access"], done.cookies["s_refresh"])

    async def validate(self, route: str, access: str, auth: str | None = None) -> str:
        response = await self.call(
            route,
            "GET",
            f"{auth or self.stack.auth}/api/v1/auth/validate",
            {"Authorization": f"Bearer {access}"},
        )
        return _status(response)

    async def aclose(self) -> None:
        await self.http.aclose()


def _status(response: httpx.Response | None) -> str:
    return "unreachable" if response is None else str(response.status_code)


class Load:
    """The bounded concurrent loops and the token pools they share."""

    def __init__(self, stack: Stack, ledger: Ledger) -> None:
        self.stack = stack
        self.ledger = ledger
        self.live: list[Tokens] = []
        self.revoked: list[Revoked] = []
        self.pending_deletions: list[PendingDeletion] = []
        self.random = random.Random(9)
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._clients: list[Client] = []
        self._victims = 0

    def client(self) -> Client:
        client = Client(self.stack, self.ledger)
        self._clients.append(client)
        return client

    def start(self) -> None:
        loops: list[Callable[[Client, int], Awaitable[float]]] = [
            self._login,
            self._login,
            self._validate_live,
            self._refresh,
            self._me,
            self._revoke,
            self._check_revoked,
        ]
        for number, loop in enumerate(loops):
            self._tasks.append(asyncio.create_task(self._run(loop, self.client(), number)))

    async def _run(
        self, step: Callable[[Client, int], Awaitable[float]], client: Client, n: int
    ) -> None:
        for iteration in range(MAX_REQUESTS_PER_LOOP):
            if self._stop.is_set():
                return
            pause = await step(client, n * MAX_REQUESTS_PER_LOOP + iteration)
            await asyncio.sleep(pause)

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)
        for client in self._clients:
            await client.aclose()

    def add_live(self, tokens: Tokens) -> None:
        self.live.append(tokens)
        del self.live[:-LIVE_POOL_SIZE]

    async def _login(self, client: Client, iteration: int) -> float:
        tokens = await client.login(f"load-{iteration % 7}")
        if tokens is not None:
            self.add_live(tokens)
        return 0.1

    async def _validate_live(self, client: Client, _: int) -> float:
        if self.live:
            await client.validate("GET validate (live)", self.random.choice(self.live).access)
        return 0.02

    async def _refresh(self, client: Client, _: int) -> float:
        if not self.live:
            return 0.05
        tokens = self.random.choice(self.live)
        response = await client.call(
            "POST refresh",
            "POST",
            f"{self.stack.auth}/api/v1/auth/refresh",
            {"X-Refresh-Token": f"Bearer {tokens.refresh}"},
        )
        if response is not None and response.status_code == 200:
            body = response.json()
            tokens.access, tokens.refresh = body["access_token"], body["refresh_token"]
        elif response is not None and response.status_code == 401 and tokens in self.live:
            self.live.remove(tokens)  # ended (e.g. a reuse after a lost answer)
        return 0.1

    async def _me(self, client: Client, _: int) -> float:
        if self.live:
            access = self.random.choice(self.live).access
            await client.call(
                "GET users /me",
                "GET",
                f"{self.stack.users}/api/v1/users/me",
                {"Authorization": f"Bearer {access}"},
            )
        return 0.1

    async def _revoke(self, client: Client, _: int) -> float:
        """Log a fresh user in, then end its session one of three ways."""
        self._victims += 1
        tokens = await client.login(f"victim-{self._victims}")
        if tokens is None:
            return 0.1
        bearer = {"Authorization": f"Bearer {tokens.access}"}
        kind = ("logout", "revoke-all", "delete")[self._victims % 3]
        if kind == "logout":
            url = f"{self.stack.auth}/api/v1/auth/logout"
            headers = {**bearer, "X-Refresh-Token": f"Bearer {tokens.refresh}"}
            response = await client.call("POST logout", "POST", url, headers)
        elif kind == "revoke-all":
            url = f"{self.stack.auth}/api/v1/auth/revoke"
            response = await client.call("POST revoke", "POST", url, bearer)
        else:
            url = f"{self.stack.users}/api/v1/users/me"
            response = await client.call("DELETE users /me", "DELETE", url, bearer)
        if response is None or not response.is_success:
            return 0.1
        if kind == "delete":
            self.pending_deletions.append(
                PendingDeletion(tokens, time.monotonic(), self.ledger.phase)
            )
        else:
            self.revoked.append(Revoked(tokens, kind))
        return 0.1

    async def _check_revoked(self, client: Client, iteration: int) -> float:
        """Follow every pending deletion until it takes effect, then try a revoked token."""
        for pending in list(self.pending_deletions):
            await self.settle_deletion(client, pending)
        if self.revoked:
            await self.try_revoked(client, self.random.choice(self.revoked), iteration)
        return 0.02

    async def settle_deletion(self, client: Client, pending: PendingDeletion) -> bool:
        """True once the deleted user's token is rejected and auth holds no session of the
        user any more (a 401 alone may come from another rule: every token issued before a
        Redis loss is rejected, while a session registered just after the loss lives on
        until the deletion reaches auth); records the latency."""
        if await client.validate("GET validate (deleted?)", pending.tokens.access) != "401":
            return False
        if await self._auth_holds_sessions_of(pending.tokens):
            return False
        latency = time.monotonic() - pending.deleted_at
        self.ledger.deletion_latencies[pending.phase].append(latency)
        self.pending_deletions.remove(pending)
        self.revoked.append(Revoked(pending.tokens, "delete"))
        return True

    async def _auth_holds_sessions_of(self, tokens: Tokens) -> bool:
        """Does auth's Redis still list a session of the token's user? (True when Redis
        does not answer: nothing is known to be applied then.)"""
        claims = json.loads(base64.urlsafe_b64decode(tokens.access.split(".")[1] + "=="))
        key = RedisKeys(self.stack.auth_env["AUTH_REDIS_KEY_PREFIX"]).user_sessions(claims["sub"])
        client = Redis.from_url(self.stack.auth_env["AUTH_REDIS_URL"], socket_timeout=1)
        try:
            return bool(await client.scard(key))  # type: ignore[misc]
        except RedisError:
            return True
        finally:
            await client.aclose()

    async def try_revoked(
        self, client: Client, revoked: Revoked, iteration: int, auth: str | None = None
    ) -> str:
        """Present a revoked access token (and every 4th time its refresh token)."""
        route = "GET validate (revoked)" if auth is None else "GET validate (revoked) elsewhere"
        status = await client.validate(route, revoked.tokens.access, auth)
        if status == "200":
            self.ledger.revoked_accepted(route, revoked.kind)
        if iteration % 4 == 0 and auth is None:
            response = await client.call(
                "POST refresh (revoked)",
                "POST",
                f"{self.stack.auth}/api/v1/auth/refresh",
                {"X-Refresh-Token": f"Bearer {revoked.tokens.refresh}"},
            )
            if response is not None and response.status_code == 200:
                self.ledger.revoked_accepted("POST refresh (revoked)", revoked.kind)
        return status


async def blocking(action: Callable[[], object]) -> float:
    """Run a blocking step (a server or process start/stop) off the event loop, so the
    load keeps running; returns the monotonic instant it finished."""

    def timed() -> float:
        action()
        return time.monotonic()

    return await asyncio.to_thread(timed)


async def login_back(probes: list[Client], returned_at: float) -> LoginBack | None:
    """The earliest-begun successful login of staggered probes started after
    `returned_at` (a new whole login every `PROBE_STAGGER_SECONDS` while a probe client
    is free, so a login's own duration does not blur when logins came back), or None
    if none succeeds within the give-up time."""
    succeeded: list[LoginBack] = []
    free = list(probes)
    in_flight: set[asyncio.Task[None]] = set()

    async def attempt(client: Client) -> None:
        begun = time.monotonic()
        try:
            if await client.login("probe") is not None:
                succeeded.append(LoginBack(begun - returned_at, time.monotonic() - returned_at))
        finally:
            free.append(client)

    while not succeeded and time.monotonic() - returned_at < PROBE_GIVE_UP_SECONDS:
        if free:
            task = asyncio.create_task(attempt(free.pop()))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        await asyncio.sleep(PROBE_STAGGER_SECONDS)
    await asyncio.gather(*in_flight)  # one begun earlier may still succeed
    return min(succeeded, key=lambda back: back.begun, default=None)


@dataclass
class FaultRun:
    stack: Stack
    processes: Processes
    postgres: OwnPostgres
    redis: OwnRedis
    ledger: Ledger
    load: Load
    probe: Client
    login_probes: list[Client]

    async def warm_up(self) -> None:
        """Let the pools fill, then time a few logins: what a login costs under this load."""
        await asyncio.sleep(WARM_UP_SECONDS)
        durations = []
        for _ in range(3):
            back = await login_back(self.login_probes[:1], time.monotonic())
            durations.append("failed" if back is None else f"{back.done - back.begun:.3f} s")
        self.ledger.note("one login under load takes " + ", ".join(durations))

    async def recover(self, returned_at: float) -> None:
        back = await login_back(self.login_probes, returned_at)
        self.ledger.login_back[self.ledger.phase] = back
        await asyncio.sleep(RECOVERY_SECONDS)

    async def postgres_stopped(self) -> None:
        self.ledger.enter(f"postgres stopped {POSTGRES_DOWN_SECONDS:g} s")
        await blocking(self.postgres.stop)
        await asyncio.sleep(POSTGRES_DOWN_SECONDS)
        await self.recover(await blocking(self.postgres.start))

    async def users_killed(self) -> None:
        self.ledger.enter("users killed, restarted")
        await blocking(lambda: self.processes.kill("users"))
        await asyncio.sleep(USERS_DOWN_SECONDS)
        await self.recover(await blocking(lambda: self.processes.restart("users")))

    async def redis_stopped(self) -> None:
        self.ledger.enter("redis stopped, restarted with its data")
        await blocking(self.redis.stop)
        await asyncio.sleep(REDIS_DOWN_SECONDS)
        await self.recover(await blocking(self.redis.start))

    async def redis_emptied(self) -> None:
        self.ledger.enter("redis restarted empty")
        pre_loss_live = [Tokens(t.access, t.refresh) for t in self.load.live[-PRE_LOSS_SAMPLE:]]
        pre_loss_revoked = list(self.load.revoked[-PRE_LOSS_SAMPLE:])
        await blocking(self.redis.stop)
        self.load.live.clear()  # the load goes on with sessions opened after the loss
        await asyncio.sleep(REDIS_EMPTY_DOWN_SECONDS)
        await self.recover(await blocking(lambda: self.redis.start(empty=True)))
        await self.check_pre_loss(pre_loss_live, pre_loss_revoked, None, "the running auth")
        # A process that starts after the loss (a new pod, a restart) knows only Redis.
        fresh_port = free_port()
        fresh = f"http://127.0.0.1:{fresh_port}"
        env = {**self.stack.auth_env, "AUTH_PORT": str(fresh_port)}
        command = [sys.executable, "-m", "auth.main", "serve"]
        await blocking(
            lambda: self.processes.start("auth-after-loss", command, env, f"{fresh}/health")
        )
        await self.check_pre_loss(
            pre_loss_live, pre_loss_revoked, fresh, "an auth started after the loss"
        )
        await blocking(lambda: self.processes.stop("auth-after-loss"))

    async def check_pre_loss(
        self, live: list[Tokens], revoked: list[Revoked], auth: str | None, where: str
    ) -> None:
        """What tokens issued before the loss get now (the rule: all rejected)."""
        live_answers: Counter[str] = Counter()
        for tokens in live:
            route = "GET validate (pre-loss live)" + (" elsewhere" if auth else "")
            live_answers[await self.probe.validate(route, tokens.access, auth)] += 1
        revoked_answers: Counter[str] = Counter()
        for number, entry in enumerate(revoked):
            revoked_answers[await self.load.try_revoked(self.probe, entry, number + 1, auth)] += 1
        self.ledger.note(
            f"tokens issued before the loss, at {where}: live {_counts(live_answers)};"
            f" revoked {_counts(revoked_answers)}"
        )

    async def relay_killed(self) -> None:
        self.ledger.enter("blacklist relay killed, restarted")
        await blocking(lambda: self.processes.kill("blacklist-relay"))
        victim = await self.probe.login("deleted-while-relay-down")
        if victim is None:
            self.ledger.note("no login for the user to delete while the relay is down")
            return
        deleted = await self.probe.call(
            "DELETE users /me",
            "DELETE",
            f"{self.stack.users}/api/v1/users/me",
            {"Authorization": f"Bearer {victim.access}"},
        )
        if deleted is None or deleted.status_code != 204:
            self.ledger.note(f"deleting a user while the relay is down: {_status(deleted)}")
            return
        await asyncio.sleep(RELAY_DOWN_SECONDS)
        before = await self.probe.validate("GET validate (deleted?)", victim.access)
        self.ledger.note(
            f"user deleted while the relay was down: /validate {before} before restart"
        )
        restarted_at = await blocking(lambda: self.processes.restart("blacklist-relay"))
        await asyncio.gather(self.takeover(victim, restarted_at), self.recover(restarted_at))
        taken = self.ledger.relay_takeover
        self.ledger.note(
            "that deletion took effect "
            + (f"{taken:.3f} s after the relay's restart" if taken is not None else "never")
        )

    async def takeover(self, victim: Tokens, restarted_at: float) -> None:
        """Seconds from the relay's restart until the victim's token is rejected."""
        client = Client(self.stack, self.ledger)
        try:
            while time.monotonic() - restarted_at < RELAY_TAKEOVER_BOUND_SECONDS * 2:
                if await client.validate("GET validate (deleted?)", victim.access) == "401":
                    self.ledger.relay_takeover = time.monotonic() - restarted_at
                    self.load.revoked.append(Revoked(victim, "delete"))
                    return
                await asyncio.sleep(0.02)
        finally:
            await client.aclose()

    async def settle_deletions(self) -> None:
        """Give deletions still in flight a last bounded chance to take effect."""
        self.ledger.enter("end: deletions settling")
        deadline = time.monotonic() + DELETIONS_SETTLE_SECONDS
        while self.load.pending_deletions and time.monotonic() < deadline:
            for pending in list(self.load.pending_deletions):
                await self.load.settle_deletion(self.probe, pending)
            await asyncio.sleep(0.05)


def _counts(counter: Counter[str]) -> str:
    return " ".join(f"{key}x{value}" for key, value in sorted(counter.items())) or "none"


def _back(back: LoginBack | None) -> str:
    return str(back) if back is not None else f"none within {PROBE_GIVE_UP_SECONDS:g} s"


def _five_hundreds(requests: Counter[tuple[str, str]]) -> tuple[int, Counter[str]]:
    """HTTP 500s, and the other 5xx by route and status."""
    errors = sum(n for (_, status), n in requests.items() if status == "500")
    others: Counter[str] = Counter()
    for (route, status), n in requests.items():
        if status.startswith("5") and status != "500":
            others[f"{route} {status}"] += n
    return errors, others


def report(
    ledger: Ledger, pending: list[PendingDeletion], tracebacks: dict[str, Counter[str]]
) -> None:
    for phase in ledger.phases:
        requests = ledger.requests[phase]
        say()
        say(f"== {phase} ==")
        routes = sorted({route for route, _ in requests})
        for route in routes:
            statuses = Counter({s: n for (r, s), n in requests.items() if r == route})
            say(f"  {route:<30} {_counts(statuses)}")
        errors, others = _five_hundreds(requests)
        say(f"  HTTP 500: {errors}")
        say(f"  other 5xx: {sum(others.values())} {_counts(others)}")
        say(
            f"  revoked tokens accepted: {sum(ledger.accepted[phase].values())}"
            f" {_counts(ledger.accepted[phase])}"
        )
        say(f"  logins: {_counts(ledger.logins[phase])}")
        latencies = ledger.deletion_latencies[phase]
        if latencies:
            say(
                f"  deletions applied: {len(latencies)}, latency max {max(latencies):.3f} s,"
                f" median {sorted(latencies)[len(latencies) // 2]:.3f} s"
            )
        if phase in ledger.login_back:
            say(f"  first successful login after the return: {_back(ledger.login_back[phase])}")
        for line in ledger.notes[phase]:
            say(f"  {line}")
    say()
    say(f"deletions never applied: {len(pending)}")
    for name, origins in tracebacks.items():
        say(f"tracebacks in the log of {name}: {sum(origins.values())}")
        for origin, count in origins.most_common():
            say(f"    {count} x {origin}")


def verdict(
    ledger: Ledger, pending: list[PendingDeletion], tracebacks: dict[str, Counter[str]]
) -> list[str]:
    """What broke a promise, one line each; also prints the summary table."""
    failures = []
    say()
    say(
        "SUMMARY fault | requests | HTTP 500 | other 5xx | revoked accepted | login back"
        " | deletion latency max"
    )
    for phase in ledger.phases:
        requests = ledger.requests[phase]
        errors, others = _five_hundreds(requests)
        accepted = sum(ledger.accepted[phase].values())
        probed = phase in ledger.login_back
        back = ledger.login_back.get(phase)
        latencies = ledger.deletion_latencies[phase]
        say(
            f"SUMMARY {phase} | {sum(requests.values())} | {errors} | {sum(others.values())}"
            f" | {accepted} | {_back(back) if probed else '-'}"
            f" | {f'{max(latencies):.3f} s' if latencies else '-'}"
        )
        if errors:
            failures.append(f"{phase}: {errors} HTTP 500")
        if accepted:
            failures.append(f"{phase}: {accepted} revoked tokens accepted")
        if probed and (back is None or back.begun > LOGIN_BACK_BOUND_SECONDS):
            failures.append(
                f"{phase}: login back {_back(back)} (bound: begun within"
                f" {LOGIN_BACK_BOUND_SECONDS:g} s)"
            )
    takeover = ledger.relay_takeover
    shown = f"{takeover:.3f} s" if takeover is not None else "never"
    say(f"SUMMARY deletion made while the relay was down, applied after its restart: {shown}")
    if takeover is None or takeover > RELAY_TAKEOVER_BOUND_SECONDS:
        failures.append(f"deletion while the relay was down: applied after {takeover} s")
    if pending:
        failures.append(f"{len(pending)} deletions never took effect")
    for name, origins in tracebacks.items():
        if origins:
            failures.append(f"{name}: {sum(origins.values())} tracebacks in its log")
    return failures


@pytest.fixture
def fault_stack(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Stack, Processes, OwnPostgres, OwnRedis]]:
    processes = Processes(tmp_path_factory.mktemp("fault-run-logs"))
    with own_postgres() as postgres, own_redis() as redis:
        postgres.create_database("eco2")
        with running_stack(
            processes,
            database_url=postgres.url("eco2"),
            redis_url=redis.url,
            prefix="fault:",
            auth_settings={
                "AUTH_TOKEN__SIGNING_KEY_PEM": signing_key_pem(),
                # The load comes from one address, far above what one client sends.
                "AUTH_RATE_LIMITS__ENABLED": "false",
            },
            users_settings={"USERS_RATE_LIMITS__ENABLED": "false"},
            relays=True,
        ) as stack:
            yield stack, processes, postgres, redis


async def test_fault_run_under_load(
    fault_stack: tuple[Stack, Processes, OwnPostgres, OwnRedis],
) -> None:
    stack, processes, postgres, redis = fault_stack
    ledger = Ledger()
    load = Load(stack, ledger)
    probe = Client(stack, ledger)
    login_probes = [Client(stack, ledger) for _ in range(PROBES)]
    run = FaultRun(stack, processes, postgres, redis, ledger, load, probe, login_probes)
    say(f"stack: auth {stack.auth}, users {stack.users}")
    say(f"own servers: postgres :{postgres.port}, redis :{redis.port}")
    load.start()
    try:
        await run.warm_up()
        await run.postgres_stopped()
        await run.users_killed()
        await run.redis_stopped()
        await run.redis_emptied()
        await run.relay_killed()
    finally:
        await load.stop()
    await run.settle_deletions()
    for client in (probe, *login_probes):
        await client.aclose()
    tracebacks = processes.tracebacks()
    report(ledger, load.pending_deletions, tracebacks)

    failures = verdict(ledger, load.pending_deletions, tracebacks)
    assert not failures, "\n".join(failures)
