"""The command line, the notebook and the batch run, called in this process (issue 16: mutation testing).

tests/test_cli.py starts ``python -m simulation`` in child processes (what a user types); mutation testing cannot
see into them. These tests call ``simulation.cli.main`` itself, ``simulation.notebook`` and ``simulation.batch``
and check what an analyst depends on: the exit status (0, or 2 with one ``error:`` line), each number printed
(computed here from the public API or by hand), the JSON and CSV outputs, the refusals' code, row, column and
value, and each option's default.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from simulation import cli
from simulation.errors import ValidationError
from simulation.scenario import Scenario, default_scenario

REPO = Path(__file__).resolve().parents[1]
UPLOADS = REPO / "tests" / "corpus" / "uploads"
BATCH = REPO / "tests" / "corpus" / "batch"


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _refused(capsys, *argv: str) -> str:
    """The one error line of a refused call (exit 2, nothing on standard output)."""
    status, out, err = _cli(capsys, *argv)
    assert (status, out) == (2, ""), err
    assert err.endswith("\n") and err.count("\n") == 1 and err.startswith("error: "), err
    return err[:-1]


def _whole(x) -> int | None:
    """Half away from zero, by hand (what the CLI prints for persons and Rupiah)."""
    if x is None or not math.isfinite(x):
        return None
    return int(math.floor(abs(x) + 0.5)) * (1 if x >= 0 else -1)


@pytest.fixture(scope="module")
def en_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cli") / "pontianak_en.json"
    path.write_text(default_scenario("en").to_json(), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def en() -> Scenario:
    return default_scenario("en")


@pytest.fixture(scope="module")
def own() -> Scenario:
    """The agreement with the street vendors' group under an id of the user's own: its size is no placeholder."""
    en = default_scenario("en")
    return en.replace(groups=[dataclasses.replace(g, id="vendors_own", name="Own vendors")
                              if g.id == "street_vendors" else g for g in en.groups]).check()


@pytest.fixture(scope="module")
def own_file(tmp_path_factory, own) -> str:
    path = tmp_path_factory.mktemp("cli") / "own.json"
    path.write_text(own.to_json(), encoding="utf-8")
    return str(path)


# ============================================================================ the parser: verbs, options, defaults
def test_each_verb_has_its_options_and_defaults():
    p = cli.build_parser()
    assert p.prog == "python -m simulation"
    assert _says("Jamsostek PBI Simulator engine", p.format_help())
    a = p.parse_args(["example"])
    assert (a.command, a.lang, a.func) == ("example", "id", cli.cmd_example)
    a = p.parse_args(["run", "s.json"])
    assert (a.command, a.scenario, a.format, a.func) == ("run", "s.json", "csv", cli.cmd_run)
    a = p.parse_args(["notebook", "s.json"])
    assert (a.scenario, a.output, a.func) == ("s.json", None, cli.cmd_notebook)
    assert p.parse_args(["notebook", "s.json", "-o", "x.ipynb"]).output == "x.ipynb"
    assert p.parse_args(["notebook", "s.json", "--output", "y.ipynb"]).output == "y.ipynb"
    a = p.parse_args(["goal-seek", "s.json", "--target", "45", "--year", "2028"])
    assert (a.scenario, a.target, a.year, a.confidence, a.format, a.func) == (
        "s.json", "45", 2028, 0.5, "text", cli.cmd_goal_seek)
    assert p.parse_args(["goal-seek", "s", "--target", "4", "--year", "2027", "--confidence", "0.8"]).confidence == 0.8
    a = p.parse_args(["backtest", "h.csv"])
    assert (a.history, a.max_horizon, a.lang, a.func) == ("h.csv", 5, "id", cli.cmd_backtest)
    assert p.parse_args(["backtest", "h.csv", "--max-horizon", "3"]).max_horizon == 3
    a = p.parse_args(["check", "f.csv"])
    assert (a.file, a.table, a.lang, a.format, a.func) == ("f.csv", None, "id", "json", cli.cmd_check)
    a = p.parse_args(["batch", "s.json", "r.csv"])
    assert (a.scenario, a.regions, a.format, a.output, a.lang, a.func) == (
        "s.json", "r.csv", "csv", None, "id", cli.cmd_batch)
    assert p.parse_args(["batch", "s.json", "r.csv", "-o", "out.csv"]).output == "out.csv"


@pytest.mark.parametrize(("argv", "allowed"), [
    (["example", "--lang", "{}"], ("id", "en")),
    (["run", "s.json", "--format", "{}"], ("csv", "json")),
    (["goal-seek", "s", "--target", "4", "--year", "2027", "--format", "{}"], ("text", "json")),
    (["backtest", "h.csv", "--lang", "{}"], ("id", "en")),
    (["check", "f.csv", "--lang", "{}"], ("id", "en")),
    (["check", "f.csv", "--format", "{}"], ("json", "text")),
    (["check", "f.csv", "--table", "{}"], ("history", "workers", "min_wage", "apbd", "groups", "targets",
                                           "parameters")),
    (["batch", "s", "r", "--format", "{}"], ("csv", "json")),
    (["batch", "s", "r", "--lang", "{}"], ("id", "en")),
])
def test_each_choice_is_taken_and_nothing_else(capsys, argv, allowed):
    p = cli.build_parser()
    for choice in allowed:
        args = p.parse_args([a.format(choice) if a == "{}" else a for a in argv])
        assert choice in vars(args).values()
    with pytest.raises(SystemExit) as stop:
        p.parse_args([a.format("xx") if a == "{}" else a for a in argv])
    assert stop.value.code == 2
    assert "invalid choice: 'xx'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["goal-seek", "s.json", "--year", "2028"], ["goal-seek", "s.json", "--target",
                                                                                  "45"], ["run"], ["batch", "s"]])
def test_a_missing_verb_or_required_option_exits_2(capsys, argv):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    assert "required" in capsys.readouterr().err


def _says(phrase: str, text: str) -> bool:
    """``phrase`` stands in ``text`` as written, not inside a longer word."""
    import re
    return re.search(r"(?<!\S)" + re.escape(phrase) + r"(?!\S)", text) is not None


def test_the_help_lists_every_verb_and_the_options_an_analyst_needs(capsys):
    help_ = cli.build_parser().format_help()
    for verb in ("example", "run", "notebook", "goal-seek", "backtest", "check", "batch"):
        assert verb in help_
    listed = " ".join(help_.split())
    for verb, summary in (
            ("example", "print the default Pontianak scenario (2026 agreement) as JSON"),
            ("run", "print the yearly projection of a scenario"),
            ("notebook", "write a Jupyter notebook that rebuilds the scenario with the public API and prints the "
                         "same yearly table as run"),
            ("goal-seek", "participants and budget needed to reach a target"),
            ("backtest", "calibration of the forecast bands on a history table (CSV or XLSX, as on the Data page)"),
            ("check", "what the Data page would take from an office file (CSV or XLSX)"),
            ("batch", "run one scenario template over many regions (CSV)")):
        assert _says(f"{verb} {summary}", listed), verb
    with pytest.raises(SystemExit):
        cli.main(["goal-seek", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert _says("--target TARGET coverage target [%]: 45 or 45% (0.45 is asked about)", out)
    assert _says("--confidence CONFIDENCE 0.5 = median; 0.8 = reached in 8 of 10 outcomes", out)
    with pytest.raises(SystemExit):
        cli.main(["notebook", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert _says("-o OUTPUT, --output OUTPUT the .ipynb file to write (default: standard output)", out)
    with pytest.raises(SystemExit):
        cli.main(["batch", "--help"])
    assert _says("--lang {id,en} how a lone 1.234 is read (id: 1234)", " ".join(capsys.readouterr().out.split()))
    # the reading language also picks the language of what is said back
    for verb, said in (("backtest", "errors"), ("check", "messages")):
        with pytest.raises(SystemExit):
            cli.main([verb, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert _says(f"--lang {{id,en}} how a lone 1.234 is read; language of {said}", out), verb


# ============================================================================ main: exit statuses
def test_an_interrupt_exits_130_and_a_closed_pipe_exits_0_quietly(monkeypatch, capsys):
    import simulation.scenario

    def interrupted(lang="id"):
        raise KeyboardInterrupt

    def pipe_closed(lang="id"):
        raise BrokenPipeError

    monkeypatch.setattr(simulation.scenario, "default_scenario", interrupted)
    assert cli.main(["example"]) == 130
    monkeypatch.setattr(simulation.scenario, "default_scenario", pipe_closed)
    assert cli.main(["example"]) == 0
    assert capsys.readouterr() == ("", "")


# ============================================================================ example
@pytest.mark.parametrize("lang", ["id", "en"])
def test_example_prints_the_agreement_in_the_language_asked(capsys, lang):
    argv = ["example"] if lang == "id" else ["example", "--lang", "en"]
    status, out, err = _cli(capsys, *argv)
    assert (status, err) == (0, "")
    assert out == default_scenario(lang).to_json() + "\n"
    assert Scenario.from_json(out).name == {"id": "Kesepakatan 2026 (Pontianak)",
                                            "en": "2026 agreement (Pontianak)"}[lang]


# ============================================================================ reading the scenario file
def test_a_missing_file_a_folder_and_a_non_utf8_file_are_refused_by_name(capsys, tmp_path):
    missing, folder, latin = tmp_path / "nowhere.json", tmp_path / "dir.json", tmp_path / "latin.json"
    folder.mkdir()
    latin.write_bytes('{"name": "caf\xe9"}'.encode("latin-1"))
    assert _refused(capsys, "run", missing) == f"error: {missing}: no such file"
    assert _refused(capsys, "run", folder) == f"error: {folder}: is a folder, not a file"
    assert _refused(capsys, "run", latin) == f"error: {latin}: not UTF-8 text"
    for path, code in ((missing, "not_found"), (folder, "not_a_file"), (latin, "not_text")):
        with pytest.raises(ValidationError) as err:
            cli._read(str(path))
        assert (err.value.field, err.value.code) == (str(path), code)
    for path, code in ((missing, "not_found"), (folder, "not_a_file")):
        with pytest.raises(ValidationError) as err:
            cli._read_bytes(str(path))
        assert (err.value.field, err.value.code) == (str(path), code)
    assert cli._read_bytes(str(latin)) == latin.read_bytes()


def test_a_file_over_20_mb_is_refused_before_it_is_read(capsys, tmp_path):
    """20,000,000 bytes are read; one byte more is refused with its size rounded up (21 MB) and the limit."""
    limit = tmp_path / "limit.json"
    with open(limit, "wb") as fh:
        fh.truncate(20_000_000)                     # sparse: costs no disk
    assert len(cli._read(str(limit))) == 20_000_000
    assert len(cli._read_bytes(str(limit))) == 20_000_000
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(20_000_001)
    for read in (cli._read, cli._read_bytes):
        with pytest.raises(ValidationError) as err:
            read(str(big))
        e = err.value
        assert (e.field, e.code, e.params) == (str(big), "too_large", {"size": "21 MB", "limit": "20 MB"})
        assert e.message == "file larger than 20 MB"
    assert _refused(capsys, "run", big) == f"error: {big}: file larger than 20 MB"


def test_a_scenario_with_a_byte_order_mark_is_read(capsys, tmp_path, en):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + en.to_json().encode("utf-8"))
    assert cli._load_scenario(str(path)) == en


def test_a_wrong_field_of_the_scenario_is_named_after_the_file(capsys, tmp_path, en):
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps({**en.to_dict(), "colour": "red"}), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        Scenario.from_json(path.read_text(encoding="utf-8"))
    inner = err.value
    with pytest.raises(ValidationError) as err:
        cli._load_scenario(str(path))
    e = err.value
    assert (e.field, e.message, e.code, e.params) == (f"{path}: {inner.field}", inner.message, inner.code,
                                                      inner.params)
    assert _refused(capsys, "run", path) == f"error: {path}: {inner.field}: {inner.message}"
    # an error that already names the file (it could not be read) is not named twice
    with pytest.raises(ValidationError) as err:
        cli._load_scenario(str(tmp_path / "nowhere.json"))
    assert err.value.field == str(tmp_path / "nowhere.json") and err.value.code == "not_found"


# ============================================================================ run: the table as shown
def _shown_table(table: pd.DataFrame) -> list[dict]:
    """The engine's table as `run` prints it, by hand: Rupiah and persons whole, other decimals to 6 places."""
    from simulation.units import is_money_column, is_person_column
    rows = []
    for rec in table.to_dict(orient="records"):
        row = {}
        for k, v in rec.items():
            if isinstance(v, float):
                v = _whole(v) if is_money_column(k) or is_person_column(k) else (
                    None if not math.isfinite(v) else round(v, 6))
            elif hasattr(v, "item"):
                v = v.item()
            row[k] = v
        rows.append(row)
    return rows


