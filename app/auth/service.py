"""Who may issue, list and revoke tokens, and read the audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.access import tokens as policy
from app.auth.repository import AuthRepository
from app.auth.schemas import AuditOut, Me, TokenCreate, TokenCreated, TokenOut, UserCreate, UserOut
from app.auth.tokens import create_token, revoke_token
from app.auth.web_sessions import create_user
from app.core.audit import entries, record, redact_contacts
from app.core.errors import Forbidden, NotFound
from app.enterprises import service as enterprises
from app.models import ApiToken, AuditEntry, Principal


def _out(token: ApiToken, principal: Principal, org: str | None) -> TokenOut:
    return TokenOut(prefix=token.prefix, name=principal.name, role=principal.role, org=org,
                    scopes=list(token.scopes or []), expires_at=token.expires_at, revoked_at=token.revoked_at,
                    created_at=token.created_at)


def issue(*, session: Session, data: TokenCreate, caller: Principal) -> TokenCreated:
    firm = enterprises.get(session=session, key=data.org) if data.org else None
    policy.check_issue(caller, role=data.role, firm=firm, days=data.days)
    token, rec = create_token(session, role=data.role, name=data.name, org_code=data.org, ttl_days=data.days,
                              scopes=data.scopes or None, regions=data.regions, chains=data.chains)
    record(session, principal=caller, action="token.create", entity="token", entity_id=rec.prefix,
           after={"role": data.role, "name": data.name, "org": data.org, "scopes": rec.scopes})
    principal = session.get(Principal, rec.principal_id)
    assert principal is not None
    return TokenCreated(token=token, **_out(rec, principal, data.org).model_dump())


def list_tokens(*, session: Session, caller: Principal) -> list[TokenOut]:
    """The tokens the caller may list and revoke (the access policy's owners), with their owner's firm code."""
    return [_out(t, p, code) for t, p, code in AuthRepository(session).tokens(policy.owner_clause(caller))]


def revoke(*, session: Session, prefix: str, caller: Principal) -> TokenOut:
    row = AuthRepository(session).owned_token(policy.owner_clause(caller), prefix)
    if row is None:
        raise NotFound(f"token {prefix} not found")
    token = revoke_token(session, prefix=prefix)
    record(session, principal=caller, action="token.revoke", entity="token", entity_id=prefix,
           after={"revoked_at": token.revoked_at})
    return _out(token, row[1], row[2])


def me(*, session: Session, caller: Principal) -> Me:
    org = enterprises.code_of(session, caller.org_id) if caller.org_id else None
    return Me(id=caller.id, name=caller.name, role=caller.role, org=org, scopes=list(caller.token_scopes),
              regions=list(caller.regions or []), chains=list(caller.chains or []))


def audit_log(*, session: Session, caller: Principal, entity: str | None, entity_id: str | None,
              limit: int, offset: int) -> list[AuditOut]:
    # A limited operator reads what it did itself; the whole log is for unlimited operators and admins.
    limited = caller.role == "operator" and bool(caller.regions or caller.chains)
    rows = entries(session, by=caller.id if limited else None, entity=entity, entity_id=entity_id, limit=limit,
                   offset=offset)
    # A firm's contacts are private to the firm and admins (the enterprises rule); an operator reading the log
    # sees that they changed, not what they are.
    shown = enterprises.private_visible_codes(
        session=session, principal=caller, codes={r.entity_id for r in rows if r.entity == "enterprise"})
    return [_audit_out(r, contacts=caller.role == "admin" or (r.entity == "enterprise" and r.entity_id in shown))
            for r in rows]


def actors(*, session: Session, rows: list[AuditOut]) -> dict[int, tuple[str, str]]:
    """Who acted in ``rows``: principal id -> (name, role), for a reader of the log (names are not contacts)."""
    return AuthRepository(session).names({r.principal_id for r in rows if r.principal_id is not None})


def _audit_out(entry: AuditEntry, *, contacts: bool) -> AuditOut:
    out = AuditOut.model_validate(entry)
    if contacts:
        return out
    return out.model_copy(update={"before": redact_contacts(out.before), "after": redact_contacts(out.after)})


def _admin(caller: Principal) -> None:
    if caller.role != "admin":
        raise Forbidden("only admins manage web users")


def list_users(*, session: Session, caller: Principal) -> list[UserOut]:
    """People with a password login, with their firm's code."""
    _admin(caller)
    return [UserOut(id=p.id, login=p.login or "", name=p.name, role=p.role, org=code, active=p.active)
            for p, code in AuthRepository(session).web_users()]


def add_user(*, session: Session, data: UserCreate, caller: Principal) -> UserOut:
    _admin(caller)
    user = create_user(session, login=data.login, password=data.password, role=data.role, name=data.name,
                       org_code=data.org or None)
    record(session, principal=caller, action="user.add", entity="principal", entity_id=user.id,
           after={"login": data.login, "role": data.role, "org": data.org})
    return UserOut(id=user.id, login=data.login, name=user.name, role=user.role, org=data.org or None,
                   active=user.active)
