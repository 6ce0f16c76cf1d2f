"""About page: what is modelled, the method, and sources tables that follow the data in use."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from simulation import io as uploads
from simulation.data import load_region
from simulation.parameters import load_parameters

SHIPPED = load_region("pontianak")
PARAMS = load_parameters()


def open_page(lang: str = "id", region=None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    if lang != "id":
        at.session_state["lang"] = lang
    if region is not None:
        at.session_state["regions"] = {"pontianak": region}
    at.switch_page("views/about.py")
    at.run()
    assert not at.exception
    return at


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def table(at: AppTest, column: str):
    """A dataframe or static table (index as a column) that has ``column``."""
    frames = [d.value for d in at.dataframe] + [tb.value.reset_index() for tb in at.table]
    return next(f for f in frames if column in f.columns)


def test_content_and_figures_come_from_the_parameters():
    at = open_page()
    assert at.title[0].value == "Tentang simulator"
    headers = [h.value for h in at.header]
    assert headers == ["Apa yang dihitung", "Metode proyeksi", "Yang tidak dimodelkan", "Sumber dan tingkat keyakinan",
                       "Glosarium"]
    body = text(at)
    for phrase in ("Rp 16.800 per orang per bulan", "Rp 201.600 setahun", "Rp 36.800", "PP 44/2015 jo. PP 82/2019",
                   "Permenaker 5/2021", "Rp 42.000.000", "48 × upah", "WLS statsmodels", "Student-t", "0,315",
                   "Beasiswa anak", "UCJ", "JP (pensiun) dan JKP", "Batas anggaran", "Kepatuhan", "tumpang tindih"):
        assert phrase in body, phrase
    cal = table(at, "Titik riwayat")
    assert cal["Titik riwayat"].tolist() == ["2", "3", "5", "8"]
    assert all(v.endswith(" %") for v in cal["Kena pita 80 %"])


def test_sources_table_lists_every_parameter_and_value():
    at = open_page()
    params = table(at, "Kode")
    assert set(params["Kode"]) == set(PARAMS.items)
    assert len(params) == sum(len(p.values) for p in PARAMS.items.values())
    jkm = params[params["Kode"] == "bpu.jkm_flat"]
    assert jkm["Nilai"].tolist() == ["Rp 6.800 per bulan", "Rp 68 per bulan", "Rp 6.800 per bulan"]          # incl. the PP 49/2020 discount
    assert jkm["Berlaku sejak"].tolist() == ["1 Jul 2015", "1 Agu 2020", "1 Feb 2021"]
    elasticity = params[params["Kode"] == "behaviour.takeup_elasticity"]
    assert elasticity["Tingkat keyakinan"].tolist() == ["A · asumsi"]
    assert "Iuran JKM peserta BPU, tetap per bulan" in set(params["Keterangan"])


def test_region_table_follows_the_region_in_use_and_marks_assumptions():
    at = open_page()
    region = table(at, "Data")
    hist = region[region["Data"] == "Riwayat cakupan"]
    assert hist["Nilai"].tolist() == ["38,35 %", "40,86 %", "40,00 %"]
    n_assumed = (region["Tingkat keyakinan"] == "A · asumsi").sum()
    assert n_assumed > 0
    assert f"{len(region)} nilai dari data bawaan wilayah ini; {n_assumed} di antaranya asumsi (A)" in text(at)

    rows = [{"year": "2023", "coverage_pct": "38,35"}, {"year": "2024", "coverage_pct": "41"},
            {"year": "2025", "coverage_pct": "44,5"}]
    edited = uploads.apply_tables(SHIPPED, [uploads.read_records("history", rows)], certainty="M",
                                  today=dt.date(2026, 11, 27))
    at = open_page(region=edited)
    region = table(at, "Data")
    hist = region[region["Data"] == "Riwayat cakupan"]
    assert hist["Nilai"].tolist() == ["38,35 %", "41,00 %", "44,50 %"]
    assert hist["Sumber"].tolist()[1:] == [uploads.USER_SOURCE] * 2
    assert hist["Tingkat keyakinan"].tolist()[1:] == ["M · satu sumber"] * 2
    assert "sudah diubah di sesi ini" in text(at)


def test_language_switch():
    at = open_page("en")
    assert at.title[0].value == "About the simulator"
    assert [h.value for h in at.header][0] == "What is computed"
    body = text(at)
    assert "Rp 16,800 per person per month" in body and "Rp 16.800" not in body
    params = table(at, "Code")
    assert "JKM contribution of a BPU participant, flat per month" in set(params["Description"])
    assert "A · assumption" in set(params["Certainty"])
