"""One scenario over many regions from one CSV table, as a provincial office exports it.

Offices write ``;`` separators, decimal commas (40,86), thousands dots (244.236) and a byte-order mark.
A wrong cell is refused with the row and the column, so the user can find it in the spreadsheet.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from simulation.batch import OUTPUT_COLUMNS, run_batch
from simulation.errors import ValidationError
from simulation.projection import project
from simulation.scenario import default_scenario

HEADER = "region_id;name;potential_workers;potential_workers_year;coverage_2023;coverage_2024;coverage_2025"
THREE_REGIONS = (
    "\ufeff" + HEADER + ";members_street_vendors\n"
    "pontianak;Kota Pontianak;244.236;2024;38,35;40,86;40,0;\n"
    "singkawang;Kota Singkawang;120.000;2024;30,1;31,5;32,25;500\n"
    "kubu_raya;Kab. Kubu Raya;300.000;2024;25,5;27,1;28;\n"
)


@pytest.fixture(scope="module")
def agreement():
    return default_scenario()


@pytest.fixture(scope="module")
def three(agreement):
    return run_batch(agreement, THREE_REGIONS)


def test_three_regions_give_three_times_the_years(three):
    assert len(three) == 3 * 5
    assert three["region_id"].tolist() == ["pontianak"] * 5 + ["singkawang"] * 5 + ["kubu_raya"] * 5
    assert three.groupby("region_id")["year"].apply(list).map(lambda y: y == [2026, 2027, 2028, 2029, 2030]).all()
    assert {"region_id", "region", *OUTPUT_COLUMNS} <= set(three.columns)
    assert three["forecast_short_history"].all()                     # three points each


def test_numbers_in_indonesian_format_are_read(three):
    pontianak = three[three["region_id"] == "pontianak"]
    # 244.236 workers in 2024 grown 1 % a year: the same as the shipped Pontianak data
    assert pontianak["potential_workers"].iloc[0] == pytest.approx(244_236 * 1.01**2)


def test_pontianak_row_gives_the_same_result_as_the_shipped_region(agreement, three):
    ours = three[three["region_id"] == "pontianak"].reset_index(drop=True)
    shipped = project(agreement).table
    for col in ("coverage_pct", "coverage_low_pct", "coverage_high_pct", "cost_idr", "pbi_participants"):
        assert ours[col].tolist() == pytest.approx(shipped[col].tolist())


def test_members_column_changes_that_group_only_where_given(agreement, three):
    # street vendors are outside the agreement's scope, so 500 members there change nothing in Singkawang
    assert three.groupby("region_id")["cost_idr"].first().nunique() == 1
    wider = agreement.replace(groups=[{**dataclasses.asdict(g), "in_scope": True} for g in agreement.groups])
    out = run_batch(wider, THREE_REGIONS).groupby("region_id")["pbi_participants"].first()
    vendors = wider.group("street_vendors")
    per_member = vendors.take_up * (1 - vendors.dropout)
    assert out["pontianak"] - out["singkawang"] == pytest.approx((3_000 - 500) * per_member)


def test_comma_separated_file_with_english_numbers_is_read_too(agreement):
    text = ("region_id,potential_workers,potential_workers_year,coverage_2023,coverage_2024,coverage_2025\n"
            'pontianak,"244,236.0",2024,38.35,40.86,40.0\n')
    out = run_batch(agreement, text)
    assert out["potential_workers"].iloc[0] == pytest.approx(244_236 * 1.01**2)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        # an unknown column (a typo in the header) names the column
        (HEADER + ";colour\npontianak;P;244236;2024;38;40;41;red\n", "row 1, column colour"),
        (HEADER.replace("coverage_2025", "cakupan_2025") + "\npontianak;P;244236;2024;38;40;41\n",
         "row 1, column cakupan_2025"),
        (HEADER + ";members_nobody\npontianak;P;244236;2024;38;40;41;5\n", "row 1, column members_nobody"),
        # a coverage of 140 % names the row and the column
        (HEADER + "\npontianak;P;244236;2024;38;40;41\nsingkawang;S;120000;2024;30;140;32\n",
         "row 3, column coverage_2024"),
        (HEADER + "\npontianak;P;244236;2024;38;40;empat puluh\n", "row 2, column coverage_2025"),
        (HEADER + "\npontianak;P;-5;2024;38;40;41\n", "row 2, column potential_workers"),
        (HEADER + "\npontianak;P;244236;24;38;40;41\n", "row 2, column potential_workers_year"),
        (HEADER + "\nPontianak Kota;P;244236;2024;38;40;41\n", "row 2, column region_id"),
        (HEADER + "\npontianak;P;244236;2024;38;40;41\npontianak;P;244236;2024;38;40;41\n",
         "row 3, column region_id"),
        (HEADER + "\npontianak;P;244236;2024;;;41\n", "row 2, column coverage_YYYY"),
        (HEADER.replace("potential_workers_year;", "") + "\npontianak;P;244236;38;40;41\n",
         "column potential_workers_year"),
        # "244,236" in a semicolon file is 244 and a fraction, not a head count: refused, not guessed
        (HEADER + "\npontianak;P;244,236;2024;38;40;41\n", "row 2, column potential_workers"),
        (HEADER + "\n", "file"),
        ("", "file"),
    ],
)
def test_bad_table_is_refused_naming_the_row_and_column(agreement, text, field):
    with pytest.raises(ValidationError) as err:
        run_batch(agreement, text)
    assert err.value.field == field


# ---------------------------------------------------------------------------- the one table reader and parser
def _regions(pairs):
    return [(r.id, [(v.year, v.value) for v in r.coverage_history], r.potential_workers[0].value, members)
            for r, members in pairs]


def _xlsx_regions() -> bytes:
    import io

    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Potensi dan cakupan per daerah, Kalimantan Barat"])   # a title row above the header
    ws.append(HEADER.split(";") + ["members_street_vendors", "worker_growth_pct"])
    for line in THREE_REGIONS.splitlines()[1:]:
        cells = line.split(";")
        row = [cells[0], cells[1], int(cells[2].replace(".", "")), int(cells[3])]
        row += [float(c.replace(",", ".")) / 100 for c in cells[4:7]] + [int(cells[7]) if cells[7] else None, 1.125]
        ws.append(row)
    for r in ws.iter_rows(min_row=3, min_col=5, max_col=7):
        for cell in r:
            cell.number_format = "0.00%"                               # 38,35 % held as 0.3835
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_regions_file_in_any_form_excel_saves_is_read_the_same(agreement):
    from simulation.batch import read_regions_csv
    from simulation.data import load_region
    region, groups = load_region("pontianak"), {g.id for g in agreement.groups}
    expected = _regions(read_regions_csv(THREE_REGIONS, region, groups))
    text = THREE_REGIONS.lstrip("\ufeff")
    forms = {
        "utf16_tabs.txt": b"\xff\xfe" + text.replace(";", "\t").encode("utf-16-le"),
        "title_row_1252.csv": ("Daerah Kalimantan Barat – 2025\n\n" + text).encode("cp1252"),
        "regions.xlsx": _xlsx_regions(),
    }
    for name, data in forms.items():
        got = _regions(read_regions_csv(data, region, groups, filename=name))
        assert [g[0] for g in got] == [e[0] for e in expected], name
        for g, e in zip(got, expected, strict=True):
            assert g[1] == [(y, pytest.approx(v)) for y, v in e[1]] and g[2:] == e[2:], name
    # an Excel number is taken as it is, not re-read as text ("1.125" would be 1125 the Indonesian way)
    assert {r.worker_growth_pct.value for r, _ in read_regions_csv(forms["regions.xlsx"], region, groups,
                                                                   filename="regions.xlsx")} == {1.125}


@pytest.mark.parametrize(("cell", "lang", "expected"), [
    ("244.236", "id", 244_236), ("244,236", "en", 244_236), ("2,44236E+5", "id", 244_236), ("244.236", "en", None),
])
def test_numbers_are_read_by_the_one_parser_in_the_users_language(agreement, cell, lang, expected):
    from simulation.batch import read_regions_csv
    from simulation.data import load_region
    text = HEADER + f'\npontianak;P;"{cell}";2024;38;40;41\n'
    if expected is None:
        with pytest.raises(ValidationError) as err:
            read_regions_csv(text, load_region("pontianak"), set(), lang=lang)
        assert (err.value.field, err.value.code) == ("row 2, column potential_workers", "not_whole_number")
    else:
        [(r, _)] = read_regions_csv(text, load_region("pontianak"), set(), lang=lang)
        assert r.potential_workers[0].value == expected


# ---------------------------------------------------------------------------- the batch corpus (issue 14)
REPO = Path(__file__).resolve().parents[1]
BATCH_CORPUS = REPO / "tests" / "corpus" / "batch"
BATCH_EXPECTED = json.loads((BATCH_CORPUS / "expected.json").read_text(encoding="utf-8"))


def batch_outcome(agreement, name: str) -> dict:
    try:
        out = run_batch(agreement, (BATCH_CORPUS / name).read_bytes(), filename=name)
    except ValidationError as exc:
        return {"ok": False, "code": exc.code, "row": exc.params.get("row"), "column": exc.params.get("column")}
    return {"ok": True, "regions": out["region_id"].nunique()}


def test_batch_corpus_is_complete():
    files = {p.name for p in BATCH_CORPUS.iterdir() if p.name != "expected.json"}
    assert files == set(BATCH_EXPECTED), "every batch corpus file needs an expected outcome (make_corpus.py)"
    assert sum(not e["ok"] for e in BATCH_EXPECTED.values()) >= 10


@pytest.mark.parametrize("name", sorted(BATCH_EXPECTED))
def test_batch_corpus_file(agreement, name):
    assert batch_outcome(agreement, name) == BATCH_EXPECTED[name]


def test_a_row_without_apbd_gets_no_share_of_the_template_regions_apbd(agreement):
    out = run_batch(agreement, (BATCH_CORPUS / "r01_good.csv").read_bytes())
    own = out[out["region_id"] == "pontianak"]
    assert own["cost_share_apbd_pct"].notna().all() and (own["notes"] == "").all()
    from simulation.data import load_region
    grown = 2.1e12 * (1 + load_region("pontianak").apbd_growth_pct.value / 100)   # the 2025 APBD, in 2026
    assert own["cost_share_apbd_pct"].iloc[0] == pytest.approx(own["cost_idr"].iloc[0] / grown * 100)
    other = out[out["region_id"] == "singkawang"]
    assert other["cost_share_apbd_pct"].isna().all() and (other["notes"] == "no_apbd").all()


def test_negative_worker_growth_is_accepted_as_on_the_data_page(agreement):
    out = run_batch(agreement, (BATCH_CORPUS / "r02_negative_worker_growth.csv").read_bytes())
    years = out["potential_workers"].tolist()
    assert years[0] == pytest.approx(244_236 * 0.985**2) and years == sorted(years, reverse=True)


def test_batch_output_neutralises_a_formula_name(agreement):
    out = run_batch(agreement, (BATCH_CORPUS / "f01_formula_name.csv").read_bytes())
    assert set(out["region"]) == {"'=HYPERLINK(\"http://example.com\";\"x\")"}


def test_the_minimum_wage_is_indexed_from_the_year_it_was_set(agreement):
    from simulation.batch import read_regions_csv
    from simulation.data import load_region
    base = load_region("pontianak")
    text = HEADER + ";min_wage;min_wage_year\npontianak;P;244236;2024;38;40;41;3.205.220;2026\n"
    [(r, _)] = read_regions_csv(text, base, set())
    assert [(v.year, v.value) for v in r.min_wage] == [(2026, 3_205_220)]
    assert r.min_wage_in(2026, 5.0) == 3_205_220                    # the 2026 UMK is not indexed into 2026
    assert r.min_wage_in(2027, 5.0) == pytest.approx(3_205_220 * 1.05)
    [(r, _)] = read_regions_csv(HEADER + ";min_wage\npontianak;P;244236;2024;38;40;41;3.024.820\n", base, set())
    assert [v.year for v in r.min_wage] == [2025]                      # default: the last coverage year
    with pytest.raises(ValidationError) as err:
        read_regions_csv(HEADER + ";min_wage;min_wage_year\npontianak;P;244236;2024;38;40;41;;2026\n", base, set())
    assert err.value.field == "row 2, column min_wage"


def test_the_cli_says_a_refusal_as_the_data_page_does(tmp_path, capsys):
    from presentation.problems import problem_text
    from simulation.cli import main
    from simulation.io import Problem
    scenario = tmp_path / "s.json"
    scenario.write_text(default_scenario().to_json(), encoding="utf-8")
    path = BATCH_CORPUS / "n03_apbd_zero.csv"
    assert main(["batch", str(scenario), str(path)]) == 2
    err = capsys.readouterr().err
    said = problem_text(Problem("out_of_range", row=2, column="apbd",
                                params={"value": "0", "min": 1e9, "max": 1e15}), "id")
    assert err == f"error: {path}: {said}\n" and "Baris 2, kolom apbd" in said and "1.000.000.000" in said


def test_accepted_batch_files_are_read_right(agreement):
    from simulation.batch import read_regions_csv
    from simulation.data import load_region
    region, groups = load_region("pontianak"), {g.id for g in agreement.groups}

    def regions(name):
        return _regions(read_regions_csv((BATCH_CORPUS / name).read_bytes(), region, groups, filename=name))

    pontianak = ("pontianak", [(2023, 38.35), (2024, 40.86), (2025, 40.0)], 244_236, {})
    assert regions("a03_hidden_sheet_beside_visible.xlsx") == [pontianak]       # the visible sheet, not "lama"
    assert regions("r03_windows_1252.csv") == [pontianak]
    assert regions("r01_good.csv")[0] == pontianak
    [(r, _)] = read_regions_csv((BATCH_CORPUS / "r03_windows_1252.csv").read_bytes(), region, groups)
    assert r.name == "Kota Pontianak (café)"


def test_coverage_columns_in_any_order_give_the_same_region(agreement):
    from simulation.batch import read_regions_csv
    from simulation.data import load_region
    base = load_region("pontianak")
    text = ("region_id;potential_workers;potential_workers_year;coverage_2025;coverage_2023;coverage_2024;apbd\n"
            "pontianak;244236;2024;40;38,35;40,86;2,1E+12\n")
    [(r, _)] = read_regions_csv(text, base, set())
    assert [(v.year, v.value) for v in r.coverage_history] == [(2023, 38.35), (2024, 40.86), (2025, 40.0)]
    assert [v.year for v in r.apbd] == [2025]                          # the last coverage year, not the last column


def test_a_batch_region_does_not_borrow_the_templates_claims_record(agreement):
    """Pontianak's 2025 record of claims paid belongs to Pontianak: a regency read from the batch file has none."""
    from simulation.batch import read_regions_csv
    from simulation.data import load_region
    template = load_region("pontianak")
    assert template.scheme_record                                   # the template has one ...
    rows = [r for r, _members in read_regions_csv(THREE_REGIONS, template, {g.id for g in agreement.groups})]
    assert rows and all(r.scheme_record == () for r in rows)        # ... no region of the file borrows it
