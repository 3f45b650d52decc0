"""Browser journeys: Debian's Chromium driven by Playwright against a real server (tests/web/server.py).

One browser per test session; each person gets a browser context of their own. Every page a journey visits is
checked the same way (``Journey.check``): no request leaves the server's origin (checked for the whole context),
no sideways scrolling at 390 × 844, no serious or critical axe-core violations, and a screenshot at desktop and
phone width in docs/screenshots/. Nothing downloads a browser: without /usr/bin/chromium the journeys are
skipped with the reason printed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.server import PASSWORD, Site, running_site

CHROMIUM = os.environ.get("CHAINMATCH_CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "docs" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _why_not() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium); browser journeys skipped"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]'); browser journeys skipped"
    return None


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    reason = _why_not()
    if reason:
        print(f"\n*** {reason} ***", file=sys.stderr)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("web"), job_poll_seconds=0.2) as s:
        yield s


@dataclass
class Journey:
    """One person's browser: a context that refuses and records any request to another origin."""

    site: Site
    context: Any
    page: Any
    foreign: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.site.base + path

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.url(path))
        self.page.wait_for_load_state("networkidle")
        return response

    def log_in(self, login: str, password: str = PASSWORD) -> None:
        self.goto("/login")
        self.page.fill("#f-login", login)
        self.page.fill("#f-password", password)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        assert urlsplit(self.page.url).path == "/", f"{login} landed on {self.page.url}"

    def check(self, name: str) -> None:
        """The page now shown: no sideways scrolling on a phone, axe-core clean, screenshots for review."""
        page = self.page
        page.wait_for_load_state("networkidle")
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(150)  # charts and the graph redraw on resize
        wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert wide[0] <= wide[1], f"{name}: the page scrolls sideways at 390 px ({wide[0]} > {wide[1]})"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
        bad = axe_violations(page)
        assert not bad, f"{name}: axe-core found serious or critical violations: {bad}"
        page.set_viewport_size(DESKTOP)
        page.wait_for_timeout(150)
        page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
        self.checked.append(name)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    # Evaluated through the DevTools protocol, which the page's CSP (scripts from our origin only) does not
    # govern; a <script> tag carrying axe would be refused, as it should be.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return list(result)


@pytest.fixture()
def people(chromium: Any, site: Site) -> Iterator[Any]:
    """Open a browser for each person a journey needs: ``people("leader1")`` is logged in and ready."""
    opened: list[Journey] = []
    origin = site.base

    def open_for(login: str | None = None) -> Journey:
        context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
        journey = Journey(site=site, context=context, page=context.new_page())

        def guard(route: Any) -> None:
            url = route.request.url
            if url.startswith(origin + "/") or url == origin or url.startswith(("data:", "blob:", "about:")):
                route.continue_()
            else:
                journey.foreign.append(url)
                route.abort()

        context.route("**/*", guard)
        # The page's address and the stack say which script failed, on which page: a bare message does not.
        journey.page.on("pageerror", lambda exc: journey.foreign.append(
            f"script error on {journey.page.url}: {exc}\n{getattr(exc, 'stack', '')}"))
        opened.append(journey)
        if login:
            journey.log_in(login)
        return journey

    yield open_for
    for journey in opened:
        journey.context.close()
    leaks = [u for j in opened for u in j.foreign]
    assert leaks == [], f"requests left the origin or scripts failed: {leaks}"
