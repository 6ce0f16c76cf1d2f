"""Engine numbers checked against values worked out by hand from the regulation and data/parameters.yaml.

Written for the mutants of the mutation sample (docs/TESTING.md, issue 16) that no other test noticed: each test
says, in the words of the regulation or the user, what must hold, and would fail if that number were wrong.
Amounts in Rp; "per month" unless the test says "a year".
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from simulation.contributions import monthly_contribution, yearly_contribution


# ---------------------------------------------------------------------------- contributions (simulation/contributions.py)
def test_a_wage_earner_without_a_stated_risk_class_pays_the_class_1_rate():
    """PP 44/2015 Annex I: class 1 (very low risk, 0.24 %) is the class of office and market work, and the one the
    engine assumes when none is given. JKM 0.30 %. On Rp1,000,000: 2,400 + 3,000 = 5,400 a month, 64,800 a year."""
    assert monthly_contribution("pu", 1_000_000, dt.date(2026, 3, 1)).total == pytest.approx(5_400)
    assert yearly_contribution("pu", 1_000_000, 2026) == pytest.approx(64_800)


# ---------------------------------------------------------------------------- the CLI's numbers (simulation/cli.py)
# tests/test_cli.py runs the CLI in child processes (what a user types); these call its main() in this process so
# that a wrong number in simulation/cli.py is also caught where mutation testing can see it.
def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    from simulation.cli import main

    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory):
    from simulation.scenario import default_scenario

    path = tmp_path_factory.mktemp("cli") / "pontianak.json"
    path.write_text(default_scenario("en").to_json(), encoding="utf-8")
    return str(path)


def test_cli_run_prints_the_engine_table_in_whole_rupiah_and_persons(capsys, scenario_file):
    """Every year of `run`, as JSON and CSV: cost and persons whole (half away from zero), shares to 6 decimals."""
    import csv
    import io
    import json
    import math

    from simulation.projection import project
    from simulation.scenario import Scenario

    table = project(Scenario.from_json(open(scenario_file, encoding="utf-8").read())).table
    status, out, _ = _cli(capsys, "run", scenario_file, "--format", "json")
    rows = json.loads(out)
    assert status == 0 and [r["year"] for r in rows] == list(table["year"]) == [2026, 2027, 2028, 2029, 2030]
    for row, (_, engine) in zip(rows, table.iterrows(), strict=True):
        assert row["cost_idr"] == math.floor(engine["cost_idr"] + 0.5)
        assert abs(row["coverage_pct"] - engine["coverage_pct"]) <= 5e-7
        assert row["coverage_pct"] == round(row["coverage_pct"], 6)
        assert abs(row["covered_workers"] - engine["covered_workers"]) <= 0.5
    status, out, _ = _cli(capsys, "run", scenario_file)   # CSV is the default
    as_csv = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and [int(r["cost_idr"]) for r in as_csv] == [r["cost_idr"] for r in rows]
    assert [float(r["coverage_pct"]) for r in as_csv] == [r["coverage_pct"] for r in rows]


@pytest.mark.parametrize(("target", "year", "verdict"), [
    ("10", "2026", "verdict: already reached with the scenario as it is (chance "),
    ("45%", "2028", "verdict: NOT reachable with the groups alone (chance "),
    ("99", "2026", "verdict: NOT reachable even with every group and every uncovered formal worker (chance "),
])
def test_cli_goal_seek_says_the_engine_verdict_and_numbers(capsys, scenario_file, target, year, verdict):
    """`goal-seek` in text and JSON: the verdict of the engine's answer, its participants, members and budget."""
    import json

    from simulation.goalseek import goal_seek
    from simulation.scenario import Scenario

    r = goal_seek(Scenario.from_json(open(scenario_file, encoding="utf-8").read()), float(target.rstrip("%")),
                  int(year))
    status, out, _ = _cli(capsys, "goal-seek", scenario_file, "--target", target, "--year", year)
    assert status == 0
    line = next(x for x in out.splitlines() if x.startswith("verdict: "))
    assert line.startswith(verdict), line
    assert f"{r.extra_participants:,} active participants paid for (gross), {r.extra_members:,} members" in out
    assert f"local budget in {r.year}: Rp {math.floor(r.budget_idr + 0.5):,}" in out
    status, out, _ = _cli(capsys, "goal-seek", scenario_file, "--target", target, "--year", year, "--format", "json")
    d = json.loads(out)
    assert status == 0
    assert (d["target_pct"], d["year"], d["confidence"]) == (float(target.rstrip("%")), int(year), 0.5)
    assert (d["reachable"], d["reachable_with_groups"], d["already_reached"]) == (r.reachable, r.feasible,
                                                                                r.already_reached)
    assert d["extra_participants"] == r.extra_participants and d["extra_members"] == r.extra_members
    assert d["budget_idr"] == math.floor(r.budget_idr + 0.5)
    assert d["needed_net_over_trend"] == math.floor(r.needed_added + 0.5)
    assert d["probability_with_groups"] == round(r.probability, 3)
    assert sum(x["participants"] for x in d["levers"] if x["lever"] == "group") == pytest.approx(
        r.extra_participants, abs=len(d["levers"]))


