"""Every region its own (issue 12), in a real browser: the Data page's downloads, a new regency set up from the
template, its name and targets on every page and in the deck, a server restart, and an old share link."""

from __future__ import annotations

import io

import openpyxl
import pytest
from conftest import assert_no_error, download, open_page, shot, wait_idle
from playwright.sync_api import expect

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
    assert got["pontianak_history.csv"].decode("utf-8-sig").splitlines()[0].startswith("Tahun;Cakupan (%)")
    wb = openpyxl.load_workbook(io.BytesIO(got["pontianak_data_template.xlsx"]))
    assert {"riwayat", "pekerja", "umk", "apbd", "kelompok", "target", "parameter"} <= set(wb.sheetnames)
    assert_no_error(page, "data page downloads")
    assert visit.outside_requests() == []
    shot(page, "regions-data-downloads")
