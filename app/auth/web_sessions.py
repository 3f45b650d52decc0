"""Browser sessions: a random secret in an HttpOnly cookie, its hash and a CSRF token in the database."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from app.auth.passwords import hash_password
from app.auth.repository import AuthRepository
from app.core.audit import record
from app.core.errors import Conflict, Invalid
from app.enterprises import service as enterprises
from app.models import ROLES, Principal, WebSession
from app.models._types import utcnow

COOKIE = "cm_session"
LIFETIME = timedelta(hours=12)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_user(session: Session, *, login: str, password: str, role: str, name: str,
                org_code: str | None = None) -> Principal:
    if role not in ROLES or role == "integration":
        raise Invalid("role", "people log in as admin, operator, leader or sme")
    if AuthRepository(session).login_taken(login):
        raise Conflict(f"login {login} is taken")
    org_id = None
    if org_code:
        org_id = enterprises.get(session=session, key=org_code).id
    if role in ("leader", "sme") and org_id is None:
        raise Invalid("org", f"a {role} user belongs to an organisation")
    try:
        digest = hash_password(password)
    except ValueError as exc:
        raise Invalid("password", str(exc)) from None
    user = Principal(name=name, role=role, org_id=org_id, login=login, password_hash=digest, regions=[], chains=[])
    session.add(user)
    session.flush()
    record(session, principal=None, action="user.create", entity="principal", entity_id=user.id,
           after={"login": login, "role": role, "org": org_code})
    return user


def find_user(session: Session, login: str) -> Principal | None:
    """The active user with this login, if any (the password is checked by app.auth.login, off this thread)."""
    return AuthRepository(session).active_user(login)


def start(session: Session, user: Principal) -> tuple[str, WebSession]:
    """A new browser session for a user whose password has been checked; returns the cookie's secret."""
    secret = secrets.token_urlsafe(32)
    web = WebSession(principal_id=user.id, token_hash=_hash(secret), csrf_token=secrets.token_urlsafe(24),
                     expires_at=utcnow() + LIFETIME)
    session.add(web)
    session.flush()
    record(session, principal=user, action="session.login", entity="principal", entity_id=user.id)
    return secret, web


def current(session: Session, secret: str | None) -> tuple[Principal, WebSession] | None:
    if not secret:
        return None
    web = AuthRepository(session).web_session(_hash(secret))
    if web is None or web.expires_at <= utcnow():
        return None
    user = session.get(Principal, web.principal_id)
    if user is None or not user.active:
        return None
    return user, web


def check_csrf(web: WebSession, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(web.csrf_token, submitted or "")


def log_out(session: Session, web: WebSession) -> None:
    AuthRepository(session).end_web_session(web.id)
    user = session.get(Principal, web.principal_id)
    record(session, principal=user, action="session.logout", entity="principal", entity_id=web.principal_id)
