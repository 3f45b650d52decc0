"""API tokens: random secrets shown once; the database keeps a prefix to find them and a hash to check them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from app.auth.repository import AuthRepository
from app.chains import service as chain_service
from app.core.authn import TOKEN_PREFIX, token_hash
from app.core.errors import Invalid, NotFound
from app.core.vocabulary import INTEGRATION_SCOPES
from app.enterprises import service as enterprises
from app.models import ROLES, ApiToken, Principal
from app.models._types import utcnow


def create_token(session: Session, *, role: str, name: str, org_code: str | None = None,
                 ttl_days: int = 365, scopes: list[str] | None = None, regions: list[str] | None = None,
                 chains: list[str] | None = None) -> tuple[str, ApiToken]:
    if role not in ROLES:
        raise Invalid("role", f"must be one of {', '.join(ROLES)}")
    org_id = None
    if org_code is not None:
        org_id = enterprises.get(session=session, key=org_code).id
    if role in ("leader", "sme") and org_id is None:
        raise Invalid("org", f"a {role} token belongs to an organisation: give its code")
    bad = sorted(set(scopes or ()) - set(INTEGRATION_SCOPES))
    if bad:
        raise Invalid("scopes", f"unknown scope(s) {', '.join(bad)}; allowed: {', '.join(INTEGRATION_SCOPES)}")
    if role == "integration" and not scopes:
        scopes = ["read"]
    if (regions or chains) and role != "operator":
        raise Invalid("regions", "only operators are limited to regions and chains")
    unknown = chain_service.unknown_codes(session, chains or [])
    if unknown:
        raise Invalid("chains", f"unknown chain(s) {', '.join(unknown)}")
    principal = Principal(name=name, role=role, org_id=org_id, regions=list(regions or []), chains=list(chains or []))
    session.add(principal)
    session.flush()
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiToken(principal_id=principal.id, prefix=prefix, token_hash=token_hash(token), scopes=scopes or [],
                      expires_at=utcnow() + timedelta(days=ttl_days) if ttl_days > 0 else None)
    session.add(record)
    session.flush()
    return token, record


def revoke_token(session: Session, *, prefix: str) -> ApiToken:
    record = AuthRepository(session).token(prefix)
    if record is None:
        raise NotFound(f"token {prefix} not found")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
    session.flush()
    return record
