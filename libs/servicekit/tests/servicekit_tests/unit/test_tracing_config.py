"""When tracing is on (the standard `OTEL_*` variables only), and that off installs nothing.

No test here installs tracing (one installation per process): the installed case is
`integration/test_tracing_export.py`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CollectorRegistry
from starlette.types import Receive, Scope, Send

from servicekit.app import build_app
from servicekit.fast_path import FastPath
from servicekit.health import ReadinessChecks
from servicekit.tracing import configure_tracing, service_resource, tracing_requested

ENDPOINT = "http://collector:4318"


@pytest.fixture(autouse=True)
def _no_otel_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("OTEL_")]:
        monkeypatch.delenv(name)


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"OTEL_SERVICE_NAME": "auth", "OTEL_TRACES_SAMPLER": "always_on"},
        {"OTEL_TRACES_EXPORTER": "none"},
        {"OTEL_TRACES_EXPORTER": " None "},
        {"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT},
        {"OTEL_TRACES_EXPORTER": "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ""},
        {"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "otlp"},
        {"OTEL_SDK_DISABLED": "TRUE", "OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT},
        {"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "console"},
    ],
)
def test_off_by_default_with_none_and_when_the_sdk_is_disabled(environ: dict[str, str]) -> None:
    assert tracing_requested(environ) is False


@pytest.mark.parametrize(
    "environ",
    [
        {"OTEL_TRACES_EXPORTER": "otlp"},
        {"OTEL_TRACES_EXPORTER": " OTLP "},
        {"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT},
        {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"{ENDPOINT}/v1/traces"},
        {"OTEL_SDK_DISABLED": "false", "OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT},
        {"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"},
        {  # the traces' own protocol wins over the general one
            "OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT,
            "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf",
        },
    ],
)
def test_on_with_an_otlp_exporter_or_endpoint(environ: dict[str, str]) -> None:
    assert tracing_requested(environ) is True


@pytest.mark.parametrize(
    ("environ", "refused"),
    [
        ({"OTEL_TRACES_EXPORTER": "jaeger"}, "OTEL_TRACES_EXPORTER"),
        ({"OTEL_TRACES_EXPORTER": "otlp,console"}, "OTEL_TRACES_EXPORTER"),
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
            "OTEL_EXPORTER_OTLP_PROTOCOL",
        ),
        (
            {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json"},
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        ),
    ],
)
def test_an_exporter_or_protocol_this_build_lacks_is_refused_at_start(
    environ: dict[str, str], refused: str
) -> None:
    with pytest.raises(ValueError, match=refused):
        tracing_requested(environ)


def test_the_service_name_defaults_to_the_service_and_the_variables_win(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert service_resource("auth").attributes["service.name"] == "auth"
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,deployment.env=prod")
    resource = service_resource("auth")
    assert (resource.attributes["service.name"], resource.attributes["deployment.env"]) == (
        "from-attrs",
        "prod",
    )
    monkeypatch.setenv("OTEL_SERVICE_NAME", "auth-canary")
    assert service_resource("auth").attributes["service.name"] == "auth-canary"


async def plain(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


@asynccontextmanager
async def no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


@pytest.mark.parametrize(
    "environ",
    [{}, {"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"}],
)
async def test_off_installs_nothing_and_wraps_nothing(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]
) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    fast_path = FastPath("/check", plain)
    app = build_app(
        service="test",
        title="off",
        description="",
        version="1",
        lifespan=no_lifespan,
        readiness=lambda _: ReadinessChecks(required={}),
        registry=CollectorRegistry(),
        fast_path=fast_path,
    )

    assert configure_tracing("test") is None
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)
    assert app.fast_path is fast_path  # type: ignore[attr-defined]  # the handler as it was
    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)
    assert not hasattr(httpx.AsyncHTTPTransport.handle_async_request, "__wrapped__")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
        assert (await client.get("http://t/check")).status_code == 204
    assert not trace.get_current_span().get_span_context().is_valid
