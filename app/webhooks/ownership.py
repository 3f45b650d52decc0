"""Who owns a webhook, and when its deliveries stop.

A webhook belongs to the API token it was created with (and so to that token's principal), and a leader's or
an SME's hook is scoped to the principal's organisation. It receives only what its owner may receive and see,
and only while the owner has access: once the token is revoked or expires, or the principal is deactivated,
deliveries stop. The dispatcher checks this when it claims each delivery, from the database every worker shares,
so a revocation takes effect on the next delivery of any worker; a stopped delivery is not attempted and is
logged as ``skipped`` with the reason. Fan-out queues nothing more for such a hook. The owner's right to see the
notification's subject (the need, challenge or catalogue it names) is checked again at that moment too, since
it may have changed since the notification was written.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.catalogues import service as catalogues
from app.challenges import service as challenges
from app.core.errors import AppError
from app.models import ApiToken, Notification, Principal, Webhook
from app.needs import service as needs


def hook_matches(hook: Webhook, owner_role: str, note: Notification) -> bool:
    """Whether ``hook`` (owned by a principal of ``owner_role``) receives ``note``."""
    if hook.events and note.event not in hook.events:
        return False
    # A hook sees what happens from its creation on, not the backlog from before it existed.
    if note.created_at < hook.created_at:
        return False
    if owner_role == "admin":
        return True
    if note.principal_id is not None and note.principal_id == hook.owner_id:
        return True
    return hook.org_id is not None and note.org_id == hook.org_id


def access_lost(hook: Webhook, token: ApiToken | None, owner: Principal | None, now: datetime) -> str | None:
    """Why the owner of ``hook`` no longer has access (so nothing may be sent), or None while it has."""
    if token is None or token.principal_id != hook.owner_id:
        return "the token that created this webhook no longer exists"
    if token.revoked_at is not None:
        return "the token that created this webhook was revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "the token that created this webhook has expired"
    if owner is None or not owner.active:
        return "the owner of this webhook is deactivated"
    if hook.org_id is not None and owner.org_id != hook.org_id:
        return "the owner of this webhook no longer belongs to its organisation"
    return None


def _subject_hidden(session: Session, owner: Principal, payload: dict[str, object]) -> str | None:
    checks = (("need_id", "need", lambda i: needs.get(session=session, need_id=i, principal=owner)),
              ("challenge_id", "challenge", lambda i: challenges.get_visible(session, owner, i)),
              ("catalogue_id", "catalogue",
               lambda i: catalogues.get_visible(session=session, catalogue_id=i, principal=owner)))
    for key, name, fetch in checks:
        if key not in payload:
            continue
        subject = payload[key]
        if not isinstance(subject, int) or isinstance(subject, bool) or not 1 <= subject <= 2_147_483_647:
            return f"the notification names no valid {name}"
        try:
            fetch(subject)
        except AppError:
            return f"the owner of this webhook may no longer see {name} {subject}"
    return None


def stop_reason(session: Session, hook: Webhook, note: Notification, now: datetime) -> str | None:
    """Why ``note`` must not be sent to ``hook`` now, or None when it may be."""
    token = session.get(ApiToken, hook.token_id) if hook.token_id is not None else None
    owner = session.get(Principal, hook.owner_id)
    lost = access_lost(hook, token, owner, now)
    if lost is not None or owner is None:
        return lost or "the owner of this webhook no longer exists"
    if not hook_matches(hook, owner.role, note):
        return "the owner of this webhook no longer receives this notification"
    return _subject_hidden(session, owner, dict(note.payload or {}))
