"""A lean HTTP/1.1 keep-alive client on asyncio, for load generators that share the server's two cores.

httpx in 32 threads spent about as much CPU per request as the server's cheaper routes (its own request and
response objects, header models, and 32 threads taking turns on the GIL). This sends prepared bytes on one
connection per simulated client and reads the status, headers and a Content-Length or chunked body: all that
our API answers with. The load generator reports its own CPU time beside the server's figures.
"""

from __future__ import annotations

import asyncio
import json
import resource
import time
from urllib.parse import urlencode, urlsplit


class HttpError(Exception):
    """The connection failed or the answer was not HTTP (the caller counts it as a connection error)."""


class LeanConnection:
    def __init__(self, base: str, timeout: float = 30.0) -> None:
        u = urlsplit(base)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 80
        self.timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._reader = self._writer = None

    async def request(self, method: str, path: str, *, params: dict | None = None, json_body: object = None,
                      headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """(status, body); raises HttpError on a connection failure and TimeoutError after ``timeout``."""
        if params:
            path = f"{path}?{urlencode(params, doseq=True)}"
        body = b"" if json_body is None else json.dumps(json_body, ensure_ascii=False).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        if json_body is not None:
            head.append("Content-Type: application/json")
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        try:
            return await asyncio.wait_for(self._exchange(raw), self.timeout)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            await self.close()
            raise HttpError(repr(exc)) from exc
        except TimeoutError:
            await self.close()
            raise

    async def _exchange(self, raw: bytes) -> tuple[int, bytes]:
        reader, writer = await self._connect()
        writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
        if fields.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await reader.readexactly(size + 2))
            await reader.readuntil(b"\r\n")
            data = b"".join(p[:-2] for p in parts)
        else:
            data = await reader.readexactly(int(fields.get("content-length", "0")))
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status, data


class CpuClock:
    """This process's CPU seconds (user + system) between start and stop: what the load generator itself used."""

    def __init__(self) -> None:
        self.cpu = self.wall = 0.0

    @staticmethod
    def _now() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    def __enter__(self) -> CpuClock:
        self._c0, self._w0 = self._now(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu, self.wall = self._now() - self._c0, time.perf_counter() - self._w0

    def line(self, requests: int) -> str:
        share = self.cpu / self.wall if self.wall else 0.0
        per = 1000 * self.cpu / requests if requests else 0.0
        return (f"load generator CPU: {self.cpu:.1f} s in {self.wall:.1f} s ({share:.0%} of one core, "
                f"{per:.2f} ms per request), on the same cores as the server")
