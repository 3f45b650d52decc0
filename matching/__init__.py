"""The ranking engine: text analysis, node linking, score fusion and explanations (pure numpy/scipy)."""

from matching.analyzer import FILLER_WORDS, ChineseAnalyzer
from matching.fusion import fuse
from matching.index import MatchIndex
from matching.linking import Link, NodeLinker
from matching.rank import rank
from matching.types import (
    EmptyQueryError,
    EnterpriseRecord,
    MatchConfig,
    MatchQuery,
    MatchResult,
    UnknownNodeError,
)

__all__ = [
    "FILLER_WORDS",
    "ChineseAnalyzer",
    "EmptyQueryError",
    "EnterpriseRecord",
    "Link",
    "MatchConfig",
    "MatchIndex",
    "MatchQuery",
    "MatchResult",
    "NodeLinker",
    "UnknownNodeError",
    "fuse",
    "rank",
]
