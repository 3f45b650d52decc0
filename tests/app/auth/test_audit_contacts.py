"""The audit log does not leak a firm's contacts to operators who may not see them (issue #8, hole 10)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.tokens import create_token
from app.core.audit import record
from app.models import Principal
from tests.app.conftest import Tokens

CONTACT = {"name": "王经理", "phone": "0531-88886666", "email": "wang@firm.example.cn"}
SECRETS = ("王经理", "0531-88886666", "wang@firm.example.cn", "0531-80000000")


def audit(client: TestClient, headers: dict[str, str], **params: str) -> list[dict]:  # type: ignore[type-arg]
    resp = client.get("/api/v1/audit", params={"entity": "enterprise", **params}, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def test_operators_see_that_contacts_changed_not_what_they_are(client: TestClient, tokens: Tokens) -> None:
    changed = client.patch("/api/v1/enterprises/100002", json={"description": "新描述", "contact": CONTACT},
                           headers=tokens.header("sme"))
    assert changed.status_code == 200, changed.text
    made = client.post("/api/v1/enterprises", json={"code": "NEW1", "name": "新企", "contact": CONTACT},
                       headers=tokens.header("operator"))
    assert made.status_code == 201, made.text

    [update] = audit(client, tokens.header("operator"), entity_id="100002")
    assert update["before"] == {"description": "", "contact_name": None, "contact_phone": "***",
                                "contact_email": None}
    assert update["after"] == {"description": "新描述", "contact_name": "***", "contact_phone": "***",
                               "contact_email": "***"}
    [create] = audit(client, tokens.header("operator"), entity_id="NEW1")
    assert create["after"]["name"] == "新企" and create["after"]["contact_email"] == "***"
    everything = client.get("/api/v1/audit", params={"limit": 200}, headers=tokens.header("operator")).text
    assert not any(s in everything for s in SECRETS)

    # Admins see the values, as they do on the firm's page.
    [update] = audit(client, tokens.header("admin"), entity_id="100002")
    assert update["before"]["contact_phone"] == "0531-80000000" and update["after"] == {
        "description": "新描述", "contact_name": "王经理", "contact_phone": "0531-88886666",
        "contact_email": "wang@firm.example.cn"}


def test_contacts_nested_or_in_other_entries_are_redacted_too(client: TestClient, tokens: Tokens,
                                                              small: Session) -> None:
    actor = small.get(Principal, create_token(small, role="admin", name="t-writer")[1].principal_id)
    record(small, principal=actor, action="x.import", entity="need", entity_id=1,
           after={"title": "碳酸锂", "contact": CONTACT, "rows": [{"Contact_Phone": "0531-88886666"}],
                  "poster_email": None})
    small.commit()
    [entry] = client.get("/api/v1/audit", params={"entity": "need", "entity_id": "1"},
                         headers=tokens.header("operator")).json()
    assert entry["after"] == {"title": "碳酸锂", "contact": "***", "rows": [{"Contact_Phone": "***"}],
                              "poster_email": None}
    [entry] = client.get("/api/v1/audit", params={"entity": "need", "entity_id": "1"},
                         headers=tokens.header("admin")).json()
    assert entry["after"]["contact"] == CONTACT
