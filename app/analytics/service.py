"""Chain analytics read by industry offices: one chain's page, the chains at a glance, a leader's 配套率.

The figures are computed by graph/analytics.py on the worker's snapshot (app/analytics/snapshot.py); this module
resolves the chain and the caller's reach (app/access/analytics.py) and turns firm ids into firm references.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.access import analytics as policy
from app.analytics import present
from app.analytics import schemas as out
from app.analytics.snapshot import Snapshot, SnapshotCache
from app.chains import service as chains
from app.core.errors import Invalid, NotFound
from app.enterprises import service as enterprises
from app.enterprises.schemas import EnterpriseSummary
from app.models import Chain, Principal
from graph import AnalyticsError
from graph import analytics as pure
from graph import results as pr


@dataclass(frozen=True)
class Context:
    """A chain read by a caller: its members, the region the caller's figures are for, the data snapshot."""

    chain: Chain
    members: list[str]
    region: str
    min_tier: str
    snap: Snapshot

    def scope(self) -> out.Scope:
        return out.Scope(chain=out.ChainRef(code=self.chain.code, name=self.chain.name), region=self.region,
                         min_tier=self.min_tier, as_of=self.snap.as_of)  # type: ignore[arg-type]


def context(*, session: Session, cache: SnapshotCache, principal: Principal, chain: str, region: str | None,
            min_tier: str) -> Context:
    found = chains.get_chain(session=session, key=chain)
    policy.require_chain_read(principal, found)
    where = policy.region_for(principal, region)
    members = chains.member_names(session=session, chain=found)
    if not members:
        raise Invalid("chain", f"chain {found.code} has no nodes to analyse")
    return Context(found, members, where, min_tier, cache.get(session))


def analyse(ctx: Context) -> pr.ChainAnalysis:
    """The chain's figures, computed once per snapshot, chain membership, region and tier."""
    def compute() -> pr.ChainAnalysis:
        try:
            return pure.chain_analysis(ctx.snap.graph, ctx.snap.table, ctx.members, region=ctx.region,
                                       min_tier=ctx.min_tier)
        except AnalyticsError as exc:  # a chain member missing from the snapshot: the data changed under it
            raise Invalid("chain", str(exc)) from None

    key = ("chain", ctx.chain.id, tuple(ctx.members), ctx.region, ctx.min_tier)
    return ctx.snap.memo(key, compute)  # type: ignore[no-any-return]


def firms(session: Session, ids: set[int]) -> dict[int, EnterpriseSummary]:
    return enterprises.summary_models(session=session, ids=ids)


def chain_page(*, session: Session, cache: SnapshotCache, principal: Principal, chain: str, region: str | None,
               min_tier: str, weak_limit: int) -> out.ChainAnalysis:
    ctx = context(session=session, cache=cache, principal=principal, chain=chain, region=region, min_tier=min_tier)
    return page_of(session, ctx, weak_limit)


def page_of(session: Session, ctx: Context, weak_limit: int) -> out.ChainAnalysis:
    """The chain page of a context already resolved (and authorised) by :func:`context`."""
    result = analyse(ctx)
    shown = result.weak[:weak_limit]
    refs = firms(session, present.firm_ids(result.nodes, [result.supply], shown))
    return out.ChainAnalysis(scope=ctx.scope(), nodes=[present.node(n, refs) for n in result.nodes],
                             supply=present.supply(result.supply, refs),
                             weak=[present.weak(w, refs) for w in shown], weak_total=len(result.weak))


def weak_links(*, session: Session, cache: SnapshotCache, principal: Principal, chain: str, region: str | None,
               min_tier: str, limit: int, offset: int) -> out.WeakLinks:
    ctx = context(session=session, cache=cache, principal=principal, chain=chain, region=region, min_tier=min_tier)
    result = analyse(ctx)
    shown = result.weak[offset:offset + limit]
    refs = firms(session, present.firm_ids(shown))
    return out.WeakLinks(scope=ctx.scope(), items=[present.weak(w, refs) for w in shown], total=len(result.weak))


def overview(*, session: Session, cache: SnapshotCache, principal: Principal, region: str | None,
             min_tier: str) -> out.ChainOverviews:
    """Every chain the caller reads, with its 配套率 and how many 短板 it has, for one region."""
    policy.require_staff(principal)
    where = policy.region_for(principal, region)
    snap = cache.get(session)
    items = []
    for chain in policy.chains_readable(principal, chains.list_chains(session=session)):
        members = chains.member_names(session=session, chain=chain)
        ref = out.ChainRef(code=chain.code, name=chain.name)
        if not members:
            items.append(out.ChainOverview(chain=ref, nodes=0, rate=out.Figure(value=None, basis=None),
                                           weighting=None, weak_links=0, no_local_supplier=0, single_source=0))
            continue
        ctx = Context(chain, members, where, min_tier, snap)
        result = analyse(ctx)
        items.append(out.ChainOverview(
            chain=ref, nodes=len(members), rate=present.figure(result.supply.rate),
            weighting=result.supply.weighting,  # type: ignore[arg-type]
            weak_links=len(result.weak), no_local_supplier=sum(1 for n in result.nodes if n.suppliers.value == 0),
            single_source=sum(1 for n in result.nodes if n.single_source is not None)))
    return out.ChainOverviews(region=where, min_tier=min_tier, as_of=snap.as_of, items=items)  # type: ignore[arg-type]


def leader_supply(*, session: Session, cache: SnapshotCache, principal: Principal, firm: str, chain: str | None,
                  region: str | None, min_tier: str) -> out.LeaderSupply:
    """配套率 of one chain leader: over its products in ``chain``, or over all its products."""
    leader = enterprises.get(session=session, key=firm)
    policy.require_leader_read(principal, leader)
    found = chains.get_chain(session=session, key=chain) if chain else None
    policy.require_chain_named(principal, found)
    where = policy.region_for(principal, region)
    members = chains.member_names(session=session, chain=found) if found else None
    snap = cache.get(session)
    try:
        result = pure.supply_rate(snap.graph, snap.table, members, leader=leader.id, region=where,
                                  min_tier=min_tier)
    except AnalyticsError as exc:
        raise Invalid("chain" if found else "firm", str(exc)) from None
    refs = firms(session, present.firm_ids([result]))
    scope = out.Scope(chain=out.ChainRef(code=found.code, name=found.name) if found else None, region=where,
                      min_tier=min_tier, as_of=snap.as_of)  # type: ignore[arg-type]
    return out.LeaderSupply(scope=scope, supply=present.supply(result, refs))


def chain_node(ctx: Context, node: str) -> str:
    """A node of the chain by name or alias, as the graph names it (404 when the chain does not hold it)."""
    i = ctx.snap.graph.lookup(node)
    name = ctx.snap.graph.names_[i] if i is not None else None
    if name is None or name not in set(ctx.members):
        raise NotFound(f"chain {ctx.chain.code} has no node {node}")
    return name


def chain_edges(ctx: Context) -> list[tuple[str, str]]:
    """(input, product) pairs among the chain's members: what a drawing of the chain connects."""
    G = ctx.snap.graph
    idx = [i for i in (G.lookup(n) for n in ctx.members) if i is not None]
    sub = G.inputs_[idx][:, idx].tocoo()
    return [(G.names_[idx[c]], G.names_[idx[r]]) for r, c in zip(sub.row.tolist(), sub.col.tolist(), strict=True)]
