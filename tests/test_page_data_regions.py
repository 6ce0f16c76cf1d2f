"""Data page, region setup (issue 12), driven as a user would with AppTest: a new regency from a blank region, the
guided checklist, its history and workers uploaded from the Excel template, saved as a version, the YAML file, the
region selector (grouped by province), and the notice other pages show while a region is not ready."""

from __future__ import annotations

import io

import openpyxl
import pytest
import yaml
from apptest_helpers import open_data_tab
from streamlit.testing.v1 import AppTest

from simulation import io as uploads
from simulation.data import parse_region
from ui import regions, state


@pytest.fixture
def at(tmp_path, monkeypatch):
    monkeypatch.setenv("PBI_DATA_DIR", str(tmp_path))
    state.library.clear()            # the app's library and region store: in tmp_path
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.run()
    app.switch_page("views/data.py")
    app.run()
    assert not app.exception
    yield app
    state.library.clear()


def texts(at: AppTest) -> str:
    return "\n".join([*(m.value for m in at.markdown), *(c.value for c in at.caption), *(w.value for w in at.warning),
                      *(i.value for i in at.info), *(s.value for s in at.success), *(e.value for e in at.error)]
                     ).replace("\\", "")   # as read: Markdown escapes of user text dropped


def create(at: AppTest, name: str, kind: str = "kabupaten", province: str = "Kalimantan Barat",
           copy_of: str | None = None) -> AppTest:
    if copy_of:
        at.radio(key="w.setup.start").set_value("copy")
        at.selectbox(key="w.setup.copy_of").set_value(copy_of)
    at.text_input(key="w.setup.name").input(name)
    at.selectbox(key="w.setup.kind").set_value(kind)
    at.text_input(key="w.setup.province").input(province)
    at.button(key="FormSubmitter:region_new-Buat wilayah").click().run()
    assert not at.exception
    return at


def checklist(at: AppTest):
    return next(d.value for d in at.dataframe if "Status" in d.value.columns)