def test_run_prints_every_cell_of_the_engine_table_as_json(capsys, en_file, en):
    from simulation.projection import project
    p = project(en)
    status, out, err = _cli(capsys, "run", en_file, "--format", "json")
    assert status == 0
    assert out.startswith('[\n  {\n    "year": 2026,\n') and out.endswith("\n]\n")   # indented, one final newline
    rows = json.loads(out)
    expected = _shown_table(p.table)
    assert [list(r) for r in rows] == [list(p.table.columns)] * len(p.table)
    for got, want in zip(rows, expected, strict=True):
        for k in want:
            assert got[k] == pytest.approx(want[k], abs=1e-6) if isinstance(want[k], float) else got[k] == want[k], k
            assert type(got[k]) is type(want[k]) or want[k] is None, k
    assert err == "".join(f"note: {w}\n" for w in p.warnings) and p.warnings


def test_run_prints_csv_by_default_with_unix_line_ends(capsys, en_file, en):
    from simulation.projection import project
    p = project(en)
    status, out, err = _cli(capsys, "run", en_file)
    assert status == 0 and "\r" not in out and out.endswith("\n")
    assert out.splitlines()[0] == ",".join(p.table.columns)
    rows = list(csv.DictReader(io.StringIO(out)))
    for got, want in zip(rows, _shown_table(p.table), strict=True):
        for k, v in want.items():
            if isinstance(v, bool):
                assert got[k] == str(v), k
            elif isinstance(v, int):
                assert got[k] == str(v), k                     # whole numbers: no ".0", no float noise
            elif v is None:
                assert got[k] == "", k
            else:
                assert float(got[k]) == pytest.approx(v, abs=1e-6), k
                assert len(got[k].partition(".")[2]) <= 6, k
    assert err.startswith("note: short history")


def test_cells_are_cleaned_for_json():
    import numpy as np
    assert cli._clean(float("nan")) is None and cli._clean(float("inf")) is None and cli._clean(-math.inf) is None
    assert cli._clean(pd.NA) is None
    assert cli._clean(np.float64("nan")) is None
    v = cli._clean(np.int64(7))
    assert v == 7 and type(v) is int
    v = cli._clean(np.float64(2.5))
    assert v == 2.5 and type(v) is float
    assert cli._clean(np.bool_(True)) is True
    assert cli._clean("x") == "x" and cli._clean(3) == 3 and cli._clean(None) is None
    assert cli._cell_json(pd.Timestamp("2025-01-20").date()) == "2025-01-20"
    assert cli._cell_json(pd.Timestamp("2025-01-20 08:30").to_pydatetime()) == "2025-01-20T08:30:00"
    assert cli._cell_json(np.float64("nan")) is None and cli._cell_json(4) == 4
    assert cli._cell_text(38.35, "id") == "38,35" and cli._cell_text(38.35, "en") == "38.35"
    assert cli._cell_text(2023, "id") == "2023" and cli._cell_text("H", "en") == "H"


def test_the_shown_table_rounds_money_and_persons_half_away_from_zero():
    df = pd.DataFrame({"year": [2026, 2027], "cost_idr": [2.5, -2.5], "pbi_participants": [10.5, 3.49],
                       "coverage_pct": [1.23456749, 1.2345675001], "jkm_claims": [0.1234564, 2.0],
                       "budget_capped": [True, False], "label": ["a", "b"]})
    t = cli._tidy(df)
    assert t["cost_idr"].tolist() == [3, -3] and str(t["cost_idr"].dtype) == "Int64"
    assert t["pbi_participants"].tolist() == [11, 3] and str(t["pbi_participants"].dtype) == "Int64"
    assert t["coverage_pct"].tolist() == [1.234567, 1.234568]
    assert t["jkm_claims"].tolist() == [0.123456, 2.0]   # expected claims are no head count: decimals kept
    assert t["year"].tolist() == [2026, 2027] and t["label"].tolist() == ["a", "b"]
    assert df["cost_idr"].tolist() == [2.5, -2.5]         # the engine's own table keeps every digit
    buf = io.StringIO()
    cli._emit_table(df, "json", buf)
    assert json.loads(buf.getvalue())[0] == {"year": 2026, "cost_idr": 3, "pbi_participants": 11,
                                             "coverage_pct": 1.234567, "jkm_claims": 0.123456,
                                             "budget_capped": True, "label": "a"}
    buf = io.StringIO()
    cli._emit_table(df, "csv", buf)
    assert buf.getvalue().splitlines() == ["year,cost_idr,pbi_participants,coverage_pct,jkm_claims,budget_capped,label",
                                           "2026,3,11,1.234567,0.123456,True,a",
                                           "2027,-3,3,1.234568,2.0,False,b"]
    df = pd.DataFrame({"cost_idr": [float("nan")], "region": ["Kota Pontianak (café)"]})
    buf = io.StringIO()
    cli._emit_table(df, "json", buf)
    assert buf.getvalue() == '[\n  {\n    "cost_idr": null,\n    "region": "Kota Pontianak (café)"\n  }\n]\n'


# ============================================================================ notebook
def test_notebook_goes_to_standard_output_or_to_a_file(capsys, tmp_path, en_file, en):
    from simulation.notebook import notebook_bytes
    status, out, err = _cli(capsys, "notebook", en_file)
    assert (status, out, err) == (0, notebook_bytes(en).decode("utf-8"), "")
    assert _cli(capsys, "notebook", en_file, "-o", "-") == (0, notebook_bytes(en).decode("utf-8"), "")
    path = tmp_path / "pontianak.ipynb"
    status, out, err = _cli(capsys, "notebook", en_file, "-o", path)
    assert (status, out) == (0, "")
    assert err == f"wrote {path}: run it with Jupyter from the simulator's folder\n"
    assert path.read_bytes() == notebook_bytes(en)


