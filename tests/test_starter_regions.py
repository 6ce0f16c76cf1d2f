"""The starter set of issue 12: every city and regency of West Kalimantan ships as data/regions/<id>.yaml with what
is public. Each file parses, names itself and its province, gives every value a source (as published, with an
English rendering) and a certainty, lists what nobody published under ``missing:`` with where we looked, and a few
values equal the published figures they cite. data/regions/README.md's table says the same as the files."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from simulation import data

#: id -> name of the thirteen starter regions (Kota Pontianak ships as pontianak.yaml)
STARTER = {
    "kab_sambas": "Kabupaten Sambas",
    "kab_bengkayang": "Kabupaten Bengkayang",
    "kab_landak": "Kabupaten Landak",
    "kab_mempawah": "Kabupaten Mempawah",
    "kab_sanggau": "Kabupaten Sanggau",
    "kab_ketapang": "Kabupaten Ketapang",
    "kab_sintang": "Kabupaten Sintang",
    "kab_kapuas_hulu": "Kabupaten Kapuas Hulu",
    "kab_sekadau": "Kabupaten Sekadau",
    "kab_melawi": "Kabupaten Melawi",
    "kab_kayong_utara": "Kabupaten Kayong Utara",
    "kab_kubu_raya": "Kabupaten Kubu Raya",
    "kota_singkawang": "Kota Singkawang",
}
#: the fields a region file may leave out (REGIONS-PLAN.md); each is either given or listed under ``missing:``
OPTIONAL = ("coverage_history", "potential_workers", "min_wage", "apbd", "worker_growth_pct", "formal_share",
            "formal_coverage", "apbd_growth_pct", "groups", "targets")
SERIES = ("coverage_history", "potential_workers", "min_wage", "apbd")
SCALARS = ("worker_growth_pct", "formal_share", "formal_coverage", "apbd_growth_pct")
#: UMP Kalimantan Barat [Rp/month]: what applies by law where a regency has no UMK of its own (PP 51/2023 art. 33)
UMP = {2024: 2_702_616, 2025: 2_878_286, 2026: 3_054_552}
LOOKED_ON = "2026-12-04"   # the day the stored copies were searched and read


def raw(rid: str) -> dict:
    return yaml.safe_load((data.REGIONS_DIR / f"{rid}.yaml").read_text(encoding="utf-8"))


def value(rid: str, field: str, year: int) -> dict:
    rows = [r for r in raw(rid)[field] if r["year"] == year]
    assert len(rows) == 1, f"{rid}.{field} has {len(rows)} rows for {year}"
    return rows[0]


def test_the_starter_set_is_every_other_city_and_regency_of_west_kalimantan():
    shipped = {p.stem for p in data.REGIONS_DIR.glob("*.yaml")}
    assert shipped - {"pontianak", "kalbar"} == set(STARTER)
    assert len(STARTER) + 1 == 14   # 12 kabupaten and 2 kota, Pontianak included


@pytest.mark.parametrize("rid", sorted(STARTER))
def test_file_names_itself_and_its_province(rid):
    d = raw(rid)
    assert d["id"] == rid
    assert d["name"] == STARTER[rid]
    assert d["province"] == "Kalimantan Barat"
    assert d["kind"] == ("kota" if rid.startswith("kota_") else "kabupaten")
    assert d["name"].lower().startswith(d["kind"])


@pytest.mark.parametrize("rid", sorted(STARTER))
def test_every_value_has_a_source_in_two_languages_and_a_certainty(rid):
    d = raw(rid)
    rows = [(f, r) for f in SERIES for r in d.get(f) or []] + [(f, d[f]) for f in SCALARS if f in d]
    assert rows, f"{rid} gives no value at all"
    for field, r in rows:
        where = f"{rid}.{field}[{r.get('year', '')}]"
        if field in SERIES:
            assert isinstance(r["year"], int) and 2015 <= r["year"] <= 2026, where
        assert r["certainty"] in ("H", "M", "L", "A"), where
        assert r["certainty"] != "A", f"{where}: the starter set holds published values, not assumptions"
        for key in ("source", "source_en"):
            assert isinstance(r.get(key), str) and len(r[key]) >= 40, f"{where}.{key}"
        assert LOOKED_ON in r["source"] and LOOKED_ON in r["source_en"], f"{where}: say when the copy was read"
        assert re.search(r"https?://|\b[a-z0-9-]+\.(id|com|net)\b", r["source"]), f"{where}: no page address"
        if "source_date" in r:
            assert isinstance(r["source_date"], dt.date), where
            assert r["source_date"] <= dt.date.fromisoformat(LOOKED_ON), where
        if field == "coverage_history":
            assert 0 < r["coverage_pct"] < 100 and r.get("base"), where
        elif field in ("formal_share", "formal_coverage"):
            assert 0 < r["value"] < 1, f"{where}: a share between 0 and 1"
        else:
            assert r["value"] > 0, where


@pytest.mark.parametrize("rid", sorted(STARTER))
def test_what_nobody_published_is_listed_as_missing_with_where_we_looked(rid):
    d = raw(rid)
    notes = d.get("missing") or {}
    assert set(notes) <= set(OPTIONAL), f"{rid}.missing names {set(notes) - set(OPTIONAL)}"
    for field in OPTIONAL:
        given = bool(d.get(field))
        assert given != (field in notes), f"{rid}.{field}: {'given and' if given else 'neither given nor'} listed"
    for field, note in notes.items():   # in both languages (tests/test_region_notes.py reads them on the pages)
        assert isinstance(note, dict) and set(note) == {"id", "en"}, f"{rid}.missing.{field}: {{id: ..., en: ...}}"
        for lang, searched in (("en", "search"), ("id", "pencarian")):
            assert len(note[lang]) >= 40, f"{rid}.missing.{field}.{lang}: say where we looked"
            assert searched in note[lang] and LOOKED_ON in note[lang], f"{rid}.missing.{field}.{lang}: where, when"
    assert "min_wage" not in notes, f"{rid}: a UMK or the provincial UMP is always published"


@pytest.mark.parametrize("rid", sorted(STARTER))
def test_file_parses_with_the_loader_and_keeps_what_it_lacks(rid):
    d = raw(rid)
    region = data.parse_region(d, f"regions/{rid}.yaml")
    assert (region.id, region.name, region.kind, region.province) == (rid, d["name"], d["kind"], "Kalimantan Barat")
    assert region.missing == tuple(sorted(d["missing"]))
    for field in SERIES:
        if field in d:
            got = [(v.year, v.value, v.certainty, v.source) for v in getattr(region, field)]
            key = "coverage_pct" if field == "coverage_history" else "value"
            assert got == [(r["year"], r[key], r["certainty"], r["source"]) for r in d[field]], field
    for field in SCALARS:
        v = getattr(region, field)
        if field in d:
            assert (v.value, v.certainty, v.source) == (d[field]["value"], d[field]["certainty"], d[field]["source"])
        else:
            assert field in region.defaulted, f"{field}: left out, so it comes from the marked defaults"
    assert data.load_region(rid) == region


def test_ketapang_kubu_raya_and_singkawang_are_ready_for_a_projection_the_others_are_not():
    ready = {rid for rid in STARTER if data.load_region(rid).ready}
    assert ready == {"kab_ketapang", "kab_kubu_raya", "kota_singkawang"}


def test_spot_values_equal_the_published_figures():
    # UMK 2025 Ketapang, the highest of the province: Rp3.396.267,26 (AyoBogor / Tribun Pontianak list)
    assert value("kab_ketapang", "min_wage", 2025)["value"] == 3_396_267.26
    # UMK 2026 Sambas: Rp3.202.663 (Kepgub Kalbar 1355/NAKERTRAN/2025)
    row = value("kab_sambas", "min_wage", 2026)
    assert (row["value"], row["certainty"]) == (3_202_663, "H") and "1355/NAKERTRAN/2025" in row["source"]
    # UMK 2026 Kubu Raya, the lowest: Rp3.100.000
    assert value("kab_kubu_raya", "min_wage", 2026)["value"] == 3_100_000
    # APBD Sanggau 2026 as agreed on 26 Nov 2025: belanja daerah Rp1,754 triliun
    row = value("kab_sanggau", "apbd", 2026)
    assert row["value"] == 1_754_000_000_000 and "belanja" in row["source"]
    # APBD Kapuas Hulu 2026 draft: pendapatan daerah Rp1.425.660.077.853
    assert value("kab_kapuas_hulu", "apbd", 2026)["value"] == 1_425_660_077_853
    # coverage: Kubu Raya 39,21 % (Nov 2023), Landak 53,43 % of 130.245 (2024), Landak's formal workers 80,4 %
    assert raw("kab_landak")["formal_coverage"]["value"] == 0.804
    assert value("kab_kubu_raya", "coverage_history", 2023)["coverage_pct"] == 39.21
    assert value("kab_landak", "coverage_history", 2024)["coverage_pct"] == 53.43
    assert value("kab_landak", "potential_workers", 2024)["value"] == 130_245


@pytest.mark.parametrize(("rid", "years"), [("kab_kubu_raya", (2024, 2025)), ("kab_mempawah", (2024, 2025)),
                                            ("kab_sekadau", (2024, 2025, 2026))])
def test_without_an_umk_of_its_own_a_regency_gets_the_provincial_ump_by_law(rid, years):
    for year in years:
        row = value(rid, "min_wage", year)
        assert row["value"] == UMP[year], f"{rid} {year}"
        assert row["certainty"] == "H" and "UMP" in row["source"] and "UMP" in row["source_en"], f"{rid} {year}"


def _readme_table() -> dict[str, dict[str, str]]:
    text = (data.REGIONS_DIR / "README.md").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.startswith("| ") and not ln.startswith("| ---")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = {}
    for ln in lines[1:]:
        cells = dict(zip(header, (c.strip() for c in ln.strip("|").split("|")), strict=True))
        rows[cells["id"]] = cells
    return rows


def _years(cell: str) -> set[int]:
    out = set()
    for a, b in re.findall(r"(\d{4})(?:-(\d{4}))?", cell):
        out |= set(range(int(a), int(b or a) + 1))
    return out


def test_readme_table_says_what_the_files_hold():
    table = _readme_table()
    assert set(table) == set(STARTER)
    for rid, cells in table.items():
        d = raw(rid)
        assert cells["Region"] == STARTER[rid]
        for field in SERIES:
            if field in d:
                assert cells[field].startswith("✓"), f"README {rid}.{field}"
                assert _years(cells[field]) == {r["year"] for r in d[field]}, f"README {rid}.{field}"
            else:
                assert cells[field] == "missing", f"README {rid}.{field}"
        assert cells["ready"] == ("yes" if data.load_region(rid).ready else "no"), f"README {rid}.ready"
