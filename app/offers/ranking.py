"""Rank offers for a need with the matching engine, over an index of offers fitted once per offer snapshot.

Each offer is shown to the engine as an enterprise whose products are its chain nodes (and its title), so a
need's nodes, text and graph neighbourhood rank offers exactly as they rank firms, with the same explanations.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable

from sqlalchemy.orm import Session

from app.core.errors import AppError, Invalid
from app.models import Enterprise, Need, Offer
from app.needs.delivery import need_query
from app.offers.repository import OfferRepository
from app.offers.schemas import OfferMatch, OfferMatchResponse
from app.offers.service import out
from graph import ChainGraph
from matching import EmptyQueryError, EnterpriseRecord, MatchIndex, UnknownNodeError, rank

_CACHE_SIZE = 4
_cache: OrderedDict[Hashable, MatchIndex] = OrderedDict()
_lock = threading.Lock()


def _records(rows: list[tuple[Offer, Enterprise]]) -> list[EnterpriseRecord]:
    records = []
    for offer, org in rows:
        nodes = tuple((n, 1.0) for n in (offer.nodes or []))
        # The title is listed like a product with no revenue figure (0.001), so its words and any node it
        # names count, a little below the nodes the offer declares.
        records.append(EnterpriseRecord(
            id=offer.id, code=str(offer.id), name=offer.title, kind=offer.kind, tier=org.tier, region=org.region,
            description=offer.description, products=(*nodes, (offer.title, 0.001))))
    return records


def offer_index(session: Session, graph: ChainGraph) -> MatchIndex | None:
    """The fitted offer index for the current offers, refitted only when an offer changed; None without offers."""
    repo = OfferRepository(session)
    count, top, last = repo.fingerprint()
    if count == 0:
        return None
    key = (id(graph), count, top, last)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    index = MatchIndex().fit(graph, _records(repo.published_with_orgs()))
    with _lock:
        _cache[key] = index
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index


def match(*, session: Session, graph: ChainGraph | None, need: Need, kind: str | None,
          limit: int) -> OfferMatchResponse:
    started = time.perf_counter()
    if graph is None:
        raise AppError("the match index is still being built; try again shortly", code="index_not_ready", status=503)
    index = offer_index(session, graph)
    items: list[OfferMatch] = []
    if index is not None:
        # Offer ids are not enterprise ids: drop the poster exclusion need_query adds; filter by offer kind.
        query = dataclasses.replace(need_query(session, need, limit=limit, kinds=()),
                                    kinds=(kind,) if kind else (), exclude=frozenset())
        try:
            results = rank(index, query)
        except UnknownNodeError as exc:
            raise Invalid("need", f"the need names unknown chain node(s): {', '.join(exc.names)}") from None
        except EmptyQueryError:
            results = []
        offers = {o.id: o for o in out(session, [session.get_one(Offer, r.enterprise_id) for r in results])}
        items = [OfferMatch(offer=offers[r.enterprise_id], score=round(r.score, 6), match=r.match,
                            explanation=r.explanation)
                 for r in results if r.enterprise_id in offers]
    return OfferMatchResponse(need_id=need.id, items=items, offers_indexed=index.size if index else 0,
                              took_ms=round((time.perf_counter() - started) * 1000, 3))
