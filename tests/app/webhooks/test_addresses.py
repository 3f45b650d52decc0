"""SSRF: every spelling of a non-public address is refused when a hook is registered, before sending, and at the
connection itself (DNS rebinding), unless CHAINMATCH_WEBHOOK_ALLOW_PRIVATE is set."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.notifications.outbox import emit
from app.webhooks.addresses import parse_literal
from app.webhooks.dispatcher import Dispatcher
from app.webhooks.guard import GuardedTransport
from app.webhooks.sender import blocked_reason, send
from tests.app.conftest import Tokens, make_client
from tests.app.webhooks.receiver import Receiver
from tests.app.webhooks.test_dispatcher import log, org

URL = "/api/v1/webhooks"

# Each one reaches this machine, its private networks or the cloud metadata service, or is no unicast address.
REFUSED = [
    "http://[::127.0.0.1]:8080/",          # IPv4-compatible loopback (issue #8)
    "http://[::ffff:127.0.0.1]/",          # IPv4-mapped, dotted
    "http://[::ffff:7f00:1]/",             # IPv4-mapped, hex
    "http://[2002:7f00:1::1]/",            # 6to4 around 127.0.0.1
    "http://[2002:a9fe:a9fe::1]/",         # 6to4 around 169.254.169.254
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
    "http://[64:ff9b::7f00:1]/",           # NAT64 around 127.0.0.1
    "http://[64:ff9b::a00:1]/",            # NAT64 around 10.0.0.1
    "http://0x7f.1/",
    "http://2130706433/",
    "http://127.1/",
    "http://0177.0.0.1/",
    "http://0x7f000001/",
    "http://localhost./",
    "http://LOCALHOST/",
    "http://api.localhost/",
    "http://[fe80::1]/",
    "http://[fe80::1%25eth0]/",
    "http://169.254.169.254/latest/meta-data",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",                  # carrier-grade NAT: shared, not global
    "http://0.0.0.0/",
    "http://[::]/",
    "http://[::1]:8080/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://[fc00::1]/",
    "http://[fec0::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
]
PUBLIC = ["https://8.8.8.8/hook", "https://[2606:4700:4700::1111]/hook",
          "http://134744072/x"]  # the last is 8.8.8.8 spelled as one number


@pytest.fixture()
def strict(migrated_url: str, session_factory: sessionmaker[Session], tokens: Tokens) -> Iterator[TestClient]:
    """A client configured as production is: private webhook targets refused."""
    with make_client(migrated_url, session_factory, build_index=False) as c:
        yield c


@pytest.mark.parametrize("url", REFUSED)
def test_registration_refuses_every_spelling_of_a_private_address(strict: TestClient, tokens: Tokens,
                                                                  url: str) -> None:
    resp = strict.post(URL, json={"url": url}, headers=tokens.header("sme"))
    assert resp.status_code == 422, (url, resp.text)
    error = resp.json()["error"]
    assert error["code"] == "invalid" and error["details"][0]["field"] == "url"
    assert error["message"].startswith("url: blocked: ")


@pytest.mark.parametrize("url", REFUSED)
def test_sending_refuses_every_spelling_of_a_private_address(url: str) -> None:
    assert blocked_reason(url), url


def test_public_addresses_pass_and_numbers_are_read_as_addresses(strict: TestClient, tokens: Tokens) -> None:
    for url in PUBLIC:
        assert blocked_reason(url) is None, url
    assert str(parse_literal("134744072")) == "8.8.8.8" and str(parse_literal("0x7f.1")) == "127.0.0.1"
    assert parse_literal("hooks.example.cn") is None and parse_literal("1.2.3.4.5") is None
    assert parse_literal("256.1.1.1") is None and parse_literal("08.1.1.1") is None
    # The embedding forms are refused even around a public address: ::/8 is reserved, and no receiver needs them.
    assert blocked_reason("http://[::ffff:8.8.8.8]/x")
    # A name that does not resolve now is accepted (checked again when sending); the allow setting lets all in.
    made = strict.post(URL, json={"url": "https://hooks.example.invalid/x"}, headers=tokens.header("sme"))
    assert made.status_code == 201, made.text


def test_allow_private_lets_local_targets_register(client: TestClient, tokens: Tokens) -> None:
    # The webhooks tests' client runs with CHAINMATCH_WEBHOOK_ALLOW_PRIVATE, as local demos do.
    assert client.post(URL, json={"url": "http://[::127.0.0.1]:8080/"}, headers=tokens.header("sme")).status_code == 201


def test_the_guarded_transport_refuses_to_connect_to_a_private_address(receiver: Receiver) -> None:
    with httpx.Client(transport=GuardedTransport(), timeout=2) as c:
        outcome = send(c, url=receiver.url.replace("127.0.0.1", "localhost"), headers={}, body=b"{}")
    assert not outcome.ok and outcome.error.startswith("blocked: localhost resolves to a non-public address")
    assert receiver.requests == []


def test_dns_rebinding_is_refused_at_the_connection(client: TestClient, tokens: Tokens, small: Session,
                                                    session_factory: sessionmaker[Session], receiver: Receiver,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The name answers a public address to the check and this machine to the connection."""
    port = receiver.server.server_address[1]
    made = client.post(URL, json={"url": f"http://rebind.example.invalid:{port}/hook"}, headers=tokens.header("sme"))
    assert made.status_code == 201
    emit(small, event="opportunity.new", org_id=org(small, "100002"), payload={})
    small.commit()
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection
    answers = iter(["8.8.8.8"])

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example.invalid":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), args[0]))]
        return real_getaddrinfo(host, *args, **kwargs)

    def this_machine_only(address: Any, *args: Any, **kwargs: Any) -> Any:
        # Whatever the code under test does, the test itself never opens a connection off this machine.
        literal = parse_literal(str(address[0]))
        if literal is not None and not literal.is_loopback:
            raise OSError(f"the test does not connect to {literal}")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(socket, "create_connection", this_machine_only)
    report = Dispatcher(session_factory, timeout=2).run_once()
    assert receiver.requests == [] and report.delivered == 0
    [entry] = log(client, tokens, "sme", made.json()["id"])
    assert entry["last_error"].startswith("blocked: rebind.example.invalid resolves to a non-public address: "
                                          "127.0.0.1"), entry
