"""A council-room walk with the network cut in mind: every page in both languages, every download clicked.

Nothing may leave 127.0.0.1: the browser asks for nothing outside (fonts, icons, tiles, telemetry) and the
server opens no outside connection. Every file a button hands out is non-empty and of the type it claims.
The counts (requests, downloads) are written to test-artifacts/offline-walk.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ARTIFACTS, assert_no_error, download, heading, nav, open_page, shot, wait_idle
from playwright.sync_api import expect

from presentation.i18n import t
from simulation import default_scenario, load_region

pytestmark = pytest.mark.browser

#: (nav key, url path, title key) of every page, in sidebar order; presentation last (it hides the sidebar)
PAGES = [("overview", "ringkasan", "overview.title"), ("scenario", "skenario", "scenario.title"),
         ("projection", "proyeksi", "projection.page_title"), ("compare", "bandingkan", "compare.page_title"),
         ("goalseek", "capai-target", "goalseek.title"), ("sensitivity", "sensitivitas", "sensitivity.title"),
         ("library", "pustaka", "library.title"), ("data", "data", "data.title"), ("about", "tentang", "about.title"),
         ("present", "presentasi", None)]
#: the downloads each page offers: Ringkasan one chart menu (4 formats) + deck, brief, workbook; Proyeksi its menus
#: in page order: the fan chart's (4 formats), the tables' (CSV, XLSX and the notebook), cost's and claims' (4 each)
MENUS = {"overview": [4], "projection": [4, 3, 4, 4]}
PAGE_BUTTONS = {"overview": 3, "projection": 0}


def click_every_download(page, where: str, dest: Path) -> list[dict]:
    """Every download button of the page, then every chart's download menu opened and each of its buttons."""
    got = []

    def take(button, label_prefix: str = "") -> None:
        button.scroll_into_view_if_needed()
        label = label_prefix + button.inner_text().strip()
        name, data = download(page, button, dest)
        got.append({"page": where, "button": label, "file": name, "bytes": len(data)})

    buttons = page.locator("[data-testid=stMain] [data-testid=stDownloadButton] button:visible")
    menus = page.locator("[data-testid=stMain] button[data-testid=stPopoverButton]:visible")
    expect(menus.nth(len(MENUS[where]) - 1)).to_be_visible()   # the page has drawn them all
    wait_idle(page)
    assert buttons.count() == PAGE_BUTTONS[where], f"{where}: {buttons.count()} download buttons"
    for i in range(buttons.count()):
        take(buttons.nth(i))
    assert menus.count() == len(MENUS[where]), f"{where}: {menus.count()} download menus"
    for i, n in enumerate(MENUS[where]):
        menus.nth(i).scroll_into_view_if_needed()
        menus.nth(i).click()
        inside = page.locator("[data-testid=stPopoverBody] [data-testid=stDownloadButton] button:visible")
        expect(inside).to_have_count(n)   # made when the menu opens (a rerun)
        wait_idle(page)
        for j in range(n):
            take(inside.nth(j), f"menu {i + 1}: ")
        page.keyboard.press("Escape")
        expect(page.locator("[data-testid=stPopoverBody]")).to_have_count(0)
        wait_idle(page)
    suffixes = {Path(g["file"]).suffix for g in got}
    assert {".png", ".svg", ".pdf", ".csv"} <= suffixes, (where, suffixes)
    if where == "projection":   # the tables' menu
        assert {".xlsx", ".ipynb"} <= suffixes, suffixes
    return got


def walk(page, lang: str, dest: Path, downloads: list[dict]) -> int:
    """Open every page through the sidebar in ``lang``; on Ringkasan and Proyeksi click every download."""
    region = load_region("pontianak")
    visited = 0
    for key, path, title_key in PAGES:
        label = t(f"nav.{key}", lang)
        if key == "present":
            nav_link = page.locator("[data-testid=stSidebarNav]").get_by_role("link").filter(has_text=label).first
            nav_link.click()
            page.locator("[data-testid=stMain] h2").first.wait_for()
            wait_idle(page)
            expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()
            assert_no_error(page, f"{lang}/{path}")
            shot(page, f"offline-{lang}-{path}")
            # out through the page's own exit link
            page.get_by_role("link", name=t("present.exit", lang)).click()
            heading(page, t("overview.title", lang, region=region.name)).wait_for()
            wait_idle(page)
        else:
            nav(page, label, t(title_key, lang, region=region.name))
            assert_no_error(page, f"{lang}/{path}")
            if key in MENUS:
                page.locator("[data-testid=stVegaLiteChart]").first.locator("canvas, svg").first.wait_for()
                downloads += click_every_download(page, key, dest / lang)
            shot(page, f"offline-{lang}-{path}")
        visited += 1
    return visited


def test_full_walk_in_both_languages_stays_on_this_machine(visit, app_server, tmp_path):
    page = visit.page
    region = load_region("pontianak")
    open_page(page, visit.base_url + "/", t("overview.title", "id", region=region.name))
    downloads: list[dict] = []
    visited = walk(page, "id", tmp_path, downloads)

    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    heading(page, t("overview.title", "en", region=region.name)).wait_for()
    wait_idle(page)
    visited += walk(page, "en", tmp_path, downloads)

    counts = {"pages_visited": visited, "requests_total": len(visit.requests),
              "outside_requests": visit.outside_requests(), "outside_connections": app_server.outside_connections(),
              "downloads_checked": len(downloads), "downloads": downloads,
              "scenario": default_scenario().content_hash}
    (ARTIFACTS / "offline-walk.json").write_text(json.dumps(counts, indent=1, ensure_ascii=False))
    print(f"\noffline walk: {visited} pages, {len(visit.requests)} requests, "
          f"{len(visit.outside_requests())} outside, {len(downloads)} downloads checked")
    assert visited == 2 * len(PAGES)
    assert len(downloads) == 2 * sum(PAGE_BUTTONS[k] + sum(MENUS[k]) for k in MENUS)
    assert visit.outside_requests() == []
    assert app_server.outside_connections() == []
