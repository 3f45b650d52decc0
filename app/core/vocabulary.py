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
# What a machine client (role integration) may do, named on its token and declared by each route it may call.
IntegrationScope = Literal["read", "match", "webhooks"]

ROLES: tuple[str, ...] = get_args(Role)
ENTERPRISE_KINDS: tuple[str, ...] = get_args(EnterpriseKind)
TIERS: tuple[str, ...] = get_args(Tier)
NEED_KINDS: tuple[str, ...] = get_args(NeedKind)
NEED_STATUSES: tuple[str, ...] = get_args(NeedStatus)
CATALOGUE_STATUSES: tuple[str, ...] = get_args(CatalogueStatus)
OFFER_KINDS: tuple[str, ...] = get_args(OfferKind)
NODE_KINDS: tuple[str, ...] = get_args(NodeKind)
INTEGRATION_SCOPES: tuple[str, ...] = get_args(IntegrationScope)

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

# Chain analytics (app/analytics, graph/analytics.py). Every figure says what it rests on: a firm's own declaration,
# imported filings, or an estimate (an inferred link, an imputed share, equal weights), so nobody takes an
# estimate for a survey.
Basis = Literal["declared", "imported", "estimated"]
BASES: tuple[str, ...] = get_args(Basis)
BASIS_LABELS = {"declared": "企业填报", "imported": "导入数据", "estimated": "估算"}
NO_BASIS_LABEL = "无数据"
Concentration = Literal["unconcentrated", "moderate", "high"]
CONCENTRATION_LABELS = {"unconcentrated": "分散", "moderate": "中度集中", "high": "高度集中"}
Weighting = Literal["leaders", "end_products"]
WEIGHTING_LABELS = {"leaders": "按链主企业营收权重", "end_products": "无链主企业，按链条终端产品等权估算"}
EVIDENCE_LABELS = {"no_local_supplier": "本地无供应商", "single_source": "本地唯一供应商",
                   "high_concentration": "供应高度集中 (HHI)", "leader_demand": "链主投入需求占比",
                   "cuts_off_inputs": "断供将切断的上游环节数", "betweenness": "结构中介度",
                   "outside_suppliers": "区外同等级制造企业数"}
# A quarter as catalogues name it (2026Q4; this century, so the one before and after are dates too); analytics
# compare it with the one before.
QUARTER_PATTERN = r"^20\d{2}Q[1-4]$"
