"""The fine print of a need, sorted for the poster: quantities, specifications, certifications, delivery region.

:mod:`matching.spec` finds these spans by shape so that they never link to products; here the same spans are
told apart so that the reading said back to the poster reads like the need: "500吨" is a quantity, "99.5%" and
"车规级" are specifications, "IATF16949认证" a certification, "交付至济南" names where it goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.spec import merged

__all__ = ["NeedTerms", "need_terms"]

# measure words of an amount ordered (not of a size or a property): 500吨, 2万套, 年需求1.2亿片
_AMOUNT = re.compile(
    r"(?:万|亿|千)?(?:吨|公斤|千克|斤|平方米|平米|立方米|立方|方|台套|台|套|只|件|片|颗|张|瓶|支|盒|箱|袋|桶|罐|辆|艘|架|"
    r"个|条|根|卷|捆|批|座|项)$"
)
# where the goods go: a place name after a delivery verb (交付至济南, 运至青岛港, 送达山东省潍坊市)
_PLACE = re.compile(
    r"(?:交付|交货|运至|运到|送到|送达|到货|发往|配送至|交付至|交货至|交货地点|交付地点|地点)[至到于在:为]*\s*"
    r"([\u4e00-\u9fff]{2,12}?)(?=[,;。.\s、]|港|厂|工厂|基地|仓库|现场|$)"
)


@dataclass(frozen=True)
class NeedTerms:
    """Spans of a need's fine print by what they say (each as written, normalised)."""

    quantities: tuple[str, ...] = ()
    specs: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, list[str]]:
        return {"quantities": list(self.quantities), "specs": list(self.specs),
                "certifications": list(self.certifications), "regions": list(self.regions)}


def need_terms(text: str, spans: list[tuple[int, int, str]]) -> NeedTerms:
    """Sort the specification spans of normalised ``text`` (from :func:`matching.spec.spec_spans`) and find
    the delivery places."""
    certs = [(s, e) for s, e, kind in spans if kind == "certificate"]
    quantities, specs, certifications = [], [], []
    for s, e in merged(spans):
        words = text[s:e].strip()
        if not words:
            continue
        if any(a < e and s < b for a, b in certs):
            # the certificate's own word follows its name (IATF16949 | 认证): keep them together
            tail = re.match(r"\s*(?:认证|证书|体系|标准|资质|注册|备案)", text[e:])
            certifications.append(words + (tail.group(0).strip() if tail else ""))
        elif re.search(r"\d", words) and _AMOUNT.search(words) and not re.search(r"[%≥≤<>±]", words):
            quantities.append(words)
        else:
            specs.append(words)
    regions = [m.group(1) for m in _PLACE.finditer(text)]
    return NeedTerms(tuple(dict.fromkeys(quantities)), tuple(dict.fromkeys(specs)),
                     tuple(dict.fromkeys(certifications)), tuple(dict.fromkeys(regions)))