def test_a_notebook_that_cannot_be_written_is_refused(capsys, tmp_path, en_file):
    path = tmp_path / "no_such_folder" / "x.ipynb"
    assert _refused(capsys, "notebook", en_file, "-o", path) == (
        f"error: {path}: cannot write the notebook: No such file or directory")
    args = cli.build_parser().parse_args(["notebook", en_file, "-o", str(path)])
    with pytest.raises(ValidationError) as err:
        cli.cmd_notebook(args)
    assert (err.value.field, err.value.code) == (str(path), "not_writable")


# ============================================================================ goal-seek
@pytest.mark.parametrize(("text", "value"), [("45", 45.0), ("45%", 45.0), ("45 %", 45.0), ("0.45%", 0.45),
                                             ("42.5", 42.5), ("99.5", 99.5), ("1", 1.0),
                                             ("45.000", 45.0)])   # English numbers: 45.000 is 45
def test_a_target_is_read_by_the_one_percent_rule(text, value):
    assert cli._target_pct(text) == value


@pytest.mark.parametrize(("text", "code"), [("0.45", None), ("150", None), ("100", None), ("lots", "expected_number"),
                                            ("x" * 60, "expected_number")])
def test_a_target_that_is_no_percentage_is_refused_on_the_target_field(text, code):
    from simulation.units import percent_value
    with pytest.raises(ValidationError) as err:
        cli._target_pct(text)
    e = err.value
    assert e.field == "--target"
    if code is None:   # the one percent rule's own refusal
        with pytest.raises(ValidationError) as same:
            percent_value(float(text), "--target")
        assert (e.code, e.params, e.message) == (same.value.code, same.value.params, same.value.message)
    else:
        assert e.code == code and e.params == {"value": text[:40]}


def _region(scenario):
    from simulation.data import load_region
    return load_region(scenario.region)


def _expected_out(r, region) -> dict:
    """The JSON of goal-seek, by hand from the engine's answer."""
    levers = [{"lever": "group", "group_id": row["group_id"], "group": row["group"], "members": int(row["members"]),
               "participants": _whole(row["participants"]), "added_net": _whole(row["added_net"]),
               "cost_idr": _whole(row["cost_idr"]), "size_is_placeholder": row["group_id"] in r.placeholders}
              for row in r.steps.to_dict(orient="records")]
    if r.compliance_needed > 0:
        levers.append({"lever": "compliance", "workers": _whole(r.compliance_needed),
                       "of_uncovered_formal": _whole(r.compliance_pool)})
    groups = {g.id: g for g in r.scenario.groups}
    return {
        "target_pct": r.target_pct, "year": r.year, "confidence": r.confidence, "reachable": r.reachable,
        "reachable_with_groups": r.feasible, "already_reached": r.already_reached,
        "probability_with_groups": round(r.probability, 3), "probability_with_plan": round(r.probability_plan, 3),
        "baseline_pct": round(r.baseline_pct, 3), "needed_net_over_trend": _whole(r.needed_added),
        "already_in_scenario_net": _whole(r.have_net), "extra_net": _whole(r.extra_net),
        "extra_participants": r.extra_participants, "extra_members": r.extra_members,
        "short_after_groups": _whole(r.shortfall_persons), "shortfall_pct": round(r.shortfall_pct, 3),
        "compliance_needed": _whole(r.compliance_needed), "compliance_pool": _whole(r.compliance_pool),
        "budget_idr": _whole(r.budget_idr), "extra_budget_idr": _whole(r.extra_budget_idr),
        "levers": levers,
        "placeholder_sizes": [{"group_id": gid, "group": groups[gid].name, "members": groups[gid].members,
                               "source": region.group(gid).members.source} for gid in r.placeholders],
    }


CASES = [("10", 2026, 0.5), ("42", 2028, 0.5), ("45%", 2028, 0.5), ("99", 2026, 0.5), ("44", 2030, 0.8)]


@pytest.mark.parametrize(("target", "year", "confidence"), CASES)
def test_goal_seek_json_is_the_engine_answer_key_by_key(capsys, own_file, own, target, year, confidence):
    from simulation.goalseek import goal_seek
    r = goal_seek(own, float(target.rstrip("%")), year, confidence=confidence)
    argv = ["goal-seek", own_file, "--target", target, "--year", str(year), "--format", "json"]
    if confidence != 0.5:
        argv += ["--confidence", str(confidence)]
    status, out, err = _cli(capsys, *argv)
    assert (status, err) == (0, "") and out.endswith("}\n") and out.startswith('{\n  "target_pct": ')
    got = json.loads(out)
    want = _expected_out(r, _region(own))
    assert list(got) == list(want)
    for k in want:
        assert got[k] == want[k], k
    assert r.placeholders and got["placeholder_sizes"][0]["source"]


def _verdict(r, out: dict) -> str:
    pg, pp = f"{100 * r.probability:.0f} %", f"{100 * r.probability_plan:.0f} %"
    if r.already_reached:
        return f"verdict: already reached with the scenario as it is (chance {pg})"
    if r.feasible:
        return f"verdict: reachable with the groups below (chance of reaching it with them: {pg})"
    if r.reachable:
        return (f"verdict: NOT reachable with the groups alone (chance {pg}, short by {out['short_after_groups']:,} "
                f"workers = {r.shortfall_pct:.2f} points); reachable only if employer compliance also brings in "
                f"{out['compliance_needed']:,} workers (chance with that plan: {pp})")
    return (f"verdict: NOT reachable even with every group and every uncovered formal worker (chance {pp}; short by "
            f"{out['short_after_groups']:,} workers after the groups)")


@pytest.mark.parametrize(("target", "year", "confidence"), CASES)
def test_goal_seek_text_says_the_engine_answer_line_by_line(capsys, own_file, own, target, year, confidence):
    from simulation.goalseek import goal_seek
    r = goal_seek(own, float(target.rstrip("%")), year, confidence=confidence)
    d = _expected_out(r, _region(own))
    argv = ["goal-seek", own_file, "--target", target, "--year", str(year)]
    if confidence != 0.5:
        argv += ["--confidence", str(confidence)]
    status, out, err = _cli(capsys, *argv)
    assert (status, err) == (0, "")
    want = [f"target {float(target.rstrip('%')):g} % in {year}, planned at confidence {confidence:g} "
            f"(the trend alone gives {r.baseline_pct:.2f} % at that confidence)",
            _verdict(r, d),
            f"workers needed over the trend (net): {d['needed_net_over_trend']:,}; the scenario already adds "
            f"{d['already_in_scenario_net']:,}",
            f"groups added, in priority order: {d['extra_net']:,} newly covered (net), {r.extra_participants:,} "
            f"active participants paid for (gross), {r.extra_members:,} members to enrol"]
    for lever in d["levers"]:
        if lever["lever"] == "group":
            want.append(f"  {lever['group']}: {lever['members']:,} members, {lever['participants']:,} participants, "
                        f"{lever['added_net']:,} net, Rp {lever['cost_idr']:,}"
                        + ("  [size is a placeholder]" if lever["size_is_placeholder"] else ""))
        else:
            want.append(f"  then employer compliance: {lever['workers']:,} workers of "
                        f"{lever['of_uncovered_formal']:,} uncovered formal workers")
    want.append(f"local budget in {year}: Rp {d['budget_idr']:,} (extra Rp {d['extra_budget_idr']:,})")
    want.append("placeholder inputs (certainty A in the region file; enter the region's own counts): "
                + ", ".join(f"{p['group']} ({p['members']:,})" for p in d["placeholder_sizes"]))
    assert out.splitlines() == want


def test_the_goal_seek_cases_cover_every_verdict_and_lever(own):
    """The cases above reach each of the four verdicts, a group marked as a placeholder and one that is not,
    and a compliance lever (else a wrong line there would go unseen)."""
    from simulation.goalseek import goal_seek
    rs = [goal_seek(own, float(t.rstrip("%")), y, confidence=c) for t, y, c in CASES]
    assert [(r.already_reached, r.feasible, r.reachable) for r in rs[:4]] == [
        (True, True, True), (False, True, True), (False, False, True), (False, False, False)]
    marks = {row["group_id"] in r.placeholders for r in rs for row in r.steps.to_dict(orient="records")}
    assert marks == {True, False}
    assert rs[2].compliance_needed > 0 and rs[1].compliance_needed == 0
    assert all(r.budget_idr != r.extra_budget_idr for r in rs[1:3])


def test_a_scenario_without_placeholder_groups_prints_no_placeholder_line(capsys, tmp_path, en):
    from simulation.goalseek import goal_seek
    region = _region(en)
    # each placeholder group given its own count: the sizes are the user's now, not the region file's
    s = en.replace(groups=[g for g in en.groups if g.id not in goal_seek(en, 45, 2028).placeholders])
    r = goal_seek(s, 45, 2028)
    path = tmp_path / "no_placeholders.json"
    path.write_text(s.to_json(), encoding="utf-8")
    status, out, _ = _cli(capsys, "goal-seek", path, "--target", "45", "--year", "2028")
    assert status == 0 and not r.placeholders
    assert "placeholder" not in out
    status, out, _ = _cli(capsys, "goal-seek", path, "--target", "45", "--year", "2028", "--format", "json")
    assert json.loads(out) == _expected_out(r, region) and json.loads(out)["placeholder_sizes"] == []


def test_goal_seek_refuses_a_target_before_reading_the_scenario(capsys, tmp_path):
    line = _refused(capsys, "goal-seek", tmp_path / "nowhere.json", "--target", "0.45", "--year", "2028")
    assert line.startswith("error: --target: ") and "45 %" in line


