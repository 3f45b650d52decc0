"""Chinese text analysis: jieba words with chain-node names kept whole, plus character bigrams.

Words give exact, specific evidence ("锂电池" as one term); bigrams make variants overlap
(出境游 / 出境旅游 share 出境). Filler words of need texts (需要, 采购, 供应商 …) are dropped before
either is produced, so they can never drive a ranking.

jieba's module-level dictionary is process-global; each analyzer owns a private ``jieba.Tokenizer``
so loading ~95k node names never leaks into other users of jieba.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import jieba

__all__ = ["FILLER_WORDS", "ChineseAnalyzer", "normalize"]

# Words that describe the act of asking, not the thing asked for. Kept as whole dictionary words
# with a high frequency so jieba cuts them out cleanly (原材料供应商 -> 原材料 / 供应商, not
# 原材料供应 / 商), then dropped.
FILLER_WORDS = frozenset(
    (
        "需要", "需求", "计划", "生产", "产线", "生产线", "原材料",
        "原料", "采购", "求购", "收购", "购买", "征集", "寻找", "寻求", "寻", "找",
        "招募", "招标", "招商", "诚邀", "邀请", "欢迎", "联系", "洽谈", "对接", "企业", "公司",
        "本公司", "我公司", "我司", "我方", "我们", "贵司", "单位", "厂家", "厂商", "工厂",
        "商家", "供应商", "供货商", "服务商", "制造商", "生产商", "供应", "供货", "提供", "货源",
        "供方", "供应方", "合格供方", "合格供应商", "源头", "源头厂家", "源头工厂",
        "要求", "具备", "具有", "能力", "资质", "实力", "优质", "可靠", "稳定", "长期", "批量",
        "大量", "一批", "若干", "意向", "有意", "合作", "合作伙伴", "伙伴", "承接", "项目",
        "相关", "方面", "领域", "用于", "所需", "需", "拟", "急需", "求", "为", "的", "和",
        "与", "及", "或", "等", "有", "在", "是", "对", "请", "能", "可", "可以",
        "一些", "一家", "多家", "各类", "各种", "以及", "进行", "开展", "希望", "想", "上游",
        "上游原材料", "原材料供应商", "配套", "为生产", "生产所需", "用的", "我们的", "现", "现面向",
        "面向", "社会", "公开", "全国", "优秀", "专业", "有限", "股份", "集团", "有限公司",
        "股份有限公司",
    )
)

_FILLER_FREQ = 10**7  # beats any node word, so a filler word is never swallowed by a longer node name
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9.\-+/#]*|[\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
# jieba cuts each run of these apart from the rest of the text (its cut() splits there first, then cuts every run
# alone), so a run cuts the same in any text: runs recur across needs (我司为整车企业) and within one (the reader
# cuts a text, then its wanted parts again), and remembering their cuts spares jieba's DAG and route per character
_RUN = jieba.re_han_default
_SKIP = jieba.re_skip_default
_RUNS_KEPT = 8192


_DEFAULT: jieba.Tokenizer | None = None
_DEFAULT_LOCK = threading.Lock()


def _default_tokenizer() -> jieba.Tokenizer:
    """jieba's general dictionary, loaded once per process and never changed (copies are fitted)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            tk = jieba.Tokenizer()
            tk.initialize()
            _DEFAULT = tk
        return _DEFAULT


def _default_dictionary() -> tuple[dict[str, int], int]:
    tk = _default_tokenizer()
    return tk.FREQ, tk.total


def normalize(text: str) -> str:
    """NFKC (full-width -> half-width) and lower case: the one form every comparison uses."""
    return unicodedata.normalize("NFKC", text).lower()