@pytest.mark.parametrize("target", ["0.45", "150", "lots"])
def test_cli_goal_seek_asks_about_a_target_that_is_no_percentage(capsys, scenario_file, target):
    """The one percent rule at the CLI's door: 0.45 is asked about, 150 is a count, a word is no number: exit 2 and
    the --target field named, nothing on standard output."""
    status, out, err = _cli(capsys, "goal-seek", scenario_file, "--target", target, "--year", "2028")
    assert status == 2 and out == ""
    assert err.startswith("error: --target: ")


# ---------------------------------------------------------------------------- chances and refusals the pages show
def test_a_forecast_without_spread_gives_a_certain_answer_never_more_than_certain():
    """A forecast whose band has no width (innovation sd and drift uncertainty both 0) reaches a share below its
    centre for certain (chance 1, shown as 100 %) and one above it never (0); a chance is never over 100 %."""
    from dataclasses import replace

    from simulation.forecast import fit_forecast

    fit = fit_forecast([2021, 2022, 2023, 2024], [0.20, 0.22, 0.24, 0.26], 2030)
    flat = replace(fit, sigma=0.0, drift_se=0.0)
    assert flat.prob_at_least(2027, 0.10) == 1.0
    assert flat.prob_at_least(2027, 0.90) == 0.0
    assert 0.0 <= fit.prob_at_least(2027, 0.27) <= 1.0


def test_asking_a_projection_for_a_year_it_does_not_have_names_the_years_it_has(make_scenario):
    """The page's message for a year outside the table says which years there are: code out_of_range with the
    first and last projected year as its bounds (2026-2030 for the default scenario)."""
    from simulation.errors import ValidationError
    from simulation.projection import project

    p = project(make_scenario())
    with pytest.raises(ValidationError) as err:
        p.row(2031)
    assert (err.value.field, err.value.code, err.value.params) == ("year", "out_of_range",
                                                                      {"min": 2026, "max": 2030, "value": 2031})
    assert p.row(2030)["year"] == 2030


def test_a_projection_carries_the_region_it_was_computed_for(make_scenario):
    """Pages and files read the region's name and sources from the projection itself (Kota Pontianak here)."""
    from simulation.data import load_region
    from simulation.projection import project

    p = project(make_scenario())
    assert p.region.id == "pontianak" and p.region.name == load_region("pontianak").name


def test_a_history_too_short_to_forecast_is_refused_with_the_counts():
    """No observed year gives no forecast: refused on the field `years`, saying how many there are and how many
    are needed, in the message a log or the CLI prints and in the code and values the pages translate."""
    from simulation.errors import ValidationError
    from simulation.forecast import fit_forecast

    with pytest.raises(ValidationError) as err:
        fit_forecast([], [], 2030)
    e = err.value
    assert (e.field, e.code, e.params["count"]) == ("years", "too_few", 0) and e.params["min"] >= 1
    assert f"at least {e.params['min']} observed years, got 0" in e.message


