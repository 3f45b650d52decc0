"""Vocabulary updates of a fitted match index in place: the alias list and the kinds list as operators change them.

:class:`matching.index.MatchIndex` takes these methods as a base class (not used alone); refitting would re-read
every firm, an alias change re-reads only the firms whose texts hold a changed word, a kinds change none.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import _lru_cache_wrapper
from typing import TYPE_CHECKING

from graph import ChainGraph
from matching.analyzer import ChineseAnalyzer, normalize
from matching.kinds import kind_map
from matching.linking import Link, NodeLinker
from matching.types import EnterpriseRecord
from matching.understanding import Understanding

__all__ = ["VocabularyUpdates"]


class VocabularyUpdates:
    """The alias and kinds lists of a :class:`matching.index.MatchIndex`, replaced without a refit."""

    lock: threading.RLock
    graph_: ChainGraph
    analyzer_: ChineseAnalyzer
    linker_: NodeLinker
    aliases_: list[tuple[str, str]]
    kind_pairs_: list[tuple[str, str]]
    kinds_: dict[str, tuple[int, ...]]
    version_: int
    _terms_cache: dict[str, list[str]]
    _links_cache: dict[str, list[tuple[int, float]]]
    _evidence: dict[int, dict[int, tuple[float, str, float, float]]]
    _link_need: _lru_cache_wrapper[list[Link]]
    _understand: _lru_cache_wrapper[Understanding]

    if TYPE_CHECKING:  # the index's own, which these updates call
        @property
        def fitted(self) -> bool: ...
        def all_records(self) -> Iterable[EnterpriseRecord]: ...
        def _upsert(self, record: EnterpriseRecord) -> None: ...

    def set_kinds(self, kinds: Iterable[tuple[str, str]]) -> None:
        """Take ``kinds`` as the whole kinds list from now on (see :meth:`fit`): only what needs seek changes."""
        with self.lock:
            self.kind_pairs_ = list(kinds)
            self.kinds_ = kind_map(self.kind_pairs_, self.graph_.lookup)

    def set_aliases(self, aliases: Iterable[tuple[str, str]]) -> int:
        """Take ``aliases`` as the whole alias list from now on (see :meth:`fit`) without refitting: only
        the forms that changed are re-learned and only the firms whose texts contain one are re-read.
        Returns how many firms were re-read."""
        if not self.fitted:
            raise RuntimeError("fit the index before updating it")
        with self.lock:
            aliases = list(aliases)
            changed = self.linker_.update_aliases(self.graph_, aliases)
            self.aliases_ = aliases
            if not changed:
                return 0
            for f in changed:
                if f in self.linker_.forms_:
                    self.analyzer_.add_word(f)
                elif f not in self.linker_.base_forms_:
                    self.analyzer_.remove_word(f)
            self._link_need.cache_clear()
            self._understand.cache_clear()
            for cache in (self._terms_cache, self._links_cache):
                for key in [k for k in cache if any(f in normalize(k) for f in changed)]:
                    del cache[key]

            def touched(rec: EnterpriseRecord) -> bool:
                texts = (rec.name, rec.description, *(p for p, _ in rec.products))
                return any(f in normalize(t) for t in texts for f in changed)

            affected = [rec for rec in self.all_records() if touched(rec)]
            self._evidence.clear()
            for rec in affected:
                self._upsert(rec)
            self.version_ += 1
            return len(affected)
