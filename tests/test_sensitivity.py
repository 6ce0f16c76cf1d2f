"""Which assumptions move the result most (the tornado chart): each one set low and high, all else kept."""

from __future__ import annotations

import math

import pytest

from simulation.projection import claims_record, project
from simulation.scenario import default_scenario
from simulation.sensitivity import sensitivity

ASSUMPTIONS = {"take_up", "dropout", "worker_growth", "incidence", "indexation", "already_covered",
               "takeup_elasticity", "trend"}


@pytest.fixture(scope="module")
def agreement():
    return default_scenario()


@pytest.fixture(scope="module")
def table(agreement):
    return sensitivity(agreement).set_index("assumption")


def test_one_row_per_assumption(table):
    assert set(table.index) == ASSUMPTIONS
    assert len(table) == len(ASSUMPTIONS)
    assert (table["year"] == 2030).all()                       # the final projected year


def test_rows_are_sorted_by_their_swing_in_coverage(agreement):
    swings = sensitivity(agreement)["coverage_swing_pp"].tolist()
    assert swings == sorted(swings, reverse=True)


def test_base_columns_are_the_scenarios_own_final_year(agreement, table):
    final = project(agreement).final
    assert table["base_coverage_pct"].tolist() == pytest.approx([final["coverage_pct"]] * len(table))
    assert table["base_cost_idr"].tolist() == pytest.approx([final["cost_idr"]] * len(table))
    assert table["base_claims_idr"].tolist() == pytest.approx([final["claims_idr"]] * len(table))


def test_incidence_changes_claims_but_not_coverage_or_cost(table):
    row = table.loc["incidence"]
    assert row["coverage_low_pct"] == pytest.approx(row["coverage_high_pct"])
    assert row["cost_low_idr"] == pytest.approx(row["cost_high_idr"])
    # claims scale with incidence: half, and up to what Pontianak's 2025 record implies (about 15.8 times the
    # assumed incidence: claims 8.6 times contributions where the assumptions give 0.54 times)
    implied = claims_record(default_scenario())[0].multiplier
    assert implied == pytest.approx(15.8, abs=0.1)
    assert row["claims_low_idr"] == pytest.approx(row["base_claims_idr"] * 0.5)
    assert row["claims_high_idr"] == pytest.approx(row["base_claims_idr"] * implied)
    assert (row["low_label"], row["high_label"]) == ("×0.5", "×15.8")


def test_without_a_record_the_incidence_range_is_half_to_double(agreement):
    import dataclasses

    from simulation.data import load_region
    region = dataclasses.replace(load_region("pontianak"), scheme_record=())
    row = sensitivity(agreement, region).set_index("assumption").loc["incidence"]
    assert row["claims_high_idr"] == pytest.approx(row["base_claims_idr"] * 2)
    assert (row["low_label"], row["high_label"]) == ("×0.5", "×2")


def test_take_up_moves_coverage_cost_and_claims_together(table):
    row = table.loc["take_up"]
    assert row["coverage_low_pct"] < row["base_coverage_pct"] <= row["coverage_high_pct"]
    assert row["cost_low_idr"] < row["base_cost_idr"] <= row["cost_high_idr"]
    assert row["claims_low_idr"] < row["claims_high_idr"]


def test_more_people_already_covered_means_less_added_coverage_for_the_same_cost(table):
    row = table.loc["already_covered"]
    assert row["coverage_low_pct"] > row["coverage_high_pct"]          # "x0.5" gives more, "x1.5" less
    assert row["cost_low_idr"] == pytest.approx(row["cost_high_idr"])   # the city pays for everyone enrolled


def test_faster_worker_growth_lowers_the_coverage_rate(table):
    row = table.loc["worker_growth"]
    assert row["coverage_low_pct"] > row["coverage_high_pct"]
    assert row["cost_low_idr"] == pytest.approx(row["cost_high_idr"])


def test_trend_row_is_the_forecasts_own_80_percent_range(agreement, table):
    final = project(agreement).final
    assert table.loc["trend", "coverage_low_pct"] == pytest.approx(final["coverage_low_pct"])
    assert table.loc["trend", "coverage_high_pct"] == pytest.approx(final["coverage_high_pct"])
    # on a three-year history the trend is by far the largest uncertainty
    assert table["coverage_swing_pp"].idxmax() == "trend"


def test_indexation_does_not_touch_the_bpu_floor(table):
    # the Rp1,000,000 floor is a fixed regulatory amount: indexing wages changes nothing
    row = table.loc["indexation"]
    assert row["cost_low_idr"] == pytest.approx(row["cost_high_idr"])
    assert row["coverage_swing_pp"] == pytest.approx(0)


def test_indexation_moves_the_cost_on_the_minimum_wage_base(agreement):
    # on the UMK base, 2030 is four years after the last published UMK (2026): 0 % vs 10 % a year
    on_umk = agreement.replace(base="min_wage")
    row = sensitivity(on_umk).set_index("assumption").loc["indexation"]
    assert row["cost_high_idr"] > row["cost_low_idr"]
    # BPU JKK is 1 % of the declared wage, JKM stays Rp6,800: the JKK part grows by 1.1^4
    active = project(on_umk).final["pbi_participants"]
    jkk_low = 0.01 * 3_205_220 * 12 * active
    assert row["cost_high_idr"] - row["cost_low_idr"] == pytest.approx(jkk_low * (1.1**4 - 1))
    assert row["coverage_low_pct"] == pytest.approx(row["coverage_high_pct"])   # cost, not coverage


def test_takeup_elasticity_matters_only_when_participants_pay(agreement, table):
    assert table.loc["takeup_elasticity", "coverage_swing_pp"] == pytest.approx(0)   # the city pays all
    half = sensitivity(agreement.replace(city_share=0.5)).set_index("assumption").loc["takeup_elasticity"]
    assert half["coverage_low_pct"] > half["coverage_high_pct"]


def test_sensitivity_works_at_the_edge_of_the_allowed_worker_growth(agreement):
    # +-1 point around 20 %/year must stay inside the scenario's allowed range, not raise
    row = sensitivity(agreement.replace(worker_growth_pct=20.0)).set_index("assumption").loc["worker_growth"]
    assert row["high_label"] == "+20.0 %"
    assert row["low_label"] == "+19.0 %"


def test_a_scenario_expecting_almost_no_claims_gets_finite_incidence_variants():
    """Pontianak's scheme record paid claims; a scenario whose incidence is the smallest float expects so few that
    the record's multiple of it overflows to inf (Hypothesis found a tornado bar labelled ×inf): such a year
    implies nothing, and the range stays ×0.5 .. ×2."""
    from simulation.data import load_region

    region = load_region("pontianak")
    s = default_scenario().replace(jkm_incidence=5e-324, jkk_incidence=0.0)
    assert [c.multiplier for c in claims_record(s, region)] == [math.inf]   # the case this test is about
    row = sensitivity(s, region).set_index("assumption").loc["incidence"]
    assert (row["low_label"], row["high_label"]) == ("×0.5", "×2")
    assert math.isfinite(row["claims_low_idr"]) and math.isfinite(row["claims_high_idr"])
