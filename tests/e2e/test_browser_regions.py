"""Every region its own (issue 12), in a real browser: the Data page's downloads, a new regency set up from the
template, its name and targets on every page and in the deck, a server restart, and an old share link."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
import yaml
from conftest import (
    AppServer,
    Visit,
    assert_no_error,
    download,
    heading,
    metric,
    nav,
    open_page,
    select_option,
    shot,
    wait_idle,
)
from playwright.sync_api import expect
from pptx import Presentation

from simulation.data import load_region, parse_region

pytestmark = pytest.mark.browser

#: the Data page's tabs and the downloads each holds (template files named <region>_<table>)
DATA_TABS = {"Riwayat cakupan": ["pontianak_history.csv"], "Potensi pekerja": ["pontianak_workers.csv"],
             "UMK dan APBD": ["pontianak_min_wage.csv", "pontianak_apbd.csv"],
             "Kelompok pekerja": ["pontianak_groups.csv"], "Target": ["pontianak_targets.csv"],
             "Unggah berkas": ["pontianak_data_template.xlsx"]}


def data_tab(page, name: str):
    page.get_by_role("tab", name=name).click()
    wait_idle(page)
    return page.locator("[data-testid=stTabs] [role=tabpanel]:visible")


def test_every_download_on_the_data_page_yields_a_file(visit, tmp_path):
    """Each download button on the Data page gives a file (the templates used to give nothing: their callable read
    session state after the run); the files read back as the region's tables."""
    page = visit.page
    open_page(page, visit.base_url + "/data", "Data wilayah")
    got = {}
    for tab, names in DATA_TABS.items():
        panel = data_tab(page, tab)
        buttons = panel.locator("[data-testid=stDownloadButton] button")
        expect(buttons).to_have_count(len(names))
        for i in range(len(names)):
            name, data = download(page, buttons.nth(i), tmp_path)
            got[name] = data
        assert sorted(n for n in got if n in names) == sorted(names), (tab, sorted(got))
    # above the tabs: the region file
    yaml_button = page.get_by_role("button", name="Unduh YAML")
    name, data = download(page, yaml_button, tmp_path)
    assert name == "pontianak.yaml" and parse_region(yaml.safe_load(data), name) == load_region("pontianak")
    visible = page.locator("[data-testid=stMain] [data-testid=stDownloadButton]:visible").count()
    assert visible == 1 + len(DATA_TABS["Unggah berkas"]), "a download the test does not click"
    assert got["pontianak_history.csv"].decode("utf-8-sig").splitlines()[0].startswith("Tahun;Cakupan (%)")
    wb = openpyxl.load_workbook(io.BytesIO(got["pontianak_data_template.xlsx"]))
    assert {"riwayat", "pekerja", "umk", "apbd", "kelompok", "target", "parameter"} <= set(wb.sheetnames)
    assert_no_error(page, "data page downloads")
    assert visit.outside_requests() == []
    shot(page, "regions-data-downloads")


# --------------------------------------------------------------------------- a new regency, end to end
NAME = "Kabupaten Uji Sanggau"
TARGET = "Target kabupaten 2028"
TARGET_PAGES = ("Ringkasan", "Proyeksi", "Bandingkan")
PAGES = ("Ringkasan", "Skenario", "Proyeksi", "Bandingkan", "Capai target", "Sensitivitas", "Pustaka skenario",
         "Data", "Tentang", "Presentasi")


def filled_template(data: bytes, history: list[tuple[int, float]], workers: int) -> bytes:
    """The downloaded template with its history, workers and targets sheets filled in as a user does in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for i, (year, pct) in enumerate(history, start=2):
        wb["riwayat"].cell(row=i, column=1, value=year)
        wb["riwayat"].cell(row=i, column=2, value=pct)
    wb["pekerja"].cell(row=2, column=1, value=history[-1][0])
    wb["pekerja"].cell(row=2, column=2, value=workers)
    ws = wb["target"]
    ws.insert_rows(2)
    for j, v in enumerate(["kab_2028", TARGET, 2028, 33], start=1):
        ws.cell(row=2, column=j, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload_and_apply(page, path, source: str, certainty: str = "M · satu sumber") -> None:
    data_tab(page, "Unggah berkas")
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    page.get_by_text("Sumber dan keyakinan untuk berkas ini").wait_for()
    wait_idle(page)
    page.get_by_label("Sumber data berkas").fill(source)
    page.get_by_label("Sumber data berkas").press("Enter")
    wait_idle(page)
    select_option(page, "Keyakinan", certainty)
    button = page.get_by_role("button", name="Terapkan perubahan")
    expect(button).to_be_enabled()
    button.click()
    page.get_by_text("nilai diperbarui").first.wait_for()
    wait_idle(page)


def save_region(page, version: int) -> None:
    page.get_by_role("button", name="Simpan wilayah").click()
    page.get_by_text(f"Wilayah {NAME} tersimpan sebagai versi {version}.").wait_for()
    wait_idle(page)


def main_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def choose_region(page, label_part: str) -> None:
    """The sidebar's region box: typed into (it searches), then the option chosen."""
    box = page.locator("[data-testid=stSidebar]").get_by_role("combobox", name="Wilayah", exact=True)
    box.click()
    page.keyboard.type(label_part, delay=20)
    page.get_by_role("option").filter(has_text=label_part).first.click()
    wait_idle(page)


