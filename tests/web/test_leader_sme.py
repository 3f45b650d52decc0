"""Journey: a chain leader posts a need, an SME it reaches answers it, and both see each other's contacts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any


def test_a_need_posted_answered_and_agreed(people: Any) -> None:
    leader = people("leader1")
    leader.check("leader-dashboard")
    page = leader.page
    leader.goto("/needs")
    leader.check("leader-needs-empty")
    leader.goto("/needs/new")
    page.fill("#f-title", "采购电池级碳酸锂 500 吨")
    page.fill("#f-description", "用于正极材料生产，需电池级碳酸锂，年需求 500 吨，交付至济南。")
    page.fill("#node-q", "碳酸")
    page.click("#node-suggestions button[data-node='碳酸锂']")
    assert page.input_value("#f-nodes") == "碳酸锂"
    page.fill("#f-quantity", "500 吨")
    page.fill("#f-deadline", (date.today() - timedelta(days=1)).isoformat())
    leader.check("leader-need-new")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    # A rule the server checks: the message sits next to its field and nothing typed is lost.
    assert page.locator("#e-deadline").inner_text() == "截止日期须晚于今天。"
    assert page.input_value("#f-title") == "采购电池级碳酸锂 500 吨" and page.input_value("#f-nodes") == "碳酸锂"
    leader.check("leader-need-form-error")
    page.fill("#f-deadline", (date.today() + timedelta(days=30)).isoformat())
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    need_path = re.sub(r"\?.*$", "", page.url.removeprefix(leader.site.base))
    assert re.fullmatch(r"/needs/\d+", need_path), page.url
    assert "碳酸锂" in page.locator("#reading").inner_text()
    assert "天齐锂材" in page.locator("#matches").inner_text()
    leader.check("leader-need-draft")
    with page.expect_navigation():
        page.get_by_role("button", name="发布并定向推送", exact=True).first.click()
    assert "已定向推送给" in page.locator(".notice").inner_text()

    sme = people("sme1")
    sme.check("sme-dashboard")
    sme.goto("/feed")
    assert "采购电池级碳酸锂" in sme.page.inner_text("main")
    sme.check("sme-feed")
    with sme.page.expect_navigation():
        sme.page.get_by_role("link", name="采购电池级碳酸锂 500 吨", exact=True).first.click()
    assert urlpath(sme) == need_path
    fit = sme.page.locator("dt:has-text('匹配度') + dd").inner_text().strip()
    assert fit.isdigit() and 0 <= int(fit) <= 100, fit
    sme.check("sme-need")
    sme.page.fill("#f-message", "可按期供货，年产能 2000 吨")
    with sme.page.expect_navigation():
        sme.page.get_by_role("button", name="表达意向", exact=True).first.click()
    assert "已表达意向" in sme.page.locator(".notice").inner_text()

    leader.goto(need_path)
    interests = page.locator("#interests")
    assert "天齐锂材" in interests.inner_text() and "可按期供货" in interests.inner_text()
    with page.expect_navigation():
        interests.locator("text=同意洽谈").click()
    assert "0531-80000000" in page.locator("#interests .contact").inner_text()
    leader.check("leader-need-agreed")

    sme.goto(need_path)
    assert "buyer@byd.example.cn" in sme.page.locator("#answer .contact").inner_text()
    sme.check("sme-need-agreed")
    sme.goto("/notifications")
    assert "链主答复了您的意向" in sme.page.inner_text("main")
    sme.check("sme-notifications")
    sme.goto("/profile")
    sme.page.fill("#f-products", sme.page.input_value("#f-products") + "\n电池级碳酸锂 10")
    with sme.page.expect_navigation():
        sme.page.click("form.stack button[type=submit]")
    assert "企业档案已保存" in sme.page.locator(".notice").inner_text()
    assert "电池级碳酸锂 10" in sme.page.input_value("#f-products")
    sme.check("sme-profile")
    missing = sme.goto("/needs/999999")
    assert missing.status == 404 and "返回工作台" in sme.page.inner_text("main")
    sme.check("error-404")
    leader.goto("/notifications")
    leader.check("leader-notifications")


def urlpath(journey: Any) -> str:
    return str(re.sub(r"[?#].*$", "", journey.page.url.removeprefix(journey.site.base)))
