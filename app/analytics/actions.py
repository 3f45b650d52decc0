"""What an office does with a weak link: draft a recruitment need (招引/补链) aimed at it, optionally as an item of
the chain's draft catalogue, or look at the best firms outside the region that make it, ranked by the engine.

Both go through the owners of the rules they touch: the need is created by the needs service (as a draft in a
chain-leader firm's name, the import's rule), filed by the catalogues service, and ranked by the matches service.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from sqlalchemy.orm import Session

from app.analytics import present, service
from app.analytics import schemas as out
from app.analytics.snapshot import SnapshotCache
from app.catalogues import service as catalogues
from app.core.errors import Conflict, Invalid, NotFound
from app.core.vocabulary import BASIS_LABELS, NO_BASIS_LABEL, REQUIRED_TIER_LABELS
from app.enterprises import service as enterprises
from app.enterprises.schemas import EnterpriseSummary
from app.match_index.holder import IndexHolder
from app.matches.service import rank_query
from app.models import Principal
from app.needs import service as needs
from app.needs.delivery import tiers_at_least
from app.needs.schemas import NeedCreate
from graph import results as pr
from matching import MatchQuery

_MAX_TITLE = 200


def _weak_node(ctx: service.Context, node: str) -> tuple[str, pr.NodeFigures, pr.WeakLink]:
    name = service.chain_node(ctx, node)
    result = service.analyse(ctx)
    weak = next((w for w in result.weak if w.node == name), None)
    if weak is None:
        raise Conflict(f"{name} is not a weak link of chain {ctx.chain.code} for this region and tier")
    figures = next(n for n in result.nodes if n.node == name)
    return name, figures, weak


def _describe(name: str, region: str, min_tier: str, figures: pr.NodeFigures, weak: pr.WeakLink) -> str:
    """The evidence in words for the need's readers, each figure with what it rests on."""
    place = region or "全国"
    tier = REQUIRED_TIER_LABELS.get(min_tier, min_tier)
    ev = {e.code: e for e in weak.evidence}
    basis = BASIS_LABELS.get(figures.suppliers.basis or "", NO_BASIS_LABEL)
    lines = [f"短板环节：{name}（{place}，企业等级要求：{tier}）。",
             f"本地符合等级的供应商 {figures.suppliers.value} 家（依据：{basis}）。"]
    if "outside_suppliers" in ev:
        o = ev["outside_suppliers"]
        label = BASIS_LABELS.get(o.basis or "", NO_BASIS_LABEL)
        lines.append(f"区外符合等级的制造企业 {o.value} 家（依据：{label}）。")
    if "leader_demand" in ev and isinstance(ev["leader_demand"].value, float):
        lines.append(f"占链主企业投入需求的 {ev['leader_demand'].value:.1%}。")
    lines.append(f"短板评分 {weak.score:.2f}（0–1，越高越弱）。诚邀具备相应能力的企业对接，补齐本地配套。")
    return "\n".join(lines)


def draft_need(*, session: Session, cache: SnapshotCache, principal: Principal, chain: str, node: str,
               data: out.DraftNeed) -> out.DraftedNeed:
    ctx = service.context(session=session, cache=cache, principal=principal, chain=chain, region=data.region,
                          min_tier=data.min_tier)
    name, figures, weak = _weak_node(ctx, node)
    try:
        poster = enterprises.get(session=session, key=data.poster)
    except NotFound:
        raise Invalid("poster", f"unknown enterprise {data.poster}") from None
    catalogue = None
    if data.catalogue_id is not None:
        catalogue = catalogues.get_visible(session=session, catalogue_id=data.catalogue_id, principal=principal)
        if catalogue.chain_id != ctx.chain.id:
            raise Invalid("catalogue_id", f"catalogue {catalogue.id} belongs to another chain")
    title = data.title or f"{name}补链招引（{ctx.region or '全国'}）"[:_MAX_TITLE]
    description = data.description or _describe(name, ctx.region, ctx.min_tier, figures, weak)
    need = needs.create_for(session=session, poster=poster, principal=principal, data=NeedCreate(
        kind=data.kind, title=title, description=description, nodes=[name], scope="node",
        delivery_region=ctx.region, required_tier=None if ctx.min_tier == "none" else ctx.min_tier))
    if catalogue is not None:
        catalogues.add_item(session=session, catalogue_id=catalogue.id, need_id=need.id, principal=principal)
    refs = service.firms(session, present.firm_ids([weak]))
    return out.DraftedNeed(need=needs.present(session, need, principal), catalogue_id=need.catalogue_id,
                           evidence=[present.evidence(e, refs) for e in weak.evidence])


def outside_firms(*, session: Session, cache: SnapshotCache, holder: IndexHolder, principal: Principal, chain: str,
                  node: str, region: str | None, min_tier: str, limit: int) -> out.OutsideFirms:
    """The best makers of a chain node outside the region, with the engine's reasons (where to recruit from)."""
    ctx = service.context(session=session, cache=cache, principal=principal, chain=chain, region=region,
                          min_tier=min_tier)
    name = service.chain_node(ctx, node)
    if not ctx.region:
        raise Invalid("region", "name a region: every firm lies inside 'everywhere'")
    table = ctx.snap.table
    # firm ids in the table are enterprise ids (app/analytics/snapshot.py loads them so)
    local = frozenset(cast(int, table.firm_ids_[i]) for i in np.flatnonzero(table.region_mask(ctx.region)).tolist())
    query = MatchQuery(text=name, nodes=(name,), scope="node", exclude=local, tiers=tiers_at_least(ctx.min_tier),
                       limit=limit)
    results, _ = rank_query(holder=holder, query=query)
    rows = service.firms(session, {r.enterprise_id for r in results})
    inside = ctx.region + "/"
    items = [out.OutsideFirm(enterprise=rows[r.enterprise_id], score=round(r.score, 6), match=r.match,
                             explanation=r.explanation)
             for r in results if r.enterprise_id in rows and not _within(rows[r.enterprise_id], ctx.region, inside)]
    return out.OutsideFirms(scope=ctx.scope(), node=name, items=items)


def _within(firm: EnterpriseSummary, region: str, below: str) -> bool:
    # The snapshot may predate a firm's move into the region; its current place decides.
    return firm.region == region or firm.region.startswith(below)