def test_a_new_regency_from_the_template_everywhere_after_a_restart_and_in_an_old_link(browser, tmp_path):
    data_dir = tmp_path / "pbi-data"
    data_dir.mkdir()
    server = AppServer(data_dir)
    server.start()
    a = Visit(browser, server.url)
    try:
        page = a.page
        open_page(page, server.url + "/data", "Data wilayah")
        # a new regency (blank): the guided setup opens and other pages say what is missing
        page.get_by_text("➕ Wilayah baru", exact=True).click()
        page.get_by_label("Nama wilayah").fill(NAME)
        page.get_by_label("Nama wilayah").press("Tab")   # leave the field as a user does before submitting
        expect(page.get_by_label("Provinsi")).to_have_value("Kalimantan Barat")
        shot(page, "regions-new-form")
        page.get_by_role("button", name="Buat wilayah").click()
        # the first region made on a fresh server: once timed out at 30 s in a CI run on a machine under load
        heading(page, f"Data wilayah: {NAME}").wait_for(timeout=60_000)
        wait_idle(page)
        expect(page.get_by_text("Wilayah ini belum bisa diproyeksikan").first).to_be_visible()
        shot(page, "regions-new-blank")
        nav(page, "Ringkasan", NAME)
        expect(page.get_by_text("belum cukup untuk proyeksi").first).to_be_visible()
        assert page.locator("[data-testid=stMetric]").count() == 0
        shot(page, "regions-not-ready-ringkasan")
        assert_no_error(page, "not ready")
        page.get_by_role("link", name="Buka panduan Siapkan wilayah di halaman Data").click()
        heading(page, f"Data wilayah: {NAME}").wait_for()
        wait_idle(page)

        # the template, downloaded, filled in and uploaded; the file's source chosen once (not an assumption)
        panel = data_tab(page, "Unggah berkas")
        _, xlsx = download(page, panel.locator("[data-testid=stDownloadButton] button").first, tmp_path)
        filled = tmp_path / "templat_sanggau.xlsx"
        filled.write_bytes(filled_template(xlsx, [(2023, 21.5), (2024, 23.75), (2025, 26)], 180_000))
        upload_and_apply(page, filled, "BPJS Ketenagakerjaan Cabang Sanggau, surat 2/2026")
        save_region(page, 1)
        shot(page, "regions-new-saved")

        # its name on every page, its target where targets are shown, never Pontianak's
        main = page.locator("[data-testid=stMain]")
        for link in PAGES:
            page.locator("[data-testid=stSidebarNav]").get_by_role("link").filter(has_text=link).first.click()
            wait_idle(page)
            expect(main).to_contain_text(NAME)
            wait_idle(page)
            if link != "Tentang":   # its national parameters' sources may cite Pontianak's UMK (wage indexation)
                assert "Pontianak" not in main_text(page), link
            if link in TARGET_PAGES:   # the pages that name the targets name the regency's own
                expect(main).to_contain_text(TARGET)
            shot(page, f"regions-page-{link.split()[0].lower()}")
            assert_no_error(page, link)
            if link == "Presentasi":   # full screen, no sidebar: out through its own link
                page.get_by_role("link", name="Keluar").click()
                heading(page, f"Ringkasan: {NAME}").wait_for()
                wait_idle(page)
        nav(page, "Ringkasan", f"Ringkasan: {NAME}")
        shot(page, "regions-new-ringkasan")
        _, deck = download(page, page.get_by_role("button", name="Unduh slide rapat (PowerPoint)"), tmp_path)
        slides = "\n".join(sh.text_frame.text for s in Presentation(io.BytesIO(deck)).slides for sh in s.shapes
                           if sh.has_text_frame)
        assert NAME in slides and TARGET in slides
        assert "Pontianak" not in slides
        before = metric(page, "Cakupan 2025").inner_text().strip()

        # a share link made now keeps these numbers after the region is edited
        nav(page, "Pustaka skenario", "Pustaka skenario")
        page.get_by_role("button", name="Buat tautan").click()
        code = page.locator("[data-testid=stCode]").first
        code.wait_for()
        link = code.inner_text().strip()
        nav(page, "Data", "Data wilayah")
        edited = tmp_path / "riwayat_baru.csv"
        edited.write_text("Tahun;Cakupan (%)\n2023;21,5\n2024;23,75\n2025;29,5\n", encoding="utf-8")
        upload_and_apply(page, edited, "BPJS Ketenagakerjaan Cabang Sanggau, surat 5/2026")
        save_region(page, 2)
        nav(page, "Ringkasan", f"Ringkasan: {NAME}")
        after = metric(page, "Cakupan 2025").inner_text().strip()
        assert after != before and after.startswith("29,5")
        b = Visit(browser, server.url)
        try:
            b.page.goto(link)
            b.page.get_by_text("Tautan dibuka").wait_for()
            nav(b.page, "Ringkasan", f"Ringkasan: {NAME}")
            expect(metric(b.page, "Cakupan 2025")).to_have_text(before)
            shot(b.page, "regions-old-link")
        finally:
            b.close()
        assert a.outside_requests() == []
    finally:
        a.close()
        server.stop()

    # a second server on the same database file: the regency is there, version 2, under its province
    again = AppServer(data_dir)
    again.start()
    c = Visit(browser, again.url)
    try:
        open_page(c.page, again.url + "/", "Ringkasan")
        choose_region(c.page, "Uji Sanggau")
        heading(c.page, f"Ringkasan: {NAME}").wait_for()
        expect(metric(c.page, "Cakupan 2025")).to_have_text(after)
        expect(c.page.locator("[data-testid=stSidebar]").get_by_role("combobox", name="Wilayah", exact=True)
               ).to_have_value(f"{NAME} · Kalimantan Barat")
        chart = c.page.locator("[data-testid=stVegaLiteChart]").first   # redrawn for the region (its description)
        expect(chart).to_have_attribute("aria-label", re.compile(re.escape(f"Cakupan kepesertaan {NAME}")))
        assert_no_error(c.page, "after restart")
        shot(c.page, "regions-after-restart")
    finally:
        c.close()
        again.stop()
