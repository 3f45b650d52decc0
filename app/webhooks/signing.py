"""Webhook signatures, shared by the dispatcher and by anyone verifying a delivery (tests, receivers).

X-Chainmatch-Signature is "sha256=" + hex HMAC-SHA256(secret, f"{timestamp}.{body}"); the timestamp is signed
too, so a receiver that rejects old timestamps is safe from replays.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
