"""Operators limited to chains; hostile text stored as text and shown escaped; SQL and path tricks do nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Enterprise
from tests.app.conftest import Tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_operator_limited_to_chains(client: TestClient, tokens: Tokens) -> None:
    admin = tokens.header("admin")
    for code, root in (("libattery", "锂电池"), ("cathode", "正极材料")):
        assert client.post("/api/v1/chains", json={"code": code, "name": code, "root": root},
                           headers=admin).status_code == 201
    op = client.post("/api/v1/tokens", json={"role": "operator", "name": "锂电池链长办", "chains": ["libattery"]},
                     headers=admin).json()["token"]
    mine = client.post("/api/v1/catalogues", json={"chain": "libattery", "period": "2026Q4", "title": "锂电池目录"},
                       headers=bearer(op))
    assert mine.status_code == 201, mine.text
    other = client.post("/api/v1/catalogues", json={"chain": "cathode", "period": "2026Q4", "title": "正极目录"},
                        headers=bearer(op))
    assert other.status_code == 403
    theirs = client.post("/api/v1/catalogues", json={"chain": "cathode", "period": "2026Q4", "title": "正极目录"},
                         headers=admin).json()
    # Another chain's draft is as private to this operator as to anyone outside the staff: it does not exist.
    assert client.post(f"/api/v1/catalogues/{theirs['id']}/submit", headers=bearer(op)).status_code == 404
    assert client.post(f"/api/v1/catalogues/{mine.json()['id']}/submit", headers=bearer(op)).status_code == 200


HOSTILE = ["'; DROP TABLE enterprises; --", "<script>alert('x')</script>", "../../etc/passwd", "=cmd|' /C calc'!A0",
           "Robert'); DELETE FROM needs;--", "{{7*7}}", "\u202egnp.exe"]


def test_hostile_text_is_stored_verbatim(client: TestClient, tokens: Tokens, small: Session) -> None:
    before = small.scalar(select(func.count()).select_from(Enterprise))
    for i, text in enumerate(HOSTILE):
        made = client.post("/api/v1/enterprises", json={"code": f"H{i}", "name": text, "description": text},
                           headers=tokens.header("admin"))
        assert made.status_code == 201, made.text
        assert made.json()["name"] == text
        found = client.get("/api/v1/enterprises", params={"q": text}, headers=tokens.header("sme")).json()
        assert [e["code"] for e in found["items"]] == [f"H{i}"]
    assert small.scalar(select(func.count()).select_from(Enterprise)) == before + len(HOSTILE)
    # Search patterns are data too: LIKE wildcards and quotes match only themselves.
    assert client.get("/api/v1/enterprises", params={"q": "%"}, headers=tokens.header("sme")).json()["total"] == 0
    assert client.get("/api/v1/nodes", params={"q": "' OR 1=1 --"}, headers=tokens.header("sme")).json()["total"] == 0


def test_path_tricks_are_not_paths(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("admin")
    for path in ("/api/v1/enterprises/..%2F..%2Fetc%2Fpasswd", "/api/v1/nodes/..%2F..", "/api/v1/chains/..%2F"):
        assert client.get(path, headers=h).status_code == 404
    upload = client.post("/api/v1/catalogues/1/import", headers=h,
                         files={"file": ("../../../../tmp/evil.csv", b"x", "text/csv")})
    assert upload.status_code in (404, 422)


def test_nul_characters_are_refused_not_crashed_on(client: TestClient, tokens: Tokens) -> None:
    h = tokens.header("admin")
    assert client.get("/api/v1/chains/%00", headers=h).status_code == 422
    assert client.get("/api/v1/enterprises", params={"q": "a\x00b"}, headers=h).status_code == 422
    resp = client.post("/api/v1/enterprises", json={"code": "NUL1", "name": "a\u0000b"}, headers=h)
    assert resp.status_code in (201, 422)  # SQLite stores it; PostgreSQL refuses it: never a 500


def test_operator_limited_to_regions_manages_only_needs_of_firms_there(client: TestClient, tokens: Tokens,
                                                                         small: Session) -> None:
    from datetime import date, timedelta

    leader_firm = small.scalar(select(Enterprise).where(Enterprise.code == "100006"))
    assert leader_firm is not None
    leader_firm.province, leader_firm.city = "山东省", "青岛市"
    small.commit()
    need = client.post("/api/v1/needs", json={"kind": "procurement", "title": "采购碳酸锂", "nodes": ["碳酸锂"],
                                              "deadline": (date.today() + timedelta(days=30)).isoformat()},
                       headers=tokens.header("leader")).json()
    jinan = client.post("/api/v1/tokens", json={"role": "operator", "name": "济南", "regions": ["山东省/济南市"]},
                        headers=tokens.header("admin")).json()["token"]
    qingdao = client.post("/api/v1/tokens", json={"role": "operator", "name": "青岛", "regions": ["山东省/青岛市"]},
                          headers=tokens.header("admin")).json()["token"]
    url = f"/api/v1/needs/{need['id']}"
    assert client.patch(url, json={"description": "改"}, headers=bearer(jinan)).status_code in (403, 404)
    assert client.get(f"{url}/matches", headers=bearer(jinan)).status_code in (403, 404)
    assert client.patch(url, json={"description": "改"}, headers=bearer(qingdao)).status_code == 200
    assert client.get(f"{url}/matches", headers=bearer(qingdao)).status_code == 200
