"""Hostile names in a real browser: no page turns user text into an image, a link or HTML (issue 14).

A scenario whose name, first group and first target carry Markdown and HTML pointing at 127.0.0.1:9 (a port
nobody listens on) is opened by a share link, saved and reopened in the library under a hostile name, and
every page is visited. The browser truth, after each page: it asked for nothing but the app's own origin, and
no element's ``src``/``href`` comes from the payloads. (``tests/test_hostile_text.py`` checks the same texts
at the AppTest level, page by page; this test checks what Chromium actually does with them.)
"""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import urlparse

import pytest
from conftest import ARTIFACTS, assert_no_error, heading, nav, shot, wait_idle
from playwright.sync_api import expect

from presentation.i18n import t
from simulation import default_scenario, load_region
from storage.library import Library

pytestmark = pytest.mark.browser

TRAP = "127.0.0.1:9"   # the discard port: nobody listens, so a fetch there shows only in the request log
SCENARIO_NAME = (f"Rencana ![x](http://{TRAP}/x.png) [a](http://{TRAP}/a) <img src=http://{TRAP}/i.png>")
GROUP_NAME = f"Ojek ![g](http://{TRAP}/g.png) <img src=http://{TRAP}/gi.png>"
TARGET_NAME = f"Target [t](http://{TRAP}/t) ![t](http://{TRAP}/t.png)"
SAVED_NAME = f"Simpan ![s](http://{TRAP}/s.png) [sa](http://{TRAP}/sa) <img src=http://{TRAP}/si.png>"

#: (nav key, title key) of every page in sidebar order; Presentasi is visited through its own flow
PAGES = [("overview", "overview.title"), ("scenario", "scenario.title"), ("projection", "projection.page_title"),
         ("compare", "compare.page_title"), ("goalseek", "goalseek.title"), ("sensitivity", "sensitivity.title"),
         ("library", "library.title"), ("data", "data.title"), ("about", "about.title")]

#: every element (in any frame) whose address comes from a payload
TRAPPED = (f"els => els.filter(e => ['src', 'href', 'srcset', 'poster', 'data', 'action']"
           f".some(a => (e.getAttribute(a) || '').includes('{TRAP}')))"
           f".map(e => e.tagName + ' ' + (e.getAttribute('src') || e.getAttribute('href') || ''))")


def hostile_scenario():
    s = default_scenario()
    groups = (dataclasses.replace(s.groups[0], name=GROUP_NAME), *s.groups[1:])
    targets = (dataclasses.replace(s.targets[0], name=TARGET_NAME), *s.targets[1:])
    return s.replace(name=SCENARIO_NAME, groups=groups, targets=targets)


def trapped_elements(page) -> list[str]:
    found = []
    for frame in page.frames:
        found += frame.eval_on_selector_all("*", TRAPPED)
    return found


