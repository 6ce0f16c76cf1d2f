"""Two people on one server: neither sees the other's edits (two browser contexts = two sessions)."""

from __future__ import annotations

import pytest
from conftest import Visit, metric_value, wait_idle

pytestmark = pytest.mark.browser


def test_language_and_region_choices_stay_in_their_own_session(browser, app_server):
    a, b = Visit(browser, app_server.url), Visit(browser, app_server.url)
    try:
        for v in (a, b):
            v.page.goto(app_server.url + "/")
            wait_idle(v.page)
        a.page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
        wait_idle(a.page)
        a.page.get_by_text("Overview: Kota Pontianak").wait_for()
        # b reloads and is still in Indonesian, on its own default
        b.page.reload()
        wait_idle(b.page)
        b.page.get_by_text("Ringkasan: Kota Pontianak").wait_for()
        assert a.page.get_by_text("Ringkasan: Kota Pontianak").count() == 0
        assert metric_value(b.page, "Peserta PBI 2026") == "5.260"
    finally:
        a.close()
        b.close()
