"""OpenTelemetry traces of a process, configured by the standard `OTEL_*` variables only.

Off unless the variables ask for traces (`tracing_requested`); then nothing is installed:
no tracer provider, no instrumentation, and `opentelemetry.trace` answers with its
no-op tracer. When on, the process installs the SDK's tracer provider (its sampler
from `OTEL_TRACES_SAMPLER`/`OTEL_TRACES_SAMPLER_ARG`, its resource from
`OTEL_RESOURCE_ATTRIBUTES`, `service.name` from `OTEL_SERVICE_NAME`, else the
service's own name) with a batch processor (`OTEL_BSP_*`) exporting OTLP over HTTP
(`OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`, `…_HEADERS`, `…_TIMEOUT`, `…_COMPRESSION`),
and instruments the clients every service uses, with OpenTelemetry's own packages:
httpx (the W3C `traceparent` goes on every outbound request), asyncpg (every
PostgreSQL statement, SQLAlchemy's included: they run on asyncpg) and redis. An app
gets its server spans from `Tracing.instrument_app` (FastAPI); the client calls that
no request or event caused (pollers, probes) are not exported (`OrphanClientSpanFilter`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.redis import RedisInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, OTELResourceDetector, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span

from servicekit.orphan_spans import OrphanClientSpanFilter

_TRUE = "true"
_NONE = "none"
_OTLP = "otlp"
_HTTP_PROTOBUF = "http/protobuf"


def tracing_requested(environ: Mapping[str, str]) -> bool:
    """True when the variables ask for traces: `OTEL_TRACES_EXPORTER=otlp`, or, that one
    unset, an OTLP endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`, `…_TRACES_ENDPOINT`).
    `OTEL_TRACES_EXPORTER=none` and `OTEL_SDK_DISABLED=true` turn it off whatever else
    is set.

    :raises ValueError: an exporter or an OTLP protocol this build does not have (only
        OTLP over HTTP, `http/protobuf`): better refused at start than silently lost.
    """
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == _TRUE:
        return False
    exporters = {
        name.strip().lower() for name in environ.get("OTEL_TRACES_EXPORTER", "").split(",")
    } - {""}
    if exporters:
        if _NONE in exporters:
            return False
        if exporters != {_OTLP}:
            raise ValueError(
                f"OTEL_TRACES_EXPORTER={environ['OTEL_TRACES_EXPORTER']!r}: only `otlp` "
                "(OTLP over HTTP) or `none` is supported"
            )
    elif not (
        environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    ):
        return False
    for variable in ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"):
        protocol = environ.get(variable, "").strip().lower()
        if protocol:
            if protocol != _HTTP_PROTOBUF:
                raise ValueError(f"{variable}={protocol!r}: only `http/protobuf` is supported")
            break
    return True


def service_resource(service: str) -> Resource:
    """The process's resource: `OTEL_RESOURCE_ATTRIBUTES`, `service.name` from
    `OTEL_SERVICE_NAME`, else from `OTEL_RESOURCE_ATTRIBUTES`, else `service`."""
    return Resource.create({SERVICE_NAME: service}).merge(OTELResourceDetector().detect())


@dataclass(frozen=True, slots=True)
class Tracing:
    """The process's tracing, once installed (`configure_tracing`, `install_tracing`)."""

    provider: TracerProvider

    def instrument_app(self, app: FastAPI, *, excluded_paths: Iterable[str]) -> None:
        """A server span per request of `app` (continuing the caller's trace from the
        request's `traceparent`), but none for `excluded_paths` (probes, metrics); the
        values of a query string are redacted (`_redact_query`)."""
        FastAPIInstrumentor.instrument_app(
            app,
            server_request_hook=_redact_query,
            tracer_provider=self.provider,
            excluded_urls=",".join(f"{path}$" for path in sorted(excluded_paths)),
            exclude_spans=["receive", "send"],  # a span per ASGI message is noise
        )

    def flush(self) -> None:
        """Export the spans ended so far (an app's shutdown: the process may go on)."""
        self.provider.force_flush()

    def shutdown(self) -> None:
        """Export the spans ended so far and stop exporting (the process ends)."""
        self.provider.shutdown()


def _redact_query(span: Span, scope: dict[str, Any]) -> None:
    """A server span keeps the names of the query's parameters, never their values (an
    OAuth callback's query holds its authorization code, a provider's notice its
    signature), as the access log, which has no query at all."""
    query = scope.get("query_string")
    if not query or not span.is_recording():
        return
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    redacted = urlencode([(name, "REDACTED") for name, _ in pairs])
    recorded = getattr(span, "attributes", None) or {}  # the SDK's span
    if "http.url" in recorded:  # the default semantic conventions: the whole URL
        span.set_attribute("http.url", f"{str(recorded['http.url']).split('?')[0]}?{redacted}")
    if "url.query" in recorded:  # the stable ones (OTEL_SEMCONV_STABILITY_OPT_IN=http)
        span.set_attribute("url.query", redacted)


_lock = threading.Lock()
_installed: Tracing | None = None


def configure_tracing(service: str) -> Tracing | None:
    """The process's tracing: the first call installs it when the variables ask for it
    (`tracing_requested`), `service` being the default `service.name`; every later call
    answers the same. None when off: nothing is installed, nothing is wrapped."""
    with _lock:
        if _installed is not None:
            return _installed
    if not tracing_requested(os.environ):
        return None
    return install_tracing(service, BatchSpanProcessor(OTLPSpanExporter()))


def install_tracing(service: str, processor: SpanProcessor) -> Tracing:
    """Install the SDK's tracer provider, its spans going to `processor`, as the
    process's, and instrument httpx, asyncpg and redis. `configure_tracing` does it
    from the variables (tests give the SDK's in-memory exporter). Once per process:
    a second call answers the first installation unchanged."""
    global _installed  # - one tracer provider per process, as OpenTelemetry's
    with _lock:
        if _installed is not None:
            return _installed
        provider = TracerProvider(resource=service_resource(service))
        provider.add_span_processor(OrphanClientSpanFilter(processor))
        trace.set_tracer_provider(provider)
        HTTPXClientInstrumentor().instrument(tracer_provider=provider)
        AsyncPGInstrumentor().instrument(tracer_provider=provider)  # type: ignore[no-untyped-call]
        RedisInstrumentor().instrument(tracer_provider=provider)
        _installed = Tracing(provider)
        return _installed


@contextmanager
def process_tracing(service: str) -> Iterator[Tracing | None]:
    """A worker's tracing (`configure_tracing`) for the block; its spans are exported
    and the exporter stopped when the block ends."""
    tracing = configure_tracing(service)
    try:
        yield tracing
    finally:
        if tracing is not None:
            tracing.shutdown()
