"""The queries of principals, their API tokens and browser sessions (this domain's own tables)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, delete, select
from sqlalchemy.orm import Session

from app.models import ApiToken, Enterprise, Principal, WebSession


class AuthRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def login_taken(self, login: str) -> bool:
        return self.session.scalar(select(Principal.id).where(Principal.login == login)) is not None

    def active_user(self, login: str) -> Principal | None:
        return self.session.scalar(select(Principal).where(Principal.login == login, Principal.active.is_(True)))

    def web_users(self) -> list[tuple[Principal, str | None]]:
        """People with a password login, oldest first, with their firm's code."""
        stmt = (select(Principal, Enterprise.code).outerjoin(Enterprise, Enterprise.id == Principal.org_id)
                .where(Principal.login.is_not(None)).order_by(Principal.id))
        rows = self.session.execute(stmt).all()
        return [(p, code) for p, code in rows]

    def names(self, ids: set[int]) -> dict[int, tuple[str, str]]:
        """id -> (name, role) of the given principals (those still held)."""
        if not ids:
            return {}
        rows = self.session.execute(select(Principal.id, Principal.name, Principal.role).where(Principal.id.in_(ids)))
        return {i: (name, role) for i, name, role in rows}

    def web_session(self, token_hash: str) -> WebSession | None:
        return self.session.scalar(select(WebSession).where(WebSession.token_hash == token_hash))

    def end_web_session(self, web_session_id: int) -> None:
        self.session.execute(delete(WebSession).where(WebSession.id == web_session_id))

    def token(self, prefix: str) -> ApiToken | None:
        return self.session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))

    @staticmethod
    def _tokens(owners: ColumnElement[bool]) -> Select[ApiToken, Principal, str]:
        # The owner's firm code comes with each token: a token is named by whom it belongs to.
        return (select(ApiToken, Principal, Enterprise.code).join(Principal, Principal.id == ApiToken.principal_id)
                .outerjoin(Enterprise, Enterprise.id == Principal.org_id).where(owners))

    def tokens(self, owners: ColumnElement[bool]) -> list[tuple[ApiToken, Principal, str | None]]:
        """The tokens whose owners satisfy ``owners`` (the access policy's clause), oldest first."""
        rows = self.session.execute(self._tokens(owners).order_by(ApiToken.id)).all()
        return [(t, p, code) for t, p, code in rows]

    def owned_token(self, owners: ColumnElement[bool], prefix: str) -> tuple[ApiToken, Principal, str | None] | None:
        row = self.session.execute(self._tokens(owners).where(ApiToken.prefix == prefix)).first()
        return (row[0], row[1], row[2]) if row is not None else None
