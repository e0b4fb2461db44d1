"""The two ceilings every benchmark measures beside its own routes, in the same rounds.

- raw ASGI (`raw_asgi_app.py`): an ASGI callable answering an empty 200, the limit
  of the server stack itself;
- bare FastAPI (`bare_app.py`): one FastAPI route answering an empty 200.
"""

from __future__ import annotations

from validate_bench import Figures, Server, free_port

RAW_ASGI = "raw ASGI"
BARE_FASTAPI = "bare FastAPI"


def start_ceilings(workers: int, env: dict[str, str]) -> dict[str, tuple[Server, str]]:
    """Both ceiling servers, started and ready: name -> (server, URL to drive)."""
    servers = {
        RAW_ASGI: (Server("raw_asgi_app:create_app", free_port(), workers, env), "/"),
        BARE_FASTAPI: (Server("bare_app:create_app", free_port(), workers, env), "/ok"),
    }
    for server, path in servers.values():
        server.wait_ready(path)
    return {
        name: (server, f"http://127.0.0.1:{server.port}{path}")
        for name, (server, path) in servers.items()
    }


def ratios(figures: Figures, ceilings: dict[str, Figures]) -> str:
    """Throughput and p99 of `figures` relative to each ceiling."""
    return "   ".join(
        f"x{name}: {figures.requests_per_second / ceiling.requests_per_second:.3f} req/s,"
        f" p99 {figures.p99_ms / ceiling.p99_ms:.2f}x"
        for name, ceiling in ceilings.items()
    )