@pytest.mark.parametrize(("row", "field", "code", "param"), [
    # a region name longer than 80 characters: the page says the limit
    ("pontianak;" + "P" * 81 + ";244236;2024;38;40;41", "row 2, column name", "text_too_long", ("max", 80)),
    # a value typed beyond the last named column (column I): the page quotes what was typed there
    ("pontianak;P;244236;2024;38;40;41;;merah", "row 2, column I", "cell_outside_header", ("value", "merah")),
])
def test_a_refused_regions_file_says_where_and_what_for_the_page_to_translate(row, field, code, param):
    """The batch regions file's refusals carry the place, the code the catalogue translates and the value the
    sentence quotes (a limit, or what was typed)."""
    from simulation.batch import read_regions_csv
    from simulation.data import load_region
    from simulation.errors import ValidationError

    header = "region_id;name;potential_workers;potential_workers_year;coverage_2023;coverage_2024;coverage_2025"
    with pytest.raises(ValidationError) as err:
        read_regions_csv(f"{header}\n{row}\n", load_region("pontianak"), set())
    assert (err.value.field, err.value.code) == (field, code)
    assert err.value.params[param[0]] == param[1]


# ---------------------------------------------------------------------------- engine core survivors (sample seed 104)
def test_a_risk_class_outside_1_to_5_is_refused_with_its_range():
    """PP 44/2015 has five JKK risk classes: class 6 is refused on the field the page names, code out_of_range."""
    from simulation.errors import ValidationError

    with pytest.raises(ValidationError) as err:
        monthly_contribution("pu", 1_000_000, dt.date(2026, 3, 1), risk_class=6)
    e = err.value
    assert (e.field, e.code, e.params, e.message) == ("contribution.risk_class", "out_of_range",
                                                      {"min": 1, "max": 5, "value": 6}, "risk class must be 1 to 5")


def test_the_cost_coverage_curve_names_the_group_each_step_adds():
    """Each step of the curve (Capai target page) is labelled with the name of the group it adds, in priority
    order; the first step (no PBI) has no name."""
    from simulation.goalseek import cost_coverage_curve
    from simulation.scenario import default_scenario

    s = default_scenario()
    c = cost_coverage_curve(s, 2028)
    order = sorted((g for g in s.groups), key=lambda g: g.priority)
    assert c["group"].tolist() == [""] + [g.name for g in order][: len(c) - 1]
    assert c["group_id"].tolist() == [""] + [g.id for g in order][: len(c) - 1]


def test_a_target_beyond_the_horizon_has_no_chance_either_way(make_scenario):
    """A target after the last projected year (RPJPN 2045) is outside the horizon: neither the trend's chance nor
    the scenario's is computed (both NaN, shown as a dash), and it has no coverage to compare."""
    import math

    from simulation.projection import project

    s = make_scenario(targets=[{"id": "later", "name": "L", "year": 2045, "coverage_pct": 99.5}])
    row = project(s).targets.set_index("target_id").loc["later"]
    assert row["status"] == "outside_horizon"
    assert all(math.isnan(row[c]) for c in ("baseline_pct", "coverage_pct", "probability_baseline", "probability"))


def test_the_sensitivity_table_is_numbered_from_0_in_its_order():
    """The tornado's rows come largest coverage swing first, numbered 0, 1, 2, ... (pages and files read them by
    position)."""
    from simulation.scenario import default_scenario
    from simulation.sensitivity import sensitivity

    df = sensitivity(default_scenario())
    assert df.index.tolist() == list(range(len(df)))
    swings = df["coverage_swing_pp"].tolist()
    assert swings == sorted(swings, reverse=True)


