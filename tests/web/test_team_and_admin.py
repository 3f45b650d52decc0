"""Journeys: a 揭榜挂帅 team application confirmed by its member before the leader decides; an admin's users,
tokens and audit log."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from tests.web.server import PASSWORD


def test_a_team_application_confirmed_by_its_member(people: Any) -> None:
    leader = people("leader1")
    page = leader.page
    leader.goto("/challenges/new")
    page.fill("#f-title", "高镍正极材料包覆工艺攻关")
    page.fill("#f-description", "需要碳酸锂与氢氧化锂提纯及包覆工艺的联合攻关团队。")
    page.fill("#f-nodes", "碳酸锂\n氢氧化锂")
    page.select_option("#f-mode", "team")
    page.fill("#f-prize_amount", "3000000")
    page.fill("#f-deadline", (date.today() + timedelta(days=60)).isoformat())
    leader.check("leader-challenge-new")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    path = re.sub(r"[?#].*$", "", page.url.removeprefix(leader.site.base))
    with page.expect_navigation():
        page.get_by_role("button", name="发布并定向推送", exact=True).first.click()
    assert "已发布" in page.locator(".notice").inner_text()

    sme = people("sme1")
    sme.goto("/challenges")
    sme.check("sme-challenges")
    sme.goto(path)
    sme.page.fill("#f-proposal", "天齐锂材负责原料提纯，赣锋化学负责包覆工艺中试。")
    sme.page.fill("#f-team", "100003")
    sme.check("sme-challenge-apply")
    with sme.page.expect_navigation():
        sme.page.get_by_role("button", name="提交申请", exact=True).first.click()
    assert "待全部团队成员确认" in sme.page.locator(".notice").inner_text()
    assert "待队员确认" in sme.page.inner_text("main")
    sme.check("sme-applications")

    leader.goto(path)
    assert "待队员确认" in page.locator("#applications").inner_text()
    assert page.locator("#applications select").count() == 0  # it does not count yet: nothing to decide

    member = people("sme2")
    assert "待您确认的组队邀请" in member.page.inner_text("main")
    member.check("sme-team-invitation")
    member.goto("/applications")
    with member.page.expect_navigation():
        member.page.click("#invitations >> text=确认加入")
    assert "全部成员已确认" in member.page.locator(".notice").inner_text()

    leader.goto(path)
    apps = page.locator("#applications")
    assert "已提交" in apps.inner_text() and "已确认" in apps.inner_text()
    apps.locator("select").select_option("shortlisted")
    with page.expect_navigation():
        apps.locator("button[type=submit]").click()
    assert "入围" in page.locator("#applications").inner_text()
    leader.check("leader-challenge-applications")
    leader.goto("/challenges")
    leader.check("leader-challenges")


def test_admin_manages_users_and_tokens(people: Any) -> None:
    admin = people("admin1")
    admin.check("admin-dashboard")
    page = admin.page
    admin.goto("/admin/users")
    page.fill("#f-login", "newsme")
    page.fill("#f-name", "新用户")
    page.fill("#f-org", "NOPE")
    page.fill("#f-password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="创建用户").click()
    assert page.locator(".errorbox").count() >= 1 and page.input_value("#f-login") == "newsme"
    assert page.input_value("#f-password") == ""  # a password is never sent back
    page.fill("#f-org", "100004")
    page.fill("#f-password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="创建用户").click()
    assert "已创建用户 newsme" in page.locator(".notice").inner_text()
    page.fill("#f-tname", "省中小企业服务平台")
    page.fill("#f-tscopes", "read")
    with page.expect_navigation():
        page.get_by_role("button", name="签发", exact=True).click()
    token = page.locator("code.token").inner_text()
    assert token.startswith("cm_")
    admin.check("admin-users")
    with page.expect_navigation():
        page.locator("tr:has-text('省中小企业服务平台')").get_by_role("button", name="吊销").click()
    assert "令牌已吊销" in page.locator(".notice").inner_text()
    admin.goto("/admin/audit")
    audit = page.inner_text("main")
    assert "吊销 API 令牌" in audit and "token.revoke" in audit
    admin.check("admin-audit")
    newcomer = people("newsme")
    assert "工作台" in newcomer.page.inner_text("main")
