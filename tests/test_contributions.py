"""What the city pays per person, as tables a BPJS Ketenagakerjaan officer can check line by line.

Legal basis: PP 44/2015 as amended by PP 82/2019 and PP 49/2023 (JKK, JKM), PP 46/2015 (JHT),
Permenaker 5/2021 (informal participants, BPU), PP 49/2020 (99 % discount Aug 2020 - Jan 2021).
Amounts in Rp; "per month" unless the test says "a year".
"""

from __future__ import annotations

import datetime as dt

import pytest

from simulation.contributions import base_for_year, monthly_contribution, yearly_contribution
from simulation.data import load_region
from simulation.errors import ValidationError
from simulation.projection import project

ON = dt.date(2026, 3, 1)          # an ordinary month with no discount in force
UMK_PONTIANAK_2026 = 3_205_220    # wage council recommendation, decree pending [M]


# ---------------------------------------------------------------------------- one person, one month
@pytest.mark.parametrize(
    ("route", "declared_income", "jkk", "jkm", "jht", "total"),
    [
        # BPU on the Rp1,000,000 floor: JKK 1 % = 10,000 + JKM flat 6,800 = 16,800 (Permenaker 5/2021)
        ("bpu", 1_000_000, 10_000, 6_800, 0, 16_800),
        # ... with the optional JHT, 2 % of declared income = 20,000 (PP 46/2015): 36,800
        ("bpu_jht", 1_000_000, 10_000, 6_800, 20_000, 36_800),
        # declared income below the floor: the floor is used, so still 16,800 / 36,800
        ("bpu", 500_000, 10_000, 6_800, 0, 16_800),
        ("bpu", 0, 10_000, 6_800, 0, 16_800),
        ("bpu_jht", 750_000, 10_000, 6_800, 20_000, 36_800),
        # BPU declaring the Pontianak UMK 2026: JKK 1 % = 32,052.2 + JKM 6,800 = 38,852.2
        ("bpu", UMK_PONTIANAK_2026, 32_052.2, 6_800, 0, 38_852.2),
        # ... with JHT 2 % = 64,104.4: 102,956.6
        ("bpu_jht", UMK_PONTIANAK_2026, 32_052.2, 6_800, 64_104.4, 102_956.6),
        # JKM does not grow with income: Rp6,800 flat (PP 44/2015 as amended by PP 82/2019)
        ("bpu", 5_000_000, 50_000, 6_800, 0, 56_800),
    ],
)
def test_bpu_contribution_per_month(route, declared_income, jkk, jkm, jht, total):
    c = monthly_contribution(route, declared_income, ON)
    assert c.jkk == pytest.approx(jkk)
    assert c.jkm == pytest.approx(jkm)
    assert c.jht == pytest.approx(jht)
    assert c.total == pytest.approx(total)
    assert c.base == max(declared_income, 1_000_000)


@pytest.mark.parametrize(
    ("risk_class", "jkk_rate", "total_on_1m"),
    [
        # PP 44/2015 Annex I: JKK by risk class of the work environment; JKM 0.30 % of wage
        (1, 0.0024, 5_400),    # very low risk: 0.24 % + 0.30 % = 0.54 % -> Rp5,400 on Rp1,000,000
        (2, 0.0054, 8_400),    # low: 0.54 % + 0.30 %
        (3, 0.0089, 11_900),   # medium: 0.89 % + 0.30 %
        (4, 0.0127, 15_700),   # high: 1.27 % + 0.30 %
        (5, 0.0174, 20_400),   # very high: 1.74 % + 0.30 %
    ],
)
def test_wage_earner_contribution_by_risk_class(risk_class, jkk_rate, total_on_1m):
    c = monthly_contribution("pu", 1_000_000, ON, risk_class=risk_class)
    assert c.jkk == pytest.approx(jkk_rate * 1_000_000)
    assert c.jkm == pytest.approx(3_000)
    assert c.jht == 0
    assert c.total == pytest.approx(total_on_1m)


def test_wage_earner_route_has_no_floor():
    # PU contributions are a share of the nominal wage itself: half the wage, half the contribution
    assert monthly_contribution("pu", 500_000, ON).total == pytest.approx(2_700)


def test_wage_earner_on_the_pontianak_umk():
    # some cities use the UMK as the nominal wage: 0.54 % of 3,205,220 = 17,308.188
    assert monthly_contribution("pu", UMK_PONTIANAK_2026, ON).total == pytest.approx(17_308.188)


# ---------------------------------------------------------------------------- the PP 49/2020 discount
@pytest.mark.parametrize(
    ("month", "total"),
    [
        (dt.date(2020, 7, 1), 16_800),   # before the discount
        (dt.date(2020, 8, 1), 168),      # first discount month: JKK 1 % of 1 % = 100 + JKM 1 % of 6,800 = 68
        (dt.date(2020, 9, 1), 168),
        (dt.date(2021, 1, 1), 168),      # last discount month
        (dt.date(2021, 2, 1), 16_800),   # full rates again
    ],
)
def test_pp_49_2020_cut_bpu_contributions_by_99_percent(month, total):
    assert monthly_contribution("bpu", 1_000_000, month).total == pytest.approx(total)


def test_yearly_contribution_of_2020_counted_month_by_month():
    # January-July at full rates, August-December at 1 % of them (PP 49/2020)
    by_hand = 7 * 16_800 + 5 * 168
    assert by_hand == 118_440
    assert yearly_contribution("bpu", 1_000_000, 2020) == pytest.approx(by_hand)


def test_yearly_contribution_of_2021_has_one_discounted_month():
    assert yearly_contribution("bpu", 1_000_000, 2021) == pytest.approx(168 + 11 * 16_800)


