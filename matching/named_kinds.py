"""Which kind of a wanted product a word elsewhere in the need names: a node whose name is that word and the
product's (吊牌标签 in an RFID project: RFID标签; the gears a motorcycle maker seeks: 摩托车齿轮). The kind is sought
beside the product the text names, so the product stays first and the kind only widens the search."""

from __future__ import annotations

from collections.abc import Sequence

from matching.headwords import CLASS_HEADS, EMPTY_HEADS
from matching.linking import NodeLinker
from matching.phrases import Hit

__all__ = ["named_kinds"]

_GAP = 12  # how far before a wanted mention, in its clause, a word may name its kind (measured: 6 and 24 do worse)


def named_kinds(h: Hit, hits: Sequence[Hit], linker: NodeLinker, names: Sequence[str]) -> tuple[int, ...]:
    """Nodes named by a mention shortly before ``h`` in its clause, or by the poster's own product anywhere, followed
    by ``h``'s words or one of its node names; a class word (工程, 产品) names no kind."""
    out: list[int] = []
    for g in hits:
        near = g.clause == h.clause and g.end <= h.start and h.start - g.end <= _GAP
        if g is h or not (near or g.zone == "own") or g.form in CLASS_HEADS | EMPTY_HEADS:
            continue
        for p in dict.fromkeys((g.form, *(names[n].lower() for n in g.nodes))):
            for w in dict.fromkeys((h.form, *(names[n].lower() for n in h.nodes))):
                if p + w in linker.forms_:
                    out.extend(n for n in linker.nodes_of(p + w) if n not in h.nodes and n not in out)
    return tuple(out)
