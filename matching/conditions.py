"""What a need demands of the goods or the supplier, and its terms of delivery: the words that mark them (read by
:mod:`matching.clauses`, which gives such spans the ``require`` or ``deliver`` zone, never linked to products)."""

from __future__ import annotations

import re

__all__ = ["CONDITION", "DELIVER", "DELIVER_START", "REQUIRE_ANY", "REQUIRE_CERT", "REQUIRE_REL", "REQUIRE_START",
           "SERVICE_AFTER", "SUPPLIED_BY"]

# what follows 需/须/应 when it states what the goods or the supplier must be, not what is sought
CONDITION_VERBS = "为|是|符合|满足|达到|具备|具有|提供|通过|持有|采用"
REQUIRE_START = re.compile(
    rf"^(?:需(?={CONDITION_VERBS}|已|开具|附|经|按|在|于|确保|保证|与|同)|须|必须|应(?!用|急|力|变)|要求|需要具备|供应商(?:须|需|应|要)|投标人|资质|资格|"
    # one-character modals start a condition, not the words they begin (应急, 可降解, 能源, 注塑, 说明书)
    r"其他要求|技术要求|考核|具备|具有|持有|有意|可(?!降解|再生|编程|控|调|视|燃|溶|折叠|穿戴|移动)|能(?!源|量|效|耗)|接受|"
    r"优先|满足|符合|通过|随货|提供|支持|注(?!塑|射|浆|册|胶|油|水|入)|备注|说明(?!书)|欢迎|合作(?:方式|模式))"
)
# 需为, 须符合, 应满足, 需已通过 …: what the goods must be (面料需为毛涤混纺), not a want
CONDITION = re.compile(rf"[需须应](?:已经?)?(?:{CONDITION_VERBS}|取得)")
REQUIRE_ANY = re.compile(r"优先|资质|证书|许可证|认证|业绩|经验|者请|意向者|(?:达到|符合|满足|执行).{0,24}?标准")
# a relative clause naming what a supplier must have (具备材料研发与量产能力的团队)
REQUIRE_REL = re.compile(r"(?:具备|具有|拥有|有)[^,;。]{1,24}?(?:能力|经验|资质|业绩|条件|实力|资格)的?")
# a certificate the goods must carry (气压棒需SGS认证, 须附检测报告)
REQUIRE_CERT = re.compile(
    r"[需须应](?:具备|取得|通过|提供|持有|附|有)?[^,;。需须应]{0,12}?(?:认证|资质|证书|许可证|注册证|报告|证)")
DELIVER = re.compile(
    r"交付|交货|运至|运到|送到|送达|到货|到港|发往|汽运|铁运|铁路运|水运|海运|陆运|配送至|结算|付款|账期|框架期|服务期|"
    r"合同|协议|长约|现货(?!的)|榜额|预算|报价|投标|截止(?![阀门])|提交|联系|地点|分批|批次|周期|运距|就近|槽车|吨桶|运输|冷链配送"
)
SERVICE_AFTER = re.compile(r"服务|公司|企业|单位|车队|承运|供应商|服务商|合作")
# 需冷链配送 after the goods: a term of delivery, unless its carrier is what is sought (需冷链运输公司)
DELIVER_START = re.compile(r"^(?:分|按|由|请|可|并|经|于|(?:需要|需|须|要求|必须))?(?:" + DELIVER.pattern + ")(?!"
                           + SERVICE_AFTER.pattern + ")")
# 氯气拟由周边氯碱企业管道供应: who supplies it and how is a delivery term
SUPPLIED_BY = re.compile(r"(?:拟|可|将|需|须)?由[^,;。]{1,20}?(?:供应|供货|提供|配送|运输|输送|承运)")