@pytest.mark.parametrize(
    ("route", "year", "per_year"),
    [
        ("bpu", 2026, 201_600),       # 12 x 16,800: the figure behind "Rp201,600 a year" in city budgets
        ("bpu", 2030, 201_600),       # no rate change is known after 2021
        ("bpu_jht", 2026, 441_600),   # 12 x 36,800
    ],
)
def test_yearly_contribution_on_the_floor(route, year, per_year):
    assert yearly_contribution(route, 1_000_000, year) == pytest.approx(per_year)


# ---------------------------------------------------------------------------- the base the rates apply to
def test_base_by_year():
    pontianak = load_region("pontianak")
    kw = {"region": pontianak, "custom_idr": 2_000_000, "indexation_pct": 5.0, "first_year": 2026}
    assert base_for_year("floor", 2030, **kw) == 1_000_000                       # the floor does not index
    assert base_for_year("min_wage", 2025, **kw) == 3_024_820                    # published UMK 2025
    assert base_for_year("min_wage", 2026, **kw) == UMK_PONTIANAK_2026           # published UMK 2026
    assert base_for_year("min_wage", 2028, **kw) == pytest.approx(UMK_PONTIANAK_2026 * 1.05**2)
    assert base_for_year("custom", 2026, **kw) == 2_000_000
    assert base_for_year("custom", 2027, **kw) == pytest.approx(2_100_000)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: monthly_contribution("bpjs", 1_000_000, ON), "contribution.route"),
        (lambda: monthly_contribution("bpu", -1, ON), "contribution.base"),
        (lambda: monthly_contribution("bpu", float("nan"), ON), "contribution.base"),
        (lambda: monthly_contribution("pu", 1_000_000, ON, risk_class=6), "contribution.risk_class"),
        (lambda: base_for_year("min_wage", 2026, region=None, custom_idr=0, indexation_pct=0, first_year=2026),
         "contribution.base"),
        (lambda: base_for_year("salary", 2026, region=None, custom_idr=0, indexation_pct=0, first_year=2026),
         "contribution.base"),
    ],
)
def test_impossible_contribution_questions_are_refused(call, field):
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.field == field


# ---------------------------------------------------------------------------- a whole group for a year
def test_ten_thousand_informal_workers_cost_two_billion_a_year(make_scenario):
    # 10,000 people x Rp16,800 x 12 months = Rp2,016,000,000 (everyone enrolled, nobody drops out)
    s = make_scenario([{"members": 10_000, "take_up": 1, "dropout": 0, "already_covered": 0}], city_share=1)
    row = project(s).row(2027)
    assert row["pbi_participants"] == pytest.approx(10_000)
    assert row["contribution_per_person_month_idr"] == pytest.approx(16_800)
    assert row["cost_idr"] == pytest.approx(2_016_000_000, abs=0.5)


def test_group_on_the_umk_as_wage_earners_costs_the_pu_rate(make_scenario):
    # 1,000 people enrolled as PU class 1 on the UMK 2026: 0.54 % x 3,205,220 x 12 x 1,000
    s = make_scenario([{"members": 1_000, "take_up": 1, "dropout": 0, "already_covered": 0}],
                      route="pu", risk_class=1, base="min_wage")
    row = project(s).row(2026)
    assert row["contribution_per_person_month_idr"] == pytest.approx(17_308.188)
    assert row["cost_idr"] == pytest.approx(17_308.188 * 12 * 1_000)


# ---------------------------------------------------------------------------- another parameter set
def test_rates_come_from_the_parameter_set_passed_and_the_shipped_one_is_untouched():
    from simulation.parameters import load_parameters

    shipped = load_parameters()
    raised = shipped.replace_value("bpu.income_floor", 1_500_000).replace_value("bpu.jkm_flat", 10_000)
    # floor Rp1,500,000: JKK 1 % = 15,000 + JKM 10,000 = 25,000; JHT 2 % = 30,000 more
    assert monthly_contribution("bpu", 1_000_000, ON, parameters=raised).total == pytest.approx(25_000)
    assert monthly_contribution("bpu_jht", 0, ON, parameters=raised).total == pytest.approx(55_000)
    assert yearly_contribution("bpu", 1_000_000, 2026, parameters=raised) == pytest.approx(12 * 25_000)
    kw = {"region": None, "custom_idr": 0, "indexation_pct": 0, "first_year": 2026}
    assert base_for_year("floor", 2026, **kw, parameters=raised) == 1_500_000
    # the shipped set still gives the regulation's Rp16,800
    assert monthly_contribution("bpu", 1_000_000, ON).total == pytest.approx(16_800)
    assert monthly_contribution("bpu", 1_000_000, ON, parameters=shipped).total == pytest.approx(16_800)


def test_custom_base_is_indexed_from_its_own_year():
    """Rp2,000,000 set for 2025 at 5 %, scenario from 2026: 2,100,000 in 2026 and 2,205,000 in 2027 (issue 11,
    item 7); without a year of its own the amount holds in the first year (2,000,000 in 2026)."""
    kw = dict(region=None, custom_idr=2_000_000, indexation_pct=5.0, first_year=2026)
    assert base_for_year("custom", 2026, custom_year=2025, **kw) == pytest.approx(2_100_000)
    assert base_for_year("custom", 2027, custom_year=2025, **kw) == pytest.approx(2_205_000)
    assert base_for_year("custom", 2026, **kw) == pytest.approx(2_000_000)
    assert base_for_year("custom", 2027, custom_year=None, **kw) == pytest.approx(2_100_000)
