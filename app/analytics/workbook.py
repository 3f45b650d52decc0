"""The office's xlsx report of one chain in one region: overview, node table, 短板 list, uncovered inputs and
each chain leader's 配套率, with Chinese headers and every figure's basis beside it. Written through
app/core/spreadsheet.py, so no cell can become a formula."""

from __future__ import annotations

from typing import Any

from app.analytics import schemas as out
from app.core.spreadsheet import Sheet, xlsx
from app.core.vocabulary import (
    BASIS_LABELS,
    CONCENTRATION_LABELS,
    EVIDENCE_LABELS,
    FIRM_TIER_LABELS,
    NO_BASIS_LABEL,
    REQUIRED_TIER_LABELS,
    WEIGHTING_LABELS,
)

NODE_COLUMNS = ("序号", "环节", "本地供应商数", "依据", "唯一本地供应商", "本地制造企业(按等级)",
                "区外制造企业(按等级)", "产能(企业当量)", "产能依据", "HHI", "集中度", "HHI依据", "链主投入需求占比",
                "断供影响环节数", "中介度")
WEAK_COLUMNS = ("排名", "环节", "短板评分", "证据")
MISSING_COLUMNS = ("序号", "投入环节", "未覆盖需求占比", "是否链内环节", "本地供应商数", "需求链主")
BASIS_NOTE = ("依据：企业填报 = 企业自行申报；导入数据 = 来自公开披露或批量导入；"
              "估算 = 推断的关联、补齐的份额或等权假设，不可视同调查数据。"
              "配套率、HHI、短板评分的公式见接口文档 (graph/analytics.py)。")
LEADER_COLUMNS = ("序号", "链主企业", "企业代码", "配套率", "依据", "投入环节数", "无本地供应的投入数")


def _basis(basis: str | None) -> str:
    return BASIS_LABELS.get(basis or "", NO_BASIS_LABEL)


def _tiers(counts: dict[str, int]) -> str:
    return "；".join(f"{FIRM_TIER_LABELS.get(t, t).replace('—', '无等级')} {n}" for t, n in counts.items() if n) or "0"


def _pct(value: float | int | None) -> str:
    return "" if value is None else f"{float(value):.1%}"


def _evidence(e: out.Evidence) -> str:
    label = EVIDENCE_LABELS.get(e.code, e.code)
    value = e.firm.name if e.firm is not None else e.value
    if isinstance(value, float):
        value = f"{value:.4g}"
    return f"{label}: {value if value is not None else ''}（{_basis(e.basis)}）" if e.basis else f"{label}: {value}"


def _node_row(k: int, n: out.NodeFigures) -> list[Any]:
    return [k, n.node, n.suppliers.value, _basis(n.suppliers.basis), n.single_source.name if n.single_source else "",
            _tiers(n.local_makers), _tiers(n.outside_makers), round(float(n.capacity.value or 0), 4),
            _basis(n.capacity.basis), None if n.hhi.value is None else round(float(n.hhi.value), 1),
            CONCENTRATION_LABELS.get(n.concentration or "", ""), _basis(n.hhi.basis), _pct(n.demand.value),
            n.cuts_off, round(n.betweenness, 6)]


def workbook(page: out.ChainAnalysis) -> bytes:
    s, sup = page.scope, page.supply
    name = s.chain.name if s.chain else ""
    overview: list[list[Any]] = [
        ["产业链", name], ["地区", s.region or "全国"],
        ["企业等级要求", REQUIRED_TIER_LABELS.get(s.min_tier, s.min_tier)],
        ["数据时间 (UTC)", s.as_of.strftime("%Y-%m-%d %H:%M")], ["配套率", _pct(sup.rate.value)],
        ["配套率依据", _basis(sup.rate.basis)], ["权重", WEIGHTING_LABELS.get(sup.weighting, sup.weighting)],
        ["有需求的投入环节", sup.inputs], ["本地完全覆盖的投入环节", sup.covered], ["短板环节数", page.weak_total],
        ["说明", BASIS_NOTE],
    ]
    sheets = [
        Sheet("概况", ("项目", "数值"), overview),
        Sheet("环节", NODE_COLUMNS, [_node_row(k, n) for k, n in enumerate(page.nodes, start=1)], ("A",)),
        Sheet("短板", WEAK_COLUMNS, [[k, w.node, round(w.score, 4), "\n".join(_evidence(e) for e in w.evidence)]
                                     for k, w in enumerate(page.weak, start=1)], ("A",)),
        Sheet("缺口投入", MISSING_COLUMNS, [[k, m.node, _pct(m.uncovered), "是" if m.in_chain else "否", m.suppliers,
                                          "、".join(f.name for f in m.needed_by)]
                                         for k, m in enumerate(sup.missing, start=1)], ("A",)),
        Sheet("链主配套率", LEADER_COLUMNS, [[k, r.leader.name, r.leader.code, _pct(r.rate.value), _basis(r.rate.basis),
                                          r.inputs, r.missing] for k, r in enumerate(sup.leaders, start=1)], ("A",)),
    ]
    return xlsx(sheets, title=f"{name}产业链分析报告（{s.region or '全国'}）")