# ============================================================================ backtest
def _history(tmp_path, years_and_pcts, name="history.csv") -> Path:
    path = tmp_path / name
    path.write_text("tahun;cakupan\n" + "".join(f"{y};{str(v).replace('.', ',')}\n" for y, v in years_and_pcts),
                    encoding="utf-8")
    return path


LONG = [(2012 + k, v) for k, v in enumerate([20.1, 21.5, 22.0, 24.2, 25.0, 26.8, 27.1, 29.5, 30.2, 31.0, 33.4])]


@pytest.mark.parametrize("horizon", [None, 2, 7])
def test_backtest_prints_the_forecast_check_of_the_engine(capsys, tmp_path, horizon):
    from simulation.calibration import backtest
    path = _history(tmp_path, LONG)
    argv = ["backtest", path] + ([] if horizon is None else ["--max-horizon", str(horizon)])
    status, out, err = _cli(capsys, *argv)
    assert (status, err) == (0, "")
    r = backtest([y for y, _ in LONG], [v / 100 for _, v in LONG], max_horizon=horizon or 5)
    assert json.loads(out) == {"n_points": 11, "n_forecasts": r.n_forecasts, "coverage80": r.coverage80,
                               "coverage95": r.coverage95, "mean_abs_error_pct": r.mean_abs_error_pct}
    # 9 origins, each checked up to the horizon: 35 pairs at 5 years (the default), 17 at 2, 42 at 7
    assert r.n_forecasts == {None: 35, 2: 17, 7: 42}[horizon]
    assert out.startswith('{\n  "n_points": 11,\n') and out.endswith("}\n")


def test_backtest_reads_a_lone_thousands_dot_the_way_lang_says(capsys, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("tahun;cakupan\n2021;35.100\n2022;36.5\n2023;38.35\n2024;40.86\n", encoding="utf-8")
    status, out, _ = _cli(capsys, "backtest", path, "--lang", "en")
    assert status == 0 and json.loads(out)["n_points"] == 4
    line = _refused(capsys, "backtest", path)                         # Indonesian: 35.100 is 35100 %
    assert "Baris 2, kolom cakupan" in line


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_history_too_short_to_backtest_says_how_many_years(capsys, tmp_path, lang):
    from presentation.i18n import t
    path = _history(tmp_path, [(2023, 38.35), (2024, 40.86)])
    argv = ["backtest", path] + ([] if lang == "id" else ["--lang", lang])
    assert _refused(capsys, *argv) == f"error: {path}: " + t("errors.backtest_too_short", lang, n=2, need=3)
    with pytest.raises(ValidationError) as err:
        cli.cmd_backtest(cli.build_parser().parse_args([str(a) for a in argv]))
    assert (err.value.code, err.value.params) == ("too_few", {"count": 2, "min": 3})


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_history_with_no_pair_within_the_horizon_says_so(capsys, tmp_path, lang):
    from presentation.i18n import t
    path = _history(tmp_path, [(2005, 20.0), (2006, 21.0), (2014, 30.0)])
    argv = ["backtest", path, "--max-horizon", "4"] + ([] if lang == "id" else ["--lang", lang])
    assert _refused(capsys, *argv) == f"error: {path}: " + t("errors.backtest_no_pairs", lang, horizon=4)
    with pytest.raises(ValidationError) as err:
        cli.cmd_backtest(cli.build_parser().parse_args([str(a) for a in argv]))
    assert (err.value.code, err.value.params) == ("too_few", {"max_horizon": 4})
    status, out, _ = _cli(capsys, "backtest", path, "--max-horizon", "8")     # 2014 is 8 years after 2006
    assert status == 0 and json.loads(out)["n_forecasts"] == 1


# ============================================================================ check and the office-file reader
def _data_page(name: str, lang: str):
    from presentation.problems import problem_text
    from simulation.io import read_upload
    up = read_upload((UPLOADS / name).read_bytes(), name, lang=lang)
    return up, [problem_text(p, lang) for p in up.all_problems]


@pytest.mark.parametrize(("name", "lang"), [("x06_text_value.csv", "en"), ("x07_over_100.csv", "id"),
                                            ("x25_no_header.csv", "en"), ("x01_empty.csv", "id")])
def test_a_refused_office_file_says_the_data_pages_first_problem(capsys, name, lang):
    from presentation.i18n import t
    up, said = _data_page(name, lang)
    first = said[0] if said else None
    more = f" {t('errors.more_errors', lang, n=len(said) - 1)}" if len(said) > 1 else ""
    with pytest.raises(ValidationError) as err:
        cli._office_upload(str(UPLOADS / name), None, lang)
    e = err.value
    if first is None:   # no problem and no table: the page's "no header" sentence
        from presentation.problems import problem_text
        from simulation.io import Problem
        assert not up.tables
        first = problem_text(Problem("no_header"), lang)
        assert (e.code, e.params) == ("no_header", {})
    else:
        p = up.all_problems[0]
        assert (e.code, e.params) == (p.code, p.params)
    assert (e.field, e.message) == (str(UPLOADS / name), first + more)
    argv = ["check", UPLOADS / name] + ([] if lang == "id" else ["--lang", lang])
    assert _refused(capsys, *argv) == f"error: {UPLOADS / name}: {first}{more}"


@pytest.mark.parametrize(("cells", "n"), [("banyak;sedikit;150", 3), ("banyak;40;150", 2)])
def test_a_file_with_several_problems_says_how_many_more(capsys, tmp_path, cells, n):
    from presentation.i18n import t
    from presentation.problems import problem_text
    from simulation.io import read_upload
    path = tmp_path / "h.csv"
    path.write_text("tahun;cakupan\n" + "".join(f"{2021 + k};{c}\n" for k, c in enumerate(cells.split(";"))),
                    encoding="utf-8")
    problems = read_upload(path.read_bytes(), "h.csv", lang="en").all_problems
    assert len(problems) == n
    line = _refused(capsys, "check", path, "--lang", "en")
    assert line == (f"error: {path}: {problem_text(problems[0], 'en')} "
                    f"{t('errors.more_errors', 'en', n=n - 1)}")
    assert line.endswith(f"and {n - 1} more errors.")


def test_check_json_gives_each_table_its_columns_rows_and_warnings(capsys):
    from presentation.problems import problem_text
    up, _ = _data_page("h11_fractions.csv", "id")
    status, out, err = _cli(capsys, "check", UPLOADS / "h11_fractions.csv")
    assert (status, err) == (0, "") and out.endswith("}\n") and out.startswith('{\n  "file": "h11_fractions.csv",\n')
    got = json.loads(out)
    [tb] = up.tables
    assert got == {"file": "h11_fractions.csv", "tables": [{
        "table": "history", "sheet": None, "columns": {k: tb.headers.get(k, k) for k in tb.columns},
        "rows": [{"row": 2, "year": 2023, "coverage_pct": 38.35}, {"row": 3, "year": 2024, "coverage_pct": 40.86}],
        "warnings": [{**w.as_dict(), "message": problem_text(w, "id")} for w in tb.warnings]}]}
    assert got["tables"][0]["columns"] == {"year": "tahun", "coverage_pct": "cakupan"}
    [w] = got["tables"][0]["warnings"]
    assert (w["code"], w["row"], w["column"]) == ("read_as_share", None, "cakupan")


def test_check_as_text_lists_rows_in_the_users_language_and_the_warnings(capsys):
    from presentation.problems import problem_text
    up, _ = _data_page("h11_fractions.csv", "id")
    status, out, _ = _cli(capsys, "check", UPLOADS / "h11_fractions.csv", "--format", "text")
    [w] = up.tables[0].warnings
    assert status == 0 and out.splitlines() == ["history: 2 rows", "  row 2: tahun = 2023, cakupan = 38,35",
                                                "  row 3: tahun = 2024, cakupan = 40,86",
                                                f"  warning: {problem_text(w, 'id')}"]
    status, out, _ = _cli(capsys, "check", UPLOADS / "h11_fractions.csv", "--format", "text", "--lang", "en")
    assert out.splitlines()[1:3] == ["  row 2: tahun = 2023, cakupan = 38.35", "  row 3: tahun = 2024, cakupan = 40.86"]
    assert out.splitlines()[3] == f"  warning: {problem_text(w, 'en')}"
    # dates as ISO, one row said "row", the sheet of a workbook named
    status, out, _ = _cli(capsys, "check", UPLOADS / "h07_sources_dates_certainty.csv")
    rows = json.loads(out)["tables"][0]["rows"]
    assert [r["row"] for r in rows] == [2, 3, 4] and "2025-01-20" in rows[0].values()
    status, out, _ = _cli(capsys, "check", UPLOADS / "k06_several_tables.xlsx", "--table", "apbd", "--format", "text")
    assert out.splitlines()[0] == "apbd (sheet apbd): 1 row"


def test_check_with_a_table_kind_reads_the_file_as_that_table(capsys):
    status, out, _ = _cli(capsys, "check", UPLOADS / "k06_several_tables.xlsx", "--table", "groups")
    assert status == 0
    assert [(t["table"], t["sheet"], len(t["rows"])) for t in json.loads(out)["tables"]] == [("groups", "kelompok", 2)]
    status, out, _ = _cli(capsys, "check", UPLOADS / "k06_several_tables.xlsx")
    assert [t["table"] for t in json.loads(out)["tables"]] == ["history", "apbd", "groups", "targets"]


# ============================================================================ batch through the CLI
TWO = ("region_id;name;potential_workers;potential_workers_year;coverage_2023;coverage_2024;coverage_2025;apbd\n"
       "pontianak;Kota Pontianak (café);244.236;2024;38,35;40,86;40,0;2,1E+12\n"
       "singkawang;=Kota Singkawang;120.000;2024;30,1;31,5;32,25;\n")


def test_batch_prints_the_table_of_run_batch_as_csv_or_json(capsys, tmp_path, en_file, en):
    from simulation.batch import run_batch
    regions = tmp_path / "regions.csv"
    regions.write_text(TWO, encoding="utf-8")
    df = run_batch(en, regions.read_bytes(), filename="regions.csv")
    status, out, err = _cli(capsys, "batch", en_file, regions)
    assert (status, err) == (0, "") and "\r" not in out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 10 and list(rows[0]) == list(df.columns)
    assert [r["region"] for r in rows[::5]] == ["Kota Pontianak (café)", "'=Kota Singkawang"]
    assert [int(r["cost_idr"]) for r in rows] == [_whole(v) for v in df["cost_idr"]]
    assert [r["cost_share_apbd_pct"] for r in rows[5:]] == [""] * 5
    status, out, err = _cli(capsys, "batch", en_file, regions, "--format", "json")
    got = json.loads(out)
    assert "café" in out and [r["cost_share_apbd_pct"] for r in got[5:]] == [None] * 5
    assert [r["notes"] for r in got[::5]] == ["", "no_apbd"]
    assert [r["cost_share_apbd_pct"] for r in got[:5]] == pytest.approx(
        [round(v, 6) for v in df["cost_share_apbd_pct"][:5]], abs=1e-9)


def test_batch_writes_a_file_and_says_how_many_rows_and_regions(capsys, tmp_path, en_file):
    regions = tmp_path / "regions.csv"
    regions.write_text(TWO, encoding="utf-8")
    status, printed, _ = _cli(capsys, "batch", en_file, regions)
    target = tmp_path / "out.csv"
    status, out, err = _cli(capsys, "batch", en_file, regions, "-o", target)
    assert (status, out) == (0, "")
    assert err == f"wrote 10 rows for 2 regions to {target}\n"
    assert target.read_text(encoding="utf-8") == printed
    target = tmp_path / "out.json"
    assert _cli(capsys, "batch", en_file, regions, "-o", target, "--format", "json")[0] == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 10


def test_batch_reads_a_lone_dot_as_the_lang_says(capsys, tmp_path, en_file):
    regions = tmp_path / "regions.csv"
    regions.write_text(TWO.replace(";apbd", "").replace(";2,1E+12", "").replace("32,25;", "32,25"),
                       encoding="utf-8")
    status, out, _ = _cli(capsys, "batch", en_file, regions, "--format", "json")
    assert status == 0 and json.loads(out)[0]["potential_workers"] == _whole(244_236 * 1.01 ** 2)
    line = _refused(capsys, "batch", en_file, regions, "--lang", "en")     # 244.236 workers: no whole number
    assert line.startswith(f"error: {regions}: Row 2, column potential_workers")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_refused_regions_file_is_said_as_the_data_page_says_it(capsys, tmp_path, en_file, lang):
    from presentation.problems import problem_text
    from simulation.io import Problem
    regions = tmp_path / "regions.csv"
    regions.write_text(TWO.replace("38,35", "140"), encoding="utf-8")
    argv = ["batch", en_file, regions] + ([] if lang == "id" else ["--lang", lang])
    said = problem_text(Problem("over_100", row=2, column="coverage_2023", params={"value": "140"}), lang)
    assert _refused(capsys, *argv) == f"error: {regions}: {said}"
    with pytest.raises(ValidationError) as err:
        cli.cmd_batch(cli.build_parser().parse_args([str(a) for a in argv]))
    e = err.value
    assert (e.field, e.code, e.params["row"], e.params["column"], e.params["value"]) == (
        str(regions), "over_100", 2, "coverage_2023", "140")
    # a refusal with a sheet: the sheet is said too
    book = BATCH / "a04_two_visible_sheets.xlsx"
    line = _refused(capsys, "batch", en_file, book)
    assert line.startswith(f"error: {book}: ")


def test_batch_without_the_scenario_or_the_regions_file_is_refused(capsys, tmp_path, en_file):
    assert _refused(capsys, "batch", tmp_path / "x.json", BATCH / "r01_good.csv") == (
        f"error: {tmp_path / 'x.json'}: no such file")
    assert _refused(capsys, "batch", en_file, tmp_path / "none.csv") == f"error: {tmp_path / 'none.csv'}: no such file"


# ============================================================================ notebook.py
def test_literals_are_plain_python_values_only():
    from simulation.notebook import _literal
    assert [_literal(v, "w") for v in (None, True, 3, "a'b", 0.25)] == ["None", "True", "3", '"a\'b"', "0.25"]
    for bad, kind in ((float("nan"), "float nan"), (float("inf"), "float inf"), ([1], "list [1]")):
        with pytest.raises(TypeError) as err:
            _literal(bad, "Scenario.x")
        assert str(err.value) == f"Scenario.x: cannot write {kind} as a literal"


def test_a_call_is_written_one_keyword_a_line_or_wrapped_at_the_width():
    from dataclasses import dataclass

    from simulation.notebook import _call

    @dataclass
    class Thing:
        alpha: int = 1
        beta: str = "bb"
        gamma: float = 0.5
        delta: object = None

    assert _call("Thing", Thing(), "  ") == ("Thing(\n      alpha=1,\n      beta='bb',\n      gamma=0.5,\n"
                                            "      delta=None,\n  )")
    assert _call("Thing", Thing(), "", skip=("beta", "delta")) == "Thing(\n    alpha=1,\n    gamma=0.5,\n)"
    # width 26: "    alpha=1, beta='bb'," is 23 characters; adding " gamma=0.5," would make 34
    assert _call("Thing", Thing(), "", width=26) == "Thing(\n    alpha=1, beta='bb',\n    gamma=0.5, delta=None,\n)"
    assert _call("Thing", Thing(), "", width=34) == "Thing(\n    alpha=1, beta='bb', gamma=0.5,\n    delta=None,\n)"
    assert _call("Thing", Thing(), "", width=5) == "Thing(\n    alpha=1,\n    beta='bb',\n    gamma=0.5,\n    delta=None,\n)"


def _run_cells(nb) -> tuple[dict, list[str]]:
    """Execute the notebook's code cells in order in one fresh namespace: (namespace, stdout per cell)."""
    ns: dict = {}
    outs = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(cell.source, cell.id, "exec"), ns)
        outs.append(buf.getvalue())
    return ns, outs


