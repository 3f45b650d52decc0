"""The engine's reading of a need, said back to the poster and corrected by it.

The reading (matching.NeedReader) is taken from the title and description; the poster corrects it by attaching
nodes (the need's own chain nodes, which the ranking takes as given) and removing nodes the engine read into
the text (kept in ``need.removed_nodes``, which the ranking never takes from the text again). The corrected
reading is stored on the need whenever its text or corrections change, so lists and feeds show it without the
engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.match_index.holder import IndexHolder
from app.models import Need


def need_text(need: Need) -> str:
    return f"{need.title}\n{need.description}"[:5000]


def read(holder: IndexHolder, need: Need, attached: Sequence[str]) -> dict[str, Any] | None:
    """The corrected reading of ``need`` (``attached``: its chain node names), or None while the index is built."""
    index = holder.index
    if index is None:
        return None
    removed = {n for n in map(index.graph_.lookup, need.removed_nodes or []) if n is not None}
    out = index.understand(need_text(need)).without(removed).as_dict()
    out["attached"] = list(attached)
    return out


def refresh(holder: IndexHolder, need: Need, attached: Sequence[str]) -> None:
    """Store the reading again after the text or the corrections changed (kept as it was while the index is
    being built: the next change or publication stores it)."""
    reading = read(holder, need, attached)
    if reading is not None:
        need.understanding = reading