def template_filled(region, history: list[tuple[int, str]], workers: list[tuple[int, int]]) -> bytes:
    """The page's Excel template of ``region`` with the history and workers sheets filled in as a user does."""
    wb = openpyxl.load_workbook(io.BytesIO(uploads.template_xlsx(region, "id", ["catatan"])))
    for sheet, rows in (("riwayat", history), ("pekerja", workers)):
        ws = wb[sheet]
        for i, (year, value) in enumerate(rows, start=2):
            ws.cell(row=i, column=1, value=year)
            ws.cell(row=i, column=2, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    if not at.get("file_uploader"):   # only the open tab is built: the upload tab, as a click opens it
        open_data_tab(at, "upload")
    rid = state_region_id(at)
    n = at.session_state["uploads"].get(rid, {}).get("n", 0)
    at.file_uploader(key=f"w.data.upload.{n}").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    return at


def state_region_id(at: AppTest) -> str:
    return at.session_state["region_id"]


def test_a_new_regency_is_set_up_from_the_template_saved_and_listed_by_province(at):
    create(at, "Kabupaten Contoh Sanggau")
    rid = state_region_id(at)
    assert rid == "kab_contoh_sanggau"
    assert at.title[0].value == "Data wilayah: Kabupaten Contoh Sanggau"
    page = texts(at)
    assert "Wilayah Kabupaten Contoh Sanggau dibuat" in page
    assert "Siapkan wilayah" in [s.value.split(" ", 1)[1] for s in at.subheader]
    assert "belum ada riwayat cakupan (minimal 2 tahun), pekerja potensial" in page
    ck = checklist(at)
    assert ck["Status"].tolist()[:2] == ["⬜ belum diisi", "⬜ belum diisi"]
    assert ck["Perlu"].tolist()[:2] == ["wajib", "wajib"]

    # every other page says what is missing and links to the setup; no traceback, no zero budget
    for view in ("views/overview.py", "views/scenario.py", "views/projection.py", "views/compare.py",
                 "views/goalseek.py", "views/sensitivity.py", "views/library.py", "views/present.py",
                 "views/about.py"):
        at.switch_page(view).run()
        assert not at.exception and not at.error, view
        assert any("belum cukup untuk proyeksi" in w.value for w in at.warning), view
        assert not at.metric, view
    at.switch_page("views/data.py").run()

    # the template, filled in (history and workers) and uploaded, with the file's source chosen once
    region = at.session_state["regions"][rid]
    upload(at, "templat.xlsx", template_filled(region, [(2023, "21,5"), (2024, "23,75"), (2025, "26")],
                                               [(2025, 180_000)]))
    at.text_input(key="w.data.upload.source.0").input("BPJS Ketenagakerjaan Cabang Sanggau, surat 2/2026").run()
    at.selectbox(key="w.data.upload.certainty.0").select("M").run()
    at.button(key="data.apply.upload").click().run()
    assert not at.exception
    edited = at.session_state["regions"][rid]
    assert edited.ready and [v.value for v in edited.coverage_history] == [21.5, 23.75, 26.0]
    assert edited.coverage_history[0].certainty == "M"
    assert "coverage_history" not in edited.missing and "potential_workers" not in edited.missing
    assert edited.groups and "groups" in edited.defaulted   # sized from the workers just entered (marked default)
    working = at.session_state["scenarios"][rid]            # the untouched starting scenario follows the data
    assert working.region == rid and {g.id for g in working.groups} == {g.id for g in edited.groups}
    ck = checklist(at)
    assert ck["Status"].tolist()[:2] == ["✅ data sendiri", "✅ data sendiri"]
    assert "🔶 nilai bawaan (asumsi)" in ck["Status"].tolist()
    assert "Data wilayah ini diubah dan belum disimpan" in texts(at)

    # saved: a version every session of the server sees, listed by province in the selector
    at.button(key="w.setup.save").click().run()
    assert not at.exception
    assert any("tersimpan sebagai versi 1" in m for _k, m in at.session_state["flash"]) or \
        "tersimpan sebagai versi 1" in texts(at)
    assert rid not in at.session_state["regions"]          # the session now uses the saved version
    latest = regions.region_store().latest(rid)
    assert latest is not None and latest[1] == 1 and latest[0].ready
    box = at.sidebar.selectbox(key="w.region")
    labels = [box.format_func(o) if hasattr(box, "format_func") else o for o in box.options]
    assert "Kabupaten Contoh Sanggau · Kalimantan Barat" in labels
    provinces = [lb.split(" · ")[1] for lb in labels]
    assert provinces == sorted(provinces, key=str.casefold)

    # the YAML file reads back as the same region data
    yaml_button = next(b for b in at.get("download_button") if b.proto.id and "setup.yaml" in b.proto.id)
    assert yaml_button is not None
    text = state_yaml(at)
    back = parse_region(yaml.safe_load(text), "kab_contoh_sanggau.yaml")
    assert back == latest[0]

    # the overview now projects it, under its own name
    at.switch_page("views/overview.py").run()
    assert not at.exception and not at.error
    assert "Kabupaten Contoh Sanggau" in at.title[0].value
    assert at.metric


def state_yaml(at: AppTest) -> str:
    from simulation.data import region_yaml
    return region_yaml(regions.region_store().latest(state_region_id(at))[0])


def test_a_copy_keeps_the_data_of_the_region_it_copies(at):
    create(at, "Kota Contoh", kind="kota", copy_of="pontianak")
    rid = state_region_id(at)
    r = at.session_state["regions"][rid]
    assert (r.name, r.kind, r.province) == ("Kota Contoh", "kota", "Kalimantan Barat")
    assert r.ready and [v.value for v in r.coverage_history] == [38.35, 40.86, 40.0]
    assert not any("belum cukup" in w.value for w in at.warning)


def test_a_bad_name_is_refused_with_the_field_named(at):
    create(at, "   ")
    assert state_region_id(at) == "pontianak"
    shown = texts(at) + " ".join(m for _k, m in at.session_state["flash"])
    assert "Wilayah tidak dibuat" in shown


@pytest.mark.parametrize("ready", [False, True], ids=["blank", "copy"])
def test_a_region_named_in_markdown_renders_no_markdown(at, ready):
    """The region's name and province are user text: the Data page, the setup and the notice of other pages draw
    no link, image, HTML or bold from them (checked as tests/test_hostile_text.py checks scenario names)."""
    from test_hostile_text import HOSTILE, leaks

    create(at, f"{HOSTILE} wilayah", province=f"{HOSTILE} provinsi", copy_of="pontianak" if ready else None)
    assert state_region_id(at) != "pontianak"
    assert leaks(at) == []
    for view in ("views/overview.py", "views/projection.py", "views/compare.py", "views/library.py",
                 "views/about.py", "views/present.py", "views/data.py"):
        at.switch_page(view).run()
        assert not at.exception, view
        assert leaks(at) == [], view


def test_the_setup_in_english(at):
    at.session_state["lang"] = "en"
    at.run()
    at.text_input(key="w.setup.name").input("Kabupaten Sample")
    at.text_input(key="w.setup.province").input("Kalimantan Barat")
    at.button(key="FormSubmitter:region_new-Create region").click().run()
    assert not at.exception
    assert at.title[0].value == "Region data: Kabupaten Sample"
    assert "Set up the region" in [s.value.split(" ", 1)[1] for s in at.subheader]
    assert "coverage history (at least 2 years), potential workers missing" in texts(at)
    ck = checklist(at)
    assert ck["Needed"].tolist()[:2] == ["required", "required"]
    assert "⏳ default, once potential workers are in" in ck["Status"].tolist()
    at.switch_page("views/projection.py").run()
    assert any("does not have enough data for a projection yet" in w.value for w in at.warning)


def test_choosing_a_region_that_is_not_ready_opens_its_setup(at):
    create(at, "Kabupaten Belum Siap")
    rid = state_region_id(at)
    at.sidebar.selectbox(key="w.region").set_value("pontianak").run()
    at.switch_page("views/overview.py").run()
    assert at.title[0].value == "Ringkasan: Kota Pontianak" and at.metric
    at.sidebar.selectbox(key="w.region").set_value(rid).run()      # chosen from the Overview
    assert not at.exception
    assert at.title[0].value == "Data wilayah: Kabupaten Belum Siap"
    assert "Siapkan wilayah" in [s.value.split(" ", 1)[1] for s in at.subheader]
