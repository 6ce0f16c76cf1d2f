"""Two app servers behind one address (issue 15): two Streamlit processes on two ports, one PostgreSQL database.

What one server writes the other reads: a scenario saved through server A (Pustaka) opens through server B with the
same figures; a share link made on A opens on B; a frozen "as presented" copy made on A is shown frozen on B and
cannot be renamed there; a region saved on A is offered by B's region selector. The database is a fresh one on the
throwaway PostgreSQL cluster of tests/storage_backends.py, made the way docs/DEPLOY.md says: created empty, then
``python -m storage upgrade`` once before the servers start.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import (
    REPO,
    AppServer,
    Visit,
    assert_no_error,
    choose_route,
    expect_overview,
    grid_cells,
    heading,
    nav,
    open_page,
    select_option,
    shot,
    sidebar_identity,
    wait_idle,
)
from playwright.sync_api import expect

from simulation import default_scenario
from storage import db
from storage.library import Library

pytestmark = pytest.mark.browser

NAME = "Uji dua server"
SAVED = default_scenario().replace(route="bpu_jht", name=NAME)
REGION = "Kabupaten Uji Dua Server"


@pytest.fixture
def shared_db(pg_cluster):
    """A new, empty PostgreSQL database, upgraded by the operator's command (not by the app); dropped afterwards."""
    url = pg_cluster.database(empty=True)
    done = subprocess.run([sys.executable, "-m", "storage", "upgrade", "--db", url], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "schema upgraded from an empty database" in done.stdout, done.stdout
    yield url
    db.dispose_all()
    pg_cluster.drop(url)


@pytest.fixture
def two_servers(shared_db, tmp_path, monkeypatch):
    """Servers A and B: own data folders (nothing shared on disk), one database URL."""
    monkeypatch.setenv(db.URL_ENV, shared_db)
    servers = []
    try:
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            servers.append(AppServer(tmp_path / name))
            servers[-1].start()
        yield servers
    finally:
        for s in servers:
            s.stop()
    for s in servers:
        assert not (s.data_dir / db.DB_FILE_NAME).exists(), "a server used a SQLite file instead of the database"
        assert s.outside_connections() == []


def test_two_servers_share_one_database(browser, two_servers, shared_db):
    a_server, b_server = two_servers
    a, b = Visit(browser, a_server.url), Visit(browser, b_server.url)
    try:
        # ---- server A: a scenario saved, a link made, a frozen copy, a region saved
        page = a.page
        open_page(page, a_server.url + "/skenario", "Susun skenario")
        choose_route(page)
        expect(page.locator("[data-testid=stSidebar] [data-testid=stCaptionContainer] code").first).to_have_text(
            default_scenario().replace(route="bpu_jht").content_hash)
        nav(page, "Pustaka skenario", "Pustaka skenario")
        form = page.locator("[data-testid=stForm]").first
        form.get_by_label("Nama", exact=True).fill(NAME)
        form.get_by_role("button", name="Simpan").click()
        page.get_by_text(f"Tersimpan: {NAME}").wait_for()
        wait_idle(page)
        expect(grid_cells(page, NAME)).to_have_count(1)

        page.get_by_role("button", name="Buat tautan").click()
        code = page.locator("[data-testid=stCode]").first
        code.wait_for()
        link_a = code.inner_text().strip()
        key = re.search(r"\?s=([0-9a-f]{12})$", link_a)[1]
        assert link_a.startswith(a_server.url)
        identity_a = sidebar_identity(page)
        wait_idle(page)

        select_option(page, "Pilih skenario", NAME)
        page.get_by_role("button", name="Bekukan").click()
        page.get_by_text("Salinan beku dibuat.").wait_for()
        wait_idle(page)
        frozen = [e for e in Library(shared_db).list("pontianak") if e.frozen]
        assert len(frozen) == 1, frozen
        frozen = frozen[0]
        expect(grid_cells(page, frozen.name)).to_have_count(1)
        shot(page, "two-servers-a-pustaka")

        nav(page, "Data", "Data wilayah")
        page.get_by_text("➕ Wilayah baru", exact=True).click()
        page.get_by_text("Salinan wilayah lain", exact=True).click()
        page.get_by_label("Nama wilayah").fill(REGION)
        page.get_by_role("button", name="Buat wilayah").click()
        heading(page, f"Data wilayah: {REGION}").wait_for()
        wait_idle(page)
        page.get_by_role("button", name="Simpan wilayah").click()
        page.get_by_text(f"Wilayah {REGION} tersimpan sebagai versi 1.").wait_for()
        wait_idle(page)
        assert_no_error(page, "server A")

        # ---- server B: the saved scenario opens with the same figures
        page = b.page
        open_page(page, b_server.url + "/pustaka", "Pustaka skenario")
        expect(grid_cells(page, NAME)).to_have_count(1)
        expect(grid_cells(page, frozen.name)).to_have_count(1)
        select_option(page, "Pilih skenario", NAME)
        page.get_by_role("button", name="Buka", exact=True).click()
        page.get_by_text(f"Dibuka: {NAME}").wait_for()
        wait_idle(page)
        assert sidebar_identity(page) == SAVED.content_hash
        nav(page, "Ringkasan", "Ringkasan: Kota Pontianak")
        expect_overview(page, SAVED)
        shot(page, "two-servers-b-opened")

        # the frozen copy: shown frozen on B, and its rename is refused there
        nav(page, "Pustaka skenario", "Pustaka skenario")
        select_option(page, "Pilih skenario", frozen.name)
        expect(grid_cells(page, "🔒 seperti dipresentasikan")).to_have_count(1)
        page.get_by_text("Ganti nama, ekspor, hapus").click()
        expect(page.get_by_label("Nama baru", exact=True)).to_be_disabled()
        expect(page.get_by_role("button", name="Ganti nama", exact=True)).to_be_disabled()
        expect(page.get_by_label("Nama baru", exact=True)).to_have_value(frozen.name)
        shot(page, "two-servers-b-frozen")
        again = Library(shared_db).entry(frozen.id)
        assert (again.frozen, again.name, again.content_hash) == (True, frozen.name, frozen.content_hash)

        # the region saved on A is in B's region selector, and B draws it
        nav(page, "Ringkasan", "Ringkasan: Kota Pontianak")
        box = page.locator("[data-testid=stSidebar]").get_by_role("combobox", name="Wilayah", exact=True)
        box.click()
        page.keyboard.type("Uji Dua Server", delay=20)
        page.get_by_role("option").filter(has_text=REGION).first.click()
        heading(page, f"Ringkasan: {REGION}").wait_for(timeout=30_000)
        wait_idle(page)
        expect(box).to_have_value(f"{REGION} · Kalimantan Barat")
        assert_no_error(page, "server B")
        shot(page, "two-servers-b-region")
    finally:
        a.close()
        b.close()

    # ---- A's share link, pointed at B, in a fresh browser context
    c = Visit(browser, b_server.url)
    try:
        link_b = b_server.url + link_a[len(a_server.url):]
        c.page.goto(link_b)
        c.page.get_by_text(re.compile(rf"Tautan dibuka: .* \({key}\)\.")).wait_for()
        wait_idle(c.page)
        assert sidebar_identity(c.page) == identity_a
        nav(c.page, "Ringkasan", "Ringkasan: Kota Pontianak")
        expect_overview(c.page, SAVED)
        assert_no_error(c.page, "link on B")
        assert c.outside_requests() == [] and a.outside_requests() == [] and b.outside_requests() == []
    finally:
        c.close()
