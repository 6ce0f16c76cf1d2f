"""Who may change what, in a real browser (issue 15): a server started with ``PBI_EDITORS=required``.

A signed-out visitor sees the library and may open it, but its Simpan and Hapus buttons are disabled and the page
says what is needed; an editor of another region is told they are not this region's editor; an editor of the
region signs in from the sidebar, saves and deletes, and the change history names them.
"""

from __future__ import annotations

import pytest
from conftest import AppServer, Visit, assert_no_error, grid_cells, open_page, select_option, shot, wait_idle
from playwright.sync_api import expect

from simulation import default_scenario
from storage import db
from storage.editors import EditorStore
from storage.library import Library

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-panjang-1"
NEED = "Masuk sebagai editor wilayah ini untuk menyimpan"


@pytest.fixture
def signin_server(tmp_path, monkeypatch):
    monkeypatch.setenv("PBI_EDITORS", "required")
    monkeypatch.delenv(db.URL_ENV, raising=False)
    lib = Library(tmp_path / db.DB_FILE_NAME)
    EditorStore(library=lib).add("siti", PASSWORD, "pontianak")
    EditorStore(library=lib).add("rina", PASSWORD, "kab_ketapang")
    lib.save(default_scenario(), "Sudah ada")
    server = AppServer(tmp_path)
    server.start()
    yield server, lib
    server.stop()
    assert server.outside_connections() == []


def _sign_in(page, name: str) -> None:
    side = page.locator("[data-testid=stSidebar]")
    side.get_by_text("Masuk sebagai editor", exact=True).click()
    side.get_by_label("Nama editor").fill(name)
    side.get_by_label("Kata sandi").fill(PASSWORD)
    side.get_by_role("button", name="Masuk", exact=True).click()
    side.get_by_role("button", name="Keluar").wait_for()
    wait_idle(page)


def _open_more(page) -> None:
    """Open the "Ganti nama, ekspor, hapus" expander unless it is open (a rerun may fold it again)."""
    wait_idle(page)
    if not page.get_by_role("button", name="Hapus", exact=True).is_visible():
        page.get_by_text("Ganti nama, ekspor, hapus").click()
    page.get_by_role("button", name="Hapus", exact=True).wait_for()


def _confirm(page) -> None:
    """Tick "Ya, hapus skenario ini" (its label takes the click; a box ticked before stays ticked)."""
    box = page.get_by_role("checkbox", name="Ya, hapus skenario ini")
    for _ in range(3):             # a click while the expander still moves may miss: look, and click again
        if box.is_checked():
            break
        page.get_by_text("Ya, hapus skenario ini").click()
        wait_idle(page)
    expect(box).to_be_checked()


def test_signed_out_cannot_save_or_delete_and_the_regions_editor_can(browser, signin_server):
    server, lib = signin_server
    v = Visit(browser, server.url)
    try:
        page = v.page
        open_page(page, server.url + "/pustaka", "Pustaka skenario")
        expect(page.get_by_text(NEED).first).to_be_visible()
        form = page.locator("[data-testid=stMain] [data-testid=stForm]").first
        expect(form.get_by_role("button", name="Simpan")).to_be_disabled()
        expect(grid_cells(page, "Sudah ada")).to_have_count(1)                  # viewing needs no account
        _open_more(page)
        _confirm(page)                     # confirmed, and still not allowed
        wait_idle(page)
        _open_more(page)
        expect(page.get_by_role("button", name="Hapus", exact=True)).to_be_disabled()
        shot(page, "signin-signed-out")

        _sign_in(page, "rina")                                                  # Ketapang's editor, on Pontianak
        expect(page.get_by_text("rina bukan editor wilayah ini").first).to_be_visible()
        expect(form.get_by_role("button", name="Simpan")).to_be_disabled()
        page.locator("[data-testid=stSidebar]").get_by_role("button", name="Keluar").click()
        wait_idle(page)

        _sign_in(page, "siti")
        expect(page.get_by_text(NEED)).to_have_count(0)
        form.get_by_label("Nama", exact=True).fill("Rencana Siti")
        form.get_by_role("button", name="Simpan").click()
        page.get_by_text("Tersimpan: Rencana Siti").wait_for()
        wait_idle(page)
        assert sorted(e.name for e in lib.list("pontianak")) == ["Rencana Siti", "Sudah ada"]

        select_option(page, "Pilih skenario", "Sudah ada")
        _open_more(page)
        _confirm(page)
        wait_idle(page)
        _open_more(page)
        page.get_by_role("button", name="Hapus", exact=True).click()
        page.get_by_text("Skenario dihapus.").wait_for()
        wait_idle(page)
        assert [e.name for e in lib.list("pontianak")] == ["Rencana Siti"]
        page.get_by_text("Riwayat perubahan: Kota Pontianak").click()
        expect(grid_cells(page, "siti")).to_have_count(2)
        assert_no_error(page, "signed in")
        shot(page, "signin-editor")
        assert v.outside_requests() == []
    finally:
        v.close()
