"""The short labels of a need written as a form (采购内容：, 资质要求：, 需求单位：, 包1：) and the role each hands the
clause after it: what is asked for, the poster's own products, conditions, delivery terms or a purpose."""

from __future__ import annotations

import re

from matching.parties import OWN_LABEL
from matching.spec import word_list

__all__ = ["COLUMN_WORDS", "LABEL", "LINE_ROLES", "LOT", "label_role", "line_role"]

LABEL = re.compile(r"^.{1,8}$")  # what is short enough to be a label before a colon
# the cells of a table's header row (品名｜标准｜年用量): names of columns, and the rows below list the goods
COLUMN_WORDS = frozenset(word_list("""
    品名 名称 物料名称 产品名称 物资名称 货物名称 规格 型号 规格型号 标准 执行标准 数量 单位
    年用量 月用量 用量 需求量 年需求量 单价 金额 备注 序号 材质 品牌 交期 等级 包装
"""))
# the roles a label hands on past the first clause after it, to the end of its line
LINE_ROLES = ("detail", "require", "deliver", "purpose")
# 物料1：冰箱搁架玻璃，钢化 4mm: after the item, a clause goes on with the list only as a list (公众责任险、雇主责任险)
_GOES_ON = re.compile(r"^(?:其中|以及|及|和|另有|另需|还有|另外)|、")
_LABEL_REQUIRE = re.compile(r"要求|指标|条件|资格|资质|规格|型号|参数")
_LABEL_DELIVER = re.compile(r"地点|方式|期$|联系|时间|^(?:包装|付款|结算|质保|售后)$")
_LABEL_PURPOSE = re.compile(r"用途|应用领域|应用场景|使用场景|背景")
# a tender's lots (包1：, 标段二：, 包2 户外媒体：) each name what is bought
LOT = re.compile(r"^(?:第?[0-9一二三四五六七八九十]{1,2})?(?:包|标段|标包|分标)[0-9一二三四五六七八九十]{0,2}(?:$|\s)")
_LABEL_DETAIL = re.compile(r"内容|需求|产品|物资|物料|标的|清单|品名|名称|描述|品种|品类|明细|如下|准入|寻源")


def label_role(label: str) -> str:
    """What a short label before a colon (采购内容：、资质要求：、需求单位：) says about the clause after it."""
    if OWN_LABEL.match(label):
        return "own"
    if _LABEL_REQUIRE.search(label):
        return "require"
    if _LABEL_DELIVER.search(label):
        return "deliver"
    if _LABEL_PURPOSE.search(label):
        return "purpose"
    if _LABEL_DETAIL.search(label) or LOT.match(label):
        return "detail"
    return "context"


def line_role(role: str, body: str) -> str:
    """The role a label at the start of a line hands to a later clause ``body`` of that line ("" for none)."""
    return role if role != "detail" or _GOES_ON.search(body) else ""
