"""What the web pages show: read-only queries shaped for the templates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.matches.index_holder import IndexHolder
from app.matches.service import rank_query
from app.models import ChainNode, Enterprise, Need, NeedNode, Principal
from app.needs.delivery import need_query
from app.opportunities.schemas import FeedItem
from app.opportunities.service import feed

ROLE_NAMES = {"admin": "管理员", "operator": "运营方", "leader": "链主企业", "sme": "中小企业",
              "integration": "系统对接"}
KIND_NAMES = {"procurement": "物资采购", "cooperation": "项目合作", "technology": "技术攻关"}
NEED_STATUS_NAMES = {"draft": "草稿", "published": "已发布", "closed": "已关闭"}
SME_STATUS_NAMES = {"none": "未响应", "interested": "已表达意向", "dismissed": "已忽略"}
POSTER_STATUS_NAMES = {"none": "", "invited": "对方已邀请", "rejected": "对方已婉拒", "selected": "已入选"}
TIER_NAMES = {"none": "—", "innovative": "创新型中小企业", "provincial": "省级专精特新", "little_giant": "国家级小巨人"}
NAMES = {"role_names": ROLE_NAMES, "kind_names": KIND_NAMES, "need_status_names": NEED_STATUS_NAMES,
         "status_names": SME_STATUS_NAMES, "tier_names": TIER_NAMES, "poster_status_names": POSTER_STATUS_NAMES}


def opportunities(session: Session, user: Principal) -> list[FeedItem]:
    """The SME's feed, exactly as the API serves it (and, like the API, it marks the shown items seen)."""
    return feed(session=session, principal=user, kind=None, chain=None, deadline_before=None, limit=100,
                offset=0).items


def needs(session: Session, user: Principal) -> list[Need]:
    stmt = select(Need).order_by(Need.id.desc()).limit(100)
    if user.role == "leader":
        stmt = stmt.where(Need.poster_org_id == user.org_id)
    return list(session.scalars(stmt))


def visible_need(session: Session, user: Principal, need_id: int) -> Need | None:
    need = session.get(Need, need_id)
    if need is None or (user.role == "leader" and need.poster_org_id != user.org_id):
        return None
    return need if user.role in ("leader", "operator", "admin") else None


def need_page(session: Session, holder: IndexHolder, need: Need) -> dict[str, Any]:
    nodes = list(session.scalars(select(ChainNode.name).join(NeedNode, NeedNode.node_id == ChainNode.id)
                                 .where(NeedNode.need_id == need.id)))
    matches: list[dict[str, Any]] = []
    if holder.index is not None:
        results, _ = rank_query(holder=holder, query=need_query(session, need, limit=20))
        firms = {e.id: e for e in session.scalars(select(Enterprise).where(
            Enterprise.id.in_([r.enterprise_id for r in results])))}
        matches = [{"name": firms[r.enterprise_id].name, "code": firms[r.enterprise_id].code,
                    "tier": firms[r.enterprise_id].tier, "region": firms[r.enterprise_id].region, "score": r.score,
                    "reason": r.explanation.get("summary", "")} for r in results if r.enterprise_id in firms]
    return {"need": need, "nodes": nodes, "matches": matches}
