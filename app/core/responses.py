"""JSON answers serialised once, from plain data.

For a route whose answer is built from plain dicts (the match answer: twenty explanations of nested reasons),
building response models only to validate and dump them again costs more than the work itself. Such a route
returns ``json_response(...)`` and keeps ``response_model=`` on its decorator, which documents the shape in the
OpenAPI schema; a test checks the answer against that model.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class JsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        # the engine's explanations may carry numpy scalars (a share read from its arrays): written as numbers
        return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)


def json_response(content: Any, *, status_code: int = 200) -> JsonResponse:
    return JsonResponse(content, status_code=status_code)