class ChineseAnalyzer:
    """Turn text into terms: ``w:<word>`` for kept words and ``g:<bigram>`` for CJK bigrams.

    Parameters
    ----------
    filler : words never emitted (see :data:`FILLER_WORDS`).
    word_freq : jieba frequency given to each fitted dictionary word; high enough that a node name
        beats any split of it into common words.
    use_default_dict : also load jieba's general dictionary (~0.5 s, cached by jieba on disk), which
        segments the non-product part of need texts far better.
    """

    def __init__(
        self,
        *,
        filler: Iterable[str] = FILLER_WORDS,
        word_freq: int = 3000,
        use_default_dict: bool = True,
        bigrams: bool = True,
    ) -> None:
        self.filler = frozenset(filler)
        self.word_freq = word_freq
        self.use_default_dict = use_default_dict
        self.bigrams = bigrams

    def fit(self, words: Iterable[str]) -> ChineseAnalyzer:
        """Load ``words`` (node names and aliases) as dictionary words of a private tokenizer."""
        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        if self.use_default_dict:
            # Loading jieba's general dictionary costs ~0.5 s; do it once per process and copy it after.
            base_freq, base_total = _default_dictionary()
            tk.FREQ, tk.total, tk.initialized = dict(base_freq), base_total, True
        else:
            tk.FREQ, tk.total, tk.initialized = {}, 0, True
        freq = tk.FREQ
        # Writing FREQ directly is what add_word does minus suggest_freq; with an explicit
        # frequency add_word is as fast (~0.15 s for 95k words), so the public call is used.
        general: dict[str, int] = {}
        for w in words:
            w = normalize(w).strip()
            if not w or w in general:
                continue
            general[w] = freq.get(w, 0)
            if general[w] < self.word_freq:
                tk.add_word(w, self.word_freq)
        for w in self.filler:
            tk.add_word(w, _FILLER_FREQ)
        self.tokenizer_ = tk
        self.general_freq_ = general  # general-language frequency of each fitted word, before fitting
        self._general = _default_tokenizer() if self.use_default_dict else None
        self._forget_cuts()
        return self

    def _forget_cuts(self) -> None:
        """Start the remembered cuts afresh (the fitted dictionary changed)."""
        tk = self.tokenizer_
        self._run_cut = lru_cache(maxsize=_RUNS_KEPT)(lambda run: tuple(tk.cut(run, HMM=False)))
        general = self._general
        # the general dictionary never changes (see _default_tokenizer)
        self._general_cut = (lru_cache(maxsize=_RUNS_KEPT)(lambda form: tuple(w for w in general.cut(form, HMM=False)
                                                                             if w))
                             if general is not None else None)

    def cut(self, text: str) -> list[str]:
        """jieba's cut of ``text`` by the fitted dictionary (HMM off), token for token, as
        ``tokenizer_.cut(text, HMM=False)`` gives it."""
        out: list[str] = []
        for block in _RUN.split(text):
            if not block:
                continue
            if _RUN.match(block):
                out.extend(self._run_cut(block))
            else:  # between runs jieba yields each space or line break whole and every other character alone
                for x in _SKIP.split(block):
                    if _SKIP.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out

    def add_word(self, word: str) -> None:
        """Make ``word`` (a new alias) a dictionary word, as :meth:`fit` does."""
        w = normalize(word).strip()
        if w and w not in self.general_freq_:
            self.general_freq_[w] = self.tokenizer_.FREQ.get(w, 0)
            if self.general_freq_[w] < self.word_freq:
                self.tokenizer_.add_word(w, self.word_freq)
                self._forget_cuts()

    def remove_word(self, word: str) -> None:
        """Undo :meth:`add_word`: the word weighs what general Chinese gives it again (0: not a word)."""
        w = normalize(word).strip()
        if w in self.general_freq_:
            self.tokenizer_.add_word(w, self.general_freq_.pop(w))
            self._forget_cuts()

    def is_general_word(self, word: str) -> bool:
        """Whether ``word`` (two characters or more) is a word of general Chinese (jieba's dictionary)."""
        return self._general is not None and len(word) > 1 and self._general.FREQ.get(word, 0) > 0

    def general_cut(self, text: str) -> list[str]:
        """``text`` cut with general Chinese only (no product names): how a reader splits a compound name."""
        if self._general_cut is None:
            return [text]
        return list(self._general_cut(text))

    def general_frequency(self, word: str) -> int:
        """How common a fitted ``word`` is in general Chinese (jieba's dictionary); 0 when unknown."""
        return self.general_freq_.get(word, 0)

    def words(self, text: str, *, drop_filler: bool = True) -> list[str]:
        """Content words of ``text`` in order: normalised, punctuation (and filler) dropped."""
        filler = self.filler if drop_filler else frozenset()
        out = []
        for tok in self.cut(normalize(text)):
            tok = tok.strip()
            if not tok or tok in filler:
                continue
            for piece in _WORD_RE.findall(tok):
                if piece not in filler:
                    out.append(piece)
        return out

    def terms_of_words(self, words: Iterable[str]) -> list[str]:
        terms = []
        for w in words:
            terms.append("w:" + w)
            if self.bigrams and len(w) > 2 and _CJK.match(w):
                terms.extend("g:" + w[i : i + 2] for i in range(len(w) - 1))
            elif self.bigrams and len(w) == 2 and _CJK.match(w):
                terms.append("g:" + w)
        return terms

    def analyze(self, text: str) -> list[str]:
        """Terms of ``text`` (with repeats: term frequency matters to BM25)."""
        return self.terms_of_words(self.words(text))
