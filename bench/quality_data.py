"""Load the chainkg data and the benchmark queries into engine inputs (shared by tests and bench)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from graph import ChainGraph, NodeSpec, edges_from_relations
from graph.chainkg import ChainKG, read_chainkg
from matching import EnterpriseRecord

__all__ = ["build_graph", "build_records", "industry_paths", "load", "read_holdout_links", "read_queries"]


def industry_paths(kg: ChainKG) -> dict[str, str]:
    """company code -> its industry as a path from level 1 down ("270000/270100/270102")."""
    parent = {ind.code: ind.parent_code for ind in kg.industries}

    def path(code: str) -> str:
        parts = [code]
        while (up := parent.get(parts[-1])) and up not in parts:
            parts.append(up)
        return "/".join(reversed(parts))

    return {company: path(code) for company, code in kg.company_industries}


def build_records(kg: ChainKG) -> list[EnterpriseRecord]:
    """One record per company (id = row number), products with their revenue shares, industry path."""
    products: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for cp in kg.company_products:
        products[cp.company_code].append((cp.product, cp.revenue_share))
    industry = industry_paths(kg)
    return [
        EnterpriseRecord(
            id=i, code=c.code, name=c.short_name, kind="sme", tier="none", region="",
            products=tuple(products.get(c.code, ())), industry=industry.get(c.code, ""),
        )
        for i, c in enumerate(kg.companies)
    ]


def build_graph(kg: ChainKG) -> ChainGraph:
    return ChainGraph.build((NodeSpec(n) for n in kg.product_names()), edges_from_relations(kg.relations))


def read_queries(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_holdout_links(path: Path) -> set[tuple[str, str]]:
    links = set()
    with open(path, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            if line.strip():
                code, product = line.rstrip("\n").split(",", 1)
                links.add((code, product))
    return links


def load(
    data: Path, exclude_links: set[tuple[str, str]] | None = None
) -> tuple[ChainKG, ChainGraph, list[EnterpriseRecord]]:
    kg = read_chainkg(data, exclude_links=exclude_links)
    return kg, build_graph(kg), build_records(kg)
