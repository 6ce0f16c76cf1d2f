"""The command line, as an analyst scripts it: ``python -m simulation {example,run,goal-seek,backtest,check}``.

Every call is a real subprocess. They are started together once per module (each pays the start-up of
statsmodels, about 2 s), then each test reads its own result; ``batch`` is tested in test_batch.py.
Bad input: exit status 2 and exactly one line on stderr naming the problem, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulation.scenario import Scenario, default_scenario

REPO = Path(__file__).resolve().parents[1]
RUN_KEYS = ["year", "baseline_coverage_pct", "coverage_pct", "coverage_low_pct", "coverage_high_pct",
            "pbi_participants", "cost_idr"]

HISTORY_CSV = "\ufefftahun;cakupan\n2021;35,1\n2022;36,5 %\n2023;38,35\n2024;40,86\n"
CORPUS = REPO / "tests" / "corpus" / "uploads"


def cases(tmp: Path) -> dict[str, list[str]]:
    scenario = tmp / "scenario.json"
    scenario.write_text(default_scenario().to_json(), encoding="utf-8")
    (tmp / "malformed.json").write_text('{"name": "x",', encoding="utf-8")
    (tmp / "unknown.json").write_text(json.dumps({**default_scenario().to_dict(), "colour": "red"}), encoding="utf-8")
    (tmp / "history.csv").write_text(HISTORY_CSV, encoding="utf-8")
    s = str(scenario)
    return {
        "example": ["example"],
        "run_json": ["run", s, "--format", "json"],
        "run_csv": ["run", s, "--format", "csv"],
        "goal_seek": ["goal-seek", s, "--target", "45", "--year", "2028"],
        "backtest": ["backtest", str(tmp / "history.csv")],
        "missing_file": ["run", str(tmp / "nowhere.json")],
        "malformed_json": ["run", str(tmp / "malformed.json")],
        "unknown_field": ["run", str(tmp / "unknown.json")],
        "target_150": ["goal-seek", s, "--target", "150", "--year", "2028"],
        "target_fraction": ["goal-seek", s, "--target", "0.45", "--year", "2026"],
        "target_count": ["goal-seek", s, "--target", "244236", "--year", "2026"],
        "goal_seek_2026": ["goal-seek", s, "--target", "45", "--year", "2026"],
        "goal_seek_2026_json": ["goal-seek", s, "--target", "45%", "--year", "2026", "--format", "json"],
        # check: what the Data page would take from an office file (the corpus of tests/test_uploads.py)
        "check_workbook": ["check", str(CORPUS / "k06_several_tables.xlsx")],
        "check_groups_text": ["check", str(CORPUS / "k06_several_tables.xlsx"), "--table", "groups", "--format", "text"],
        "check_fractions": ["check", str(CORPUS / "h11_fractions.csv"), "--format", "json"],
        "check_over_100": ["check", str(CORPUS / "y08_over_100.xlsx")],
        "check_text_value_en": ["check", str(CORPUS / "x06_text_value.csv"), "--lang", "en"],
        "check_png": ["check", str(CORPUS / "x04_png_named_csv.csv"), "--lang", "en"],
        "check_missing": ["check", str(tmp / "nowhere.csv")],
        # backtest reads the history table the way the Data page does
        "backtest_1252": ["backtest", str(CORPUS / "h08_windows_1252.csv")],
        "backtest_utf16": ["backtest", str(CORPUS / "h13_utf16.csv")],
        "backtest_over_100": ["backtest", str(CORPUS / "x07_over_100.csv"), "--lang", "en"],
    }


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    procs = {name: subprocess.Popen([sys.executable, "-m", "simulation", *args], cwd=REPO, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, encoding="utf-8")
             for name, args in cases(tmp).items()}
    out = {}
    for name, p in procs.items():
        stdout, stderr = p.communicate(timeout=120)
        out[name] = subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr)
    return out


def ok(results, name):
    r = results[name]
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return r


# ---------------------------------------------------------------------------- normal use
def test_example_prints_the_agreement_scenario_as_json(results):
    r = ok(results, "example")
    s = Scenario.from_json(r.stdout)
    assert len(s.groups) == 13
    assert sum(g.members for g in s.groups if g.in_scope) == 5_746
    assert s == default_scenario()


def test_run_as_json_gives_one_row_per_year(results):
    rows = json.loads(ok(results, "run_json").stdout)
    assert [r["year"] for r in rows] == [2026, 2027, 2028, 2029, 2030]
    for row in rows:
        assert set(RUN_KEYS) <= set(row)
        assert row["coverage_low_pct"] <= row["coverage_pct"] <= row["coverage_high_pct"]
        assert row["coverage_pct"] > row["baseline_coverage_pct"]
        # persons and Rupiah are whole where they are shown (the engine keeps the fractions: 5,259.846 paid for)
        assert row["cost_idr"] == pytest.approx(row["pbi_participants"] * 201_600, rel=1e-3)
        for key, value in row.items():
            if key.endswith("_idr") or key in ("potential_workers", "pbi_participants", "pbi_added_net"):
                assert value is None or isinstance(value, int), (key, value)
    # gap = scenario - target: the agreement alone is short of the city's 45 % in 2026
    assert rows[0]["gap_city_2026_pp"] == pytest.approx(rows[0]["coverage_pct"] - 45, abs=1e-5)
    assert rows[0]["gap_city_2026_pp"] < 0


def test_run_as_csv_has_the_same_columns(results):
    r = ok(results, "run_csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert set(RUN_KEYS) <= set(rows[0])
    assert [int(x["year"]) for x in rows] == [2026, 2027, 2028, 2029, 2030]
    as_json = json.loads(results["run_json"].stdout)
    assert int(rows[0]["cost_idr"]) == as_json[0]["cost_idr"] == 1_060_384_954   # whole Rupiah, not ...953.5999999
    assert float(rows[0]["gap_city_2026_pp"]) == as_json[0]["gap_city_2026_pp"]
    for line in r.stdout.splitlines()[1:]:
        assert all(len(cell.partition(".")[2]) <= 6 for cell in line.split(",")), line   # no float noise


def test_run_reports_the_short_history_as_a_note_not_an_error(results):
    assert any(line.startswith("note: short history") for line in results["run_json"].stderr.splitlines())


def test_goal_seek_prints_what_it_takes(results):
    out = ok(results, "goal_seek").stdout
    assert "target 45 % in 2028" in out
    verdict = next(line for line in out.splitlines() if line.startswith("verdict: "))
    # the verdict is the engine's, said with its chance ("NOT reachable" also contains "reachable": match the start)
    from simulation.goalseek import goal_seek
    r = goal_seek(default_scenario(), 45, 2028)
    assert r.reachable and not r.feasible   # the case this test is about: compliance must close the gap by 2028
    assert verdict.startswith(f"verdict: NOT reachable with the groups alone (chance {100 * r.probability:.0f} %, ")
    assert verdict.endswith(f"(chance with that plan: {100 * r.probability_plan:.0f} %)")
    assert "active participants paid for (gross)" in out and "local budget in 2028: Rp" in out


def test_goal_seek_answers_the_council_for_45_percent_in_2026(results):
    """Pontianak, 45 % in 2026 (about 10,400 workers net over the trend and 2,150 beyond every shipped group with
    the forecast of December 2026): the people, the levers, the chance said as a chance, the placeholders; the
    printed numbers are the engine's, whole."""
    from simulation.goalseek import goal_seek
    r = goal_seek(default_scenario(), 45, 2026)
    assert r.reachable and not r.feasible
    out = ok(results, "goal_seek_2026").stdout
    assert "NOT reachable with the groups alone" in out
    assert f"workers needed over the trend (net): {round(r.needed_added):,}" in out
    assert f"then employer compliance: {round(r.compliance_needed):,} workers" in out
    assert "chance with that plan: 50 %" in out
    assert "placeholder inputs" in out and "Pedagang kaki lima (3,000)" in out   # the scenario is Indonesian
    d = json.loads(ok(results, "goal_seek_2026_json").stdout)      # "45%" is 45 %
    assert d["target_pct"] == 45 and d["reachable"] and not d["reachable_with_groups"]
    assert d["needed_net_over_trend"] == round(r.needed_added)
    assert d["short_after_groups"] == d["compliance_needed"] == round(r.compliance_needed) > 0
    assert d["probability_with_plan"] == pytest.approx(0.5, abs=0.01) and d["probability_with_groups"] < 0.5
    assert [x["lever"] for x in d["levers"]][-1] == "compliance"
    assert all(isinstance(x["participants"], int) for x in d["levers"][:-1])
    assert isinstance(d["budget_idr"], int)
    assert "street_vendors" in {p["group_id"] for p in d["placeholder_sizes"]}


