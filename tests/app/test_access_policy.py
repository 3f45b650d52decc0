"""The access policy reads each rule once: the check for one object and the SQL clause for lists always agree."""

from __future__ import annotations

from itertools import product

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access import catalogues, needs, reach, tokens
from app.auth.tokens import create_token
from app.core.errors import AppError
from app.models import ApiToken, Catalogue, Chain, Enterprise, Need, Principal
from tests.app.catalogues.helpers import create_need

PLACES = {"100001": ("山东省", "济南市", "历下区"), "100002": ("山东省", "济南市", ""),
          "100003": ("山东省", "青岛市", ""), "100004": ("广东省", "深圳市", ""), "100005": ("", "济南市", ""),
          "100006": ("", "", "")}
REGIONS = [[], ["山东省"], ["山东省/济南市"], ["山东省/济南市/历下区"], ["济南市"], ["广东省", "山东省/青岛市"], ["/"],
           ["山东省/济南市/历下区/x"]]
CHAINS = [[], ["c1"], ["c1", "c2"], ["nowhere"]]


def _principals(session: Session) -> list[Principal]:
    made = [Principal(name=f"op{i}", role="operator", regions=r, chains=c)
            for i, (r, c) in enumerate(product(REGIONS, CHAINS))]
    firm = session.scalar(select(Enterprise.id).where(Enterprise.code == "100006"))
    made += [Principal(name="admin", role="admin", regions=[], chains=[]),
             Principal(name="leader", role="leader", org_id=firm, regions=[], chains=[]),
             Principal(name="sme", role="sme", org_id=firm, regions=[], chains=[])]
    session.add_all(made)
    session.flush()
    return made


def _world(session: Session) -> tuple[list[Enterprise], list[Need], list[Catalogue]]:
    firms = list(session.scalars(select(Enterprise).where(Enterprise.code.in_(list(PLACES)))))
    for f in firms:
        f.province, f.city, f.district = PLACES[f.code]
        f.kind = "leader"
    cats = []
    for code, status in (("c1", "draft"), ("c2", "published"), ("c3", "in_review")):
        chain = Chain(code=code, name=f"链{code}", description="")
        session.add(chain)
        session.flush()
        cats.append(Catalogue(chain_id=chain.id, period="2026Q4", title=code, status=status, top_n=5))
    session.add_all(cats)
    session.flush()
    found = []
    for firm, (cat, status) in product(firms, product([None, *cats], ("draft", "published"))):
        need = create_need(session, poster=firm.code, status=status, anonymous=True)
        need.catalogue_id = cat.id if cat else None
        found.append(need)
    session.flush()
    return firms, found, cats


def test_objects_and_clauses_agree(small: Session) -> None:
    firms, all_needs, cats = _world(small)
    for p in _principals(small):
        in_reach = set(small.scalars(select(Enterprise.id).where(reach.firm_clause(p))))
        assert {f.id for f in firms if reach.covers_firm(p, f)} == in_reach & {f.id for f in firms}, p.regions
        managed = set(small.scalars(select(Need.id).where(needs.managed_clause(p))))
        visible = set(small.scalars(select(Need.id).where(needs.visible_clause(p))))
        assert needs.managed_ids(p, all_needs) == managed & {n.id for n in all_needs}
        for n in all_needs:
            assert needs.can_view(p, n) == (n.id in visible)
            sight = needs.sight(p, n)
            assert sight.poster == (sight.managed or n.poster_org_id == p.org_id)  # all are anonymous
        seen = set(small.scalars(select(Catalogue.id).where(catalogues.visible_clause(p))))
        assert {c.id for c in cats if catalogues.can_view(p, c)} == seen & {c.id for c in cats}


def test_an_operator_lists_exactly_the_firm_tokens_it_may_issue(small: Session) -> None:
    firms, _, _ = _world(small)
    for f in firms:
        create_token(small, role="sme", name=f"t{f.code}", org_code=f.code)
    for p in _principals(small):
        if p.role != "operator":
            continue
        listed = set(small.scalars(select(Enterprise.code).join(Principal, Principal.org_id == Enterprise.id)
                                   .join(ApiToken, ApiToken.principal_id == Principal.id)
                                   .where(tokens.owner_clause(p))))
        for f in firms:
            try:
                tokens.check_issue(p, role="sme", firm=f, days=30)
                may = True
            except AppError:
                may = False
            assert may == (f.code in listed), (p.regions, p.chains, f.code)
