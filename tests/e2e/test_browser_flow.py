"""A council analyst's walk through the app in a real browser (Debian's Chromium)."""

from __future__ import annotations

import pytest
from conftest import metric_value, shot, wait_idle

from simulation import default_scenario, project
from ui.i18n import fmt_idr_short, fmt_number

pytestmark = pytest.mark.browser

PAGES = ["ringkasan", "skenario", "proyeksi", "bandingkan", "capai-target", "sensitivitas", "data", "tentang"]


def test_overview_shows_the_engine_figures_and_switches_language(visit):
    page = visit.page
    page.goto(visit.base_url + "/")
    wait_idle(page)
    page.get_by_text("Ringkasan: Kota Pontianak").wait_for()
    first = project(default_scenario()).table.iloc[0]
    assert metric_value(page, "Peserta PBI 2026") == fmt_number(first["pbi_participants"], "id")
    assert metric_value(page, "Biaya APBD 2026") == fmt_idr_short(first["cost_idr"], "id")
    # a chart is drawn (Vega renders into a canvas or svg inside the chart container)
    page.locator("[data-testid=stVegaLiteChart]").first.wait_for()
    shot(page, "overview-id")

    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    wait_idle(page)
    page.get_by_text("Overview: Kota Pontianak").wait_for()
    assert metric_value(page, "PBI participants 2026") == fmt_number(first["pbi_participants"], "en")
    shot(page, "overview-en")
    assert visit.outside_requests() == []


def test_every_page_opens_without_error(visit, app_server):
    page = visit.page
    for path in PAGES:
        page.goto(f"{visit.base_url}/{path}")
        wait_idle(page)
        page.locator("h1").first.wait_for()
        assert page.locator("[data-testid=stException]").count() == 0, path
        assert "Traceback" not in page.content(), path
        shot(page, f"page-{path}")
    assert visit.outside_requests() == []
    assert app_server.outside_connections() == []