def test_hostile_names_fetch_nothing_and_become_no_link_on_any_page(visit, app_server):
    page = visit.page
    origin = urlparse(visit.base_url)
    region = load_region("pontianak")
    scenario = hostile_scenario()
    key = Library(app_server.data_dir / "scenarios.sqlite3").share(scenario)   # the server's own library file
    seen: dict[str, list[str]] = {}
    fetched: dict[str, list[str]] = {}         # page -> the addresses outside the app's origin asked for there

    def elsewhere(urls: list[str]) -> list[str]:
        return [u for u in urls if urlparse(u).scheme not in ("data", "blob", "about")
                and (urlparse(u).scheme, urlparse(u).netloc) != (origin.scheme, origin.netloc)]

    def shows(text: str, where: str, inside: str = "[data-testid=stApp]") -> None:
        """The name reads as typed (escaping must not show: no backslashes, nothing dropped)."""
        shown = " ".join(x.inner_text() for x in page.locator(inside).all())
        assert text in " ".join(shown.split()), (where, text, shown[:2000])

    def check(where: str) -> None:
        assert_no_error(page, where)
        page.wait_for_timeout(500)              # let an image the page asked for leave the browser
        seen[where] = trapped_elements(page)
        fetched[where] = elsewhere(visit.requests[done[0]:])
        done[0] = len(visit.requests)
        shot(page, f"hostile-{where}")
    done = [0]                                  # requests already attributed to a page

    page.goto(f"{visit.base_url}/?s={key}")     # the share-link message names the scenario
    heading(page, t("overview.title", "id", region=region.name)).wait_for(timeout=30_000)
    wait_idle(page)
    shows(f"Tautan dibuka: {SCENARIO_NAME} ({key})", "link message", "[data-testid=stAlert]")
    shows(SCENARIO_NAME, "sidebar", "[data-testid=stSidebar]")
    check("link-opened")
    for nav_key, title_key in PAGES:
        nav(page, t(f"nav.{nav_key}", "id"), t(title_key, "id", region=region.name))
        if nav_key == "library":                # save under another hostile name, then reopen it
            box = page.locator("[data-testid=stForm] input[type=text]").first
            box.fill(SAVED_NAME)
            page.locator("[data-testid=stForm]").get_by_role("button", name=t("library.save", "id")).click()
            page.get_by_text("Tersimpan:", exact=False).first.wait_for(timeout=30_000)
            wait_idle(page)
            shows(f"Tersimpan: {SAVED_NAME}", "saved message", "[data-testid=stAlert]")
            check("library-saved")
            page.get_by_role("button", name=t("library.open", "id"), exact=True).click()
            page.get_by_text("Dibuka:", exact=False).first.wait_for(timeout=30_000)
            wait_idle(page)
            shows(f"Dibuka: {SAVED_NAME}", "opened message", "[data-testid=stAlert]")
            page.get_by_role("button", name=t("library.make_link", "id")).click()
            page.locator("[data-testid=stCode]").first.wait_for(timeout=30_000)
            wait_idle(page)
        if nav_key == "compare":                # the grid's labels (st.dataframe), read from its accessible copy
            # the grid draws on a canvas and keeps the text in an accessible copy, filled after drawing (read as
            # text content: the copy is not laid out, so it has no innerText); the names read as typed there
            grid = page.locator("[data-testid=stDataFrame]").first
            expect(grid).to_contain_text(SCENARIO_NAME, timeout=30_000)
            expect(grid).to_contain_text(TARGET_NAME)
        if nav_key == "scenario":               # only the open tab is drawn: each tab in turn
            for tab in ("contribution", "budget", "compliance", "assumptions"):
                page.get_by_role("tab", name=t(f"scenario.tab_{tab}", "id")).click()
                wait_idle(page)
                check(f"scenario-{tab}")
        check(nav_key)
    nav_link = page.locator("[data-testid=stSidebarNav]").get_by_role("link").filter(has_text=t("nav.present", "id"))
    nav_link.first.click()
    page.locator("[data-testid=stMain] h2").first.wait_for(timeout=30_000)
    wait_idle(page)
    for _ in range(12):                         # every slide
        check(f"present-{_}")
        nxt = page.get_by_role("button", name=t("present.next", "id"))
        if nxt.count() == 0 or nxt.first.is_disabled():
            break
        nxt.first.click()
        wait_idle(page)

    (ARTIFACTS / "hostile-walk.json").write_text(json.dumps(
        {"pages": list(seen), "requests_total": len(visit.requests), "elsewhere": elsewhere(visit.requests),
         "fetched_per_page": {k: v for k, v in fetched.items() if v},
         "trapped_elements": {k: v for k, v in seen.items() if v}}, indent=1, ensure_ascii=False))
    assert {"link-opened", "library-saved", *(k for k, _ in PAGES), "present-0"} <= set(seen)
    assert len(visit.requests) > 20 and all(urlparse(u).netloc == origin.netloc for u in visit.requests[:3])
    assert elsewhere(visit.requests) == [], {k: v for k, v in fetched.items() if v}
    assert {k: v for k, v in seen.items() if v} == {}
    assert app_server.outside_connections() == []
