"""Who may open each page: everyone else gets the Chinese 403 page, and nobody logged out gets past the login."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.auth.web_sessions import create_user
from tests.app.conftest import Tokens, make_client
from tests.app.web.test_pages import PASSWORD, csrf_of

ROLES = {"admin": None, "operator": None, "leader": "100006", "sme": "100002"}
ALL = set(ROLES)
STAFF = {"admin", "operator"}
PAGES = {
    "/": ALL, "/notifications": ALL, "/challenges": ALL, "/needs": {"leader", *STAFF},
    "/needs/new": {"leader"}, "/challenges/new": {"leader"}, "/feed": {"sme"}, "/applications": {"sme"},
    "/profile": {"sme"}, "/catalogues": STAFF, "/stats": STAFF, "/enterprises": STAFF, "/enterprises/100002": STAFF,
    "/chains": STAFF, "/admin/users": {"admin"}, "/admin/audit": STAFF, "/nodes/suggest?q=碳酸": ALL,
}


@pytest.fixture()
def people(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens,
           small: Session) -> Iterator[dict[str, TestClient]]:
    for role, org in ROLES.items():
        create_user(small, login=f"p-{role}", password=PASSWORD, role=role, name=role, org_code=org)
    small.commit()
    clients = {}
    for role in ROLES:
        client = make_client(migrated_url, session_factory, build_index=True, cookie_secure=False)
        client.__enter__()
        form = client.get("/login")
        done = client.post("/login", data={"login": f"p-{role}", "password": PASSWORD, "csrf": csrf_of(form.text)},
                           follow_redirects=False)
        assert done.status_code == 303
        clients[role] = client
    yield clients
    for client in clients.values():
        client.__exit__(None, None, None)


def test_each_page_opens_for_its_roles_only(people: dict[str, TestClient]) -> None:
    for path, allowed in PAGES.items():
        for role, client in people.items():
            got = client.get(path, follow_redirects=False)
            want = 200 if role in allowed else 403
            assert got.status_code == want, (path, role, got.status_code)
            if want == 403:
                assert "没有权限" in got.text and 'href="/"' in got.text
    anonymous = people["admin"]
    anonymous.cookies.delete("cm_session")
    for path in PAGES:
        got = anonymous.get(path, follow_redirects=False)
        assert got.status_code == 303 and got.headers["location"].startswith("/login"), path


def test_posts_need_the_session_csrf_token(people: dict[str, TestClient]) -> None:
    sme = people["sme"]
    for path in ("/profile", "/notifications/read-all", "/logout"):
        assert sme.post(path, data={"csrf": "forged"}).status_code == 403
    leader = people["leader"]
    assert leader.post("/needs/new", data={"csrf": "forged", "title": "x", "kind": "procurement"}).status_code == 403


def test_errors_are_pages_for_people_and_json_for_the_api(people: dict[str, TestClient]) -> None:
    leader = people["leader"]
    missing = leader.get("/needs/99999")
    assert missing.status_code == 404 and "页面不存在" in missing.text and "返回工作台" in missing.text
    assert leader.get("/needs/abc").status_code == 404
    assert leader.get("/no/such/page").status_code == 404
    api = leader.get("/api/v1/needs/99999")
    assert api.status_code == 401 and api.json()["error"]["code"] == "unauthorized"


def test_docs_are_served_from_this_origin(people: dict[str, TestClient]) -> None:
    client = people["sme"]
    for path in ("/docs", "/redoc"):
        page = client.get(path).text
        assert "/static/vendor/" in page and "cdn" not in page.lower() and "fonts.googleapis" not in page
    for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/redoc/redoc.standalone.js",
                  "/static/vendor/htmx/htmx.min.js", "/static/vendor/echarts/echarts.min.js", "/static/app.css"):
        assert client.get(asset).status_code == 200, asset
    for licence in ("swagger-ui/LICENSE", "redoc/LICENSE", "htmx/LICENSE", "echarts/LICENSE"):
        assert client.get(f"/static/vendor/{licence}").status_code == 200


def test_a_bad_contact_field_is_named_next_to_that_field(people: dict[str, TestClient]) -> None:
    sme = people["sme"]
    form = sme.get("/profile")
    got = sme.post("/profile", data={"csrf": csrf_of(form.text), "description": "精密零件", "contact_name": "张三",
                                     "contact_phone": "1" * 40, "contact_email": ""})
    assert got.status_code == 422
    assert 'id="e-contact_phone"' in got.text and 'id="e-contact_name"' not in got.text
    assert 'value="张三"' in got.text  # the form comes back filled
