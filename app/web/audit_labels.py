"""The audit log in words people read: each action and kind of record in Chinese, the code kept beside it."""

from __future__ import annotations

# kinds of record (AuditEntry.entity), also the choices of the page's filter
ENTITY = {
    "need": "需求", "catalogue": "供需目录", "challenge": "揭榜挂帅", "application": "揭榜申请",
    "opportunity": "匹配机会", "offer": "供给", "enterprise": "企业", "chain": "产业链", "node_alias": "节点别名",
    "node_kind": "节点类别", "event": "对接会", "event_meeting": "洽谈安排", "event_participant": "参会企业",
    "event_request": "洽谈请求", "quarter_report": "季度报告", "principal": "用户", "login": "登录",
    "token": "API 令牌", "webhook": "Webhook", "webhook_delivery": "Webhook 投递", "notification": "通知",
}

# every action the services record (app/**: record(..., action=...)); an action not listed reads by its parts
ACTION = {
    "need.create": "创建需求", "need.update": "修改需求", "need.publish": "发布需求", "need.close": "关闭需求",
    "need.correct": "修正需求解读", "need.import": "导入需求",
    "catalogue.create": "创建供需目录", "catalogue.update": "修改供需目录", "catalogue.import": "导入供需目录",
    "catalogue.item_add": "目录添加条目", "catalogue.item_remove": "目录移除条目", "catalogue.submit": "提交目录审核",
    "catalogue.reopen": "退回目录修改", "catalogue.publish": "发布供需目录", "catalogue.close": "关闭供需目录",
    "challenge.create": "创建揭榜挂帅", "challenge.update": "修改揭榜挂帅", "challenge.publish": "发布揭榜挂帅",
    "challenge.close": "关闭揭榜挂帅",
    "application.create": "提交揭榜申请", "application.withdraw": "撤回揭榜申请", "application.decide": "评审揭榜申请",
    "application.team_answer": "答复团队邀请",
    "candidate.shortlisted": "列入候选", "candidate.invited": "邀请洽谈", "candidate.rejected": "婉拒企业",
    "candidate.selected": "选定企业",
    "opportunity.interest": "表达意向", "opportunity.dismiss": "忽略机会", "interest.answer": "答复意向",
    "offer.create": "发布供给", "offer.update": "修改供给", "offer.delete": "删除供给",
    "enterprise.create": "登记企业", "enterprise.update": "修改企业信息", "chain.create": "创建产业链",
    "alias.add": "添加别名", "alias.remove": "删除别名", "kind.add": "添加类别", "kind.remove": "删除类别",
    "event.create": "创建对接会", "event.update": "修改对接会", "event.status": "变更对接会状态",
    "event.participant.add": "添加参会企业", "event.participant.update": "修改参会企业",
    "event.request": "提出洽谈请求",
    "event.request.answer": "答复洽谈请求", "event.meeting.move": "调整洽谈安排", "event.check_in": "参会签到",
    "event.no_show": "记录缺席", "event.outcome": "记录洽谈结果",
    "quarter.freeze": "封存季度报告",
    "session.login": "登录", "session.logout": "退出登录", "session.login_failed": "登录失败",
    "user.create": "创建用户", "user.add": "添加网页用户", "token.create": "签发 API 令牌",
    "token.revoke": "吊销 API 令牌",
    "create": "创建", "delete": "删除", "read": "标为已读", "read_all": "全部标为已读", "retry": "重新投递",
}
_VERB = {"create": "创建", "update": "修改", "delete": "删除", "add": "添加", "remove": "删除", "publish": "发布",
         "close": "关闭", "import": "导入"}


def action_label(action: str, entity: str = "") -> str:
    """``need.publish`` → 发布需求; an unlisted ``x.verb`` reads as the verb and the record's kind, else as written."""
    if action in ACTION and "." in action:
        return ACTION[action]
    verb = action.rsplit(".", 1)[-1]
    kind = ENTITY.get(entity, "")
    if verb in _VERB and kind:
        return _VERB[verb] + kind
    return ACTION.get(action, action)


def entity_label(entity: str) -> str:
    return ENTITY.get(entity, entity)
