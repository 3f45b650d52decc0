"""An httpx transport that connects only to the public addresses it has just checked (no DNS rebinding).

A check made before sending resolves the name once and the connection resolves it again, so a name can answer
a public address to the check and a private one to the connection. Here the name is resolved once, every address
is checked (one refused address refuses the host: a mixed answer is a rebinding attempt or a misconfiguration),
and the socket is opened to the checked address itself. TLS still verifies the certificate against the host
name, because httpcore starts TLS with the URL's host, not with the address connected to.
"""

from __future__ import annotations

import typing

import httpcore
import httpx

from app.webhooks.addresses import Unresolvable, address_refusal, resolve


class BlockedAddress(httpcore.ConnectError):
    """The host resolved to an address the server must not call; the message says which and why."""


class GuardedBackend(httpcore.SyncBackend):
    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host, port)
        except Unresolvable as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        for address in addresses:
            reason = address_refusal(address)
            if reason is not None:
                raise BlockedAddress(f"blocked: {host} resolves to a non-public address: {reason}")
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(str(address), port, timeout=timeout, local_address=local_address,
                                           socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None  # resolve() returns at least one address
        raise last


class GuardedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` whose connection pool uses :class:`GuardedBackend` (no proxy, direct only).

    httpx does not take a network backend as an argument, so the pool it built is replaced by one that has ours;
    ``test_dispatcher`` proves the guard is in the path, so an httpx change that bypassed it would fail there.
    """

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=GuardedBackend())
