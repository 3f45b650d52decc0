"""API tokens: random secrets shown once; the database keeps a prefix to find them and a hash to check them."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Invalid, NotFound, Unauthorized
from app.models import ROLES, ApiToken, Chain, Enterprise, Principal
from app.models._types import utcnow

TOKEN_PREFIX = "cm_"
# What a machine client (role integration) may do: read (GET what it may see), match, webhooks.
INTEGRATION_SCOPES = ("read", "match", "webhooks")


def _hash(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (passwords are another matter).
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, role: str, name: str, org_code: str | None = None,
                 ttl_days: int = 365, scopes: list[str] | None = None, regions: list[str] | None = None,
                 chains: list[str] | None = None) -> tuple[str, ApiToken]:
    if role not in ROLES:
        raise Invalid("role", f"must be one of {', '.join(ROLES)}")
    org_id = None
    if org_code is not None:
        org_id = session.scalar(select(Enterprise.id).where(Enterprise.code == org_code))
        if org_id is None:
            raise NotFound(f"organisation {org_code} not found")
    if role in ("leader", "sme") and org_id is None:
        raise Invalid("org", f"a {role} token belongs to an organisation: give its code")
    bad = sorted(set(scopes or ()) - set(INTEGRATION_SCOPES))
    if bad:
        raise Invalid("scopes", f"unknown scope(s) {', '.join(bad)}; allowed: {', '.join(INTEGRATION_SCOPES)}")
    if role == "integration" and not scopes:
        scopes = ["read"]
    if (regions or chains) and role != "operator":
        raise Invalid("regions", "only operators are limited to regions and chains")
    unknown = sorted(set(chains or ()) - set(session.scalars(select(Chain.code).where(Chain.code.in_(chains or [])))))
    if unknown:
        raise Invalid("chains", f"unknown chain(s) {', '.join(unknown)}")
    principal = Principal(name=name, role=role, org_id=org_id, regions=list(regions or []), chains=list(chains or []))
    session.add(principal)
    session.flush()
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiToken(principal_id=principal.id, prefix=prefix, token_hash=_hash(token), scopes=scopes or [],
                      expires_at=utcnow() + timedelta(days=ttl_days) if ttl_days > 0 else None)
    session.add(record)
    session.flush()
    return token, record


def authenticate(session: Session, token: str, *, now: datetime | None = None) -> Principal:
    parts = token.split("_")
    if len(parts) < 3 or not token.startswith(TOKEN_PREFIX):
        raise Unauthorized("malformed token")
    record = session.scalar(select(ApiToken).where(ApiToken.prefix == parts[1]))
    if record is None or not hmac.compare_digest(record.token_hash, _hash(token)):
        raise Unauthorized("unknown token")
    moment = now or utcnow()
    if record.revoked_at is not None:
        raise Unauthorized("token revoked")
    if record.expires_at is not None and record.expires_at <= moment:
        raise Unauthorized("token expired")
    principal = session.get(Principal, record.principal_id)
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
    row = session.execute(select(ApiToken.id, ApiToken.token_hash).where(ApiToken.prefix == parts[1])).first()
    if row is None or not hmac.compare_digest(row.token_hash, _hash(token)):
        return None
    return int(row.id)


def revoke_token(session: Session, *, prefix: str) -> ApiToken:
    record = session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
    if record is None:
        raise NotFound(f"token {prefix} not found")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
    session.flush()
    return record
