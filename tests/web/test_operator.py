"""Journey: an operator builds a quarter's catalogue (a spreadsheet with a mistake, then a good one), publishes
it and watches the job finish on a progress bar, then reads the statistics, the directory and the chain graph."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.catalogues.tabular import COLUMNS


def _csv(tmp: Path, name: str, rows: list[list[str]]) -> Path:
    path = tmp / name
    lines = [",".join(COLUMNS)] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _row(n: int, title: str, node: str, deadline: str, poster: str = "100006") -> list[str]:
    return [str(n), "大宗物资采购", title, f"{title}，长期合作", node, "本环节", "100吨", "", "", deadline,
            "山东省", "", "不限", poster, "否"]


def test_operator_publishes_a_catalogue_and_watches_it(people: Any, tmp_path: Path) -> None:
    op = people("operator1")
    op.check("operator-dashboard")
    page = op.page
    op.goto("/catalogues")
    page.fill("#f-title", "锂电池产业链 2026 年第四季度供需目录")
    op.check("operator-catalogues")
    with page.expect_navigation():
        page.get_by_role("button", name="创建目录", exact=True).first.click()
    assert re.search(r"/catalogues/\d+", page.url), page.url
    cat_path = re.sub(r"[?#].*$", "", page.url.removeprefix(op.site.base))
    soon = (date.today() + timedelta(days=40)).isoformat()

    bad = _csv(tmp_path, "bad.csv", [_row(1, "采购碳酸锂", "碳酸锂", soon),
                                     _row(2, "采购隔膜", "不存在的环节", "明天")])
    page.set_input_files("input[type=file]", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="导入", exact=True).click()
    errors = page.locator(".errorbox").inner_text()
    assert "未导入任何内容" in errors and "3" in errors  # the row of the bad line, by its number in the file
    op.check("operator-import-errors")
    good = _csv(tmp_path, "good.csv", [_row(1, "采购电池级碳酸锂", "碳酸锂", soon),
                                       _row(2, "采购六氟磷酸锂", "六氟磷酸锂", soon)])
    page.set_input_files("input[type=file]", str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="导入", exact=True).click()
    assert "已导入 2 条需求" in page.locator(".notice").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="提交审核", exact=True).first.click()
    op.check("operator-catalogue-review")
    with page.expect_navigation():
        page.get_by_role("button", name="发布并定向推送", exact=True).first.click()
    bar = page.locator(".job progress")
    assert bar.count() == 1
    page.wait_for_selector(".job-status[data-status=done]", timeout=60_000)
    assert page.get_attribute(".job progress", "value") == page.get_attribute(".job progress", "max") == "2"
    op.check("operator-catalogue-published")
    op.goto(cat_path)
    assert "已发布" in page.inner_text("main")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV", exact=True).first.click()
    assert "采购六氟磷酸锂" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    op.check("operator-catalogue")

    op.goto(f"/stats?period={date.today().year}Q{(date.today().month - 1) // 3 + 1}")
    page.wait_for_selector("[data-chart=funnel-data] canvas")
    op.check("operator-stats")
    op.goto("/enterprises")
    op.check("operator-enterprises")
    with page.expect_navigation():
        page.get_by_role("link", name="天齐锂材", exact=True).first.click()
    page.select_option("select[name=tier]", "little_giant")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "企业等级已更新" in page.locator(".notice").inner_text()
    op.check("operator-enterprise")
    op.goto("/chains")
    op.check("operator-chains")
    op.goto("/chains/li")
    page.wait_for_selector("[data-chart=graph-data] canvas")
    op.check("operator-chain-graph")
    op.goto("/admin/audit")
    audit = page.inner_text("main")
    assert "发布供需目录" in audit and "catalogue.publish" in audit  # in words, the code beside them
    op.check("operator-audit")
    forbidden = op.goto("/admin/users")
    assert forbidden.status == 403 and "返回工作台" in page.inner_text("main")
    op.check("error-403")


def test_the_api_docs_work_offline(people: Any) -> None:
    visitor = people()
    visitor.goto("/docs")
    visitor.page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    assert "chainmatch" in visitor.page.inner_text("body")
    visitor.goto("/redoc")
    visitor.page.wait_for_selector("redoc .api-content, [role=search]", timeout=30_000)
    assert "chainmatch" in visitor.page.inner_text("body")


def test_charts_survive_a_box_of_no_size(people: Any) -> None:
    """ECharts throws on a box of no size; a page laid out again (a resize, a full-page screenshot) can give the
    graph's box none for a moment. The chart waits for a size and then follows it: no script error (the
    fixture fails on any), and the graph is drawn again at the box's new width."""
    op = people("operator1")
    op.goto("/chains/li")
    page = op.page
    page.wait_for_selector("[data-chart=graph-data] canvas")
    for prop in ("height", "width"):
        page.evaluate(f"() => {{ document.querySelector('.graph').style.{prop} = '0px'; }}")
        page.set_viewport_size({"width": 900, "height": 700})
        page.wait_for_timeout(200)
        page.evaluate(f"() => {{ document.querySelector('.graph').style.{prop} = ''; }}")
        page.set_viewport_size({"width": 1280, "height": 800})
        page.wait_for_timeout(200)
    width = page.evaluate("() => [document.querySelector('.graph').clientWidth,"
                          " document.querySelector('.graph canvas').clientWidth]")
    assert width[0] > 0 and width[0] == width[1], width