def test_the_notebook_cells_rebuild_the_scenario_and_print_the_table_of_run(capsys, en_file, en):
    from simulation.notebook import TABLE_TAG, build_notebook
    from simulation.projection import project
    nb = build_notebook(en)
    assert [c.id for c in nb.cells] == ["intro", "imports", "scenario", "table", "notes", "view"]
    assert [c.cell_type for c in nb.cells] == ["markdown"] + ["code"] * 5
    assert nb.cells[1].source == "from simulation import GroupScenario, Scenario, Target, project"
    assert nb.cells[3].metadata["tags"] == [TABLE_TAG] == ["yearly-table"]
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3", "language": "python"}
    assert nb.metadata["language_info"] == {"name": "python"}
    assert nb.nbformat == 4
    intro = nb.cells[0].source
    assert intro.startswith("# Yearly projection of a PBI scenario\n")
    assert "python -m simulation run scenario.json --format csv" in intro
    ns, outs = _run_cells(nb)
    assert ns["scenario"] == en and ns["scenario"].content_hash == en.content_hash
    assert outs[1] == f"scenario: {en.name}\nidentity: {en.content_hash} (exported as {en.content_hash})\n"
    p = project(en)
    assert outs[3] == "".join(f"note: {w}\n" for w in p.warnings)
    printed = pd.read_csv(io.StringIO(outs[2]))
    pd.testing.assert_frame_equal(printed, p.table, check_dtype=False)
    status, out, _ = _cli(capsys, "run", en_file)
    run = pd.read_csv(io.StringIO(out))
    assert list(run.columns) == list(printed.columns)
    for col in run.columns:
        assert run[col].tolist() == pytest.approx(printed[col].tolist(), abs=0.5), col
    view = eval(nb.cells[5].source, ns)
    assert list(view.columns) == list(p.table["year"]) and "cost_idr" in view.index


def test_the_notebook_of_a_changed_scenario_carries_each_change(en):
    from simulation.notebook import build_notebook, scenario_code
    changed = en.replace(name="Uji «x» 'y'", groups=[dataclasses.replace(g, take_up=0.5) for g in en.groups[:2]])
    code = scenario_code(changed)
    assert code.startswith("scenario = Scenario(\n    ") and code.endswith(
        f"print('identity:', scenario.content_hash, '(exported as {changed.content_hash})')\n")
    assert "    groups=(\n        GroupScenario(\n" in code and "    targets=(\n        Target(\n" in code
    assert ").check()\nprint('scenario:', scenario.name)\n" in code
    assert all(len(line) <= 110 for line in code.splitlines() if line.lstrip().startswith(("id=", "name=")))
    ns: dict = {}
    exec("from simulation import GroupScenario, Scenario, Target, project\n" + code, ns)
    assert ns["scenario"] == changed and ns["scenario"].content_hash == changed.content_hash
    assert build_notebook(changed).cells[2].source == code


