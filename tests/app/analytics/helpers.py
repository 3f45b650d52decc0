"""A hand-made chain whose figures are worked out by hand in the tests.

    测锂 ─▶ 测正极 ─┐
            测负极 ─┼─▶ 测电池        chain "tc": 测电池, 测正极, 测负极, 测电解液 (测锂 is an input outside it)
          测电解液 ─┘

firm  place            tier          kind    makes (revenue share, source)
TL    山东省/济南市    none          leader  测电池 (1.0, declared)
TA    山东省/济南市    provincial    sme     测正极 (0.6, declared)
TB    山东省/青岛市    none          sme     测正极 (0.2, imported)
TC    广东省/深圳市    little_giant  sme     测负极 (0.5, declared)
TD    山东省/济南市    innovative    sme     测电解液 (0.5, declared)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import Capability, Chain, ChainMember, ChainNode, Enterprise, NodeEdge

NODES = ("测电池", "测正极", "测负极", "测电解液", "测锂")
MEMBERS = NODES[:4]
INPUTS = (("测正极", "测电池"), ("测负极", "测电池"), ("测电解液", "测电池"), ("测锂", "测正极"))
FIRMS = {
    "TL": ("山东省", "济南市", "none", "leader", "测电池", 1.0, "declared"),
    "TA": ("山东省", "济南市", "provincial", "sme", "测正极", 0.6, "declared"),
    "TB": ("山东省", "青岛市", "none", "sme", "测正极", 0.2, "imported"),
    "TC": ("广东省", "深圳市", "little_giant", "sme", "测负极", 0.5, "declared"),
    "TD": ("山东省", "济南市", "innovative", "sme", "测电解液", 0.5, "declared"),
}


@dataclass
class ChainData:
    chain: Chain
    firms: dict[str, Enterprise]
    nodes: dict[str, ChainNode]


def build(session: Session) -> ChainData:
    nodes = {n: ChainNode(name=n, aliases=[], kind="product") for n in NODES}
    session.add_all(nodes.values())
    session.flush()
    session.add_all(NodeEdge(src_id=nodes[s].id, dst_id=nodes[d].id, type="input") for s, d in INPUTS)
    chain = Chain(code="tc", name="测试电池链", description="", root_node_id=nodes["测电池"].id)
    session.add(chain)
    session.flush()
    session.add_all(ChainMember(chain_id=chain.id, node_id=nodes[n].id) for n in MEMBERS)
    firms = {}
    for code, (prov, city, tier, kind, node, share, source) in FIRMS.items():
        firm = Enterprise(code=code, name=f"企业{code}", kind=kind, tier=tier, province=prov, city=city,
                          description=f"生产{node}")
        session.add(firm)
        session.flush()
        session.add(Capability(enterprise_id=firm.id, product=node, node_id=nodes[node].id, revenue_share=share,
                               source=source))
        firms[code] = firm
    session.commit()
    return ChainData(chain, firms, nodes)
