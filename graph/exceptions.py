"""Errors raised by the chain analytics (networkx keeps its own ``NetworkXError`` family the same way).

All derive from :class:`AnalyticsError`, a ``ValueError``, so a caller can map the whole family to one
client error while still telling an unknown node from an unknown firm.
"""

from __future__ import annotations

__all__ = ["AnalyticsError", "UnknownFirmError", "UnknownNodeError"]


class AnalyticsError(ValueError):
    """The input cannot be analysed as given (an unknown tier or basis, an empty chain, a bad share …)."""


class UnknownNodeError(AnalyticsError):
    """A node name (or alias) that the chain graph does not hold."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown chain node {name!r}")


class UnknownFirmError(AnalyticsError):
    """A firm id that the supply table does not hold."""

    def __init__(self, firm: object) -> None:
        self.firm = firm
        super().__init__(f"unknown firm {firm!r}")
