"""Data page, driven as a user would: read the tables, upload good and bad files, apply, sync, switch language."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import open_data_tab
from streamlit.testing.v1 import AppTest

from presentation.i18n import fmt_number, fmt_pct
from simulation import io as uploads
from simulation.data import load_region
from simulation.projection import project

CORPUS = Path(__file__).resolve().parent / "corpus" / "uploads"
SHIPPED = load_region("pontianak")


def open_page(lang: str = "id") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    if lang != "id":
        at.session_state["lang"] = lang
    at.switch_page("views/data.py")
    at.run()
    assert not at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    if not at.get("file_uploader"):
        open_data_tab(at, "upload")
    n = at.session_state["uploads"].get("pontianak", {}).get("n", 0)
    at.file_uploader(key=f"w.data.upload.{n}").set_value((name, data, "text/csv")).run()
    assert not at.exception
    return at


def choose(at: AppTest, source: str | None, certainty: str | None) -> AppTest:
    """The upload's own source and certainty (asked once per file)."""
    n = at.session_state["uploads"]["pontianak"]["n"]
    if source is not None:
        at.text_input(key=f"w.data.upload.source.{n}").input(source).run()
    if certainty is not None:
        at.selectbox(key=f"w.data.upload.certainty.{n}").select(certainty).run()
    assert not at.exception
    return at


def apply_button(at: AppTest):
    return at.button(key="data.apply.upload")


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def edited_region(at: AppTest):
    return at.session_state["regions"].get("pontianak")


def frame(at: AppTest, first_column: str):
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def test_tables_show_every_value_with_source_and_badge():
    at = open_page()
    # only the open tab is built: the history (the first) at first, the others on a click
    assert [d for d in at.dataframe if "Potensi pekerja" in d.value.columns] == []
    history = next(d.value for d in at.dataframe if "Cakupan (%)" in d.value.columns)
    assert history["Tahun"].tolist() == ["2023", "2024", "2025"]
    assert history["Cakupan (%)"].tolist() == ["38,35", "40,86", "40"]           # Indonesian decimals
    assert history["Tingkat keyakinan"].tolist() == ["H · regulasi", "H · regulasi", "M · satu sumber"]
    assert history["Sumber"].iloc[2] == SHIPPED.coverage_history[2].source
    workers = next(d.value for d in open_data_tab(at, "workers").dataframe if "Potensi pekerja" in d.value.columns)
    assert workers["Potensi pekerja"].tolist() == ["244.236"]
    apbd = next(d.value for d in open_data_tab(at, "budget").dataframe if "APBD (Rp/tahun)" in d.value.columns)
    assert apbd["Tingkat keyakinan"].tolist() == ["A · asumsi"]                  # the APBD is an assumption
    sources = frame(open_data_tab(at, "groups"), "Kelompok pekerja")             # one row per group value
    assert len(sources) == 4 * len(SHIPPED.groups)
    assert "A · asumsi" in set(sources["Tingkat keyakinan"]) and "<" not in "".join(sources["Tingkat keyakinan"])
    assert [tb.label for tb in at.tabs][-1].endswith("Unggah berkas")


def test_invalid_upload_keeps_the_region_and_names_row_and_column():
    at = open_page()
    before = at.session_state["scenarios"]["pontianak"]
    upload(at, "x07_over_100.csv", (CORPUS / "x07_over_100.csv").read_bytes())
    text = errors(at)
    assert "Berkas ditolak; data tidak berubah" in text
    assert "Baris 3, kolom cakupan: tidak boleh lebih dari 100 % (140,86)" in text
    assert not [b for b in at.button if b.label == "Terapkan perubahan"]
    assert edited_region(at) is None and at.session_state["scenarios"]["pontianak"] == before
    # a workbook names the sheet too; a picture named .csv is not a table
    upload(at, "y10.xlsx", (CORPUS / "y10_bad_sheet_among_good.xlsx").read_bytes())
    assert "Lembar «kelompok»: Baris 2, kolom Anggota (orang): tidak boleh negatif (-5)" in errors(at)
    upload(at, "foto.csv", (CORPUS / "x04_png_named_csv.csv").read_bytes())
    assert "tidak dapat dibaca sebagai tabel" in errors(at)
    assert edited_region(at) is None