def test_the_notebook_file_is_the_same_for_the_same_scenario(tmp_path, en):
    import nbformat

    from simulation.notebook import build_notebook, notebook_bytes, write_notebook
    data = notebook_bytes(en)
    assert data == notebook_bytes(en) == nbformat.writes(build_notebook(en)).encode("utf-8")
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(nb)
    path = write_notebook(en, str(tmp_path / "n.ipynb"))
    assert path == tmp_path / "n.ipynb" and isinstance(path, Path) and path.read_bytes() == data


# ============================================================================ batch.py: refusals
HEADER = "region_id;name;potential_workers;potential_workers_year;coverage_2023;coverage_2024;coverage_2025"
ROW = "pontianak;P;244236;2024;38;40;41"


@pytest.fixture(scope="module")
def base():
    from simulation.data import load_region
    return load_region("pontianak")


def _refusal(text, base, groups=frozenset(), lang="id", filename="regions.csv"):
    from simulation.batch import read_regions_csv
    with pytest.raises(ValidationError) as err:
        read_regions_csv(text, base, set(groups), lang=lang, filename=filename)
    return err.value


def test_refuse_names_the_sheet_row_and_column_it_is_given():
    from simulation.batch import refuse
    e = refuse("out_of_range", row=5, column="apbd", sheet="S", value="0")
    assert (e.field, e.code) == ("sheet S, row 5, column apbd", "out_of_range")
    assert e.params == {"value": "0", "row": 5, "column": "apbd", "sheet": "S"}
    assert refuse("x", row=5).field == "row 5" and refuse("x", column="c").field == "column c"
    assert refuse("x", sheet="S").field == "sheet S" and refuse("empty_file").field == "file"
    assert refuse("x", row=2, column="c").field == "row 2, column c"


@pytest.mark.parametrize(("row", "code", "column", "params"), [
    (ROW.replace("pontianak", ""), "empty_value", "region_id", {}),
    (ROW.replace("pontianak", "Pontianak"), "bad_id", "region_id", {"value": "Pontianak"}),
    (ROW.replace("pontianak", "p" * 41), "bad_id", "region_id", {"value": "p" * 40}),   # quoted: 40 at most
    (ROW.replace("pontianak", "pon\u200btianak"), "invisible_char", "region_id",
     {"value": "pon<U+200B>tianak", "chars": "<U+200B>"}),
    (ROW.replace(";P;", ";P\u202e\u202e;"), "invisible_char", "name", {"value": "P<U+202E><U+202E>",
                                                                         "chars": "<U+202E>"}),
    (ROW.replace(";P;", ";P\u200b\u202e\u200b;"), "invisible_char", "name",
     {"value": "P<U+200B><U+202E><U+200B>", "chars": "<U+200B> <U+202E>"}),
    (ROW.replace(";P;", ";" + "N" * 81 + ";"), "text_too_long", "name", {"max": 80}),
    (ROW.replace("244236", "-5"), "negative", "potential_workers", {"value": "-5"}),
    (ROW.replace("244236", "12,5"), "not_whole_number", "potential_workers", {"value": "12,5"}),
    (ROW.replace("244236", "banyak"), "expected_number", "potential_workers", {"value": "banyak"}),
    (ROW.replace(";2024;", ";1989;"), "expected_year", "potential_workers_year", {"value": "1989"}),
    (ROW.replace(";2024;", ";2101;"), "expected_year", "potential_workers_year", {"value": "2101"}),
    (ROW.replace(";2024;", ";2024,5;"), "expected_year", "potential_workers_year", {"value": "2024,5"}),
    (ROW.replace(";2024;", ";tahun;"), "expected_year", "potential_workers_year", {"value": "tahun"}),
    (ROW.replace(";38;", ";140;"), "over_100", "coverage_2023", {"value": "140"}),
    (ROW.replace(";38;", ";100;"), "out_of_range", "coverage_2023", {"value": "100", "min": 0, "max": 100}),
    (ROW.replace(";38;", ";0;"), "out_of_range", "coverage_2023", {"value": "0", "min": 0, "max": 100}),
    (ROW.replace(";40;", ";0,4;"), "share_among_percent", "coverage_2024", {"value": "0,4", "percent": "40"}),
    (ROW.replace(";40;41", ";;"), "too_few", "coverage_YYYY", {"min": 2, "count": 1}),
    (ROW + ";x", "cell_outside_header", "H", {"value": "x"}),
])
def test_a_wrong_cell_is_refused_with_its_code_row_column_and_value(base, row, code, column, params):
    e = _refusal(f"{HEADER}\n{ROW.replace('pontianak', 'first')}\n{row}\n", base)
    assert (e.code, e.params["row"], e.params["column"]) == (code, 3, column)
    assert e.field == f"row 3, column {column}"
    assert {k: v for k, v in e.params.items() if k not in ("row", "column", "sheet")} == params


def test_a_repeated_region_names_the_row_it_first_appeared_on(base):
    e = _refusal(f"{HEADER}\n\n{ROW}\n{ROW.replace('pontianak', 'x')}\n{ROW}\n", base)
    assert (e.code, e.field, e.params["id"], e.params["first_row"]) == ("duplicate_id", "row 5, column region_id",
                                                                        "pontianak", 3)


@pytest.mark.parametrize(("col", "cell", "code", "params"), [
    ("worker_growth_pct", "21", "out_of_range", {"value": "21", "min": -20, "max": 20}),
    ("worker_growth_pct", "-20,5", "out_of_range", {"value": "-20,5", "min": -20, "max": 20}),
    ("formal_share", "1,5", "out_of_range", {"value": "1,5", "min": 0, "max": 1}),
    ("formal_coverage", "-0,1", "negative", {"value": "-0,1"}),
    ("min_wage", "3.000", "out_of_range", None),
    ("apbd", "5", "out_of_range", None),
    ("min_wage_year", "1980", "expected_year", {"value": "1980"}),
    ("apbd_year", "2024,5", "expected_year", {"value": "2024,5"}),
    ("members_street_vendors", "2,5", "not_whole_number", {"value": "2,5"}),
    ("members_street_vendors", "-1", "negative", {"value": "-1"}),
])
def test_a_wrong_optional_cell_is_refused_with_the_data_pages_bounds(base, col, cell, code, params):
    from simulation.io.layouts import APBD_RANGE, MIN_WAGE_RANGE
    extra = {"min_wage": "3.000.000", "apbd": "2E+12"}
    header, row = HEADER + f";{col}", ROW + f";{cell}"
    if col.endswith("_year"):
        header, row = header + f";{col[:-5]}", row + f";{extra[col[:-5]]}"
    e = _refusal(f"{header}\n{row}\n", base, groups={"street_vendors"})
    assert (e.code, e.field) == (code, f"row 2, column {col}")
    if params is None:
        lo, hi = {"min_wage": MIN_WAGE_RANGE, "apbd": APBD_RANGE}[col]
        params = {"value": cell, "min": lo, "max": hi}
    assert {k: v for k, v in e.params.items() if k not in ("row", "column", "sheet")} == params


@pytest.mark.parametrize("col", ["min_wage", "apbd"])
def test_a_year_without_its_value_is_refused_on_the_value(base, col):
    e = _refusal(f"{HEADER};{col}_year;{col}\n{ROW};2026;\n", base)
    assert (e.code, e.field) == ("empty_value", f"row 2, column {col}")


@pytest.mark.parametrize(("text", "code", "field", "params"), [
    ("", "empty_file", "file", {}),
    ("\n;;\n\n", "empty_file", "file", {}),
    (HEADER + "\n", "empty_file", "file", {}),
    (HEADER + ";colour\n" + ROW + ";red\n", "unknown_column", "row 1, column colour", None),
    (HEADER.replace("potential_workers;", "") + "\npontianak;P;2024;38;40;41\n", "missing_column",
     "column potential_workers", {}),
    (HEADER.replace("region_id;", "") + "\nP;244236;2024;38;40;41\n", "missing_column", "column region_id", {}),
])
def test_a_wrong_table_is_refused_with_its_code(base, text, code, field, params):
    from simulation.batch import KNOWN_COLUMNS
    e = _refusal(text, base, groups={"b", "a"})
    assert (e.code, e.field) == (code, field)
    rest = {k: v for k, v in e.params.items() if k not in ("row", "column", "sheet")}
    if params is None:
        assert rest == {"allowed": ", ".join([*KNOWN_COLUMNS, "coverage_YYYY", "members_a", "members_b"])}
        assert KNOWN_COLUMNS == ("region_id", "name", "potential_workers", "potential_workers_year",
                                 "worker_growth_pct", "formal_share", "formal_coverage", "min_wage", "min_wage_year",
                                 "apbd", "apbd_year")
    else:
        assert rest == params


