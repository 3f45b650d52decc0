"""The words that head, wrap or end product names in a need (模块, 服务, 总成, 维保, 锭), by what each says about the
mention before it; :mod:`matching.phrases` reads noun phrases with them."""

from __future__ import annotations

from matching.spec import word_list

__all__ = ["ASKED_AS", "CLASS_CHARS", "CLASS_HEADS", "EMPTY_HEADS", "FORMS", "SAME_WRAPPERS", "SERVICES", "WRAPPERS"]

# Heads that only say what kind of thing is meant: the mention before them says which (IGBT模块, TPMS传感器,
# 轴承钢棒材); both are kept, the specific one first.
CLASS_HEADS = frozenset(word_list("""
    模块 模组 总成 组件 部件 零部件 配件 零件 设备 装置 系统 产品 材料 原料 制品 用品 器件 元件 元器件 传感器 芯片
    控制器 仪器 仪表 整机 成套设备 棒材 板材 管材 线材 型材 带材 箔材 丝材 粉末 颗粒 专用料 工作站
    结构件 药剂 切片 耗材 备件 气源 原药 母液 原酒 epc 总承包 交钥匙 资源
    棒料 板料 管料 线料 带料 卷料 块料
"""))
# Heads that name no product at all: never wanted themselves. The last line: contracting arrangements (总包单位寻找…
# 幕墙分包单位), like OEM/ODM.
EMPTY_HEADS = frozenset(word_list("""
    服务 方案 解决方案 业务 工程 项目 技术 关键技术 工艺 加工 外协 团队 能力 类 系列 产线 配送 合作 开发 研发 创新
    质量 供应 主营 主要产品为 以上 内容 国产 替代 国产化 国产替代 定制 处理 运营 投资 产业 行业 市场 框架 进口 出口
    现货 期货 批发 零售 销售 采购 需求 一体化 机加工 代加工 品种 oem odm obm ems
    分包 总包 承包 材质 牌号 大概 大约 差不多 样品
    整体解决方案 系统解决方案 综合解决方案 整体方案 新品 新产品 利用 综合利用 制造 生产 更新 改造 升级 长协 长约
    定点 研制 规格 型号 统一 供应 供货 供种 机构 成品 编号 物料 商品 渠道 园区
    年度 年度框架 框架协议 协议 协议库存 批量 批次
    国内 国外 境内 境外 内销 外销
    经销 代理 分销 一级代理 总代理 总经销 贸易 以下 以内 左右 每支含 自有品牌 自主品牌
"""))
# A name ending in one of these is the same product packaged, or a service on it (离合器总成 is a 离合器,
# 烟标印刷 is about 烟标).
WRAPPERS = ("总成", "模块", "模组", "组件", "套件", "组合", "系列", "部件", "产品", "制品", "成品", "印刷", "加工",
             "制造", "生产", "服务", "业务", "外协", "定制", "配送", "销售")
# a name ending in these is the product before them, sold or packaged so (离合器总成 is a 离合器): the same product
SAME_WRAPPERS = ("总成", "系列", "产品", "制品", "成品", "销售", "业务")
# Work done on a thing (电梯维保, 冷库安装, 锅炉检测, 叉车租赁): the thing says which work is meant, and its makers
# are often who does it, so a phrase headed by these words alone wants the thing before it too (see mark_heads).
SERVICES = ("维保", "维修", "保养", "维护", "检修", "安装", "调试", "检测", "检验", "租赁", "运维", "运营", "清洗",
            "回收", "处置", "施工", "代工", "校准", "检定", "运输", "铸造", "锻造", "电镀", "喷涂", "涂装", "热处理",
            "挤压", "挤出", "阳极氧化", "抛光")
# Single characters that end a name of goods (纱, 膜, 阀): after a mention they make a head the data does not know
CLASS_CHARS = frozenset("纱膜板管丝布胶剂粉漆帐瓶袋罐柜阀泵灯")
# A material named with the form it is delivered in is that material (铝合金锭 is 铝合金, 改性塑料粒子 is 改性塑料)
FORMS = ("锭", "粒子", "颗粒", "粒料", "原片", "坯料", "毛坯")
# Work is asked for as a service or business (仓储服务, 印刷业务) and listed without the word (仓储, 印刷)
ASKED_AS = ("服务", "业务")
