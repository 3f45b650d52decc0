"""The worker's match index as a typed dependency: routes name it instead of reaching into app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.match_index.holder import IndexHolder


async def get_index(request: Request) -> IndexHolder:  # async: no worker-thread hop for a lookup
    return request.app.state.index  # type: ignore[no-any-return]


IndexDep = Annotated[IndexHolder, Depends(get_index)]
