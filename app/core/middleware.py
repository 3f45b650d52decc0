"""Response hardening and request size limits, applied to every route."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# The API answers JSON only; the interactive docs page needs its script and style sources.
_API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Our own pages: scripts and styles from our own origin only (vendored htmx and ECharts; no inline scripts),
# requests and forms back to us.
_WEB_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# Swagger UI and ReDoc start from an inline script FastAPI writes; everything they load is still our own.
_DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
             "frame-ancestors 'none'")


class SecurityMiddleware:
    """Adds security headers and refuses bodies larger than ``max_body_bytes`` with 413 before reading them."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # File uploads (catalogue imports) are larger than any JSON body; their own limits apply after this one.
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if "\x00" in path or b"%00" in scope.get("query_string", b"") or b"%00" in scope.get("raw_path", b""):
            await _reject(send, 422, b"invalid", b"a NUL character is not allowed in a URL")
            return
        limit = self.max_upload_bytes if path.endswith("/import") else self.max_body_bytes
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _too_large(send, limit)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Each header unless the route set its own: raw pairs, one pass over the route's headers (this
                # runs on every response).
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in _added(path) if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            await _too_large(send, limit)


def _raw(csp: str) -> tuple[tuple[bytes, bytes], ...]:
    pairs = {**_HEADERS, "Content-Security-Policy": csp}
    return tuple((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in pairs.items())


_API_HEADERS, _DOCS_HEADERS, _WEB_HEADERS = _raw(_API_CSP), _raw(_DOCS_CSP), _raw(_WEB_CSP)


def _added(path: str) -> tuple[tuple[bytes, bytes], ...]:
    if path.startswith(("/api/", "/health", "/openapi.json")):
        return _API_HEADERS
    return _DOCS_HEADERS if path.startswith(("/docs", "/redoc")) else _WEB_HEADERS


class _BodyTooLarge(Exception):
    pass


async def _reject(send: Send, status: int, code: bytes, message: bytes) -> None:
    body = b'{"error": {"code": "%s", "message": "%s", "details": null}}' % (code, message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _too_large(send: Send, limit: int) -> None:
    body = (b'{"error": {"code": "payload_too_large", "message": "request body over %d bytes", "details": null}}'
            % limit)
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
