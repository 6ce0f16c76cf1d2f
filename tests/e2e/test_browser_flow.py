"""A council analyst's walk through the app in a real browser (Debian's Chromium)."""

from __future__ import annotations

import pytest
from conftest import metric_value, shot, wait_idle

from presentation.i18n import fmt_idr_short, fmt_number
from simulation import default_scenario, project

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


def test_projection_lever_redraws_the_charts_and_the_tables_stay_open(visit):
    """On Proyeksi: one step of the regional-share lever changes the scenario (sidebar identity) and redraws
    every chart with the engine's numbers (the page's sentence on cost), in a rerun of the page's live part only
    (ui/live.py), which also writes the edit into the address: a reload brings it back. The year-by-year tables
    open on a click, and are still open after a trip to Ringkasan and back."""
    from conftest import grid_cells, nav, open_page, sidebar_identity
    from playwright.sync_api import expect

    from presentation.i18n import fmt_idr, t
    from simulation.data import load_region

    page = visit.page
    region = load_region("pontianak")
    open_page(page, visit.base_url + "/proyeksi", t("projection.page_title", "id", region=region.name))
    page.locator("[data-testid=stVegaLiteChart]").nth(2).locator("canvas, svg").first.wait_for()
    before_id = sidebar_identity(page)
    slider = page.locator("[data-testid=stSlider]").filter(has_text=t("scenario.regional_share", "id"))
    slider.locator("input[type=range]").first.focus()
    page.keyboard.press("ArrowLeft")
    expect(slider).to_contain_text("95 %")
    wait_idle(page)
    assert sidebar_identity(page) != before_id
    edited = project(default_scenario().replace(city_share=0.95))
    tab = edited.table
    # the claims sentence reads the edited scenario's totals (contributions include the participants' 5 %)
    expect(page.get_by_text(fmt_idr_short(tab["contributions_idr"].sum(), "id"), exact=False).first).to_be_visible()
    assert page.locator("[data-testid=stException]").count() == 0
    edited_id = sidebar_identity(page)
    assert edited_id == default_scenario().replace(city_share=0.95).content_hash
    # undo and redo, clicked in the sidebar's live part, redraw the whole page (the lever too)
    page.get_by_role("button", name=t("app.undo", "id")).click()
    expect(slider).to_contain_text("100 %")
    wait_idle(page)
    assert sidebar_identity(page) == before_id
    page.get_by_role("button", name=t("app.redo", "id")).click()
    expect(slider).to_contain_text("95 %")
    wait_idle(page)
    assert sidebar_identity(page) == edited_id

    # the address holds the edit (written by the live rerun, the frame did not run): loading it again (a new
    # session, as a reload or a bookmark) brings the edit back
    assert "w=" in page.url
    open_page(page, page.url, t("projection.page_title", "id", region=region.name))
    expect(slider).to_contain_text("95 %")
    assert sidebar_identity(page) == edited_id

    page.get_by_text(t("projection.yearly_open", "id")).click()
    wait_idle(page)
    cost = fmt_idr(tab["cost_idr"].iloc[0], "id")
    same = sum(fmt_idr(c, "id") == cost for c in tab["cost_idr"])   # years of equal cost show the same text
    expect(grid_cells(page, cost)).to_have_count(same)
    shot(page, "projection-lever-tables")
    nav(page, t("nav.overview", "id"), t("overview.title", "id", region=region.name))
    nav(page, t("nav.projection", "id"), t("projection.page_title", "id", region=region.name))
    expect(grid_cells(page, cost)).to_have_count(same)
