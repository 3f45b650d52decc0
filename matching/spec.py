"""Terms of a need that describe *how much* or *what grade*, never *what*: they must not link to products.

Needs as people write them carry specifications (99.5%、厚度9μm、Q355B), grades (车规级、食品级、10.9级),
quantities (500吨、年需求约1.2亿平方米), standards and certificates (IATF16949、GB/T 1499、GMP证书) and
delivery terms (交付至济南). Many of these strings are also product names of the chain data (水分, 杂质, μm
and 万吨 are all "products" there), so they are found here by their shape, before linking, and every
mention that overlaps one is ignored.

All patterns work on :func:`matching.analyzer.normalize`\\d text (NFKC, lower case).
"""

from __future__ import annotations

import re

__all__ = ["PROPERTY_WORDS", "merged", "spec_spans", "word_list"]


def word_list(text: str) -> list[str]:
    """Words written one space apart: the marker and vocabulary lists read as lists a reviewer can scan."""
    return text.split()


# Chinese measure words and units that follow a number (longest first, so 万吨 beats 万).
_UNITS = sorted(
    word_list("""
    万吨 千吨 吨 公斤 千克 克 斤 平方米 平米 立方米 立方 方 万方 亿平方米 万平方米 台套 台 套 只 件 片 颗 张 面 瓶 支 盒
    箱 袋 桶 罐 羽 头 辆 艘 架 个 条 根 卷 捆 批 次 轮 年 个月 月 周 天 日 小时 分钟 秒 寸 英寸 米 公里 千米 毫米 厘米
    目 级 号 元 万元 亿元 座 家 项 种 款 度 倍 层 芯 相 路 孔 节 期 标段 万只 万件 万套 万片 万颗 万张 万辆 万台 万个
    亿颗 亿只 亿片 千瓦 兆瓦 万千瓦 伏 安 瓦 毫安 摄氏度 周年 人
    """),
    key=len,
    reverse=True,
)
_UNIT = "(?:" + "|".join(map(re.escape, _UNITS)) + ")"

# A token with a digit in it: model numbers, grades and measurements (q355b, hrb400e, 2835, 0.2w, 120d/30f,
# iatf16949, aec-q101, p.o42.5, φ12–φ32, 8:1:1, ≥99.95%), with a Chinese unit right after it (500吨); a sum of
# components before a limit is one measurement (cao+mgo≤1.5%: no calcium oxide is asked for)
_NUMERIC = re.compile(
    r"(?:[a-z]+\.)?(?:[a-z][a-z0-9]*\+)*[a-zα-ωφ]*[≥≤<>±~约]?\d[a-z0-9α-ωφμ.:/×*+%‰°²³℃\-–—~]*(?:" + _UNIT + r")?"
)
# Chinese numerals with a measure word (三年、两批、一级、十余家); not 元 alone (三元 is ternary, not ¥3)
_CN_UNIT = "(?:" + "|".join(map(re.escape, [u for u in _UNITS if u != "元"])) + ")"
_CN_NUMERIC = re.compile(r"[一二三四五六七八九十两百千万亿几数多余]+" + _CN_UNIT)
# ordinals (第一季度, 第二批, 第3标段): when, not what (第一, 第二 are node names of the data)
_ORDINAL = re.compile(
    r"第[一二三四五六七八九十百\d]+(?:季度|期|批次|批|阶段|标段|包|次|年度|名|轮|项|条|部分|(?=[\s:;,、]|$))")
