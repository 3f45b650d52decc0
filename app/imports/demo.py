"""Apply the demo overlay (app/demo_data/demo.json): illustrative profiles, extra enterprises and chains.

Like the chainkg import it is idempotent: profiles are set to the overlay's values, extra enterprises
and chains are created once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.chains.schemas import ChainCreate
from app.chains.service import create_chain
from app.core.errors import AppError
from app.enterprises import service as enterprises
from app.enterprises.schemas import EnterpriseCreate, EnterpriseWrite
from app.match_index.snapshot import load_graph_parts
from app.models import Chain, Enterprise, Need, Opportunity
from graph import ChainGraph

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo_data"


class OverlayError(ValueError):
    pass


def _profile(values: dict[str, Any]) -> dict[str, Any]:
    keys = ("kind", "tier", "region", "description", "rd_share", "invention_patents", "certifications", "contact")
    return {k: values[k] for k in keys if k in values}


def apply_overlay(session: Session, path: Path) -> dict[str, int]:
    try:
        overlay = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise OverlayError(f"{path}: {exc}") from exc
    counts = {"profiles": 0, "extra_enterprises": 0, "chains": 0}
    try:
        by_code = {e.code: e for e in session.scalars(select(Enterprise))}
        for code, values in overlay.get("enterprises", {}).items():
            enterprise = by_code.get(code)
            if enterprise is None:
                raise OverlayError(f"{path}: enterprise {code} is not in the database")
            data = EnterpriseWrite.model_validate(_profile(values))
            enterprises._apply(session, enterprise, data)
            counts["profiles"] += 1
        for extra in overlay.get("extra_enterprises", []):
            if extra["code"] in by_code:
                continue
            caps = [{"product": p, "revenue_share": s} for p, s in extra.get("products", [])]
            data = EnterpriseCreate.model_validate({"code": extra["code"], "name": extra["name"],
                                                    "full_name": extra.get("full_name", ""),
                                                    **_profile(extra), "capabilities": caps})
            enterprises.create(session=session, data=data)
            counts["extra_enterprises"] += 1
        existing = set(session.scalars(select(Chain.code)))
        todo = [c for c in overlay.get("chains", []) if c["code"] not in existing]
        if todo:
            graph = ChainGraph.build(*load_graph_parts(session))
            for spec in todo:
                create_chain(session=session, data=ChainCreate.model_validate(spec), graph=graph)
                counts["chains"] += 1
    except (AppError, ValueError, KeyError) as exc:
        if isinstance(exc, OverlayError):
            raise
        raise OverlayError(f"{path}: {exc}") from exc
    session.flush()
    return counts


def demo_firms(session: Session) -> tuple[str | None, str | None]:
    """The codes of the demo's leader (the first to post a need) and SME (the one that received the most needs),
    so that both demo users have something to see."""
    first = session.scalar(select(Need.poster_org_id).order_by(Need.id).limit(1))
    leader = session.scalar(select(Enterprise.code).where(Enterprise.id == first)) if first else None
    sme = session.scalar(select(Enterprise.code).join(Opportunity, Opportunity.enterprise_id == Enterprise.id)
                         .where(Enterprise.kind == "sme").group_by(Enterprise.code)
                         .order_by(func.count().desc(), Enterprise.code).limit(1))
    return leader, sme
