"""Every page fits a phone (390 px wide) for every demo role, and histories speak Vietnamese.

Each demo account signs in at 390x844 and walks the same-origin links from its home page,
three links deep, one URL per pattern (numbers in the path count as one pattern, the query
string is left out): each role's home page and what its home and menu link (a task in its
inbox offers that role's own actions), the pages behind those once, by the first role reaching
them. On each page the document may not be wider than the screen, and every link it shows to
a unit or a person opens (no 404 for an out-of-scope unit: its name is shown without a link);
on task, unit and person pages the history shows labels and names, never the ledger's codes
("work.task.assigned", "person:12"). The menu folds behind a toggle that works without
JavaScript too.
"""

from __future__ import annotations

import re
from collections import deque
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from baro.demo.loader import DEMO_ACCOUNTS
from tests.e2e.conftest import PASSWORD, Persona, login

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
CODE = re.compile(
    r"\b(?:work|org|oversight|cascade|notify|ledger|workdays)\.[a-z_]+\.[a-z_]+\b|person:\d+"
)
HISTORY_PAGES = {"/nhiem-vu/N/", "/to-chuc/don-vi/N/", "/to-chuc/can-bo/N/"}
# Links to a unit's or a person's page open for whoever sees them (each one is requested,
# not only one per pattern: whether it opens depends on the unit).
REGISTRY_LINK = re.compile(r"^/to-chuc/(?:don-vi|can-bo)/\d+/$")
# Not pages: sign-out and the language switch (POST), downloads and exports, the API.
SKIPPED = re.compile(
    r"^/(?:dang-xuat|i18n|api|media|static)/|/xuat|/tai-|\.(?:xlsx|docx|pdf|csv)$"
    r"|^/nhiem-vu/tep-dinh-kem/\d+/$"
)
# Past the links of the home page, a pattern is checked once, by the first role that finds it
# (the walk stays short: the suite runs it on every engine).
MAX_DEPTH = 3


def pattern(path: str) -> str:
    """The URL pattern a path answers to ("/nhiem-vu/N/" for "/nhiem-vu/33/"): its route's
    parameters (ids, slugs) written as N, so each page is walked once whatever it is about."""
    try:
        route = resolve(path).route
    except Resolver404:
        return re.sub(r"/\d+(?=/|$)", "/N", path)
    return "/" + re.sub(r"<[^>]+>", "N", route)


def phone_context(chromium: Browser, base_url: str, *, javascript: bool = True) -> BrowserContext:
    context = chromium.new_context(
        base_url=base_url, locale="vi-VN", viewport=PHONE, java_script_enabled=javascript
    )
    context.set_default_timeout(15_000)
    return context


def same_origin_links(page: Page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        if href.startswith(("http://", "https://")):
            if not href.startswith(base_url):
                continue
            href = href[len(base_url) :]
        if href.startswith("/"):
            found.append(href.split("#", 1)[0])
    return found


def test_every_page_fits_a_phone_for_every_demo_role(chromium: Browser, baro_server: str) -> None:
    checked: set[str] = set()  # patterns visited, by any role
    too_wide: list[str] = []
    codes: list[str] = []
    dead: list[str] = []
    visited = 0
    for account in DEMO_ACCOUNTS:
        context = phone_context(chromium, baro_server)
        page = context.new_page()
        try:
            login(page, Persona(account.username, PASSWORD, ""))
            mine: set[str] = set()
            registry_links: dict[str, str] = {}  # link -> the page it was found on
            queue: deque[tuple[str, int]] = deque([("/", 0)])
            while queue:
                path, depth = queue.popleft()
                key = pattern(urlsplit(path).path)
                # Each role's own: its home and what its home and menu link (a task in its
                # inbox offers that role's actions, a list holds that role's rows).
                if key in mine or (depth > 1 and key in checked):
                    continue
                mine.add(key)
                checked.add(key)
                response = page.goto(path)
                assert response is not None and response.ok, (account.username, path)
                visited += 1
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide.append(f"{account.username} {path}: {width} px")
                if key in HISTORY_PAGES:
                    found = sorted({m.group(0) for m in CODE.finditer(page.inner_text("body"))})
                    if found:
                        codes.append(f"{account.username} {path}: {', '.join(found)}")
                links = same_origin_links(page, baro_server)
                if key == "/" or "/N/" in key:  # lists link only what they found in scope
                    for link in links:
                        if REGISTRY_LINK.match(link):
                            registry_links.setdefault(link, path)
                if depth < MAX_DEPTH:
                    for link in links:
                        if not SKIPPED.search(urlsplit(link).path):
                            queue.append((link, depth + 1))
            for link, found_on in registry_links.items():
                status = context.request.get(link).status
                if status != 200:
                    dead.append(f"{account.username} {found_on} → {link}: {status}")
        finally:
            context.close()
    assert {"too wide": too_wide, "dead links": dead, "codes shown": codes} == {
        "too wide": [],
        "dead links": [],
        "codes shown": [],
    }
    assert len(checked) > 50  # the walk did reach the pages behind the menus
    assert visited >= len(checked)


def test_the_menu_folds_on_a_phone_and_opens_with_or_without_javascript(
    chromium: Browser, baro_server: str
) -> None:
    officer = Persona("chuyenvien.stc", PASSWORD, "")
    for javascript in (True, False):
        context = phone_context(chromium, baro_server, javascript=javascript)
        page = context.new_page()
        try:
            login(page, officer)
            logout = page.get_by_role("button", name="Đăng xuất")
            toggle = page.locator("summary.menu__toggle")
            assert toggle.is_visible()
            if javascript:
                # Folded on a phone: the top bar is one line, the menu behind the toggle.
                assert not logout.is_visible()
                header = page.locator("header.topbar").bounding_box()
                assert header is not None and header["height"] < 80
            else:
                # Without JavaScript the menu starts open and the toggle folds it.
                assert logout.is_visible()
                toggle.click()
                assert not logout.is_visible()
            toggle.click()
            assert logout.is_visible()
            assert page.get_by_role("link", name="Nhiệm vụ", exact=True).is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        finally:
            context.close()


def test_the_vice_director_sees_what_the_expired_delegation_blocks(
    chromium: Browser, baro_server: str
) -> None:
    context = phone_context(chromium, baro_server)
    page = context.new_page()
    try:
        login(page, Persona("phogiamdoc.stc", PASSWORD, ""))
        # Said at the top of the page, explained in its own section.
        assert page.locator("#expired-notice").is_visible()
        section = page.locator("#expired-delegations")
        section.get_by_role("heading", name="Ủy quyền đã hết hạn").wait_for()
        text = section.inner_text()
        assert "Quyết định tranh chấp thẩm quyền" in text
        assert "Bị từ chối" in text and "đã hết hạn lúc" in text
        # The page answers the browser's /favicon.ico with Baro's own mark.
        icon = page.request.get("/favicon.ico")
        assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml")
    finally:
        context.close()
