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
IntegrationScope = Literal["read", "match", "webhooks", "events"]

# Matchmaking events (供需对接会): the event's states in order, requests, meetings and their outcomes.
EventStatus = Literal["draft", "open", "scheduling", "scheduled", "running", "closed"]
RequestPriority = Literal["must", "like", "no"]
RequestStatus = Literal["pending", "accepted", "declined", "expired", "refused"]
MeetingSource = Literal["accepted", "must", "suggestion", "walk_in", "manual"]
MeetingStatus = Literal["scheduled", "held", "no_show", "cancelled"]
MeetingOutcome = Literal["no_interest", "intent", "signed"]

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
