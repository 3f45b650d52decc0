"""What the web pages show: read-only queries shaped for the templates."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.access import needs as policy
from app.core.vocabulary import FIRM_TIER_LABELS, NEED_KIND_LABELS, NEED_STATUS_LABELS, ROLE_LABELS
from app.match_index.holder import IndexHolder
from app.models import Need, Principal
from app.needs.candidates import matches
from app.needs.schemas import NeedOut
from app.needs.service import present, search
from app.opportunities.schemas import FeedItem
from app.opportunities.service import feed

SME_STATUS_NAMES = {"none": "未响应", "interested": "已表达意向", "dismissed": "已忽略"}
POSTER_STATUS_NAMES = {"none": "", "invited": "对方已邀请", "rejected": "对方已婉拒", "selected": "已入选"}
NAMES = {"role_names": ROLE_LABELS, "kind_names": NEED_KIND_LABELS, "need_status_names": NEED_STATUS_LABELS,
         "status_names": SME_STATUS_NAMES, "tier_names": FIRM_TIER_LABELS, "poster_status_names": POSTER_STATUS_NAMES}


def opportunities(session: Session, user: Principal) -> list[FeedItem]:
    """The SME's feed, exactly as the API serves it (and, like the API, it marks the shown items seen)."""
    return feed(session=session, principal=user, kind=None, chain=None, deadline_before=None, limit=100,
                offset=0).items


def needs(session: Session, user: Principal) -> list[NeedOut]:
    """The needs list, with the API's rules: a leader sees its firm's needs, staff all of them."""
    return search(session=session, principal=user, kind=None, status=None, q=None, limit=100, offset=0).items


def visible_need(session: Session, user: Principal, need_id: int) -> Need | None:
    """A need whose matches the user may see: the API's rule (the posting firm, staff within their scope)."""
    need = session.get(Need, need_id)
    return need if need is not None and policy.manages(user, need) else None


def need_page(session: Session, holder: IndexHolder, need: Need, user: Principal) -> dict[str, Any]:
    shown = present(session, need, user)
    ranked = matches(session=session, holder=holder, need=need, principal=user, kinds=(), tiers=(), regions=(),
                     limit=20, offset=0)
    return {"need": shown, "nodes": [n.name for n in shown.nodes], "matches": ranked.items}
