"""The words the whole service shares, each defined once: kinds, tiers, statuses and roles, their Chinese labels
(in the policy's own wording, for web pages and exports alike), the paging and id parameters, and publication reach.

Models, schemas, routers, pages and exports import from here; a new value is added in one place.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from fastapi import Path, Query

Role = Literal["admin", "operator", "leader", "sme", "integration"]
EnterpriseKind = Literal["leader", "sme", "university", "institute"]
# Firms a need is delivered to: everyone who supplies or solves, chain leaders included (they supply each other).
ReceivingKind = Literal["sme", "university", "institute", "leader"]
Tier = Literal["none", "innovative", "provincial", "little_giant"]
NeedKind = Literal["procurement", "cooperation", "technology"]
NeedStatus = Literal["draft", "published", "closed"]
CatalogueStatus = Literal["draft", "in_review", "published", "closed"]
OfferKind = Literal["capability", "result"]
NodeKind = Literal["product", "segment"]
# What a change-log entry names: one firm (its profile or capabilities), or the chain graph (nodes, edges, aliases).
ChangeKind = Literal["enterprise", "graph"]

ROLES: tuple[str, ...] = get_args(Role)
ENTERPRISE_KINDS: tuple[str, ...] = get_args(EnterpriseKind)
TIERS: tuple[str, ...] = get_args(Tier)
NEED_KINDS: tuple[str, ...] = get_args(NeedKind)
NEED_STATUSES: tuple[str, ...] = get_args(NeedStatus)
CATALOGUE_STATUSES: tuple[str, ...] = get_args(CatalogueStatus)
OFFER_KINDS: tuple[str, ...] = get_args(OfferKind)
NODE_KINDS: tuple[str, ...] = get_args(NodeKind)
CHANGE_KINDS: tuple[str, ...] = get_args(ChangeKind)

ROLE_LABELS = {"admin": "管理员", "operator": "运营方", "leader": "链主企业", "sme": "中小企业",
               "integration": "系统对接"}
NEED_KIND_LABELS = {"procurement": "大宗物资采购", "cooperation": "重点项目合作", "technology": "关键技术攻关"}
NEED_STATUS_LABELS = {"draft": "草稿", "published": "已发布", "closed": "已关闭"}
TIER_LABELS = {"innovative": "创新型中小企业", "provincial": "省级专精特新",
               "little_giant": "国家级专精特新\u201c小巨人\u201d"}
# "none" reads differently by place: a firm without a tier shows a dash; a need that requires none, 不限.
FIRM_TIER_LABELS = {"none": "—", **TIER_LABELS}
REQUIRED_TIER_LABELS = {"none": "不限", **TIER_LABELS}

# Targeted publication (定向发布): the best-fitting firms each need is delivered to. One default and one cap for
# needs, challenges and catalogues alike; more than a few hundred firms is a broadcast, not a targeted delivery.
DEFAULT_TOP_N = 50
MAX_TOP_N = 200

# A row id in a path: bounded, so a huge number is a 422, not an overflow in the database driver.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