def test_the_scheme_record_check_uses_the_rates_passed_and_keeps_each_records_sources():
    """The record's person-years are its contributions over one person's yearly BPU package at the rates in use:
    doubling the JKM flat amount passed in lowers them (a larger package); each check keeps its record's sources
    in both languages for the page and the files."""
    import dataclasses

    from simulation.data import load_region
    from simulation.parameters import load_parameters
    from simulation.projection import claims_record
    from simulation.scenario import default_scenario

    region, s = load_region("pontianak"), default_scenario()
    region = dataclasses.replace(region, scheme_record=tuple(   # an English source, as an edited region may have
        dataclasses.replace(r, source_en=f"English source {i}") for i, r in enumerate(region.scheme_record)))
    shipped = load_parameters()
    dearer = shipped.replace_value("bpu.jkm_flat", 2 * shipped.latest("bpu.jkm_flat"))
    plain, costly = claims_record(s, region, shipped), claims_record(s, region, dearer)
    assert plain and len(plain) == len(region.scheme_record)
    for a, b, r in zip(plain, costly, region.scheme_record, strict=True):
        assert b.person_years < a.person_years
        assert (a.source, a.source_en, a.source_id, a.certainty, a.source_date) == (
            r.source, r.source_en, r.source_id, r.certainty, r.source_date)


def test_each_sensitivity_variant_is_projected_on_the_region_passed():
    """A region edited on the Data page (2025 coverage 30 % instead of 40 %) moves every variant's low and high
    coverage, not only the base: both ends are projected on the region passed, not on the shipped file."""
    import dataclasses

    from simulation.data import load_region
    from simulation.scenario import default_scenario
    from simulation.sensitivity import sensitivity

    shipped, s = load_region("pontianak"), default_scenario()
    history = shipped.coverage_history
    edited = shipped.with_history((*history[:-1], dataclasses.replace(history[-1], value=30.0)))
    a = sensitivity(s, shipped).set_index("assumption")
    b = sensitivity(s, edited).set_index("assumption")
    for key in a.index.drop("trend"):
        assert b.loc[key, "coverage_low_pct"] < a.loc[key, "coverage_low_pct"] - 1, key
        assert b.loc[key, "coverage_high_pct"] < a.loc[key, "coverage_high_pct"] - 1, key


# ---------------------------------------------------------------------------- two columns no test read (issue 16)
def test_each_groups_net_additions_add_up_to_the_years_pbi_additions():
    """The group table's ``added_net`` (the CLI prints it per group) sums, each year, to the yearly table's
    ``pbi_added_net``: the survivor of the seed-17 sample renamed it without a test noticing."""
    from simulation import default_scenario, project

    p = project(default_scenario())
    per_year = p.by_group.groupby("year")["added_net"].sum()
    assert list(per_year.index) == list(p.table["year"])
    assert per_year.to_numpy() == pytest.approx(p.table["pbi_added_net"].to_numpy(), rel=1e-12, abs=1e-9)
    assert (p.by_group["added_net"] > 0).any()   # the agreement's groups join in 2026: a real, non-zero check


def test_the_trend_row_of_the_sensitivity_table_keeps_the_scenarios_claims_at_both_ends():
    """The trend row (P10/P90 of the forecast) moves coverage only: its claims at both ends are the scenario's
    final-year claims, and every other row's high end is its high variant's claims."""
    from simulation import default_scenario, project
    from simulation.sensitivity import sensitivity, variants

    s = default_scenario()
    df = sensitivity(s)
    final = project(s).final
    trend = df[df["assumption"] == "trend"].iloc[0]
    assert trend["claims_low_idr"] == pytest.approx(final["claims_idr"], rel=1e-12)
    assert trend["claims_high_idr"] == pytest.approx(final["claims_idr"], rel=1e-12)
    key, _, _, _, hi = next(iter(variants(s, project(s).region)))
    row = df[df["assumption"] == key].iloc[0]
    assert row["claims_high_idr"] == pytest.approx(project(hi).final["claims_idr"], rel=1e-12)