def test_an_invalid_edit_shows_row_and_column_and_applies_nothing():
    """The editors go through the same pure function; its problem is what the page prints."""
    table = uploads.read_records("history", [{"year": "2023", "coverage_pct": "38,35"},
                                             {"year": "2024", "coverage_pct": "empat puluh"}],
                                 headers={"year": "Tahun", "coverage_pct": "Cakupan (%)"})
    p = table.problems[0]
    assert (p.row, p.column, p.code) == (2, "Cakupan (%)", "expected_number")
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do: nothing may be applied
        uploads.apply_tables(SHIPPED, [table])


def test_valid_history_upload_previews_then_changes_the_overview_baseline():
    at = open_page()
    data = b"Tahun;Cakupan (%)\n2023;38,35\n2024;41\n2025;44,5\n"
    upload(at, "riwayat.csv", data)
    assert not at.error
    preview = frame(at, "Tabel")
    assert preview["Lama"].tolist() == ["40,86 %", "40,00 %"] and preview["Baru"].tolist() == ["41,00 %", "44,50 %"]
    assert edited_region(at) is None                               # nothing applied before the button
    choose(at, None, "A")
    at.button(key="data.apply.upload").click().run()
    assert not at.exception
    new = edited_region(at)
    assert [v.value for v in new.coverage_history] == [38.35, 41.0, 44.5]
    assert new.coverage_history[2].source == uploads.USER_SOURCE and new.coverage_history[2].certainty == "A"
    assert new.coverage_history[0] == SHIPPED.coverage_history[0]  # unchanged value keeps its source
    shown = [s.value for s in at.success] + [m for _k, m in at.session_state["flash"]]  # flash: shown by app.py
    assert any("2 nilai diperbarui" in m for m in shown)

    at.switch_page("views/overview.py").run()
    assert not at.exception
    scenario = at.session_state["scenarios"]["pontianak"]
    assert at.metric[0].value == fmt_pct(44.5, "id", 1)
    row = project(scenario, new).row(2026)
    old_row = project(scenario, SHIPPED).row(2026)
    sentence = " ".join(i.value for i in at.info)
    assert fmt_pct(row["baseline_coverage_pct"], "id") in sentence
    assert fmt_pct(old_row["baseline_coverage_pct"], "id") not in sentence

    at.switch_page("views/data.py").run()                         # round trip keeps the edited data
    assert frame(at, "Tahun")["Cakupan (%)"].tolist() == ["38,35", "41", "44,5"]
    at.button(key="w.setup.reset").click().run()
    assert edited_region(at) is None


def test_pending_upload_and_its_source_choice_survive_a_page_round_trip():
    at = open_page()
    at.text_input(key="w.data.source").input("ketikan sendiri").run()   # for typed values only, not the file's
    upload(at, "apbd.csv", b"Tahun;APBD (Rp)\n2025;Rp 2.345.000.000.000\n")
    choose(at, "BPJS TK Cabang Pontianak, surat 3/2026", "M")
    at.switch_page("views/overview.py").run()
    at.switch_page("views/data.py").run()
    open_data_tab(at, "upload")   # the page opens on its first tab, as before; the upload waits in its tab
    assert at.text_input(key="w.data.upload.source.0").value == "BPJS TK Cabang Pontianak, surat 3/2026"
    assert at.selectbox(key="w.data.upload.certainty.0").value == "M"
    at.button(key="data.apply.upload").click().run()
    v = edited_region(at).apbd[0]
    assert (v.value, v.source, v.certainty) == (2.345e12, "BPJS TK Cabang Pontianak, surat 3/2026", "M")


