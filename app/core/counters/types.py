"""What a counter store answers, and the one error its callers handle."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Count:
    value: int
    # Seconds until the counter's window closes (0 when there is no live counter).
    ttl: float


class StoreUnavailable(Exception):
    """The shared store cannot be reached; the caller decides whether to fail open or fall back."""
