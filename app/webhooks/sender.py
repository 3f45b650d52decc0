"""One HTTP attempt of one delivery: the signed JSON POST and what came of it. Never raises."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from app.webhooks.addresses import Unresolvable, url_refusal
from app.webhooks.guard import BlockedAddress
from app.webhooks.signing import sign

USER_AGENT = "chainmatch-webhooks/1"
# Only the start of a receiver's answer is kept for the log; a huge or endless body is never read whole.
MAX_ERROR_BODY = 300


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str


def body_of(*, notification_id: int, event: str, created_at: datetime, payload: dict[str, Any]) -> bytes:
    doc = {"id": notification_id, "event": event, "created_at": created_at.isoformat() + "Z", "payload": payload}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def headers_for(*, secret: str, event: str, delivery_id: int, body: bytes,
                timestamp: str | None = None) -> dict[str, str]:
    # The timestamp is the real moment of sending (not the scheduler's clock): receivers compare it with theirs.
    ts = timestamp or str(int(time.time()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Chainmatch-Event": event,
        "X-Chainmatch-Delivery": str(delivery_id),
        "X-Chainmatch-Timestamp": ts,
        "X-Chainmatch-Signature": sign(secret, ts, body),
    }


def _start_of(resp: httpx.Response) -> str:
    taken = b""
    try:
        for chunk in resp.iter_bytes():
            taken += chunk
            if len(taken) >= MAX_ERROR_BODY:
                break
    except httpx.HTTPError:
        pass
    return taken[:MAX_ERROR_BODY].decode("utf-8", "replace").strip()


def blocked_reason(url: str) -> str | None:
    """Why ``url`` may not be called when private networks are off limits, or None when it may.

    A first check before any connection, so a refused hook is logged as such without a socket being opened; the
    guarded transport (``guard.py``) checks again the address it connects to, which closes the DNS-rebinding
    window between this lookup and the connection.
    """
    try:
        return url_refusal(url)
    except Unresolvable as exc:
        return str(exc)


def send(client: httpx.Client, *, url: str, headers: dict[str, str], body: bytes) -> Outcome:
    try:
        with client.stream("POST", url, content=body, headers=headers) as resp:
            code = resp.status_code
            if 200 <= code < 300:
                return Outcome(True, code, "")
            text = _start_of(resp)
            return Outcome(False, code, f"HTTP {code}" + (f": {text}" if text else ""))
    except httpx.ConnectError as exc:
        if isinstance(exc.__cause__, BlockedAddress):
            return Outcome(False, None, str(exc.__cause__))
        return Outcome(False, None, f"connection error: {type(exc).__name__}: {exc}"[:500])
    except httpx.TimeoutException as exc:
        return Outcome(False, None, f"timeout: {type(exc).__name__}")
    except httpx.HTTPError as exc:
        return Outcome(False, None, f"connection error: {type(exc).__name__}: {exc}"[:500])
    except Exception as exc:  # noqa: BLE001 - a bad URL or a transport bug must not stop the dispatcher
        return Outcome(False, None, f"error: {type(exc).__name__}: {exc}"[:500])
