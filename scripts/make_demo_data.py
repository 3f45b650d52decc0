"""Extract the demo data set: a real slice of chainkg around the lithium-battery and NEV chains.

    python scripts/make_demo_data.py [--data ../shared/data/chainkg] [--out app/demo_data]

Writes ``<out>/chainkg/*.csv.gz`` (the chainkg format, rows in the source order, gzip with mtime=0 so a
rerun is byte-identical) and ``<out>/demo.json`` (an illustrative overlay: kinds, tiers, regions, contacts).

Selection, all deterministic:
1. Seed products (the chain names below that exist in products.csv).
2. The neighbourhood: nodes within 2 hops of a seed over product_relations, walking upstream/downstream
   edges both ways and subclass edges towards narrower kinds only (walking up to 材料/电池 would pull in
   half the graph); hubs (degree > 40, e.g. 玻璃, 硫酸) are kept as nodes but not walked through or used
   to pick companies.
3. Company products whose names name the chain (锂, 电池, 正极, 隔膜, 充电桩 ...): most filings' product
   names are not graph nodes, so this is how 宁德时代 (动力电池系统) or 恩捷股份 (锂电池隔膜) get in.
4. Companies making any product of 2./3., capped at MAX_COMPANIES, most in-neighbourhood products first.
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "chainkg"
DEFAULT_OUT = REPO / "app" / "demo_data"

SEEDS = (
    "锂电池", "新能源汽车", "动力电池", "正极材料", "负极材料", "电解液", "隔膜", "锂离子电池", "电动汽车",
    "电芯", "碳酸锂", "氢氧化锂", "磷酸铁锂", "三元材料", "六氟磷酸锂", "电池隔膜", "锂离子电池隔膜",
    "锂电池隔膜", "电动汽车电池", "燃料电池", "储能电池", "动力锂电池", "锰酸锂", "钴酸锂", "锂电池正极材料",
    "锂电池电解液", "电解质", "充电桩",
)
CHAIN_WORDS = re.compile(
    r"锂|电池|新能源汽车|新能源车|电动汽车|电动车|正极|负极|电池隔膜|锂电池隔膜|湿法隔膜|涂覆隔膜|电解液|电芯"
    r"|充电桩|充电设备|储能|驱动电机|电控|钴|镍|石墨|铜箔|铝箔|燃料电池|氢能|动力总成"
)
NOT_CHAIN = re.compile(r"太阳能|光伏|太阳电池")
HOPS, HUB_DEGREE = 2, 40
MIN_COMPANIES, MAX_COMPANIES = 300, 600
N_LEADERS = 7
# 宁德时代, 比亚迪, 赣锋锂业, 天齐锂业, 国轩高科 when in the subset; the rest by in-neighbourhood products
PREFERRED_LEADERS = ("300750", "002594", "002460", "002466", "002074")
ACCOUNTING = {"分部间抵销", "平衡项目", "其他业务", "其他", "其他(补充)", "合计", "内部抵消"}

# (chain code, display name, candidate roots in order of preference): the first candidate that is a kept
# product with at least one kept relation becomes the root; 新能源汽车 itself has no edges in chainkg.
CHAINS = (
    ("nev", "新能源汽车", ("新能源汽车", "电动汽车", "新能源电动汽车")),
    ("libattery", "锂电池", ("锂电池", "锂离子电池", "动力电池")),
)
CHAIN_DEPTH = 2
# The chainkg graph around these roots is thin (锂电池 reaches 11 nodes at depth 2), so each chain also
# lists, as extra_nodes, the kept product names that name it, those with the most makers first.
CHAIN_EXTRA = {
    "nev": re.compile(r"新能源汽车|新能源车|电动汽车|电动车|动力电池|充电桩|充电设备|充电站|驱动电机|汽车电机"
                      r"|动力总成|燃料电池|氢能|电池管理|BMS|新能源.*整车|汽车电控"),
    "libattery": re.compile(r"锂|正极|负极|电解液|电解质|电池隔膜|锂电池隔膜|湿法隔膜|涂覆隔膜|陶瓷隔膜|电芯"
                            r"|三元材料|三元正极|前驱体|锂电铜箔|电解铜箔|^铜箔$|电池铝箔|^铝箔$|^石墨$"
                            r"|石墨化|石墨类负极|动力电池|储能电池|钴|硫酸镍|泡沫镍|^镍"),
}
NOT_A_NODE = re.compile(r"租赁|出租|运营|销售|贸易|服务|业务|研发|收入|其他|及|和|与|、|-")
MAX_EXTRA_NODES = 120
CHAIN_DESCRIPTION = {
    "nev": "新能源汽车产业链:整车、动力电池、电驱电控与充电设施(示例)。",
    "libattery": "锂电池产业链:锂资源、正负极材料、电解液、隔膜、电芯与电池系统(示例)。",
}

SHANDONG = (  # city, phone area code, districts
    ("济南市", "0531", ("历下区", "市中区", "槐荫区", "天桥区", "历城区", "长清区", "章丘区")),
    ("青岛市", "0532", ("市南区", "市北区", "黄岛区", "崂山区", "李沧区", "城阳区", "即墨区")),
    ("淄博市", "0533", ("张店区", "淄川区", "博山区", "临淄区", "周村区")),
    ("枣庄市", "0632", ("市中区", "薛城区", "峄城区", "滕州市")),
    ("东营市", "0546", ("东营区", "河口区", "垦利区", "广饶县")),
    ("烟台市", "0535", ("芝罘区", "福山区", "莱山区", "牟平区", "龙口市")),
    ("潍坊市", "0536", ("潍城区", "奎文区", "坊子区", "寒亭区", "寿光市")),
    ("济宁市", "0537", ("任城区", "兖州区", "曲阜市", "邹城市")),
    ("泰安市", "0538", ("泰山区", "岱岳区", "新泰市", "肥城市")),
    ("威海市", "0631", ("环翠区", "文登区", "荣成市", "乳山市")),
    ("日照市", "0633", ("东港区", "岚山区", "莒县")),
    ("临沂市", "0539", ("兰山区", "罗庄区", "河东区", "沂水县")),
    ("德州市", "0534", ("德城区", "陵城区", "禹城市", "乐陵市")),
    ("聊城市", "0635", ("东昌府区", "茌平区", "临清市")),
    ("滨州市", "0543", ("滨城区", "沾化区", "邹平市", "博兴县")),
    ("菏泽市", "0530", ("牡丹区", "定陶区", "曹县", "单县")),
)
TIERS = (("none", 30), ("innovative", 35), ("provincial", 25), ("little_giant", 10))
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
TITLES = ("经理", "主任", "女士", "先生")
CERTS = ("ISO 9001", "ISO 14001", "ISO 45001", "IATF 16949", "GB/T 29490")

EXTRA = (  # code, short name, full name, kind, city index, district, wanted capabilities
    ("U0001", "山东大学", "山东大学", "university", 0, "历城区",
     ("锂离子电池", "正极材料", "电解质", "燃料电池", "储能电池", "电池管理系统")),
    ("U0002", "中国石油大学(华东)", "中国石油大学(华东)", "university", 1, "黄岛区",
     ("负极材料", "电解液", "碳酸锂", "石墨", "燃料电池", "六氟磷酸锂")),
    ("U0003", "青岛科技大学", "青岛科技大学", "university", 1, "崂山区",
     ("隔膜", "电池隔膜", "电解液", "聚合物", "锂离子电池隔膜", "正负极材料")),
    ("I0001", "青岛能源所", "中国科学院青岛生物能源与过程研究所", "institute", 1, "崂山区",
     ("电解质", "锂电池", "动力电池", "电芯", "锂离子电池隔膜", "储能系统")),
    ("I0002", "山东省科学院", "齐鲁工业大学(山东省科学院)", "institute", 0, "历城区",
     ("储能电池", "充电桩", "驱动电机", "电动汽车", "磷酸铁锂", "新能源汽车")),
)

STEMS = ("companies", "industries", "company_industries", "industry_upstream", "products",
         "product_relations", "company_products")


def read_raw(folder: Path, stem: str) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of one chainkg file, exactly as written (no cleaning)."""
    with gzip.open(folder / f"{stem}.csv.gz", "rt", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [row for row in reader if row]


def write_gz(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def h(*parts: str) -> int:
    """A stable hash (unlike hash(), the same on every run)."""
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def neighbourhood(relations: list[list[str]], products: set[str]) -> tuple[list[str], set[str], Counter]:
    degree: Counter[str] = Counter()
    walk: dict[str, set[str]] = defaultdict(set)
    for product, related, kind in relations:
        degree[product] += 1
        degree[related] += 1
        walk[product].add(related)
        if kind != "subclass":
            walk[related].add(product)
    seeds = [s for s in SEEDS if s in products]
    seen = dict.fromkeys(seeds)
    frontier = list(seeds)
    for _ in range(HOPS):
        nxt = []
        for node in frontier:
            if degree[node] > HUB_DEGREE and node not in seeds:
                continue
            for m in sorted(walk[node]):
                if m not in seen:
                    seen[m] = None
                    nxt.append(m)
        frontier = nxt
    return seeds, set(seen), degree


def select(data: Path) -> dict:
    tables = {stem: read_raw(data, stem) for stem in STEMS}
    products = {r[0] for r in tables["products"][1]}
    relations = [r[:3] for r in tables["product_relations"][1]]
    seeds, hood, degree = neighbourhood(relations, products)
    company_rows = tables["companies"][1]
    known = {r[0] for r in company_rows}
    by_company: dict[str, list[list[str]]] = defaultdict(list)
    for r in tables["company_products"][1]:
        if r[0] in known:
            by_company[r[0]].append(r)

    def in_hood(p: str) -> bool:
        if p in hood:
            return degree[p] <= HUB_DEGREE
        return bool(CHAIN_WORDS.search(p)) and not NOT_CHAIN.search(p)

    score = {c: len({r[1] for r in rows if in_hood(r[1])}) for c, rows in by_company.items()}
    chosen = sorted((c for c, s in score.items() if s), key=lambda c: (-score[c], -len(by_company[c]), c))
    kept = set(chosen[:MAX_COMPANIES])
    if len(kept) < MIN_COMPANIES:
        raise SystemExit(f"only {len(kept)} companies in the neighbourhood; widen SEEDS or CHAIN_WORDS")

    kept_products = hood | {r[1] for c in kept for r in by_company[c]}
    out: dict[str, list[list[str]]] = {}
    out["companies"] = [r for r in company_rows if r[0] in kept]
    out["company_products"] = [r for r in tables["company_products"][1] if r[0] in kept]
    out["products"] = [r for r in tables["products"][1] if r[0] in kept_products]
    out["product_relations"] = [r for r in tables["product_relations"][1]
                                if r[0] in kept_products and r[1] in kept_products]
    out["industries"] = tables["industries"][1]
    out["company_industries"] = [r for r in tables["company_industries"][1] if r[0] in kept]
    ind_name = {r[0]: r[1] for r in tables["industries"][1]}
    used = {ind_name[r[1]] for r in out["company_industries"] if r[1] in ind_name}
    out["industry_upstream"] = [r for r in tables["industry_upstream"][1] if r[0] in used or r[1] in used]
    return {"headers": {s: t[0] for s, t in tables.items()}, "rows": out, "seeds": seeds,
            "score": score, "by_company": by_company, "order": chosen[:MAX_COMPANIES]}


def top_products(rows: list[list[str]], n: int = 3) -> list[str]:
    def share(r: list[str]) -> float:
        try:
            return float(r[2])
        except ValueError:
            return 0.0
    names: list[str] = []
    for r in sorted(rows, key=lambda r: (-share(r), r[1])):
        name = r[1]
        if name in ACCOUNTING or len(name) > 20:
            continue
        trimmed = re.sub(r"(销售|业务|收入|产品|类)$", "", name)
        name = trimmed if len(trimmed) >= 2 else name
        key = re.sub(r"[和与及、]", "", name)
        if any(key in re.sub(r"[和与及、]", "", x) or re.sub(r"[和与及、]", "", x) in key for x in names):
            continue
        names.append(name)
    return names[:n]


def describe(name: str, rows: list[list[str]]) -> str:
    tops = top_products(rows)
    if not tops:
        return f"{name}是一家面向新能源产业链的企业。"
    listed = tops[0] if len(tops) == 1 else "、".join(tops[:-1]) + "和" + tops[-1]
    return f"{name}主要从事{listed}等产品的研发、生产和销售。"


def region_of(code: str) -> tuple[str, str, str]:
    city, area, districts = SHANDONG[h(code, "city") % len(SHANDONG)]
    return f"山东省/{city}/{districts[h(code, 'district') % len(districts)]}", area, city


def contact(code: str, area: str) -> dict:
    k = h(code, "contact")
    return {"name": f"{SURNAMES[k % len(SURNAMES)]}{TITLES[(k >> 8) % len(TITLES)]}(示例)",
            "phone": f"{area}-8{(k >> 16) % 10_000_000:07d}",
            "email": f"contact@{code.lower()}.example.cn"}


def overlay_for(code: str, name: str, rows: list[list[str]], leader: bool) -> dict:
    k = h(code, "tier")
    if leader:
        tier = "none"
    else:
        bucket, tier = k % 100, "none"
        for value, pct in TIERS:
            if bucket < pct:
                tier = value
                break
            bucket -= pct
    region, area, _ = region_of(code)
    automotive = any(w in r[1] for r in rows for w in ("汽车", "车", "动力"))
    certs = ["ISO 9001"] + [c for i, c in enumerate(CERTS[1:], 1) if (k >> (8 + i)) % 3 == 0]
    if automotive and "IATF 16949" not in certs:
        certs.append("IATF 16949")
    base_rd = {"none": 0.02, "innovative": 0.04, "provincial": 0.05, "little_giant": 0.07}[tier]
    rd = base_rd + (k >> 20) % 400 / 10_000 + (0.01 if leader else 0.0)
    patents = (200 + (k >> 30) % 1800) if leader else {"none": 0, "innovative": 3, "provincial": 8,
                                                        "little_giant": 20}[tier] + (k >> 30) % 25
    return {"kind": "leader" if leader else "sme", "tier": tier, "region": region,
            "description": describe(name, rows), "rd_share": round(rd, 3), "invention_patents": patents,
            "certifications": sorted(certs, key=CERTS.index), "contact": contact(code, area)}


def pick_chains(kept_products: set[str], relations: list[list[str]], makers: Counter) -> list[dict]:
    linked = {r[0] for r in relations} | {r[1] for r in relations}
    chains = []
    for code, name, candidates in CHAINS:
        root = next((c for c in candidates if c in kept_products and c in linked), None)
        root = root or next(c for c in candidates if c in kept_products)
        extra = [p for p in kept_products if p != root and makers[p] and CHAIN_EXTRA[code].search(p)
                 and not NOT_CHAIN.search(p) and not NOT_A_NODE.search(p) and 2 <= len(p) <= 12]
        extra = sorted(extra, key=lambda p: (-makers[p], p))[:MAX_EXTRA_NODES]
        chains.append({"code": code, "name": name, "root": root, "depth": CHAIN_DEPTH,
                       "description": CHAIN_DESCRIPTION[code], "extra_nodes": sorted(extra)})
    return chains


def build_overlay(sel: dict) -> dict:
    rows = sel["rows"]
    names = {r[0]: r[1] for r in rows["companies"]}
    by_company, score = sel["by_company"], sel["score"]
    codes = [r[0] for r in rows["companies"]]
    ranked = sorted(codes, key=lambda c: (-score[c], -len(by_company[c]), c))
    leaders = [c for c in PREFERRED_LEADERS if c in names]
    leaders += [c for c in ranked if c not in leaders][: N_LEADERS - len(leaders)]
    enterprises = {c: overlay_for(c, names[c], by_company[c], c in leaders) for c in codes}
    kept_products = {r[0] for r in rows["products"]}
    extras = []
    for code, short, full, kind, city_i, district, wanted in EXTRA:
        caps = [[p, 0.001] for p in wanted if p in kept_products]
        if len(caps) < 3:
            raise SystemExit(f"{short}: fewer than 3 of its capabilities are in the subset")
        city, area, _ = SHANDONG[city_i]
        topics = "、".join(p for p, _ in caps[:3])
        extras.append({"code": code, "name": short, "full_name": full, "kind": kind, "tier": "none",
                       "region": f"山东省/{city}/{district}",
                       "description": f"{short}在{topics}等方向开展研究与技术转化。",
                       "invention_patents": 100 + h(code) % 400,
                       "certifications": [], "contact": contact(code, area), "products": caps})
    return {
        "note": ("Companies, products, shares and industries in chainkg/ are real (a subset of the public "
                 "chainkg data). Everything listed in illustrative_fields is made up for the demo "
                 "(derived deterministically from the stock code), as are all extra_enterprises "
                 "except their names; contacts are fake."),
        "illustrative_fields": ["kind", "tier", "region", "description", "rd_share", "invention_patents",
                                "certifications", "contact"],
        "enterprises": enterprises,
        "extra_enterprises": extras,
        "chains": pick_chains(kept_products, rows["product_relations"],
                              Counter(r[1] for r in rows["company_products"])),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="chainkg folder (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    args = ap.parse_args(argv)
    sel = select(args.data)
    folder = args.out / "chainkg"
    folder.mkdir(parents=True, exist_ok=True)
    for stem in STEMS:
        write_gz(folder / f"{stem}.csv.gz", sel["headers"][stem], sel["rows"][stem])
    overlay = build_overlay(sel)
    text = json.dumps(overlay, ensure_ascii=False, indent=1) + "\n"
    (args.out / "demo.json").write_text(text, encoding="utf-8")
    rows = sel["rows"]
    size = sum(p.stat().st_size for p in folder.iterdir()) + len(text.encode())
    print(f"seeds: {len(sel['seeds'])}; companies {len(rows['companies'])}, company_products "
          f"{len(rows['company_products'])}, products {len(rows['products'])}, relations "
          f"{len(rows['product_relations'])}, industry_upstream {len(rows['industry_upstream'])}; "
          f"{size / 1024:.0f} KiB")
    names = {r[0]: r[1] for r in rows["companies"]}
    leaders = [c for c, e in overlay["enterprises"].items() if e["kind"] == "leader"]
    print("leaders:", ", ".join(f"{names[c]} {c}" for c in leaders))
    print("chains:", ", ".join(f"{c['code']}→{c['root']} (+{len(c['extra_nodes'])} nodes)"
                               for c in overlay["chains"]))


if __name__ == "__main__":
    main()