def test_backtest_reads_semicolons_and_decimal_commas(results):
    cal = json.loads(ok(results, "backtest").stdout)
    assert cal["n_points"] == 4
    assert cal["n_forecasts"] >= 1
    assert 0 <= cal["coverage80"] <= 1 and 0 <= cal["coverage95"] <= 1
    assert cal["mean_abs_error_pct"] >= 0


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("missing_file", "no such file"),
        ("malformed_json", "not valid JSON"),
        ("unknown_field", "unknown field 'colour'"),
        ("target_150", "150 is not a percentage"),
        ("target_count", "244236 is not a percentage (more than 100: a count of persons?)"),
        ("target_fraction", "did you mean 45 %?"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_problem(results, name, says):
    r = results[name]
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ")
    assert says in lines[0]
    assert r.stdout == ""


def test_error_names_the_file(results):
    assert "nowhere.json" in results["missing_file"].stderr
    assert "unknown.json: colour" in results["unknown_field"].stderr
    assert "malformed.json: file" in results["malformed_json"].stderr


# ---------------------------------------------------------------------------- check: the Data page's reader
def data_page_says(name: str, lang: str) -> str:
    """The first problem of a corpus file as the Data page lists it (same reader, same words)."""
    from presentation.problems import problem_text
    from simulation.io import read_upload
    p = read_upload((CORPUS / name).read_bytes(), name, lang=lang).all_problems[0]
    return problem_text(p, lang)


def test_check_prints_every_table_of_a_workbook_with_the_rows_as_the_user_sees_them(results):
    out = json.loads(ok(results, "check_workbook").stdout)
    assert out["file"] == "k06_several_tables.xlsx"
    assert [(t["table"], t["sheet"], len(t["rows"])) for t in out["tables"]] == [
        ("history", "riwayat", 3), ("apbd", "apbd", 1), ("groups", "kelompok", 2), ("targets", "target", 1)]
    history = out["tables"][0]
    assert history["columns"] == {"year": "Tahun", "coverage_pct": "Cakupan (%)"}
    assert history["rows"][0] == {"row": 2, "year": 2023, "coverage_pct": 38.35}
    assert out["tables"][1]["rows"] == [{"row": 2, "year": 2025, "apbd_idr": 2.1e12}]


def test_check_one_table_as_text(results):
    lines = ok(results, "check_groups_text").stdout.splitlines()
    assert lines == ["groups (sheet kelompok): 2 rows", "  row 2: Kode = rt_heads, Anggota (orang) = 2700",
                     "  row 3: Kode = guru_ngaji, Anggota (orang) = 450"]


def test_check_gives_warnings_with_their_column_in_the_users_language(results):
    [table] = json.loads(ok(results, "check_fractions").stdout)["tables"]
    assert [r["coverage_pct"] for r in table["rows"]] == [38.35, 40.86]
    [w] = table["warnings"]
    assert (w["code"], w["column"], w["row"]) == ("read_as_share", "cakupan", None)
    assert w["message"].startswith("Kolom cakupan: ") and "pecahan" in w["message"]


@pytest.mark.parametrize(("name", "file", "lang", "where"), [
    ("check_over_100", "y08_over_100.xlsx", "id", "Lembar «riwayat»: Baris 3, kolom Cakupan (%): "),
    ("check_text_value_en", "x06_text_value.csv", "en", "Row 3, column cakupan: "),
    ("backtest_over_100", "x07_over_100.csv", "en", "Row 3, column cakupan: "),
    ("check_png", "x04_png_named_csv.csv", "en", ""),
])
def test_a_refused_file_exits_2_with_the_data_pages_message(results, name, file, lang, where):
    r = results[name]
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    [line] = r.stderr.splitlines()
    said = data_page_says(file, lang)
    assert said.startswith(where)
    assert line.startswith("error: ") and line.endswith(": " + said)
    assert file in line


def test_check_a_missing_file(results):
    r = results["check_missing"]
    assert r.returncode == 2 and "nowhere.csv: no such file" in r.stderr


def test_backtest_reads_windows_1252_and_utf16_files_like_the_data_page(results):
    for name in ("backtest_1252", "backtest_utf16"):
        assert json.loads(ok(results, name).stdout)["n_points"] == 3
