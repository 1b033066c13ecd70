"""The load generator's ceiling: a server that answers every request with the same few bytes,
with no framework and no parsing beyond finding where each request ends. What wrk gets from it
is the most wrk can send on this machine; every figure must sit far below it, or wrk (not the
service) would be what the figure measures.

``python -m benchmarks.static_server`` (HOST, PORT), served on uvloop, as uvicorn serves ours.
"""

from __future__ import annotations

import asyncio
import os
from typing import cast

import uvloop

RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n" + b'{"status":"ok"}'
)
HEAD_END = b"\r\n\r\n"


class StaticAnswer(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.WriteTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast("asyncio.WriteTransport", transport)  # uvloop's own TCP transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        answers = 0
        while (end := self.buffer.find(HEAD_END)) >= 0:
            size = end + len(HEAD_END) + _content_length(self.buffer[:end])
            if len(self.buffer) < size:
                break
            self.buffer = self.buffer[size:]
            answers += 1
        if answers and self.transport is not None:
            self.transport.write(RESPONSE * answers)


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


async def _serve(host: str, port: int) -> None:
    server = await asyncio.get_running_loop().create_server(StaticAnswer, host, port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    uvloop.run(_serve(os.environ["HOST"], int(os.environ["PORT"])))
