"""Drawings for the analytics pages, computed here and rendered as inline SVG by the templates (no script, no
external asset): the chain laid out in layers from its end products upstream and coloured by weakness, and bar
charts of a quarter against the one before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.analytics.schemas import ChainAnalysis, Funnel, FunnelPart

MAX_DRAWN = 80
COL, ROW, PAD, BOX_W, BOX_H = 190, 44, 16, 150, 30
# weakness score bands (0–1) and their colours; nodes not on the 短板 list are green
BANDS = ((0.6, "#dc2626", "严重短板"), (0.4, "#f97316", "短板"), (0.0, "#facc15", "需关注"))
SOUND = ("#16a34a", "无明显短板")


@dataclass(frozen=True)
class Box:
    name: str
    x: int
    y: int
    colour: str
    label: str  # local suppliers, e.g. "本地 2 家"
    title: str  # the tooltip


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    boxes: list[Box]
    lines: list[Line]
    hidden: int  # nodes left out to keep the drawing readable


def _colour(score: float | None) -> tuple[str, str]:
    if score is None:
        return SOUND
    return next((c, t) for floor, c, t in BANDS if score >= floor)


def chain_drawing(page: ChainAnalysis, edges: Sequence[tuple[str, str]]) -> Drawing:
    """Layers by distance upstream from the end products (members no other member is made from)."""
    score = {w.node: w.score for w in page.weak}
    nodes = {n.node: n for n in page.nodes}
    keep = sorted(nodes, key=lambda n: (-(score.get(n, -1.0)), -(nodes[n].demand.value or 0), n))[:MAX_DRAWN]
    shown = set(keep)
    inputs: dict[str, list[str]] = {}
    used = set()
    for src, dst in edges:
        if src in shown and dst in shown:
            inputs.setdefault(dst, []).append(src)
            used.add(src)
    level = {n: 0 for n in keep if n not in used}
    frontier = list(level)
    while frontier:
        nxt = []
        for n in frontier:
            for i in inputs.get(n, ()):
                if i not in level:
                    level[i] = level[n] + 1
                    nxt.append(i)
        frontier = nxt
    deepest = max(level.values(), default=0)
    for n in keep:
        level.setdefault(n, deepest + 1)  # on a cycle only: still drawn, in a last column
    columns: dict[int, list[str]] = {}
    for n in sorted(keep, key=lambda n: (level[n], -(score.get(n, -1.0)), n)):
        columns.setdefault(level[n], []).append(n)
    n_cols = max(columns, default=0) + 1
    place: dict[str, tuple[int, int]] = {}
    for lv, names in columns.items():
        for k, n in enumerate(names):
            # end products on the right, inputs to their left, as the chain reads from raw material to product
            place[n] = (PAD + (n_cols - 1 - lv) * COL, PAD + k * ROW)
    boxes = []
    for n in keep:
        f = nodes[n]
        colour, band = _colour(score.get(n))
        sup = f.suppliers.value or 0
        title = f"{n}：本地供应商 {sup} 家；{band}" + (f"（评分 {score[n]:.2f}）" if n in score else "")
        boxes.append(Box(n, *place[n], colour, f"本地 {sup} 家", title))
    lines = [Line(place[s][0] + BOX_W, place[s][1] + BOX_H // 2, place[d][0], place[d][1] + BOX_H // 2)
             for d, srcs in inputs.items() for s in srcs]
    rows = max((len(v) for v in columns.values()), default=1)
    return Drawing(PAD * 2 + (n_cols - 1) * COL + BOX_W, PAD * 2 + rows * ROW, boxes, lines, len(nodes) - len(keep))


@dataclass(frozen=True)
class Bar:
    label: str
    current: int | float
    previous: int | float
    w_current: int
    w_previous: int


FUNNEL_STEPS = (("deliveries", "定向送达"), ("seen", "已查看"), ("interested", "表达意向"), ("invited", "获邀对接"),
                ("selected", "入选"))
BAR_WIDTH = 360


def _bars(pairs: Sequence[tuple[str, float, float]]) -> list[Bar]:
    top = max([max(c, p) for _, c, p in pairs] + [1])
    return [Bar(label, c, p, round(BAR_WIDTH * c / top), round(BAR_WIDTH * p / top)) for label, c, p in pairs]


def funnel_bars(current: Funnel, previous: Funnel) -> list[Bar]:
    return _bars([(label, getattr(current, key), getattr(previous, key)) for key, label in FUNNEL_STEPS])


def part_bars(parts: Sequence[FunnelPart], labels: dict[str, str] | None = None) -> list[Bar]:
    """Deliveries per part (tier, region, chain), this quarter against the one before."""
    return _bars([((labels or {}).get(p.key, p.key), p.current.deliveries, p.previous.deliveries) for p in parts])
