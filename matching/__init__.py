"""The ranking engine: need understanding, text analysis, node linking, score fusion, 匹配度 and
explanations (pure numpy/scipy)."""

from matching.aliases import Alias, default_aliases, read_aliases
from matching.analyzer import FILLER_WORDS, ChineseAnalyzer
from matching.fusion import fuse
from matching.index import MatchIndex
from matching.linking import Link, NodeLinker
from matching.rank import rank
from matching.scale import band_of
from matching.types import (
    EmptyQueryError,
    EnterpriseRecord,
    MatchConfig,
    MatchQuery,
    MatchResult,
    UnknownNodeError,
)
from matching.understanding import Mention, NeedReader, Understanding

__all__ = [
    "FILLER_WORDS",
    "Alias",
    "ChineseAnalyzer",
    "EmptyQueryError",
    "EnterpriseRecord",
    "Link",
    "MatchConfig",
    "MatchIndex",
    "MatchQuery",
    "MatchResult",
    "Mention",
    "NeedReader",
    "NodeLinker",
    "Understanding",
    "UnknownNodeError",
    "band_of",
    "default_aliases",
    "fuse",
    "rank",
    "read_aliases",
]
