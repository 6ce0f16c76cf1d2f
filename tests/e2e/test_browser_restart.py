"""The scenario library lives in SQLite under PBI_DATA_DIR: a saved scenario survives the server's end.

Twice: a clean stop (SIGTERM) and a hard kill (SIGKILL) right after the page confirmed the save. A new server
on the same data directory lists the name, and opening it gives the saved scenario's figures.
"""

from __future__ import annotations

import signal

import pytest
from conftest import (
    AppServer,
    Visit,
    assert_no_error,
    choose_route,
    expect_overview,
    grid_cells,
    heading,
    nav,
    open_page,
    shot,
    sidebar_identity,
    wait_idle,
)
from playwright.sync_api import expect

from simulation import default_scenario

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_saved_scenario_survives_a_server_restart(browser, tmp_path, sig):
    name = f"Uji mulai ulang {sig.name}"
    saved = default_scenario().replace(route="bpu_jht", name=name)
    server = AppServer(tmp_path)
    server.start()
    try:
        v = Visit(browser, server.url)
        try:
            page = v.page
            open_page(page, server.url + "/skenario", "Susun skenario")
            choose_route(page)
            expect(page.locator("[data-testid=stSidebar] [data-testid=stCaptionContainer] code").first).to_have_text(
                default_scenario().replace(route="bpu_jht").content_hash)
            nav(page, "Pustaka skenario", "Pustaka skenario")
            form = page.locator("[data-testid=stForm]").first
            form.get_by_label("Nama", exact=True).fill(name)
            form.get_by_role("button", name="Simpan").click()
            page.get_by_text(f"Tersimpan: {name}").wait_for()   # the page confirmed the save
            if sig == signal.SIGKILL:
                server.stop(signal.SIGKILL)                     # no chance to flush or close anything
            else:
                expect(grid_cells(page, name)).to_have_count(1)
                server.stop(sig)
        finally:
            v.close()
        assert (tmp_path / "scenarios.sqlite3").is_file()   # the library is in PBI_DATA_DIR, not elsewhere
        # streamlit ends cleanly (0) on SIGTERM; SIGKILL ends it on the spot
        assert server.proc.returncode == (-signal.SIGKILL if sig == signal.SIGKILL else 0)

        server.start()   # same port, same PBI_DATA_DIR
        v = Visit(browser, server.url)
        try:
            page = v.page
            open_page(page, server.url + "/pustaka", "Pustaka skenario")
            expect(grid_cells(page, name)).to_have_count(1)
            page.get_by_role("combobox", name="Pilih skenario").wait_for()
            expect(page.get_by_role("combobox", name="Pilih skenario")).to_have_value(name)
            shot(page, f"restart-{sig.name.lower()}-pustaka")
            page.get_by_role("button", name="Buka", exact=True).click()
            page.get_by_text(f"Dibuka: {name}").wait_for()
            wait_idle(page)
            assert sidebar_identity(page) == saved.content_hash
            nav(page, "Ringkasan", "Ringkasan: Kota Pontianak")
            expect_overview(page, saved)
            assert heading(page, "Ringkasan").is_visible()
            assert_no_error(page, "after restart")
            shot(page, f"restart-{sig.name.lower()}-ringkasan")
            assert v.outside_requests() == []
        finally:
            v.close()
        assert server.outside_connections() == []
    finally:
        server.stop()
