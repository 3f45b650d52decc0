"""Who is calling: a bearer token checked against its stored hash. Infrastructure every request needs, so it
lives in core; issuing and revoking tokens (which know about firms and roles) stays in app/auth/tokens.py."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.core.errors import Unauthorized
from app.models import ApiToken, Principal
from app.models._types import utcnow

TOKEN_PREFIX = "cm_"

# Built once: every authenticated request runs these, and building a statement (and its cache key) costs more
# Python time than SQLite takes to answer it.
_TOKEN_AND_PRINCIPAL = (select(ApiToken, Principal).outerjoin(Principal, Principal.id == ApiToken.principal_id)
                        .where(ApiToken.prefix == bindparam("prefix")))
_TOKEN_HASH = select(ApiToken.id, ApiToken.token_hash).where(ApiToken.prefix == bindparam("prefix"))


def token_hash(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (passwords are another matter).
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(session: Session, token: str, *, now: datetime | None = None) -> Principal:
    parts = token.split("_")
    if len(parts) < 3 or not token.startswith(TOKEN_PREFIX):
        raise Unauthorized("malformed token")
    # The token and its principal in one statement: every authenticated request pays for this lookup.
    found = session.execute(_TOKEN_AND_PRINCIPAL, {"prefix": parts[1]}).first()
    record, principal = found if found is not None else (None, None)
    if record is None or not hmac.compare_digest(record.token_hash, token_hash(token)):
        raise Unauthorized("unknown token")
    moment = now or utcnow()
    if record.revoked_at is not None:
        raise Unauthorized("token revoked")
    if record.expires_at is not None and record.expires_at <= moment:
        raise Unauthorized("token expired")
    if principal is None or not principal.active:
        raise Unauthorized("unknown token")
    principal.token_scopes = tuple(record.scopes or ())
    principal.token_id = record.id
    return principal


def verified_token_id(session: Session, token: str) -> int | None:
    """The database id of a genuine token (revoked and expired ones too), None for a malformed or forged one."""
    parts = token.split("_")
    if len(parts) < 3 or not token.startswith(TOKEN_PREFIX):
        return None
    row = session.execute(_TOKEN_HASH, {"prefix": parts[1]}).first()
    if row is None or not hmac.compare_digest(row.token_hash, token_hash(token)):
        return None
    return int(row.id)