def test_group_sizes_apply_to_the_region_then_sync_to_the_scenario():
    at = open_page()
    upload(at, "kelompok.csv", b"Kode;Anggota (orang)\nrt_heads;2.700\n")
    assert any("salinan angka kelompoknya sendiri" in i.value for i in at.info)
    choose(at, "Pendataan RT 2026", "L")
    at.button(key="data.apply.upload").click().run()
    assert edited_region(at).group("rt_heads").members.value == 2700
    assert at.session_state["scenarios"]["pontianak"].group("rt_heads").members == 2689   # still its own copy
    assert any("1 kelompok" in w.value for w in at.warning)
    at.button(key="data.sync_groups.upload").click().run()
    assert not at.exception
    assert at.session_state["scenarios"]["pontianak"].group("rt_heads").members == 2700


def test_history_reaching_the_horizon_is_refused():
    at = open_page()
    upload(at, "riwayat.csv", b"tahun;cakupan\n2023;38\n2030;50\n")
    assert "skenario berakhir 2030" in errors(at)
    assert not [b for b in at.button if b.label == "Terapkan perubahan"]


def test_language_switch():
    at = open_page("en")
    assert at.title[0].value == "Region data: Kota Pontianak"
    assert [tb.label for tb in at.tabs][:2] == ["Coverage history", "Potential workers"]
    history = next(d.value for d in at.dataframe if "Coverage (%)" in d.value.columns)
    assert history["Coverage (%)"].tolist() == ["38.35", "40.86", "40"]
    workers = next(d.value for d in open_data_tab(at, "workers").dataframe if "Potential workers" in d.value.columns)
    assert workers["Potential workers"].tolist() == [fmt_number(244236, "en")]
    upload(at, "h.csv", b"year,coverage\n2023,38.35\n2024,abc\n")
    assert "Row 3, column coverage: must be a number" in errors(at)


def test_an_upload_without_sources_is_not_applied_before_its_source_and_certainty_are_chosen():
    """An official BPJS figure must not land as an assumption: no certainty is preset for a file; H, M and L need
    the source's name; the preview says what will be recorded; rows naming their own source keep it."""
    at = open_page()
    upload(at, "riwayat.csv", b"Tahun;Cakupan (%)\n2023;38,35\n2024;41\n2025;44,5\n")
    assert at.selectbox(key="w.data.upload.certainty.0").value is None
    assert "3 dari 3 baris tidak mencantumkan sumber" in " ".join(c.value for c in at.caption)
    assert apply_button(at).disabled and any("Pilih keyakinan" in w.value for w in at.warning)
    choose(at, None, "M")
    assert apply_button(at).disabled and any("memerlukan nama sumbernya" in w.value for w in at.warning)
    choose(at, "BPJS Ketenagakerjaan Cabang Pontianak, data Desember 2025", None)
    assert not apply_button(at).disabled
    assert any("sumber «BPJS Ketenagakerjaan Cabang Pontianak, data Desember 2025», keyakinan M · satu sumber"
               in c.value for c in at.caption)
    apply_button(at).click().run()
    v = edited_region(at).coverage_history[2]
    assert (v.value, v.source, v.certainty) == (44.5, "BPJS Ketenagakerjaan Cabang Pontianak, data Desember 2025", "M")

    # a file whose rows name their own source and certainty asks nothing and records theirs
    upload(at, "apbd.csv", b"Tahun;APBD (Rp);Sumber;Keyakinan\n2025;Rp 2.345.000.000.000;Perda APBD 2025;H\n")
    assert "Setiap baris berkas mencantumkan sumber" in " ".join(c.value for c in at.caption)
    apply_button(at).click().run()
    a = edited_region(at).apbd[0]
    assert (a.source, a.certainty, a.source_date) == ("Perda APBD 2025", "H", None)
