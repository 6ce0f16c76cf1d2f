"""The yearly projection: coverage with bands, participants, the city's cost, expected claims, targets.

Hand-computed cases first (each can be redone on paper), then properties over random scenarios.
Default contribution: BPU JKK+JKM on the Rp1,000,000 floor = Rp16,800 a month, Rp201,600 a year.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.data import load_region
from simulation.errors import ValidationError
from simulation.projection import claims_record, project
from simulation.scenario import default_scenario, scenario_from_region

FAST = settings(max_examples=60, deadline=None)
PER_YEAR = 201_600                       # Rp16,800 x 12
WORKERS_2024 = 244_236                   # Pontianak's 2024 denominator
GROWTH = 0.01                            # Pontianak's worker growth [L]
ONE = {"members": 1_000, "take_up": 0.5, "dropout": 0.1, "already_covered": 0.2}
FULL = {"take_up": 1, "dropout": 0, "already_covered": 0}
QUANTILE_COLUMNS = ["coverage_low95_pct", "coverage_low_pct", "coverage_pct", "coverage_high_pct",
                    "coverage_high95_pct"]
BASELINE_COLUMNS = [c.replace("coverage", "baseline_coverage") for c in QUANTILE_COLUMNS]


def added_pp(table):
    return table["coverage_pct"] - table["baseline_coverage_pct"]


# ---------------------------------------------------------------------------- one group by hand
def test_one_group_by_hand(make_scenario):
    # 1,000 members; half enrol (450 stay active after 10 % drop out); 20 % of them had cover already,
    # so coverage gains 360 workers; the city pays for all 450 active participants
    p = project(make_scenario([ONE]))
    t = p.table
    assert list(t["year"]) == [2026, 2027, 2028, 2029, 2030]          # from the year after the last observation
    assert np.allclose(t["pbi_participants"], 450)
    assert np.allclose(t["pbi_added_net"], 360)
    assert np.allclose(t["cost_idr"], 450 * PER_YEAR)                   # Rp90,720,000 a year
    assert np.allclose(t["contributions_idr"], 450 * PER_YEAR)
    assert np.allclose(t["participant_paid_idr"], 0)
    expected_workers = [WORKERS_2024 * (1 + GROWTH) ** (y - 2024) for y in t["year"]]
    assert np.allclose(t["potential_workers"], expected_workers)
    assert np.allclose(added_pp(t), 360 / t["potential_workers"] * 100)
    assert np.allclose(t["added_points_pp"], 360 / t["potential_workers"] * 100)
    assert np.allclose(t["covered_workers"] + t["uncovered_workers"], t["potential_workers"])
    assert np.allclose(t["cost_per_point_idr"], t["cost_idr"] / (360 / t["potential_workers"] * 100))
    assert p.by_group["participants"].tolist() == pytest.approx([450] * 5)


def test_every_band_moves_up_by_the_same_added_workers(make_scenario):
    t = project(make_scenario([ONE])).table
    for scenario_col, baseline_col in zip(QUANTILE_COLUMNS, BASELINE_COLUMNS, strict=True):
        assert np.allclose(t[scenario_col] - t[baseline_col], 360 / t["potential_workers"] * 100)


def test_no_group_in_scope_is_the_baseline(make_scenario):
    t = project(make_scenario([{**ONE, "in_scope": False}])).table
    assert np.allclose(t["coverage_pct"], t["baseline_coverage_pct"])
    assert np.allclose(t["cost_idr"], 0)
    assert np.allclose(t["claims_idr"], 0)
    assert t["claims_to_contributions"].isna().all()       # no premiums: no ratio, not a division by zero


def test_phase_in_over_three_years(make_scenario):
    t = project(make_scenario([{"members": 900, **FULL, "phase_in_years": 3}])).table
    assert t["pbi_participants"].tolist() == pytest.approx([300, 600, 900, 900, 900])   # 1/3, 2/3, all


def test_later_start_year_means_nothing_before_it(make_scenario):
    t = project(make_scenario([{"members": 900, **FULL, "start_year": 2028}])).table
    assert t["pbi_participants"].tolist() == pytest.approx([0, 0, 900, 900, 900])
    assert t["cost_idr"].tolist() == pytest.approx([0, 0, 900 * PER_YEAR, 900 * PER_YEAR, 900 * PER_YEAR])
    assert np.allclose(added_pp(t)[:2], 0)


def test_city_paying_half_lowers_take_up_and_halves_its_cost(make_scenario):
    # participants pay the other half; with elasticity 0.8, take-up falls by 0.8 x 0.5 = 40 %: x 0.6
    t = project(make_scenario([{"members": 1_000, **FULL}], city_share=0.5, takeup_elasticity=0.8)).table
    assert np.allclose(t["pbi_participants"], 600)
    assert np.allclose(t["contributions_idr"], 600 * PER_YEAR)
    assert np.allclose(t["cost_idr"], 600 * PER_YEAR / 2)
    assert np.allclose(t["participant_paid_idr"], 600 * PER_YEAR / 2)


def test_participants_paying_everything_with_full_elasticity_means_nobody_enrols(make_scenario):
    t = project(make_scenario([{"members": 1_000, **FULL}], city_share=0, takeup_elasticity=1)).table
    assert np.allclose(t["pbi_participants"], 0)


# ---------------------------------------------------------------------------- budget cap
@pytest.fixture
def two_groups(make_scenario):
    def build(cap, first="a"):
        groups = [{"id": "a", "members": 1_000, **FULL, "priority": 1 if first == "a" else 2},
                  {"id": "b", "members": 1_000, **FULL, "priority": 2 if first == "a" else 1}]
        return make_scenario(groups, budget_cap_idr=cap)
    return build


def participants_by_group(p, year=2026):
    g = p.by_group[p.by_group["year"] == year]
    return dict(zip(g["group_id"], g["participants"], strict=True))


def test_budget_cap_serves_groups_in_priority_order(two_groups):
    # each group of 1,000 wants Rp201,600,000; a cap of Rp302,400,000 pays the first in full, half of the second
    p = project(two_groups(1.5 * 1_000 * PER_YEAR))
    assert participants_by_group(p) == pytest.approx({"a": 1_000, "b": 500})
    assert np.allclose(p.table["cost_idr"], 1.5 * 1_000 * PER_YEAR)
    assert p.table["budget_capped"].all()
    assert any("budget cap binds" in w for w in p.warnings)
    # the other priority order serves the other group first
    assert participants_by_group(project(two_groups(1.5 * 1_000 * PER_YEAR, first="b"))) == pytest.approx(
        {"a": 500, "b": 1_000})


def test_budget_cap_below_the_first_group_serves_only_part_of_it(two_groups):
    p = project(two_groups(0.25 * 1_000 * PER_YEAR))
    assert participants_by_group(p) == pytest.approx({"a": 250, "b": 0})
    assert p.table["cost_idr"].max() <= 0.25 * 1_000 * PER_YEAR + 1e-6


def test_budget_cap_that_does_not_bind_changes_nothing(two_groups):
    p = project(two_groups(10 * 1_000 * PER_YEAR))
    assert participants_by_group(p) == pytest.approx({"a": 1_000, "b": 1_000})
    assert not p.table["budget_capped"].any()
    assert not any("budget cap" in w for w in p.warnings)


def test_zero_budget_means_no_participants(two_groups):
    p = project(two_groups(0))
    assert np.allclose(p.table["pbi_participants"], 0)
    assert np.allclose(p.table["cost_idr"], 0)


# ---------------------------------------------------------------------------- compliance lever
def uncovered_formal(workers):
    region = load_region("pontianak")
    return workers * region.formal_share.value * (1 - region.formal_coverage.value)


def test_compliance_count_adds_that_many_workers_each_year(make_scenario):
    # enforcement brings 1,000 under-reported formal workers into cover every year from 2027
    t = project(make_scenario([], compliance_mode="count", compliance_per_year=1_000,
                              compliance_start_year=2027)).table
    assert t["compliance_added"].tolist() == pytest.approx([0, 1_000, 2_000, 3_000, 4_000])
    assert np.allclose(added_pp(t), t["compliance_added"] / t["potential_workers"] * 100)
    assert np.allclose(t["cost_idr"], 0)     # enforcement costs the APBD no contributions


def test_compliance_count_stops_at_the_uncovered_formal_workers(make_scenario):
    t = project(make_scenario([], compliance_mode="count", compliance_per_year=30_000)).table
    cap = uncovered_formal(t["potential_workers"])           # 55 % formal x 30 % of them uncovered
    assert np.allclose(t["compliance_added"], np.minimum(30_000 * np.arange(1, 6), cap))
    assert t["compliance_added"].iloc[-1] == pytest.approx(cap.iloc[-1])


def test_compliance_share_closes_a_share_of_the_remaining_gap_each_year(make_scenario):
    t = project(make_scenario([], compliance_mode="share", compliance_per_year=0.1)).table
    n = np.arange(1, 6)
    assert np.allclose(t["compliance_added"], uncovered_formal(t["potential_workers"]) * (1 - 0.9**n))


# ---------------------------------------------------------------------------- claims against premiums
def test_expected_claims_by_hand(make_scenario):
    # 450 active participants; 0.2 % die a year -> 0.9 JKM claims of Rp42,000,000;
    # 0.3 % have a work accident -> 1.35 JKK claims of Rp8,500,000
    t = project(make_scenario([ONE], jkm_incidence=0.002, jkk_incidence=0.003, jkm_claim_idr=42_000_000,
                              jkk_claim_idr=8_500_000)).table
    assert np.allclose(t["jkm_claims"], 450 * 0.002)
    assert np.allclose(t["jkm_claims_idr"], 0.9 * 42_000_000)
    assert np.allclose(t["jkk_claims"], 450 * 0.003)
    assert np.allclose(t["jkk_claims_idr"], 1.35 * 8_500_000)
    assert np.allclose(t["claims_idr"], 37_800_000 + 11_475_000)
    # per participant: Rp84,000 + Rp25,500 expected claims for Rp201,600 of premiums
    assert np.allclose(t["claims_to_contributions"], (84_000 + 25_500) / 201_600)


def test_claims_ratio_compares_claims_with_all_contributions_not_only_the_city_share(make_scenario):
    full = project(make_scenario([{"members": 1_000, **FULL}])).table
    half = project(make_scenario([{"members": 1_000, **FULL}], city_share=0.5, takeup_elasticity=0)).table
    assert np.allclose(half["claims_to_contributions"], full["claims_to_contributions"])


# ---------------------------------------------------------------------------- targets
def with_target(make_scenario, groups, pct=45.0, year=2028):
    return make_scenario(groups, targets=[{"id": "t", "name": "Target", "year": year, "coverage_pct": pct}])


def test_target_probability_is_higher_when_the_scenario_adds_participants(make_scenario):
    p = project(with_target(make_scenario, [{"members": 20_000, **FULL}]))
    row = p.targets.iloc[0]
    assert row["status"] == "projected"
    assert 0 <= row["probability_baseline"] < row["probability"] <= 1
    assert row["coverage_pct"] > row["baseline_pct"]
    assert row["gap_pp"] == pytest.approx(row["coverage_pct"] - 45.0)   # scenario - target


def test_target_probability_is_the_baselines_when_nothing_is_added(make_scenario):
    row = project(with_target(make_scenario, [])).targets.iloc[0]
    assert row["probability"] == pytest.approx(row["probability_baseline"])
    assert 0 < row["probability"] < 1


def test_gap_columns_are_coverage_minus_target(make_scenario):
    t = project(with_target(make_scenario, [ONE])).table
    assert np.allclose(t["gap_t_pp"], t["coverage_pct"] - 45.0)   # negative = short of the target


def test_default_scenario_gap_to_the_city_target():
    p = project(default_scenario())
    t = p.table
    assert np.allclose(t["gap_city_2026_pp"], t["coverage_pct"] - 45.0)
    row = p.targets.set_index("target_id").loc["city_2026"]
    assert row["year"] == 2026 and row["target_pct"] == 45.0
    # the agreement alone leaves 2026 short of 45 %: the table and the targets table say it with the same sign
    assert row["gap_pp"] < 0 and t["gap_city_2026_pp"].iloc[0] == pytest.approx(row["gap_pp"])


def test_targets_in_the_past_and_beyond_the_horizon(make_scenario):
    s = make_scenario([ONE], targets=[
        {"id": "past_met", "name": "P", "year": 2024, "coverage_pct": 40},       # 40.86 % observed
        {"id": "past_missed", "name": "Q", "year": 2024, "coverage_pct": 41},
        {"id": "later", "name": "L", "year": 2045, "coverage_pct": 99.5},        # RPJPN, beyond 2030
    ])
    rows = project(s).targets.set_index("target_id")
    assert rows.loc["past_met", "status"] == "observed" and rows.loc["past_met", "probability"] == 1.0
    assert rows.loc["past_missed", "probability"] == 0.0
    assert rows.loc["later", "status"] == "outside_horizon" and math.isnan(rows.loc["later", "probability"])


# ---------------------------------------------------------------------------- headline regression
def test_default_scenario_headline_figures():
    # the 2026 agreement: members x 95 % take-up x (1 - drop-out), group by group (data/regions/pontianak.yaml)
    active = 0.95 * ((2_689 + 570 + 240 + 400) * 0.97 + (1_575 + 136 + 136) * 0.95)
    assert active == pytest.approx(5_259.846)
    row = project(default_scenario()).row(2026)
    assert row["pbi_participants"] == pytest.approx(active)
    assert row["cost_idr"] == pytest.approx(active * PER_YEAR)        # about Rp1.06 billion a year
    assert row["cost_idr"] / row["apbd_idr"] < 0.001                  # well under 0.1 % of an assumed APBD


def test_row_outside_the_projection_is_refused():
    p = project(default_scenario())
    with pytest.raises(ValidationError) as err:
        p.row(2040)
    assert err.value.field == "year"


def test_horizon_inside_the_history_is_refused(make_scenario):
    s = make_scenario([ONE], start_year=2024, horizon_year=2025)
    with pytest.raises(ValidationError) as err:
        project(s)
    assert err.value.field == "horizon_year"


def test_scenario_and_region_must_match(make_scenario):
    with pytest.raises(ValidationError) as err:
        project(make_scenario([ONE]), load_region("kalbar"))
    assert err.value.field == "region"


def test_kalbar_projects_too():
    t = project(scenario_from_region("kalbar", agreement_only=False)).table
    assert t["year"].iloc[0] == 2026 and (t["coverage_pct"] > t["baseline_coverage_pct"]).all()


# ---------------------------------------------------------------------------- properties over random scenarios
share = st.floats(0, 1)
group = st.fixed_dictionaries({
    "members": st.integers(0, 2_000_000),
    "take_up": share, "dropout": share, "already_covered": share,
    "start_year": st.integers(2026, 2030), "phase_in_years": st.integers(1, 5), "priority": st.integers(1, 4),
})
scenarios = st.fixed_dictionaries({
    "groups": st.lists(group, min_size=1, max_size=4),
    "city_share": share,
    "takeup_elasticity": share,
    "horizon_year": st.integers(2026, 2040),
    "budget_cap_idr": st.none() | st.floats(0, 5e11),
    "compliance_mode": st.sampled_from(["none", "count", "share"]),
    "compliance_per_year": st.floats(0, 1),
    "worker_growth_pct": st.floats(-5, 5),
})


def build(make_scenario, d):
    d = dict(d)
    return make_scenario(d.pop("groups"), **d)


@FAST
@given(d=scenarios)
def test_coverage_stays_between_0_and_100_with_ordered_bands(make_scenario, d):
    t = project(build(make_scenario, d)).table
    for cols in (QUANTILE_COLUMNS, BASELINE_COLUMNS):
        values = t[cols].to_numpy()
        assert ((values >= 0) & (values <= 100)).all()
        assert (np.diff(values, axis=1) >= -1e-9).all(), "low95 <= low <= median <= high <= high95"
    assert (t["coverage_pct"] >= t["baseline_coverage_pct"] - 1e-9).all()   # PBI never removes cover
    assert (t["pbi_added_net"] <= t["pbi_participants"] + 1e-9).all()
    assert (t["cost_idr"] <= t["contributions_idr"] + 1e-6).all()


@FAST
@given(d=scenarios, data=st.data())
def test_more_members_never_lowers_coverage(make_scenario, d, data):
    # Under a binding cap, extra members of a high-priority group that is mostly covered already push out
    # a lower-priority group that is not, and coverage falls (a design question, see the report): with a
    # cap, all groups share one already-covered share here.
    if d["budget_cap_idr"] is not None:
        d = {**d, "groups": [{**g, "already_covered": d["groups"][0]["already_covered"]} for g in d["groups"]]}
    i = data.draw(st.integers(0, len(d["groups"]) - 1))
    extra = data.draw(st.integers(1, 1_000_000))
    more = {**d, "groups": [{**g, "members": g["members"] + extra} if j == i else g for j, g in enumerate(d["groups"])]}
    a, b = project(build(make_scenario, d)).table, project(build(make_scenario, more)).table
    for col in QUANTILE_COLUMNS:
        assert (b[col] >= a[col] - 1e-9).all(), col


@FAST
@given(d=scenarios)
def test_cost_is_linear_in_members_without_a_cap(make_scenario, d):
    d = {**d, "budget_cap_idr": None}
    double = {**d, "groups": [{**g, "members": 2 * g["members"]} for g in d["groups"]]}
    a, b = project(build(make_scenario, d)).table, project(build(make_scenario, double)).table
    assert np.allclose(b["cost_idr"], 2 * a["cost_idr"], rtol=1e-9, atol=1e-3)
    assert np.allclose(b["pbi_participants"], 2 * a["pbi_participants"], rtol=1e-9, atol=1e-9)
    assert np.allclose(b["claims_idr"], 2 * a["claims_idr"], rtol=1e-9, atol=1e-3)


@FAST
@given(d=scenarios, cap=st.floats(0, 5e9))
def test_cost_never_exceeds_the_cap(make_scenario, d, cap):
    t = project(build(make_scenario, {**d, "budget_cap_idr": cap})).table
    free = project(build(make_scenario, {**d, "budget_cap_idr": None})).table
    assert (t["cost_idr"] <= cap + 1e-3).all()
    assert (t["cost_idr"] <= free["cost_idr"] + 1e-3).all()
    assert (t["budget_capped"] == (free["cost_idr"] > cap + 1e-6)).all()     # flagged exactly when it binds
    assert (t["coverage_pct"] <= free["coverage_pct"] + 1e-9).all()           # a cap never raises coverage


# ---------------------------------------------------------------------------- another parameter set, passed explicitly
def test_a_modified_parameter_set_changes_the_cost_by_hand_and_the_shipped_one_stays(make_scenario):
    # 1,000 active participants on the Rp1,000,000 floor. Shipped: JKK 1 % = Rp10,000 + JKM Rp6,800 = Rp16,800 a
    # month. Modified: JKM Rp7,000 and JKK 2 % -> Rp20,000 + Rp7,000 = Rp27,000 a month, Rp324,000 a year.
    from simulation.parameters import load_parameters

    s = make_scenario([{"members": 1_000, **FULL}], horizon_year=2027)
    shipped = load_parameters()
    changed = shipped.replace_value("bpu.jkm_flat", 7_000).replace_value("bpu.jkk_rate", 0.02)
    other = project(s, parameters=changed).table
    assert np.allclose(other["cost_idr"], 1_000 * 12 * 27_000)                     # Rp324 million a year
    assert np.allclose(other["contribution_per_person_month_idr"], 27_000)
    before = project(s).table
    assert np.allclose(before["cost_idr"], 1_000 * PER_YEAR)                        # Rp201.6 million a year
    assert project(s, parameters=shipped).table.equals(before)
    assert load_parameters().latest("bpu.jkm_flat") == 6_800 and load_parameters().latest("bpu.jkk_rate") == 0.01
    # coverage does not depend on the rates; the forecast prior is a parameter too and moves only the bands
    assert np.allclose(other["coverage_pct"], before["coverage_pct"])
    wider = project(s, parameters=shipped.replace_value("forecast.prior_sd", 0.6)).table
    assert (wider["coverage_high_pct"] - wider["coverage_low_pct"] > before["coverage_high_pct"]
            - before["coverage_low_pct"]).all()


def test_goal_seek_sensitivity_and_curve_take_the_parameter_set_too(make_scenario):
    from simulation.goalseek import cost_coverage_curve, goal_seek
    from simulation.parameters import load_parameters
    from simulation.sensitivity import sensitivity

    s = make_scenario([{"members": 1_000, **FULL}, {"members": 2_000, "in_scope": False, **FULL}])
    double = load_parameters().replace_value("bpu.jkm_flat", 6_800 * 2).replace_value("bpu.jkk_rate", 0.02)
    # the contribution doubles (Rp33,600 a month), so every cost doubles; the people do not change
    shipped_goal, other_goal = goal_seek(s, 42.0, 2028), goal_seek(s, 42.0, 2028, parameters=double)
    assert other_goal.extra_members == shipped_goal.extra_members
    assert other_goal.budget_idr == pytest.approx(2 * shipped_goal.budget_idr)
    a, b = cost_coverage_curve(s, 2028), cost_coverage_curve(s, 2028, parameters=double)
    assert np.allclose(b["cost_idr"], 2 * a["cost_idr"])
    assert np.allclose(b["coverage_pct"], a["coverage_pct"])
    x, y = sensitivity(s).set_index("assumption"), sensitivity(s, parameters=double).set_index("assumption")
    assert np.allclose(y.loc[x.index, "base_cost_idr"], 2 * x["base_cost_idr"])


# ---------------------------------------------------------------------------- the scheme record beside the model
def test_pontianak_2025_record_implies_an_incidence_about_16_times_the_assumed():
    """Rp356 million of contributions = about 1,766 person-years at Rp201,600; Rp3.06 billion of claims over them is
    Rp1.73 million a person-year, where the assumed incidence and claim sizes give Rp109,500 (0.54 x contributions)."""
    s = default_scenario()
    (c,) = claims_record(s)
    assert c.year == 2025 and c.ratio == pytest.approx(3.06e9 / 356e6)
    assert c.person_years == pytest.approx(356e6 / 201_600)
    assert c.model_claims_per_person_year_idr == pytest.approx(s.jkm_incidence * s.jkm_claim_idr
                                                               + s.jkk_incidence * s.jkk_claim_idr)
    assert c.model_ratio == pytest.approx(project(s).table["claims_to_contributions"].iloc[0])   # same basis
    assert c.multiplier == pytest.approx(c.ratio / c.model_ratio)
    assert c.multiplier == pytest.approx(15.8, abs=0.1)
    # with the implied incidence the model gives back the record's claims for the record's person-years
    implied = s.replace(jkm_incidence=c.jkm_incidence, jkk_incidence=c.jkk_incidence)
    assert project(implied).table["claims_to_contributions"].iloc[0] == pytest.approx(c.ratio)
    assert claims_record(s, dataclasses.replace(load_region("pontianak"), scheme_record=())) == ()
