"""What the job runner can run: each kind of job declares its typed parameters, its handler, whether it needs the
match index, and (for periodic work) how often it runs. The composition root (app/core/background.py) lists them all;
nothing is found by module name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from app.jobs.context import JobContext

P = TypeVar("P", bound=BaseModel)


class NoParams(BaseModel):
    """For jobs that need nothing beyond the database (periodic housekeeping)."""


@dataclass(frozen=True)
class JobKind(Generic[P]):
    name: str
    params: type[P]
    handler: Callable[[JobContext, P], dict[str, Any]]
    # Jobs that rank firms wait until the worker's match index is built; the others run at once.
    uses_index: bool = False
    # Periodic jobs are enqueued once per period by whichever worker gets there first (a unique key per period).
    every_seconds: float | None = None

    def run(self, ctx: JobContext, raw: dict[str, Any]) -> dict[str, Any]:
        return self.handler(ctx, self.params.model_validate(raw))


@dataclass
class Registry:
    kinds: dict[str, JobKind[Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, kinds: Iterable[JobKind[Any]]) -> Registry:
        registry = cls()
        for kind in kinds:
            if kind.name in registry.kinds:
                raise ValueError(f"job kind {kind.name!r} registered twice")
            registry.kinds[kind.name] = kind
        return registry

    def get(self, name: str) -> JobKind[Any] | None:
        return self.kinds.get(name)

    def periodic(self) -> list[JobKind[Any]]:
        return [k for k in self.kinds.values() if k.every_seconds]
