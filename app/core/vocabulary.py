"""The words the whole service shares, each defined once: kinds, tiers, statuses and roles, their Chinese labels
(in the policy's own wording, for web pages and exports alike), the paging and id parameters, and publication reach.

Models, schemas, routers, pages and exports import from here; a new value is added in one place.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from fastapi import Path, Query
from pydantic import Field

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
IntegrationScope = Literal["read", "match", "webhooks", "events"]

# Matchmaking events (供需对接会): the event's states in order, requests, meetings and their outcomes.
EventStatus = Literal["draft", "open", "scheduling", "scheduled", "running", "closed"]
RequestPriority = Literal["must", "like", "no"]
RequestStatus = Literal["pending", "accepted", "declined", "expired", "refused"]
MeetingSource = Literal["accepted", "must", "suggestion", "walk_in", "manual"]
MeetingStatus = Literal["scheduled", "held", "no_show", "cancelled"]
MeetingOutcome = Literal["no_interest", "intent", "signed"]

# What a change-log entry names: one firm (its profile or capabilities), the chain graph (nodes, edges), or the
# alias and kinds lists (node_aliases, node_kinds: the vocabulary matching reads).
ChangeKind = Literal["enterprise", "graph", "alias"]

ROLES: tuple[str, ...] = get_args(Role)
EVENT_STATUSES: tuple[str, ...] = get_args(EventStatus)
ENTERPRISE_KINDS: tuple[str, ...] = get_args(EnterpriseKind)
TIERS: tuple[str, ...] = get_args(Tier)
NEED_KINDS: tuple[str, ...] = get_args(NeedKind)
NEED_STATUSES: tuple[str, ...] = get_args(NeedStatus)
CATALOGUE_STATUSES: tuple[str, ...] = get_args(CatalogueStatus)
OFFER_KINDS: tuple[str, ...] = get_args(OfferKind)
NODE_KINDS: tuple[str, ...] = get_args(NodeKind)
INTEGRATION_SCOPES: tuple[str, ...] = get_args(IntegrationScope)
CHANGE_KINDS: tuple[str, ...] = get_args(ChangeKind)

ROLE_LABELS = {"admin": "管理员", "operator": "运营方", "leader": "链主企业", "sme": "中小企业",
               "integration": "系统对接"}
NEED_KIND_LABELS = {"procurement": "大宗物资采购", "cooperation": "重点项目合作", "technology": "关键技术攻关"}
NEED_STATUS_LABELS = {"draft": "草稿", "published": "已发布", "closed": "已关闭"}
TIER_LABELS = {"innovative": "创新型中小企业", "provincial": "省级专精特新",
               "little_giant": "国家级专精特新\u201c小巨人\u201d"}
EVENT_STATUS_LABELS = {"draft": "筹备中", "open": "报名中", "scheduling": "排期中", "scheduled": "已排期",
                       "running": "进行中", "closed": "已结束"}
REQUEST_PRIORITY_LABELS = {"must": "必须见面", "like": "希望见面", "no": "不见面"}
REQUEST_STATUS_LABELS = {"pending": "待回复", "accepted": "已接受", "declined": "已拒绝", "expired": "已过期",
                         "refused": "不见面"}
MEETING_STATUS_LABELS = {"scheduled": "已安排", "held": "已举行", "no_show": "缺席", "cancelled": "已取消"}
MEETING_OUTCOME_LABELS = {"no_interest": "无意向", "intent": "意向", "signed": "签约"}
# "none" reads differently by place: a firm without a tier shows a dash; a need that requires none, 不限.
FIRM_TIER_LABELS = {"none": "—", **TIER_LABELS}
REQUIRED_TIER_LABELS = {"none": "不限", **TIER_LABELS}

# Targeted publication (定向发布): the best-fitting firms each need is delivered to. One default and one cap for
# needs, challenges and catalogues alike; more than a few hundred firms is a broadcast, not a targeted delivery.
DEFAULT_TOP_N = 50
MAX_TOP_N = 200
# 匹配度 (0–100, matching/scale.py) below which a match never reaches an SME's feed, unless a need or catalogue
# sets its own minimum: under 30 the firm has only words of the need or products made together, no graph evidence.
DEFAULT_MIN_MATCH = 30
MinMatch = Annotated[int, Field(ge=0, le=100, description="minimum 匹配度 (0–100) of the firms a need reaches")]

# A row id in a path: bounded, so a huge number is a 422, not an overflow in the database driver.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]

# Labels the web pages show (exports use the same words).
SME_ANSWER_LABELS = {"none": "未响应", "interested": "已表达意向", "dismissed": "已忽略"}
POSTER_DECISION_LABELS = {"none": "待处理", "shortlisted": "已入围", "invited": "已邀请",
                          "rejected": "已婉拒", "selected": "已选定"}
APPLICATION_STATUS_LABELS = {"awaiting_team": "待队员确认", "team_declined": "队员未同意", "submitted": "已提交",
                             "shortlisted": "入围", "selected": "中选", "rejected": "未中选", "withdrawn": "已撤回"}
CATALOGUE_STATUS_LABELS = {"draft": "草稿", "in_review": "审核中", "published": "已发布", "closed": "已关闭"}
CHALLENGE_MODE_LABELS = {"competitive": "竞争立项", "directed": "定向委托", "team": "组阁揭榜"}
JOB_STATUS_LABELS = {"queued": "排队中", "running": "进行中", "done": "已完成", "failed": "失败"}
# A need's fields by their Chinese names, e.g. in "发布后有更新：数量、截止日期".
NEED_FIELD_LABELS = {"kind": "类型", "title": "标题", "description": "描述", "nodes": "产业链环节", "scope": "范围",
                     "quantity": "数量", "budget_min": "预算下限", "budget_max": "预算上限", "deadline": "截止日期",
                     "delivery_region": "交付地区", "required_tier": "企业等级要求",
                     "required_certifications": "资质要求", "anonymous": "匿名发布", "prize_amount": "奖金",
                     "mode": "揭榜方式", "ip_terms": "知识产权约定", "max_winners": "最多中选数"}
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