# Grades and qualities: 车规级、电池级、食品级、g4级、10.9级、优等品、一等品.
_GRADE = re.compile(
    r"(?:车规|电池|工业|食品|医药|药用|医用|电子|试剂|分析|光学|军工|航空|航天|核|饲料|农业|优等|一等|合格|特|"
    r"瓶|纤维|膜|光伏|半导体|太阳能|冶金|化工|化学|建筑|化妆品|注射|口服|"
    r"[a-z]?\d+(?:\.\d+)?)级|(?:优等|一等|二等|合格|特级|次)品"
)
# Certificates, standards and registrations, when the text says what they are.
_CERT_NAMES = word_list("""
    iatf iso gb/?t gb jb/?t hg/?t yy/?t aec-?q ul ce rohs reach fda gmp gsp glp cqc ccc 3c tüv tuv sgs dmf cep ccs abs
    dnv bv cnas fsc fssc brc haccp halal sc qs ppap apqp api asme nsf vde kc pse ts ohsas msds coa cde nmpa cfda kosher
    bsci oeko-tex grs csa etl saso ukca ecovadis
""")
_CERT_WORDS = word_list("认证 证书 证 文件 报告 登记 注册 许可 体系 资质 审核 标准 备案 批文 检测 合格")
_CERT = re.compile(
    "(?:" + "|".join(_CERT_NAMES) + r")[a-z0-9\- /]*"
    r"(?=\s*(?:及|和|与|、|/|,)?\s*[a-z0-9\- ]*(?:" + "|".join(_CERT_WORDS) + "))"
)
# Property words that name a measurement, not a product, when a value follows them.
PROPERTY_WORDS = tuple(word_list("""
    厚度 宽度 长度 高度 直径 内径 外径 壁厚 粒度 粒径 细度 纯度 含量 浓度 水分 含水率 灰分 硫分 挥发分 固含量 密度
    振实密度 强度 抗压强度 抗拉强度 屈服强度 硬度 粘度 黏度 熔指 熔融指数 比表面积 透光率 孔隙率 容量 比容量 功率 电压
    电流 频率 频段 精度 定位精度 寿命 温度 色温 显色指数 克重 负载 载荷 杂质 金属杂质 游离酸 氧含量 规格 型号 牌号 材质
    等级 指标 间距 尺寸 重量 单重 坍落度 热值 发热量 品位 含硫 含铁 损耗 效率 转换效率 阻抗 内阻 耐压 转速 扭矩 压力
    流量 扬程 口径 通径 公差 光洁度 粗糙度 白度 亮度 分辨率 尺寸公差 ph ph值 酸值 碘值 闪点 熔点 沸点 凝点 倾点 线速度
    线径 丝径 纤度 支数 捻度 强力 断裂强度 伸长率 回潮率 含油率 收缩率 吸水率 单机 单机容量 单件 单价 额定 额定电流
    额定电压 额定功率 容积 面积 体积 产能 规模 处理量 日处理量 产量 年产量 耐磨层 镀层 涂层 膜厚 锌层 铜厚 板厚
"""))
_PROPERTY = re.compile(
    "(?:" + "|".join(map(re.escape, sorted(PROPERTY_WORDS, key=len, reverse=True))) + r")\s*(?:约|为|在|:|：)?\s*"
    r"(?=[≥≤<>±=~\d])"
)


# a Latin unit one space after its number (5000 hp, 300 gbps, 12 μm): part of the measurement; so is a count
# an English order gives (2,000 pcs, 40 sets, 3 units): PCS and BMS are products only where no number precedes them
_SPACED_UNIT = re.compile(
    r"\d[万千k](?:pcs|pc|sets|units|pairs)(?![a-z])"  # 月5万pcs: the count in a Chinese number
    r"|(?<=\d) (?:hp|kw|kva|kwh|mw|mwh|mm|cm|km|kg|mpa|kpa|gbps|mbps|ml|nm|μm|um|mhz|ghz|khz|hz|tex|dtex|kv|ma|mah|min"
    r"|pcs|pc|pieces|piece|sets|set|units|unit|pairs|pair|tons|ton|mt|rolls|roll|cartons|ctns|boxes|bags|drums|lots)"
    r"(?![a-z])")


_LOCANT = re.compile(r"\d(?:,\d)*-([a-z]{2,}[a-z0-9]*)")


def spec_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every specification-like span of normalised ``text``, in order.

    ``kind`` is one of "number" (measurements, model numbers, quantities), "grade", "certificate" or
    "property" (a measured property named before its value). Spans may overlap.
    """
    out: list[tuple[int, int, str]] = []
    for kind, pattern in (("number", _NUMERIC), ("number", _CN_NUMERIC), ("number", _SPACED_UNIT), ("number", _ORDINAL),
                          ("grade", _GRADE),
                          ("certificate", _CERT), ("property", _PROPERTY)):
        for m in pattern.finditer(text):
            if m.end() > m.start():
                # 1,4-BDO: the locants are a number, the name after them is not
                loc = _LOCANT.fullmatch(m.group()) if kind == "number" else None
                out.append((m.start(), m.start() + loc.start(1) if loc else m.end(), kind))
    out.sort()
    return out


def merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Overlapping spans joined, in order."""
    out: list[tuple[int, int]] = []
    for s, e, _ in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
