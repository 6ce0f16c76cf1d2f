"""A share link made in one browser opens the same scenario, with the same figures, in another.

And a broken link (malformed, unknown, truncated) says so and shows the defaults, never a traceback.
"""

from __future__ import annotations

import re

import pytest
from conftest import (
    Visit,
    assert_no_error,
    choose_route,
    expect_overview,
    metrics,
    nav,
    open_page,
    shot,
    sidebar_identity,
    wait_idle,
)
from playwright.sync_api import expect

from simulation import default_scenario
from storage.links import snapshot_hash

pytestmark = pytest.mark.browser

BAD_LINK = "Tautan tidak dapat dibuka; skenario bawaan ditampilkan."
JHT = default_scenario().replace(route="bpu_jht")


def test_share_link_reproduces_the_figures_in_a_fresh_context(browser, app_server):
    a, b = Visit(browser, app_server.url), Visit(browser, app_server.url)
    try:
        # A: BPU + JHT, then a link from Pustaka
        open_page(a.page, app_server.url + "/skenario", "Susun skenario")
        choose_route(a.page)
        s = JHT
        expect(a.page.locator("[data-testid=stSidebar] [data-testid=stCaptionContainer] code").first).to_have_text(
            s.content_hash)
        nav(a.page, "Pustaka skenario", "Pustaka skenario")
        a.page.get_by_role("button", name="Buat tautan").click()
        code = a.page.locator("[data-testid=stCode]").first
        code.wait_for()
        link = code.inner_text().strip()
        key = snapshot_hash(s)
        assert re.fullmatch(rf"{re.escape(app_server.url)}/[a-z-]*\?s={key}", link), link
        expect(a.page).to_have_url(re.compile(rf"[?&]s={key}$"))
        shot(a.page, "share-a-pustaka")
        nav(a.page, "Ringkasan", "Ringkasan: Kota Pontianak")
        expect_overview(a.page, s)
        wait_idle(a.page)
        figures_a, identity_a = metrics(a.page), sidebar_identity(a.page)
        assert identity_a == s.content_hash

        # B: a new context (no cookies, no session) opens the link
        b.page.goto(link)
        b.page.get_by_text(f"Tautan dibuka: {s.name} ({key}).").wait_for()
        wait_idle(b.page)
        nav(b.page, "Ringkasan", "Ringkasan: Kota Pontianak")
        expect_overview(b.page, s)
        wait_idle(b.page)
        assert metrics(b.page) == figures_a
        assert len(figures_a) >= 5
        assert sidebar_identity(b.page) == identity_a
        assert_no_error(b.page, "shared link")
        shot(b.page, "share-b-ringkasan")
        assert a.outside_requests() == [] and b.outside_requests() == []
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("key", ["zzz", "0123456789ab", snapshot_hash(JHT)[:-1]],
                         ids=["malformed", "unknown", "truncated"])
def test_broken_link_says_so_and_opens_the_defaults(visit, key):
    page = visit.page
    page.goto(f"{visit.base_url}/?s={key}")
    page.get_by_text(BAD_LINK).wait_for()
    expect_overview(page, default_scenario())
    wait_idle(page)
    assert sidebar_identity(page) == default_scenario().content_hash
    assert_no_error(page, key)
    expect(page).not_to_have_url(re.compile(r"[?&]s="))   # the broken key is dropped from the address bar
    shot(page, f"share-broken-{key}")
