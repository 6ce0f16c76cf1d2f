"""The region catalogue the sidebar's selector and the pages read on every run (ui/regions.py): the shipped files are
listed once and read again only when data/regions/ changes; the saved regions again only when the store's stamp
changes. Checked with AppTest on a copy of the regions folder."""

from __future__ import annotations

import os
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from simulation import data
from ui import state


@pytest.fixture
def regions(tmp_path, monkeypatch):
    folder = tmp_path / "regions"
    shutil.copytree(data.REGIONS_DIR, folder)
    monkeypatch.setattr(data, "REGIONS_DIR", folder)
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path / "var"))
    state.library.clear()
    listed = []
    real = data.region_ids
    monkeypatch.setattr("ui.regions.region_ids", lambda: listed.append(1) or real())
    yield folder, listed
    state.library.clear()


def _options(at: AppTest) -> list[str]:
    return list(at.selectbox(key=state.widget_key("region")).options)


def test_a_rerun_lists_the_regions_folder_again_only_after_it_changed(regions):
    folder, listed = regions
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    assert not at.exception
    listed.clear()
    at.run()
    at.run()
    assert listed == []        # two reruns: the folder was not listed, the catalogue not built again
    before = _options(at)
    text = (folder / "kab_sambas.yaml").read_text(encoding="utf-8")
    (folder / "kab_sambas_baru.yaml").write_text(text.replace("id: kab_sambas", "id: kab_sambas_baru")
                                                 .replace("name: Kabupaten Sambas", "name: Kabupaten Sambas Baru"),
                                                 encoding="utf-8")
    stamp = folder.stat().st_mtime_ns
    os.utime(folder, ns=(stamp + 10**9, stamp + 10**9))   # a coarse clock: the folder's time moves all the same
    at.run()
    assert len(listed) == 1 and len(_options(at)) == len(before) + 1
    assert any("Sambas Baru" in o for o in _options(at))
