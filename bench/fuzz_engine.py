"""The schemathesis engine of tests/app/test_fuzz.py (a few examples per operation) and bench/fuzz.py (many).

The schema is the live OpenAPI document (`GET /openapi.json`); every operation gets schema-conforming and
schema-violating cases (schemathesis 4 generation modes), derandomized and with no Hypothesis database, sent
through any ``request(method, url, **httpx kwargs)`` (a TestClient's) with the role's token. Path keys are half
the time real ids, codes and names read through the API (known_keys), so the 200 paths are fuzzed too.

What is checked, on every answer:
  * ``not_a_server_error``: no 5xx (an exception escaping the app counts as one, with its traceback);
  * ``response_schema_conformance``: a documented status answers with a body that fits its documented schema;
  * the error envelope: every 4xx is ``{"error": {"code": str, "message": str, "details": ...}}``. The 422s are
    checked only this way while the OpenAPI document still advertises FastAPI's default ``HTTPValidationError``
    (``{"detail": [...]}``) for them, which the app never sends (its handlers render the envelope).
Not checked: undocumented statuses (401/403/404/409/413 are legitimate answers of this API) and schemathesis's
negative-data checks (the API deliberately accepts some inputs the generator calls invalid, e.g. extra headers).
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from schemathesis import CheckFunction, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

ROLES = ("admin", "operator", "leader", "sme", "integration")
# Per role, a run without explicit example counts (the test's) spends about REQUEST_BUDGET requests over all
# operations (2/3 positive, 1/3 negative), at least MIN_EXAMPLES and at most MAX_EXAMPLES each, so the test stays
# well under a minute as the API grows.
REQUEST_BUDGET = 600
MIN_EXAMPLES, MAX_EXAMPLES = 3, 25
API = "/api/v1"
# Path keys that look numeric to str.isdigit() but are not plain ids: a superscript digit, beyond SQLite's INTEGER.
EDGE_KEYS = ["²", "١٢", "99999999999999999999", "9223372036854775808", "-1", "0"]


@dataclass
class FuzzReport:
    """What a fuzz run did: requests by role and by status, and one line block per failing operation."""

    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    schema_failures: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return self.server_errors + self.schema_failures


class ServerError(AssertionError):
    """A 5xx answer, or an exception that escaped the app (the TestClient re-raises it)."""


class SchemaFailure(AssertionError):
    """An answer that breaks its documented schema or the error envelope."""


def known_keys(request: Callable[..., Any], headers: dict[str, str]) -> dict[str, list[str]]:
    """Real path keys by route prefix (ids, codes, names), read through the API itself."""

    def items(path: str) -> list[dict[str, Any]]:
        answer = request("GET", f"{API}{path}", headers=headers)
        if answer.status_code != 200:
            return []
        body = answer.json()
        return list(body["items"] if isinstance(body, dict) else body)

    def tree_codes(nodes: list[dict[str, Any]]) -> Iterator[str]:
        for node in nodes:
            yield str(node["code"])
            yield from tree_codes(node.get("children") or [])

    enterprises = items("/enterprises?limit=100")
    nodes = items("/nodes?limit=100")
    return {
        f"{API}/enterprises/": [str(e["id"]) for e in enterprises] + [e["code"] for e in enterprises],
        f"{API}/nodes/": [str(n["id"]) for n in nodes] + [n["name"] for n in nodes],
        f"{API}/chains/": [c["code"] for c in items("/chains")],
        f"{API}/industries/": list(tree_codes(items("/industries"))),
    }


def _with_real_key(strategy: st.SearchStrategy[Any], path: str, keys: dict[str, list[str]],
                   edge_keys: bool) -> st.SearchStrategy[Any]:
    """Half the cases get a real key (or an EDGE_KEYS one) as their single path parameter, when the route has one."""
    if "{" not in path:
        return strategy
    name = path[path.index("{") + 1:path.index("}")]
    real = next((values for prefix, values in keys.items() if path.startswith(prefix) and values), [])
    real = real + EDGE_KEYS if edge_keys else real
    if not real:
        return strategy

    def put(pair: tuple[Any, str]) -> Any:
        case, key = pair
        case.path_parameters = {**(case.path_parameters or {}), name: key}
        return case

    return st.one_of(strategy, st.tuples(strategy, st.sampled_from(real)).map(put))


def _error_envelope(response: Any) -> str | None:
    """Why a 4xx body is not the app's error envelope, or None when it is."""
    try:
        body = response.json()
    except Exception:  # noqa: BLE001 - any unparsable body is the finding
        return f"4xx body is not JSON: {response.text[:200]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str) \
            or not isinstance(error.get("message"), str) or "details" not in error:
        return f"4xx body is not the error envelope: {str(body)[:300]}"
    return None