def test_too_many_regions_are_refused_with_the_count(base):
    from simulation.batch import MAX_REGIONS
    assert MAX_REGIONS == 1_000
    rows = "".join(ROW.replace("pontianak", f"r{k}") + "\n" for k in range(1_000))
    from simulation.batch import read_regions_csv
    assert len(read_regions_csv(HEADER + "\n" + rows, base, set())) == 1_000
    e = _refusal(HEADER + "\n" + rows + ROW.replace("pontianak", "one_more") + "\n", base)
    assert (e.code, e.field, e.params["max"], e.params["rows"]) == ("too_many_rows", "file", 1_000, 1_001)
    many = "".join(ROW.replace("pontianak", f"r{k}") + "\n" for k in range(1_200))
    e = _refusal(HEADER + "\n" + many, base)
    assert e.code == "too_many_rows" and str(e.params["rows"]).startswith("> ")


def test_a_comma_file_with_an_unquoted_decimal_comma_names_the_split_column(base):
    e = _refusal("region_id,potential_workers,potential_workers_year,coverage_2023,coverage_2024\n"
                 "pontianak,244236,2024,38,35,40\n", base)
    assert (e.code, e.field) == ("split_decimal", "row 2, column coverage_2023")
    assert (e.params["cells"], e.params["columns"]) == (6, 5)


def test_the_header_is_looked_for_in_the_first_15_rows(base):
    from simulation.batch import read_regions_csv
    title = "".join(f"catatan {k}\n" for k in range(14))
    [(r, _)] = read_regions_csv(title + HEADER + "\n" + ROW + "\n", base, set())
    assert r.id == "pontianak"
    e = _refusal("catatan\n" + title + HEADER + "\n" + ROW + "\n", base)    # the header on row 16: not found
    assert e.code in ("unknown_column", "missing_column")


def test_a_workbook_with_two_visible_regions_sheets_or_only_a_hidden_one_is_refused(base):
    import openpyxl

    def book(hidden: bool, second: bool) -> bytes:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "satu"
        for line in (HEADER, ROW):
            ws.append(line.split(";"))
        if hidden:
            ws.sheet_state = "hidden"
            wb.create_sheet("kosong").append(["x"])
        if second:
            ws2 = wb.create_sheet("dua")
            for line in (HEADER, ROW):
                ws2.append(line.split(";"))
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    e = _refusal(book(False, True), base, filename="r.xlsx")
    assert (e.code, e.field, e.params["sheets"], e.params["table"]) == ("two_sheets", "file", "«satu», «dua»",
                                                                        "regions")
    e = _refusal(book(True, False), base, filename="r.xlsx")
    assert (e.code, e.params["sheet"], e.params["table"]) == ("hidden_sheet", "satu", "regions")
    from simulation.batch import read_regions_csv
    [(r, _)] = read_regions_csv(book(False, False), base, set(), filename="r.xlsx")
    assert r.id == "pontianak" and r.potential_workers[0].value == 244_236


def test_a_file_the_table_reader_refuses_keeps_its_code(base):
    e = _refusal(b"\x89PNG\r\n\x1a\n" + b"\0" * 40, base, filename="regions.csv")
    assert (e.code, e.field) == ("not_a_table", "file")
    e = _refusal(b"x" * 5_000_001, base)
    assert (e.code, e.params["size"], e.params["limit"]) == ("too_large", 5_000_001, 5_000_000)


# ============================================================================ batch.py: what a row gives
def test_a_row_gives_the_region_its_values_and_keeps_the_rest_of_the_template(base):
    from simulation.batch import read_regions_csv
    text = (HEADER + ";worker_growth_pct;formal_share;formal_coverage;min_wage;min_wage_year;apbd;apbd_year;"
            "members_street_vendors;members_fishers\n"
            "kubu_raya;Kab. Kubu Raya;300.000;2023;25,5;27,1;28;-1,5;0,6;0,2;3.100.000;2026;1,5E+12;2024;12;\n"
            "sambas;;100000;2024;20;21;22;;;;;;;;;7\n")
    [(a, ma), (b, mb)] = read_regions_csv(text, base, {"street_vendors", "fishers"})
    assert (a.id, a.name, b.id, b.name) == ("kubu_raya", "Kab. Kubu Raya", "sambas", "sambas")
    assert [(v.year, v.value, v.certainty, v.source) for v in a.coverage_history] == [
        (y, v, "M", "batch input row 2") for y, v in ((2023, 25.5), (2024, 27.1), (2025, 28.0))]
    assert [(v.year, v.value, v.source, v.certainty) for v in a.potential_workers] == [
        (2023, 300_000, "batch input row 2", "M")]
    assert (a.worker_growth_pct.value, a.formal_share.value, a.formal_coverage.value) == (-1.5, 0.6, 0.2)
    assert a.worker_growth_pct.source == "batch input row 2" and a.formal_share.certainty == "M"
    assert [(v.year, v.value, v.source) for v in a.min_wage] == [(2026, 3_100_000, "batch input row 2")]
    assert [(v.year, v.value, v.source, v.certainty) for v in a.apbd] == [(2024, 1.5e12, "batch input row 2", "M")]
    assert [v.certainty for v in a.min_wage] == ["M"]
    assert (ma, mb) == ({"street_vendors": 12}, {"fishers": 7})
    assert b.coverage_history[0].source == "batch input row 3"
    # what the row does not give is the template's; its claims record never is
    assert (b.worker_growth_pct, b.formal_share, b.min_wage, b.apbd) == (base.worker_growth_pct, base.formal_share,
                                                                         base.min_wage, base.apbd)
    assert a.scheme_record == () == b.scheme_record and base.scheme_record


def test_cells_as_excel_writes_them_are_read(base):
    from simulation.batch import _text, read_regions_csv
    assert [_text(v) for v in (None, "", 2024.0, 2024.5, " a ", 7)] == ["", "", "2024", "2024.5", "a", "7"]
    [(r, _)] = read_regions_csv(f"{HEADER}\n{ROW.replace(';38;40;41', ';38 %;40%;0,5 %')}\n", base, set())
    assert [v.value for v in r.coverage_history] == [38, 40, 0.5]     # 0,5 % written with its sign is 0.5 %
    e = _refusal(f"{HEADER}\n{ROW.replace(';38;40;41', ';38 %;40%;0,41')}\n", base)
    assert (e.code, e.field, e.params["percent"]) == ("share_among_percent", "row 2, column coverage_2025", "41")
    e = _refusal(f"{HEADER}\n{ROW.replace(';38;40;41', ';38 %;40%;0,415')}\n", base)
    assert (e.params["value"], e.params["percent"]) == ("0,415", "41,5")      # said in the file's language
    e = _refusal(f"{HEADER}\n{ROW.replace(';38;40;41', ';38 %;40%;0.415')}\n", base, lang="en")
    assert (e.code, e.params["value"], e.params["percent"]) == ("share_among_percent", "0.415", "41.5")


# ============================================================================ batch.py: the projected table
@pytest.fixture(scope="module")
def wide_file():
    return (HEADER + ";worker_growth_pct;formal_share;min_wage;apbd;members_street_vendors\n"
            "kubu_raya;Kab. Kubu Raya;300.000;2024;25,5;27,1;28;2;0,6;3.100.000;1,5E+12;12\n"
            "sambas;@Sambas;100000;2024;20;21;22;;;;;\n")


def test_each_region_is_the_template_projected_with_that_regions_data(base, wide_file):
    from simulation.batch import OUTPUT_COLUMNS, read_regions_csv, run_batch
    from simulation.projection import project
    template = default_scenario("en")
    everyone = template.replace(groups=[dataclasses.replace(g, in_scope=True) for g in template.groups])
    out = run_batch(everyone, wide_file)
    assert out.index.tolist() == list(range(10)) and out["cost_share_apbd_pct"].dtype == float
    assert list(out.columns) == ["region_id", "region", *OUTPUT_COLUMNS, "forecast_short_history", "notes"]
    assert OUTPUT_COLUMNS == ["year", "potential_workers", "baseline_coverage_pct", "coverage_pct",
                              "coverage_low_pct", "coverage_high_pct", "pbi_participants", "pbi_added_net",
                              "cost_idr", "cost_share_apbd_pct", "claims_idr"]
    pairs = read_regions_csv(wide_file, base, {g.id for g in everyone.groups})
    assert out["region_id"].tolist() == ["kubu_raya"] * 5 + ["sambas"] * 5
    assert out["region"].tolist() == ["Kab. Kubu Raya"] * 5 + ["'@Sambas"] * 5      # a formula is neutralised
    for (region, members), (_, got) in zip(pairs, out.groupby("region_id", sort=False), strict=True):
        s = everyone.replace(region=region.id, groups=[dataclasses.replace(g, members=members.get(g.id, g.members))
                                                       for g in everyone.groups])
        p = project(s, region)
        for col in OUTPUT_COLUMNS:
            want = p.table[col].tolist()
            if col == "cost_share_apbd_pct" and region.id == "sambas":
                assert got[col].isna().all()
                continue
            assert got[col].tolist() == pytest.approx(want), col
        assert got["forecast_short_history"].tolist() == [p.forecast.short_history] * 5
    kubu = out[out["region_id"] == "kubu_raya"]
    # by hand: the region's own APBD (Rp1.5 trillion for 2025) grown by the template's APBD growth to each year
    growth = 1 + base.apbd_growth_pct.value / 100
    assert kubu["cost_share_apbd_pct"].tolist() == pytest.approx(
        [c / (1.5e12 * growth ** (y - 2025)) * 100 for c, y in zip(kubu["cost_idr"], kubu["year"], strict=True)])
    assert kubu["potential_workers"].iloc[0] == pytest.approx(300_000 * 1.02 ** 2)
    assert set(out["notes"]) == {"", "no_apbd"} and (out[out["region_id"] == "sambas"]["notes"] == "no_apbd").all()


