"""A real scoring process with ``OTEL_EXPORTER_OTLP_ENDPOINT`` set exports its spans over OTLP/HTTP
to a collector on 127.0.0.1 (here, a server that keeps what it receives), continuing the trace
named by the caller's ``traceparent``, and flushes them when it stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from baseline_devstack.processes import free_port
from tests.processes import scoring_service

pytestmark = pytest.mark.e2e

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


@contextmanager
def collector() -> Iterator[tuple[str, list[ExportTraceServiceRequest]]]:
    received: list[ExportTraceServiceRequest] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/v1/traces":
                received.append(ExportTraceServiceRequest.FromString(body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def test_spans_reach_the_configured_collector(tmp_path):
    port = free_port()
    with collector() as (endpoint, received):
        with scoring_service(port, tmp_path / "scoring.log", OTEL_EXPORTER_OTLP_ENDPOINT=endpoint):
            headers = {"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"}
            # The first request of a new process loads the frameworks: on a busy CI machine that
            # takes longer than httpx's default 5 s.
            listed = httpx.get(f"http://127.0.0.1:{port}/v1/frameworks", headers=headers, timeout=30)
            assert listed.status_code == 200
        spans = [
            (resource.resource, span)
            for request in received
            for resource in request.resource_spans
            for scope in resource.scope_spans
            for span in scope.spans
        ]
    assert spans, "the stopped process flushed nothing"
    assert {span.trace_id.hex() for _, span in spans} == {TRACE_ID}
    services = {
        a.value.string_value for resource, _ in spans for a in resource.attributes if a.key == "service.name"
    }
    assert services == {"baseline-scoring"}
