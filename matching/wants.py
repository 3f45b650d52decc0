"""The verbs by which a need asks for something (采购、求购、寻找、征集、需要、要 …), and when such a word asks for
nothing (采购人, 需有…资质, 要用): read by :mod:`matching.clauses`, which gives what they ask for its zone."""

from __future__ import annotations

import re

from matching.conditions import CONDITION, REQUIRE_CERT
from matching.english import WANT_EN
from matching.spec import word_list

__all__ = ["WANT", "WANT_WORDS", "WEAK_VERB", "is_word", "want_verbs"]

WANT_WORDS = word_list("""
    委外加工 外协加工 带量采购 集采 单一来源采购 竞争性谈判 竞争性磋商 询比价 比选 竞价 外采 询盘
    遴选 择优选取 选取 选聘 拟新增 拟增加 拟补充 想做 拟采用
    长期采购 长单采购 公开征集 框架采购 集中采购 现需采购 拟采购 现采购 采购 求购 收购 购买 订购 选购 外购 询价 询购
    寻找 寻求 寻源 征集 征求 诚征 招募 招标 邀标 外协 外包 委外 委托加工 定制 代工 急需 现需 拟购 欲购 需求 攻关
    联合开发 共同开发 合作开发 联合研发 技术合作 揭榜 引进 购置 添置 新购 增购 采买 新上 招商 进一批 进一些 进点货
    想上 要上 准备上 计划上 上一套 上一条 上两条 缺口 缺货
""")
# 需要 is a verb of wanting unless it asks for a condition (需要具备, 需要提供 …)
# 想跟旅行社合作, 希望与…合作: the partner after the verb is the one sought
WANT = re.compile("|".join([*WANT_WORDS, "需要(?!具备|提供|通过)", "(?:想|希望|寻求|拟|愿)(?:跟|与|同)", WANT_EN]))
# 模具厂需有冲压模经验: what the firm sought must have, not a want
_MUST_HAVE = re.compile(r"[需须]有(?=[^,;。]{0,16}(?:经验|资质|能力|业绩|证书|许可|条件|实力|案例"
                        r"|车间|产线|生产线|厂房))")
# 采购人、招标方、采购商、采购部: the verb starts the name of a party or a department, it asks for nothing
_VERB_AS_NOUN = re.compile(r"人(?!才)|方(?!式|法|面|向|便)|单位|部门?|处(?!理)|员|经理|中心|商(?!品|务|业|标|用)|厂")
# one-character verbs count only as whole tokens (求 in 需求 or 要求 is no verb)
_WANT_CHARS = set("寻找求需购招征缺要")
WEAK_VERB = "要"  # a want verb only where nothing else in the clause asks
# 要 before a verb is a modal (每月要用沥青, 要做超低排放改造), not a want; before goods or at a clause end it is one
# (包装要EPS泡沫, 盘条和棒材都要)
_MODAL = re.compile(r"要(?=[做用扩出建改上搞找买采购进换加开对招求拿定提送交走看配发签打装有是能把给让跟和与"
                    r"按以在从等去来到达满符具通经保确增重再新多尽马先另长继持])")


def is_word(i: int, j: int, boundaries: set[int]) -> bool:
    return i in boundaries and j in boundaries


def want_verbs(text: str, s: int, e: int, boundaries: set[int]) -> list[tuple[int, int]]:
    """The want verbs of clause ``text[s:e]``, as spans (``boundaries``: the token boundaries of the text)."""
    found = [(s + m.start(), s + m.end()) for m in WANT.finditer(text[s:e])
             if not _VERB_AS_NOUN.match(text, s + m.end())]
    for i in range(s, e):
        if text[i] in _WANT_CHARS and is_word(i, i + 1, boundaries) and not any(a <= i < b for a, b in found) \
                and not (text[i] == "购" and _VERB_AS_NOUN.match(text, i + 1)) and not _MODAL.match(text, i) \
                and not CONDITION.match(text, i) and not REQUIRE_CERT.match(text, i) and not _MUST_HAVE.match(text, i):
            found.append((i, i + 1))
    if len(found) > 1:  # 薄膜按键要重新找供应商: beside another want verb, 要 is a modal
        found = [v for v in found if text[v[0]:v[1]] != WEAK_VERB]
    return sorted(found)