def test_members_of_a_group_count_where_the_row_gives_them(wide_file):
    from simulation.batch import run_batch
    template = default_scenario("en")
    everyone = template.replace(groups=[dataclasses.replace(g, in_scope=True) for g in template.groups])
    vendors = everyone.group("street_vendors")
    fewer = run_batch(everyone, wide_file.replace(";12\n", ";2012\n"))
    more = run_batch(everyone, wide_file)
    gained = (fewer["pbi_participants"] - more["pbi_participants"]).tolist()
    assert gained[:5] == pytest.approx([2_000 * vendors.take_up * (1 - vendors.dropout)] * 5)
    assert gained[5:] == pytest.approx([0] * 5)


def test_a_minimum_wage_scenario_says_when_the_wage_is_the_templates(wide_file):
    from simulation.batch import run_batch
    template = default_scenario("en")
    on_wage = template.replace(base="min_wage")
    out = run_batch(on_wage, wide_file)
    notes = out.groupby("region_id", sort=False)["notes"].first().to_dict()
    assert notes == {"kubu_raya": "", "sambas": "no_apbd min_wage_from_template"}
    assert set(run_batch(template, wide_file)["notes"]) == {"", "no_apbd"}       # flat base: no wage needed


def test_rows_and_headers_as_offices_write_them(base):
    from simulation.batch import read_regions_csv
    # a column without a header, and a short row (its last coverage left off), are read
    [(a, _)] = read_regions_csv("region_id;;" + HEADER[10:] + "\npontianak;catatan;" + ROW[10:] + "\n", base, set())
    assert (a.id, a.name, len(a.coverage_history)) == ("pontianak", "P", 3)
    [(a, _)] = read_regions_csv(f"{HEADER}\npontianak;P;244236;2024;38;40\n", base, set())
    assert [v.year for v in a.coverage_history] == [2023, 2024]
    # the first of two columns with the same name counts; a cell under the second is outside the table
    e = _refusal(f"{HEADER};name\n{ROW};Q\n", base)
    assert (e.code, e.field, e.params["value"]) == ("cell_outside_header", "row 2, column H", "Q")
    # the years' bounds and the name's length are the Data page's, limits included
    text = (HEADER + ";apbd;apbd_year\n" + ROW.replace(";2024;", ";1990;").replace(";P;", ";" + "N" * 80 + ";")
            + ";2E+12;2100\n")
    [(a, _)] = read_regions_csv(text, base, set())
    assert (a.potential_workers[0].year, a.apbd[0].year, len(a.name)) == (1990, 2100, 80)


def test_too_many_rows_in_a_long_file_are_counted_as_more_than_what_was_read(base):
    many = "".join(ROW.replace("pontianak", f"r{k}") + "\n" for k in range(1_200))
    e = _refusal(HEADER + "\n" + many, base)
    assert e.params["rows"] == "> 1065"      # reading stops just past the limit: the file has more


def _workbook(rows: list[list], title: str = "daerah") -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_refused_cell_of_a_workbook_names_its_sheet(capsys, tmp_path, base, en_file):
    from presentation.problems import problem_text
    from simulation.io import Problem
    data = _workbook([HEADER.split(";"), ["pontianak", "P", 244236, 2024, 38, 140, 41]])
    e = _refusal(data, base, filename="r.xlsx")
    assert (e.code, e.field, e.params["sheet"]) == ("over_100", "sheet daerah, row 2, column coverage_2024", "daerah")
    e = _refusal(_workbook([HEADER.split(";") + ["colour"], ["pontianak", "P", 244236, 2024, 38, 40, 41, "x"]]),
                 base, filename="r.xlsx")
    assert (e.code, e.field) == ("unknown_column", "sheet daerah, row 1, column colour")
    e = _refusal(_workbook([HEADER.replace("potential_workers;", "").split(";")]), base, filename="r.xlsx")
    assert (e.code, e.field) == ("missing_column", "sheet daerah, column potential_workers")
    path = tmp_path / "regions.xlsx"
    path.write_bytes(data)
    said = problem_text(Problem("over_100", row=2, column="coverage_2024", sheet="daerah",
                                params={"value": "140"}), "en")
    assert said.startswith("Sheet «daerah»: Row 2, column coverage_2024")
    assert _refused(capsys, "batch", en_file, path, "--lang", "en") == f"error: {path}: {said}"


def test_a_workbook_whose_regions_sheet_is_hidden_is_refused_naming_it_through_the_cli(capsys, tmp_path, en_file):
    import openpyxl

    from presentation.problems import problem_text
    from simulation.io import Problem
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "lama"
    ws.append(HEADER.split(";"))
    ws.sheet_state = "hidden"
    wb.create_sheet("catatan").append(["x"])
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    said = problem_text(Problem("hidden_sheet", sheet="lama", params={"sheet": "lama", "table": "regions"}), "id")
    assert "lama" in said
    assert _refused(capsys, "batch", en_file, path) == f"error: {path}: {said}"


def test_json_outputs_keep_non_ascii_text_as_it_is(capsys, tmp_path, own, own_file):
    path = tmp_path / "h.csv"
    path.write_text("tahun;cakupan;sumber\n2023;38,35;Disnaker (café)\n2024;40,86;BPS «Kalbar»\n", encoding="utf-8")
    status, out, _ = _cli(capsys, "check", path)
    assert status == 0 and "Disnaker (café)" in out and "BPS «Kalbar»" in out
    named = own.replace(groups=[dataclasses.replace(g, name="Pedagang «sendiri»") if g.id == "vendors_own" else g
                                for g in own.groups])
    scenario = tmp_path / "named.json"
    scenario.write_text(named.to_json(), encoding="utf-8")
    status, out, _ = _cli(capsys, "goal-seek", scenario, "--target", "42", "--year", "2028", "--format", "json")
    assert status == 0 and '"group": "Pedagang «sendiri»"' in out


def test_check_json_of_a_workbook_names_each_table_and_sheet(capsys):
    up, _ = _data_page("k06_several_tables.xlsx", "en")
    status, out, _ = _cli(capsys, "check", UPLOADS / "k06_several_tables.xlsx", "--lang", "en")
    got = json.loads(out)
    assert got["file"] == "k06_several_tables.xlsx"
    assert [(t["table"], t["sheet"], t["columns"], len(t["rows"])) for t in got["tables"]] == [
        (tb.kind, tb.sheet, {k: tb.headers.get(k, k) for k in tb.columns}, len(tb.rows)) for tb in up.tables]
    assert got["tables"][1]["rows"] == [{"row": 2, "year": 2025, "apbd_idr": 2.1e12}]


def test_check_as_text_names_a_derived_value_by_its_key(capsys):
    """Coverage computed from participants ÷ potential workers has no header of its own: it is said by its key,
    with the share worked out here by hand (93,000 of 242,500 and 99,795 of 244,236)."""
    status, out, _ = _cli(capsys, "check", UPLOADS / "h06_participants_potential.csv", "--format", "text")
    shares = [f"{100 * 93_000 / 242_500:.10f}".rstrip("0"), f"{100 * 99_795 / 244_236:.10f}".rstrip("0")]
    assert status == 0 and out.splitlines() == [
        "history: 2 rows",
        f"  row 2: Tahun = 2023, Peserta aktif = 93000, Potensi pekerja = 242500, coverage_pct = "
        f"{shares[0].replace('.', ',')}",
        f"  row 3: Tahun = 2024, Peserta aktif = 99795, Potensi pekerja = 244236, coverage_pct = "
        f"{shares[1].replace('.', ',')}"]
    status, out, _ = _cli(capsys, "check", UPLOADS / "h06_participants_potential.csv")
    assert [r["coverage_pct"] for r in json.loads(out)["tables"][0]["rows"]] == pytest.approx(
        [100 * 93_000 / 242_500, 100 * 99_795 / 244_236])


def test_a_target_that_is_no_number_is_refused_with_the_parsers_words():
    from simulation.io import parse_number
    with pytest.raises(ValueError) as said:
        parse_number("lots", "en")
    with pytest.raises(ValidationError) as err:
        cli._target_pct("lots")
    assert err.value.message == str(said.value) and "lots" in err.value.message


def test_the_regions_sheet_is_the_one_with_region_id_not_the_first(base):
    import openpyxl

    from simulation.batch import read_regions_csv
    wb = openpyxl.Workbook()
    wb.active.title = "catatan"
    wb.active.append(["Sumber: BPS Kalimantan Barat"])
    ws = wb.create_sheet("daerah")
    for line in (HEADER, ROW):
        ws.append(line.split(";"))
    buf = io.BytesIO()
    wb.save(buf)
    [(r, _)] = read_regions_csv(buf.getvalue(), base, set(), filename="r.xlsx")
    assert (r.id, r.potential_workers[0].value) == ("pontianak", 244_236)


def test_too_many_regions_in_a_workbook_name_its_sheet(base):
    rows = [HEADER.split(";")] + [["r" + str(k), "P", 244236, 2024, 38, 40, 41] for k in range(1_001)]
    e = _refusal(_workbook(rows), base, filename="r.xlsx")
    assert (e.code, e.field, e.params["sheet"], e.params["rows"]) == ("too_many_rows", "sheet daerah", "daerah", 1_001)