def _documents_default_422(operation: Any) -> bool:
    schema = operation.definition.raw.get("responses", {}).get("422", {})
    return "HTTPValidationError" in str(schema)


def _app_traceback(exc: BaseException) -> str:
    """The exception and the frames of this repository (not the libraries') that led to it."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
    where = "".join(traceback.format_list(frames[-6:]))
    return f"{type(exc).__name__}: {exc}\n{where}".rstrip()


def _describe(kwargs: dict[str, Any]) -> str:
    body = kwargs.get("json", kwargs.get("data"))
    return f"{kwargs['method']} {kwargs['url']} params={kwargs.get('params')} body={str(body)[:500]}"


def fuzz(
    request: Callable[..., Any],
    openapi: dict[str, Any],
    role: str,
    headers: dict[str, str],
    report: FuzzReport,
    *,
    positive: int | None = None,
    negative: int | None = None,
    keys: dict[str, list[str]] | None = None,
    base_url: str = "http://testserver",
    edge_keys: bool = True,
) -> None:
    """Fuzz every operation of ``openapi`` as ``role``; ``request(method, url, **httpx kwargs)`` sends one call.

    Failures are recorded in ``report`` (each distinct one per operation and mode, shrunk by Hypothesis), never
    raised.
    """
    schema = schemathesis.openapi.from_dict(openapi)
    count = sum(1 for methods in openapi["paths"].values() for method in methods if method != "parameters")
    if positive is None:
        positive = min(MAX_EXAMPLES, max(MIN_EXAMPLES, REQUEST_BUDGET * 2 // 3 // max(count, 1)))
    if negative is None:
        negative = min(MAX_EXAMPLES // 2, max(MIN_EXAMPLES, REQUEST_BUDGET // 3 // max(count, 1)))
    keys = keys if keys is not None else known_keys(request, headers)
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            report.schema_failures.append(f"[{role}] the OpenAPI document has an unusable operation: {result.err()}")
            continue
        operation = result.ok()
        for mode, examples in ((GenerationMode.POSITIVE, positive), (GenerationMode.NEGATIVE, negative)):
            if examples <= 0:
                continue
            strategy = _with_real_key(operation.as_strategy(generation_mode=mode), operation.path, keys,
                                      edge_keys)

            @given(case=strategy)
            @hypothesis.settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                                 suppress_health_check=list(HealthCheck), print_blob=False)
            def run(case: Any) -> None:
                kwargs = case.as_transport_kwargs(base_url=base_url, headers=headers)
                sent = {"params": kwargs.get("params") or None, "headers": dict(kwargs["headers"])}
                if "json" in kwargs:
                    sent["json"] = kwargs["json"]
                elif "data" in kwargs:
                    sent["content" if isinstance(kwargs["data"], str | bytes) else "data"] = kwargs["data"]
                report.requests[role] += 1
                try:
                    response = request(kwargs["method"], kwargs["url"], **sent)
                except Exception as exc:
                    raise ServerError(f"{_describe(kwargs)}\n-> raised {_app_traceback(exc)}") from exc
                report.statuses[response.status_code] += 1
                if response.status_code >= 500:
                    raise ServerError(f"{_describe(kwargs)}\n-> {response.status_code} {response.text[:500]}")
                checks: list[CheckFunction] = [not_a_server_error]
                if not (response.status_code == 422 and _documents_default_422(case.operation)):
                    checks.append(response_schema_conformance)
                try:
                    case.validate_response(response, checks=checks)
                except BaseExceptionGroup as exc:  # schemathesis's FailureGroup is a BaseExceptionGroup
                    raise SchemaFailure(f"{_describe(kwargs)}\n-> {response.status_code}\n{exc}") from exc
                if 400 <= response.status_code < 500 and (why := _error_envelope(response)):
                    raise SchemaFailure(f"{_describe(kwargs)}\n-> {response.status_code}: {why}")

            label = f"[{role}] {operation.label} ({mode.value})"
            try:
                run()
            except hypothesis.errors.Unsatisfiable:
                pass  # no negative data exists for an operation without inputs (GET /health)
            except Exception as exc:  # noqa: BLE001 - Hypothesis groups several distinct failures
                for error in exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,):
                    found = report.schema_failures if isinstance(error, SchemaFailure) else report.server_errors
                    text = str(error) if isinstance(error, ServerError | SchemaFailure) else _app_traceback(error)
                    found.append(f"{label}\n{text}")
