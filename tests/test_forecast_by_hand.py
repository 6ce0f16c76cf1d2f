"""The baseline forecast (simulation/forecast.py) and its calibration (simulation/calibration.py) checked
against values worked out by hand.

Written for the mutation sample of issue 16 (docs/TESTING.md): each test says what a user depends on (the centre
and bands of a 2- or 3-point history, the chance of a target, each refusal's code and values that the pages
translate, the notes the CLI and the exports print, the backtest's and the calibration's figures) and computes
the expected value independently: the formulas of docs/FORECAST.md written out with math/NumPy, Student-t
quantiles from SciPy, fits from statsmodels called directly. Shares are fractions 0..1; "pp" = percentage points.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest
from scipy import stats
from scipy.special import expit

from simulation import calibration, forecast
from simulation.calibration import backtest, simulate_series, synthetic_calibration
from simulation.errors import ValidationError
from simulation.forecast import fit_forecast

SHIPPED = {"prior_sd": 0.315, "prior_weight": 21.0, "drift_mean": -0.009, "drift_sd": 0.066}
FLAT = {"prior_sd": 0.07, "prior_weight": 3.0, "drift_mean": 0.0, "drift_sd": math.inf}
WIDE = {"prior_sd": 3.0, "prior_weight": 2.0, "drift_mean": 0.0, "drift_sd": 0.5}
LEVELS = (0.5, 0.1, 0.9, 0.025, 0.975)   # median, 80 % band, 95 % band
PONTIANAK = ([2023, 2024, 2025], [0.3835, 0.4086, 0.40])
#: a real series of the calibration set on one base (Sulawesi Selatan, BPJS, 2022-2025)
SULSEL = ([2022, 2023, 2024, 2025], [0.40, 0.4791, 0.404, 0.4738])


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def by_hand(years, shares, horizon, prior_sd, prior_weight, drift_mean, drift_sd, breaks=()):
    """docs/FORECAST.md, steps 1-6, written out: changes on one base, their g-weighted mean, the pooled sd, the
    shrunk drift, the Student-t centre and scale per forecast year."""
    pts = sorted(zip(years, shares, strict=True))
    ys = [y for y, _ in pts]
    z = [logit(min(max(s, 1e-4), 1 - 1e-4)) for _, s in pts]
    ch = [(ys[i] - ys[i - 1], (z[i] - z[i - 1]) / (ys[i] - ys[i - 1])) for i in range(1, len(ys))
          if ys[i] not in breaks]
    n_eff = sum(g for g, _ in ch)
    own = sum(g * d for g, d in ch) / n_eff if ch else 0.0
    ssr = sum(g * (d - own) ** 2 for g, d in ch)
    dof = len(ch) - 1 if len(ch) >= 2 else 0
    df = dof + prior_weight
    s2 = (ssr + prior_weight * prior_sd ** 2) / df
    if drift_sd == math.inf:
        drift, var = own, s2 / n_eff
    else:
        precision = 1 / drift_sd ** 2 + n_eff / s2
        drift, var = (drift_mean / drift_sd ** 2 + n_eff * own / s2) / precision, 1 / precision
    hs = range(1, horizon - ys[-1] + 1)
    loc = [z[-1] + h * drift for h in hs]
    scale = [math.sqrt(s2 * h + h * h * var) for h in hs]
    return {"drift": drift, "drift_se": math.sqrt(var), "sigma": math.sqrt(s2), "df": df, "loc": loc,
            "scale": scale, "years": tuple(range(ys[-1] + 1, horizon + 1))}


def bands(loc, scale, df):
    """median, 80 % low/high, 95 % low/high: the logistic of the Student-t quantiles (SciPy)."""
    return [float(expit(loc + scale * stats.t.ppf(q, df))) for q in LEVELS]


def refusal(call):
    with pytest.raises(ValidationError) as err:
        call()
    e = err.value
    return e.field, e.code, e.params, e.message


# ---------------------------------------------------------------------------- centre and bands of short histories
@pytest.mark.parametrize(("years", "shares", "prior", "breaks"), [
    (*PONTIANAK, SHIPPED, ()),                                     # 3 points, the shipped prior
    ([2024, 2025], [0.4086, 0.40], SHIPPED, ()),                    # 2 points
    ([2021, 2024, 2025], [0.47, 0.4086, 0.40], SHIPPED, ()),        # a 3-year gap weighs 3 years
    ([2025, 2024], [0.40, 0.4086], FLAT, ()),                       # flat drift prior, unsorted input
    ([2022, 2023, 2025], [0.36, 0.41, 0.29], {**SHIPPED, "drift_sd": 0.2}, (2025,)),   # a new base in 2025
    (SULSEL[0], SULSEL[1], {"prior_sd": 0.2, "prior_weight": 0.0, "drift_mean": 0.1, "drift_sd": 0.3}, ()),
])
def test_centre_and_bands_of_a_short_history_are_the_documented_formulas(years, shares, prior, breaks):
    fc = fit_forecast(years, shares, 2029, breaks=breaks, **prior)
    exp = by_hand(years, shares, 2029, **prior, breaks=breaks)
    assert fc.years == exp["years"]
    for key in ("drift", "drift_se", "sigma", "df"):
        assert getattr(fc, key) == pytest.approx(exp[key], rel=1e-9, abs=1e-12), key
    assert fc.loc == pytest.approx(exp["loc"], rel=1e-9) and fc.scale == pytest.approx(exp["scale"], rel=1e-9)
    table = fc.table()
    forecast_rows = table[table["kind"] == "forecast"]
    for i, year in enumerate(exp["years"]):
        want = bands(exp["loc"][i], exp["scale"][i], exp["df"])
        assert [fc.quantile_at(year, q) for q in LEVELS] == pytest.approx(want, rel=1e-9)
        row = forecast_rows.iloc[i]
        assert [row[c] for c in ("median_pct", "low80_pct", "high80_pct", "low95_pct", "high95_pct")] == \
            pytest.approx([100 * v for v in want], rel=1e-9)
        assert fc.prob_at_least(year, 0.45) == pytest.approx(
            stats.t.sf((logit(0.45) - exp["loc"][i]) / exp["scale"][i], exp["df"]), rel=1e-9)
    for q in LEVELS:
        assert list(fc.quantile(q)) == pytest.approx(
            [bands(lo, sc, exp["df"])[LEVELS.index(q)] for lo, sc in zip(exp["loc"], exp["scale"], strict=True)],
            rel=1e-9)
    assert list(fc.median()) == pytest.approx(list(fc.quantile(0.5)))


def test_pontianak_baseline_is_the_table_of_the_forecast_document():
    """docs/FORECAST.md: drift -0.005 (se 0.063), sigma 0.308, df 22; 2026 median 39.9 %, 80 % band 30.4-50.1 %,
    95 % band 25.7-56.0 %; 2027 39.7 % (26.6-54.6, 20.5-62.9); 2029 39.5 % (21.3-61.2, 14.1-72.2); P(>= 45 % in
    2026) about 0.26."""
    fc = fit_forecast(*PONTIANAK, 2029)
    assert (round(fc.drift, 3), round(fc.drift_se, 3), round(fc.sigma, 3), fc.df) == (-0.005, 0.063, 0.308, 22.0)
    for year, want in ((2026, [39.9, 30.4, 50.1, 25.7, 56.0]), (2027, [39.7, 26.6, 54.6, 20.5, 62.9]),
                       (2029, [39.5, 21.3, 61.2, 14.1, 72.2])):
        assert [round(100 * fc.quantile_at(year, q), 1) for q in LEVELS] == want
    assert round(fc.prob_at_least(2026, 0.45), 2) == 0.26
    assert fc.history_years == (2023, 2024, 2025) and fc.history_shares == (0.3835, 0.4086, 0.40)
    assert fc.short_history is True and fc.break_years == ()


def test_the_prior_defaults_are_the_shipped_ones_one_keyword_at_a_time():
    """A keyword left out takes data/parameters.yaml's value, the others are the caller's."""
    assert forecast.shipped_prior() == SHIPPED
    base = fit_forecast(*PONTIANAK, 2028)
    for key, value in (("prior_sd", 0.5), ("prior_weight", 5.0), ("drift_mean", 0.1), ("drift_sd", 0.2)):
        one = fit_forecast(*PONTIANAK, 2028, **{key: value})
        exp = by_hand(*PONTIANAK, 2028, **{**SHIPPED, key: value})
        assert (one.drift, one.sigma, one.df) == pytest.approx((exp["drift"], exp["sigma"], exp["df"]), rel=1e-9)
        assert one.loc != base.loc or one.scale != base.scale


def test_a_history_without_spread_gives_a_certain_trend():
    """Three points at exactly 50 % with no prior weight: the data fix the trend exactly (no change, sd 0), whatever
    the drift prior says; the band has no width."""
    for drift_sd in (0.05, math.inf):
        fc = fit_forecast([2023, 2024, 2025], [0.5, 0.5, 0.5], 2027, prior_sd=0.3, prior_weight=0, drift_mean=0.1,
                          drift_sd=drift_sd)
        assert (fc.drift, fc.drift_se, fc.sigma, fc.df) == (0.0, 0.0, 0.0, 1.0)
        assert fc.loc == (0.0, 0.0) and fc.scale == (0.0, 0.0)
        assert fc.prob_at_least(2026, 0.5) == 1.0 and fc.prob_at_least(2026, 0.5001) == 0.0
        assert fc.quantile_at(2027, 0.9) == 0.5


def test_shares_too_close_to_0_or_100_are_clipped_both_ways():
    """Shares are held inside [0.01 %, 99.99 %]: a history value below is read as 0.01 % (its logit is the
    centre's start), a band that would go below 0.01 % or above 99.99 % stops there."""
    fc = fit_forecast([2024, 2025], [0.3, 1e-7], 2026, **WIDE)
    assert fc.loc[0] == pytest.approx(logit(1e-4) + fc.drift, rel=1e-12)
    assert fc.quantile_at(2026, 0.001) == 1e-4 and fc.quantile_at(2025, 0.5) == 1e-7
    high = fit_forecast([2024, 2025], [0.7, 0.99999999], 2026, **WIDE)
    assert high.loc[0] == pytest.approx(logit(1 - 1e-4) + high.drift, rel=1e-12)
    assert high.quantile_at(2026, 0.999) == 1 - 1e-4
    assert list(high.quantile(0.999)) == [1 - 1e-4]


# ---------------------------------------------------------------------------- the notes the forecast returns
def _short(n, span, m, prior=SHIPPED):
    return (f"short history: only {n} points ({span}), so the trend rests on {m} {'change' if m == 1 else 'changes'}"
            f" on one base and leans on what comparable regions did (yearly sd {prior['prior_sd']:g} on the logit "
            f"scale, worth {prior['prior_weight']:g} extra changes; drift {prior['drift_mean']:+g} ± "
            f"{prior['drift_sd']:g} a year); treat the forecast as a rough baseline.")


def test_notes_of_a_three_point_history():
    fc = fit_forecast(*PONTIANAK, 2030)
    assert fc.warning_codes == ("short_history",)
    assert fc.warnings == (_short(3, "2023–2025", 2),)
    assert fc.method == ("random walk with drift on logit(share), own mean change by statsmodels WLS, drift prior "
                         "N(-0.009, 0.066²), sd pooled with prior (sd 0.315, weight 21), Student-t predictive (df 22)")


def test_notes_of_a_two_point_history():
    fc = fit_forecast([2024, 2025], [0.4086, 0.40], 2030, **FLAT)
    assert fc.warning_codes == ("short_history", "two_points")
    assert fc.warnings == (
        _short(2, "2024–2025", 1, FLAT),
        "With 2 points the year-to-year variation cannot be measured from the data at all: the band width comes "
        "from the variation measured on other regions' series.")
    assert fc.method == ("random walk with drift on logit(share), own mean change by the single observed change, "
                         "flat drift prior, sd pooled with prior (sd 0.07, weight 3), Student-t predictive (df 3)")


def test_every_note_in_its_order():
    """A clipped share, a new base, a gap, a high last share and no forecast year: one note each, in this order,
    after the short-history note."""
    prior = {"prior_sd": 0.3, "prior_weight": 20.0, "drift_mean": 0.02, "drift_sd": 0.05}
    fc = fit_forecast([2018, 2020, 2021, 2023], [1e-6, 0.5, 0.6, 0.95], 2023, breaks=[2023], **prior)
    assert fc.warning_codes == ("short_history", "share_clipped", "base_break", "history_gaps", "high_share",
                                "no_forecast_years")
    assert fc.warnings == (
        _short(4, "2018–2023", 2, prior),
        "The share for 2018 (0.0001%) is too close to 0% or 100% for the model and was treated as 0.01%.",
        "The base of the coverage figures (what the percentage is of) changes in 2023: the jump into that year is "
        "not read as a trend; the forecast starts from the 2023 level and takes its trend from changes on one base.",
        "Gaps in the history (no value for 2019): a change across a gap is spread evenly over its years and "
        "weighted by its length.",
        "The last share is 95.0%: near the top a trend on the logit scale can be overconfident; read the upper "
        "band with care.",
        "The horizon year 2023 is not after the last observed year 2023: there are no forecast years.",
    )
    assert fc.years == () and fc.break_years == (2023,)
    assert fc.method.endswith("Student-t predictive (df 21), level shift at 2023")


def test_a_new_base_with_no_change_on_one_base_says_the_trend_is_the_prior():
    prior = {"prior_sd": 0.3, "prior_weight": 20.0, "drift_mean": 0.02, "drift_sd": 0.05}
    fc = fit_forecast([2023, 2024], [0.5, 0.3], 2026, breaks=[2024], **prior)
    assert fc.warning_codes == ("short_history", "base_break")
    assert fc.warnings[1] == (
        "The base of the coverage figures (what the percentage is of) changes in 2024: the jump into that year is "
        "not read as a trend; the forecast starts from the 2024 level and takes its trend from changes on one base "
        "(there are none: the trend is what comparable regions did).")
    assert fc.method == ("random walk with drift on logit(share), own mean change by no change on one base, drift "
                         "prior N(+0.02, 0.05²), sd pooled with prior (sd 0.3, weight 20), Student-t predictive "
                         "(df 20), level shift at 2024")


def test_notes_stop_exactly_at_their_thresholds():
    """6 points is not short; a last share of exactly 90 % is not high; exactly 0.01 % or 99.99 % is not clipped;
    a horizon one year on has forecast years; breaks are given in any order, once each."""
    six = fit_forecast(range(2020, 2026), [0.3, 0.31, 0.33, 0.32, 0.34, 0.9], 2026, **SHIPPED)
    assert six.warning_codes == () and six.short_history is False and six.warnings == ()
    five = fit_forecast(range(2021, 2026), [0.31, 0.33, 0.32, 0.34, 0.9001], 2026, **SHIPPED)
    assert five.warning_codes == ("short_history", "high_share") and five.short_history is True
    assert five.warnings[1].startswith("The last share is 90.0%:")
    edge = fit_forecast([2023, 2024, 2025], [1e-4, 0.5, 1 - 1e-4], 2026, **SHIPPED)
    assert "share_clipped" not in edge.warning_codes
    unordered = fit_forecast([2020, 2021, 2022, 2023], [0.3, 0.35, 0.32, 0.4], 2025, breaks=[2023, 2021, 2023],
                             **SHIPPED)
    assert unordered.break_years == (2021, 2023)
    assert "changes in 2021, 2023: the jump" in unordered.warnings[1]


def test_what_statsmodels_warns_during_the_fit_becomes_a_note(monkeypatch):
    real = forecast.linear_model.WLS

    def noisy(*args, **kwargs):
        warnings.warn("pretend small-sample warning", UserWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(forecast.linear_model, "WLS", noisy)
    forecast._wls_fit.cache_clear()
    try:
        fc = fit_forecast([2021, 2022, 2023], [0.31, 0.33, 0.32], 2024, **SHIPPED)
    finally:
        forecast._wls_fit.cache_clear()
    assert fc.warning_codes == ("short_history", "statsmodels")
    assert fc.warnings[-1] == "statsmodels warned: pretend small-sample warning"


# ---------------------------------------------------------------------------- refusals: field, code, values, message
CASES = [
    # the history
    (lambda: fit_forecast(5, [0.3], 2030), ("years", "invalid", {}, "years and shares must be sequences")),
    (lambda: fit_forecast([2024, 2025], [0.4], 2030),
     ("shares", "length_mismatch", {"years": 2, "shares": 1}, "2 years but 1 shares: give one share per year")),
    (lambda: fit_forecast([2025], [0.4], 2030, **FLAT),
     ("years", "too_few", {"min": 2, "count": 1}, "a forecast needs at least 2 observed years, got 1")),
    (lambda: fit_forecast([], [], 2030, **SHIPPED),
     ("years", "too_few", {"min": 1, "count": 0}, "a forecast needs at least 1 observed years, got 0")),
    (lambda: fit_forecast(["abc", 2025], [0.3, 0.4], 2030), ("years", "not_a_number", {}, "year 'abc' is not a number")),
    (lambda: fit_forecast([None, 2025], [0.3, 0.4], 2030), ("years", "not_a_number", {}, "year None is not a number")),
    (lambda: fit_forecast([2024.5, 2025], [0.3, 0.4], 2030),
     ("years", "not_a_number", {"value": "2024.5"}, "year 2024.5 is not a whole number")),
    (lambda: fit_forecast([math.inf, 2025], [0.3, 0.4], 2030),
     ("years", "not_a_number", {"value": "inf"}, "year inf is not a whole number")),
    (lambda: fit_forecast([2025, 2024, 2025, 2023, 2024], [0.3] * 5, 2030),
     ("years", "duplicate", {"years": "2024, 2025"}, "year 2024, 2025 appears more than once")),
    (lambda: fit_forecast([2025, 2024], [0.3, "x"], 2030),
     ("shares", "not_a_number", {"year": 2024}, "share for 2024 ('x') is not a number")),
    (lambda: fit_forecast([2025, 2024], [None, 0.3], 2030),
     ("shares", "not_a_number", {"year": 2025}, "share for 2025 (None) is not a number")),
    (lambda: fit_forecast([2024, 2025], [0.3, math.nan], 2030),
     ("shares", "not_a_number", {"year": 2025}, "share for 2025 is missing (NaN)")),
    (lambda: fit_forecast([2024, 2025], [0.3, 40.0], 2030),
     ("shares", "out_of_range", {"year": 2025, "value": 40.0, "min": 0, "max": 1},
      "share for 2025 is 40; it must be strictly between 0 and 1 (give shares as fractions 0..1, not percent)")),
    (lambda: fit_forecast([2024, 2025], [0.3, 100.0], 2030),
     ("shares", "out_of_range", {"year": 2025, "value": 100.0, "min": 0, "max": 1},
      "share for 2025 is 100; it must be strictly between 0 and 1 (give shares as fractions 0..1, not percent)")),
    (lambda: fit_forecast([2024, 2025], [0.3, 100.5], 2030),
     ("shares", "out_of_range", {"year": 2025, "value": 100.5, "min": 0, "max": 1},
      "share for 2025 is 100.5; it must be strictly between 0 and 1")),
    (lambda: fit_forecast([2024, 2025], [1.0, 0.3], 2030),
     ("shares", "out_of_range", {"year": 2024, "value": 1.0, "min": 0, "max": 1},
      "share for 2024 is 1; it must be strictly between 0 and 1")),
    (lambda: fit_forecast([2024, 2025], [0.0, 0.3], 2030),
     ("shares", "out_of_range", {"year": 2024, "value": 0.0, "min": 0, "max": 1},
      "share for 2024 is 0; it must be strictly between 0 and 1")),
    # the horizon and the prior
    (lambda: fit_forecast(*PONTIANAK, "abc"), ("horizon_year", "not_a_number", {}, "horizon year is not a number")),
    (lambda: fit_forecast(*PONTIANAK, None), ("horizon_year", "not_a_number", {}, "horizon year is not a number")),
    (lambda: fit_forecast(*PONTIANAK, 2030.5),
     ("horizon_year", "not_a_number", {}, "horizon year 2030.5 is not a whole number")),
    (lambda: fit_forecast(*PONTIANAK, math.inf),
     ("horizon_year", "not_a_number", {}, "horizon year inf is not a whole number")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_sd="abc"),
     ("prior_sd", "not_a_number", {}, "prior_sd must be a number, got 'abc'")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_sd=0),
     ("prior_sd", "not_positive", {"value": "0"}, "prior_sd must be a positive number, got 0")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_sd=math.inf),
     ("prior_sd", "not_positive", {"value": "inf"}, "prior_sd must be a positive number, got inf")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_sd="-" + "1" * 50),
     ("prior_sd", "not_positive", {"value": "-" + "1" * 39}, "prior_sd must be a positive number, got '-" + "1" * 50
      + "'")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_weight=-1),
     ("prior_weight", "negative", {"value": "-1"}, "prior weight must be 0 or more, got -1")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_weight="abc"),
     ("prior_weight", "negative", {"value": "abc"}, "prior weight must be 0 or more, got 'abc'")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_weight=[1]),
     ("prior_weight", "negative", {"value": "[1]"}, "prior weight must be 0 or more, got [1]")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_weight="-" + "2" * 50),
     ("prior_weight", "negative", {"value": "-" + "2" * 39}, "prior weight must be 0 or more, got '-" + "2" * 50
      + "'")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_sd=[1]),
     ("prior_sd", "not_a_number", {}, "prior_sd must be a number, got [1]")),
    (lambda: fit_forecast(*PONTIANAK, 2030, drift_mean=[1]),
     ("drift_mean", "not_a_number", {}, "drift mean must be a number, got [1]")),
    (lambda: fit_forecast(*PONTIANAK, 2030, breaks=[None]),
     ("breaks", "not_a_number", {}, "break year None is not a whole number")),
    (lambda: fit_forecast(*PONTIANAK, 2030, prior_weight=math.inf),
     ("prior_weight", "negative", {"value": "inf"}, "prior weight must be 0 or more, got inf")),
    (lambda: fit_forecast(*PONTIANAK, 2030, drift_mean="abc"),
     ("drift_mean", "not_a_number", {}, "drift mean must be a number, got 'abc'")),
    (lambda: fit_forecast(*PONTIANAK, 2030, drift_mean=math.nan),
     ("drift_mean", "not_a_number", {}, "drift mean must be a number, got nan")),
    (lambda: fit_forecast(*PONTIANAK, 2030, drift_sd=-math.inf),
     ("drift_sd", "not_positive", {"value": "-inf"}, "drift_sd must be a positive number, got -inf")),
    (lambda: fit_forecast([2024, 2025], [0.3, 0.4], 2030, prior_weight=0.5),
     ("prior_weight", "too_few", {"min": 1.0, "value": 0.5},
      "with 2 points the data give 0 degrees of freedom for the yearly variation; a prior weight of at least 1 is "
      "needed")),
    (lambda: fit_forecast([2023, 2024], [0.5, 0.3], 2030, breaks=[2024], **{**SHIPPED, "drift_sd": math.inf}),
     ("drift_sd", "too_few", {"min": 1, "count": 0},
      "no two points share a base, so the trend needs a prior (a finite drift_sd)")),
    # breaks
    (lambda: fit_forecast(*PONTIANAK, 2030, breaks=5), ("breaks", "invalid", {}, "breaks must be a list of years")),
    (lambda: fit_forecast(*PONTIANAK, 2030, breaks=["x"]),
     ("breaks", "not_a_number", {}, "break year 'x' is not a whole number")),
    (lambda: fit_forecast(*PONTIANAK, 2030, breaks=[2023]),
     ("breaks", "bad_break_year", {"value": 2023, "min": 2024},
      "a break must be an observed year after the first (2023), got 2023")),
    (lambda: fit_forecast(*PONTIANAK, 2030, breaks=[2026]),
     ("breaks", "bad_break_year", {"value": 2026, "min": 2024},
      "a break must be an observed year after the first (2023), got 2026")),
    (lambda: fit_forecast([2024], [0.3], 2030, breaks=[2024], **SHIPPED),
     ("breaks", "bad_break_year", {"value": 2024, "min": 2024},
      "a break must be an observed year after the first (2024), got 2024")),
    # the backtest and the calibration
    (lambda: backtest(*SULSEL, min_train=1),
     ("min_train", "too_small", {"min": 2, "value": 1}, "at least 2 training points are needed")),
    (lambda: backtest(*SULSEL, max_horizon=0),
     ("max_horizon", "too_small", {"min": 1, "value": 0}, "the horizon must be at least 1 year")),
    (lambda: synthetic_calibration(n_series=1, n_points=1),
     ("n_points", "too_small", {"min": 2, "value": 1}, "need n_points >= 2, horizon >= 1, n_series >= 1")),
    (lambda: synthetic_calibration(n_series=1, horizon=0),
     ("horizon", "too_small", {"min": 1, "value": 0}, "need n_points >= 2, horizon >= 1, n_series >= 1")),
    (lambda: synthetic_calibration(n_series=0),
     ("n_series", "too_small", {"min": 1, "value": 0}, "need n_points >= 2, horizon >= 1, n_series >= 1")),
]


@pytest.mark.parametrize(("call", "expected"), CASES)
def test_each_refusal_names_the_field_the_code_and_the_values(call, expected):
    assert refusal(call) == expected


def test_the_least_that_is_accepted_is_accepted():
    """The edges of each refusal: prior weight 0 when the data give a degree of freedom, a horizon of 1 year and 2
    training points in the backtest, a share just inside (0, 1), a whole year given as a float or a string."""
    assert fit_forecast([2023, 2024, 2025], [0.3, 0.32, 0.31], 2026, prior_weight=0).df == 1.0
    assert fit_forecast(["2024", 2025.0], [0.3, "0.31"], 2026.0).history_years == (2024, 2025)
    assert fit_forecast([2024, 2025], [1e-9, 1 - 1e-9], 2026).years == (2026,)
    assert backtest(*SULSEL, min_train=2, max_horizon=1).n_forecasts == 2
    assert fit_forecast(*PONTIANAK, 2030, drift_sd=math.inf).drift_se > 0


# ---------------------------------------------------------------------------- asking a forecast for a year or a level
def test_a_year_or_level_the_forecast_cannot_answer_is_refused():
    fc = fit_forecast(*PONTIANAK, 2030)
    assert refusal(lambda: fc.quantile_at(2026, "abc")) == (
        "q", "not_a_number", {}, "the probability level must be a number")
    assert refusal(lambda: fc.quantile(None))[:2] == ("q", "not_a_number")
    for q in (0.0, 1.0, -0.5):
        assert refusal(lambda q=q: fc.quantile(q)) == (
            "q", "out_of_range", {"min": 0, "max": 1, "value": q},
            f"the probability level must be strictly between 0 and 1, got {q!r}")
    assert refusal(lambda: fc.quantile_at(2020, 0.5)) == (
        "year", "not_observed_year", {"value": 2020, "last": 2025},
        "2020 is neither an observed year nor after the last observed year 2025")
    assert refusal(lambda: fc.prob_at_least(2026.5, 0.4)) == (
        "year", "not_a_number", {}, "year must be a whole number, got 2026.5")
    assert refusal(lambda: fc.prob_at_least("abc", 0.4)) == (
        "year", "not_a_number", {}, "year must be a whole number, got 'abc'")
    assert refusal(lambda: fc.prob_at_least(None, 0.4))[:2] == ("year", "not_a_number")
    assert refusal(lambda: fc.prob_at_least(2026, math.nan)) == ("share", "not_a_number", {}, "share is not a number")
    assert fc.quantile_at(2026.0, 1e-9) > 0 and fc.quantile_at(2023, 0.99) == 0.3835
    with pytest.raises(ValueError, match="not a forecast year"):
        fc._loc_scale(2025)
    assert fc._loc_scale(2027) == pytest.approx((fc.loc[1], fc.scale[1]), rel=1e-12)


def test_prob_at_least_edges():
    """A share of 0 % or less is reached for certain, 100 % or more never; an observed year answers from the
    observed value (reached exactly counts); a band of no width answers 1 at its centre and 0 just above."""
    fc = fit_forecast([2024, 2025], [0.002, 0.3], 2030, **WIDE)
    assert 0.0 < fc.prob_at_least(2027, 1e-4) < 1.0        # a wide band: even 0.01 % is not certain
    assert fc.prob_at_least(2027, 0.0) == 1.0 and fc.prob_at_least(2027, -0.1) == 1.0
    assert fc.prob_at_least(2027, 1.0) == 0.0 and fc.prob_at_least(2027, 1.2) == 0.0
    assert 0.0 < fc.prob_at_least(2027, 1 - 1e-4) < 1.0
    assert fc.prob_at_least(2025, 0.3) == 1.0 and fc.prob_at_least(2025, 0.3000001) == 0.0
    assert fc.prob_at_least(2024, "0.002") == 1.0
    still = dataclasses.replace(fc, sigma=0.0, drift_se=0.0, drift=0.0)
    assert still.prob_at_least(2031, 0.3) == 1.0 and still.prob_at_least(2031, 0.31) == 0.0
    assert still.prob_at_least(2031, 0.29) == 1.0


def test_the_table_lists_history_then_forecast_in_percent():
    fc = fit_forecast(*PONTIANAK, 2027)
    tab = fc.table()
    assert list(tab.columns) == ["year", "kind", "median_pct", "low80_pct", "high80_pct", "low95_pct", "high95_pct"]
    assert str(tab["year"].dtype) == "int64" and tab["year"].tolist() == [2023, 2024, 2025, 2026, 2027]
    assert tab["kind"].tolist() == ["history"] * 3 + ["forecast"] * 2
    for i, share in enumerate(PONTIANAK[1]):
        assert tab.iloc[i, 2:].tolist() == pytest.approx([100 * share] * 5)
    exp = by_hand(*PONTIANAK, 2027, **SHIPPED)
    for i in range(2):
        assert tab.iloc[3 + i, 2:].tolist() == pytest.approx(
            [100 * v for v in bands(exp["loc"][i], exp["scale"][i], 22.0)], rel=1e-9)
    none = fit_forecast(*PONTIANAK, 2025).table()
    assert none["kind"].tolist() == ["history"] * 3 and none.shape == (3, 7)


# ---------------------------------------------------------------------------- backtest on a small real series
def _backtest_rows(years, shares, min_train, max_horizon, prior):
    rows = []
    for k in range(min_train, len(years)):
        origin = years[k - 1]
        for j in range(k, len(years)):
            if years[j] - origin > max_horizon:
                continue
            exp = by_hand(years[:k], shares[:k], origin + max_horizon, **prior)
            h = years[j] - origin
            b = bands(exp["loc"][h - 1], exp["scale"][h - 1], exp["df"])
            rows.append({"origin_year": origin, "year": years[j], "horizon": h, "actual_pct": 100 * shares[j],
                         "median_pct": 100 * b[0], "low80_pct": 100 * b[1], "high80_pct": 100 * b[2],
                         "low95_pct": 100 * b[3], "high95_pct": 100 * b[4],
                         "in80": b[1] <= shares[j] <= b[2], "in95": b[3] <= shares[j] <= b[4]})
    return rows


@pytest.mark.parametrize(("series", "min_train", "max_horizon", "prior", "n", "in80", "in95"), [
    (SULSEL, 2, 5, SHIPPED, 3, 3, 3),
    (SULSEL, 2, 1, SHIPPED, 2, 2, 2),
    (SULSEL, 3, 5, SHIPPED, 1, 1, 1),
    (SULSEL, 2, 5, {"prior_sd": 0.03, "prior_weight": 3.0, "drift_mean": 0.0, "drift_sd": 0.01}, 3, 1, 2),
    (([2019, 2020, 2023], [0.30, 0.33, 0.36]), 2, 3, SHIPPED, 1, 1, 1),   # a 3-year gap after the origin
    (([2019, 2020, 2023], [0.30, 0.33, 0.36]), 2, 2, SHIPPED, 0, 0, 0),   # ... beyond a 2-year horizon
    (([2019, 2020, 2023, 2024], [0.30, 0.33, 0.36, 0.30]), 2, 2, SHIPPED, 1, 1, 1),   # ... then a later origin
])
def test_backtest_errors_and_band_coverage_by_hand(series, min_train, max_horizon, prior, n, in80, in95):
    years, shares = series
    bt = backtest(list(reversed(years)), list(reversed(shares)), min_train=min_train, max_horizon=max_horizon,
                  **prior)
    want = _backtest_rows(years, shares, min_train, max_horizon, prior)
    assert bt.n_forecasts == len(want) == len(bt.rows) == n
    for got, exp in zip(bt.rows, want, strict=True):
        assert list(got) == list(exp)
        assert got == pytest.approx(exp, rel=1e-9)
    if n == 0:
        assert bt.rows == () and all(math.isnan(v) for v in (bt.coverage80, bt.coverage95, bt.mean_abs_error_pct))
        return
    assert (bt.coverage80, bt.coverage95) == (in80 / n, in95 / n)
    assert bt.mean_abs_error_pct == pytest.approx(sum(abs(r["actual_pct"] - r["median_pct"]) for r in want) / n,
                                                  rel=1e-9)


def test_backtest_of_sulawesi_selatan_in_numbers():
    """The shipped prior on Sulawesi Selatan 2022-2025 (40 %, 47.9 %, 40.4 %, 47.4 %): three checks, all inside the
    80 % band (the first 37.7-58.6 %); the medians (48.0 %, 48.2 %, 40.2 %) miss by 7.6, 0.8 and 7.2 points
    (mean 5.2)."""
    bt = backtest(*SULSEL)
    assert [(r["origin_year"], r["year"], r["horizon"]) for r in bt.rows] == [(2023, 2024, 1), (2023, 2025, 2),
                                                                              (2024, 2025, 1)]
    assert [round(abs(r["actual_pct"] - r["median_pct"]), 1) for r in bt.rows] == [7.6, 0.8, 7.2]
    assert [round(r["median_pct"], 1) for r in bt.rows] == [48.0, 48.2, 40.2]
    assert (round(bt.rows[0]["low80_pct"], 1), round(bt.rows[0]["high80_pct"], 1)) == (37.7, 58.6)
    assert round(bt.mean_abs_error_pct, 1) == 5.2 and (bt.coverage80, bt.coverage95) == (1.0, 1.0)


# ---------------------------------------------------------------------------- synthetic series and calibration
def test_a_synthetic_series_is_the_documented_draw():
    """start ~ U(0.15, 0.60), drift ~ N(drift_mean, drift_sd), yearly sd = prior_sd * sqrt(w / chi2(w)), then a
    random walk on the logit scale; with w = 0 the sd is prior_sd itself (no chi-square draw)."""
    for prior, n, start_year in (({"prior_sd": 0.2, "prior_weight": 4.0, "drift_mean": 0.05, "drift_sd": 0.1}, 5, 2010),
                                 ({"prior_sd": 0.2, "prior_weight": 0.0, "drift_mean": 0.05, "drift_sd": 0.1}, 4, 2015),
                                 (SHIPPED, 3, 2015)):
        rng = np.random.default_rng(7)
        kw = {} if prior is SHIPPED else prior
        years, shares = simulate_series(rng, n, **({"start_year": start_year} if start_year != 2015 else {}), **kw)
        ref = np.random.default_rng(7)
        start = ref.uniform(0.15, 0.60)
        drift = ref.normal(prior["drift_mean"], prior["drift_sd"])
        w = prior["prior_weight"]
        sd = prior["prior_sd"] * math.sqrt(w / ref.chisquare(w)) if w > 0 else prior["prior_sd"]
        z = [logit(start)]
        for e in ref.standard_normal(n - 1):
            z.append(z[-1] + drift + sd * e)
        assert years == list(range(start_year, start_year + n))
        assert list(shares) == pytest.approx(list(expit(z)), rel=1e-12)
        assert rng.random() == ref.random()       # nothing more was drawn


def _calibration_by_hand(n_series, n_points, horizon, seed, truth, fit):
    rng = np.random.default_rng(seed)
    checks = []
    for _ in range(n_series):
        years, shares = simulate_series(rng, n_points + horizon, **truth)
        exp = by_hand(years[:n_points], list(shares[:n_points]), years[-1], **fit)
        for h in range(horizon):
            b = bands(exp["loc"][h], exp["scale"][h], exp["df"])
            a = shares[n_points + h]
            checks.append((h, b[1] <= a <= b[2], b[3] <= a <= b[4], 100 * abs(a - b[0]), 100 * (b[2] - b[1])))
    n = len(checks)
    by_h = [[c for c in checks if c[0] == h] for h in range(horizon)]
    return {"coverage80": sum(c[1] for c in checks) / n, "coverage95": sum(c[2] for c in checks) / n, "n": n,
            "n_series": n_series, "n_points": n_points, "horizon": horizon,
            "mean_abs_error_pct": sum(c[3] for c in checks) / n, "mean_width80_pct": sum(c[4] for c in checks) / n,
            "coverage80_by_horizon": [sum(c[1] for c in g) / len(g) for g in by_h],
            "coverage95_by_horizon": [sum(c[2] for c in g) / len(g) for g in by_h]}


@pytest.mark.parametrize(("kwargs", "truth", "fit"), [
    ({}, SHIPPED, SHIPPED),                                                     # truth = the shipped prior
    ({"prior_sd": 0.5}, {**SHIPPED, "prior_sd": 0.5}, {**SHIPPED, "prior_sd": 0.5}),   # ... = the fitted prior
    ({"prior_sd": 0.5, "truth": {"drift_mean": 0.3}}, {**SHIPPED, "prior_sd": 0.5, "drift_mean": 0.3},
     {**SHIPPED, "prior_sd": 0.5}),                                            # ... and what `truth` says
])
def test_synthetic_calibration_reports_what_its_series_give(kwargs, truth, fit):
    got = synthetic_calibration(n_series=6, n_points=2, horizon=3, seed=5, **kwargs)
    exp = _calibration_by_hand(6, 2, 3, 5, truth, fit)
    assert list(got) == list(exp)
    for key, value in exp.items():
        assert got[key] == pytest.approx(value, rel=1e-9), key
    assert 0 < got["coverage80"] < 1 or kwargs   # the drawn series are not all inside: the figures can move


def test_the_smallest_synthetic_calibration_is_one_series_one_year_ahead():
    got = synthetic_calibration(n_series=1, n_points=2, horizon=1, seed=1)
    exp = _calibration_by_hand(1, 2, 1, 1, SHIPPED, SHIPPED)
    assert (got["n"], got["n_series"], got["n_points"], got["horizon"]) == (1, 1, 2, 1)
    for key, value in exp.items():
        assert got[key] == pytest.approx(value, rel=1e-9), key


# ---------------------------------------------------------------------------- the calibration set and the prior
CSV_HEAD = "series_id,level,year,coverage_pct,break_before,note\n"


def test_calibration_segments_cut_at_breaks_and_keep_the_latest_of_a_year(tmp_path):
    path = tmp_path / "series.csv"
    path.write_text(CSV_HEAD + "\n".join([
        "b,city,2020,30,0,asof=2020-06",
        "b,city,2021,35,0,",            # year-end (no month): later than March
        "b,city,2021,33,0,asof=2021-03",
        "b,city,2022,0,0,",             # 0 %: not a share, left out
        "b,city,2023,40,1,new base",
        "b,city,2024,100,0,",           # 100 %: left out
        "a,national,2020,50,0,asof=2020-12",
        "a,national,2021,52,0,",
    ]) + "\n", encoding="utf-8")
    segs = calibration.calibration_segments(path)
    assert segs == (
        calibration.Segment("a", "national", 0, (2020, 2021), (2021.0, 2022.0), (0.50, 0.52)),
        calibration.Segment("b", "city", 0, (2020, 2021), (2020.5, 2022.0), (0.30, 0.35)),
        calibration.Segment("b", "city", 1, (2023,), (2024.0,), (0.40,)),
    )
    ch = calibration.calibration_changes(path=path)            # national series left out, one change on one base
    assert ch.to_dict("list") == {"series_id": ["b"], "gap": [1.5], "dz": [pytest.approx(logit(0.35) - logit(0.30))]}
    none = calibration.calibration_changes({"b"}, path)     # no change left: an empty table that still has its columns
    assert len(none) == 0 and list(none.columns) == ["series_id", "gap", "dz"]
    assert list(calibration.calibration_changes(path=path, levels=("national",))["series_id"]) == ["a"]
    bad = tmp_path / "bad.csv"
    bad.write_text("series_id,year,coverage_pct,break_before\nb,2020,30,0\n", encoding="utf-8")
    assert refusal(lambda: calibration.calibration_segments(bad)) == (
        str(bad), "missing_column", {"column": "level"}, "the calibration file has no column 'level'")


def _spread_series(tmp_path):
    """Eight series whose trends differ (-0.24 to +0.32 logit a year) with a little noise: between-series spread
    well away from 0."""
    rng = np.random.default_rng(3)
    lines = []
    for i in range(8):
        trend = -0.24 + 0.08 * i
        z = logit(0.3)
        for k, year in enumerate(range(2018, 2023 + (i % 2))):
            if k:
                z += trend + 0.03 * rng.standard_normal()
            lines.append(f"s{i},regency,{year},{100 * expit(z):.4f},0,")
    path = tmp_path / "spread.csv"
    path.write_text(CSV_HEAD + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_prior_is_statsmodels_mixed_model_and_gls(tmp_path):
    """docs/FORECAST.md: dz/sqrt(g) = sqrt(g)*(mu + u) + e, fitted by MixedLM (REML); mu and its se by GLS with
    the fitted covariance; the new region's trend sd is sqrt(tau^2 + se^2); the weight is the number of changes."""
    import statsmodels.api as sm

    path = _spread_series(tmp_path)
    cp = calibration.calibrated_prior(path=path)
    ch = calibration.calibration_changes(path=path)
    g = ch["gap"].to_numpy(float)
    x = np.sqrt(g)[:, None]
    y = ch["dz"].to_numpy(float) / np.sqrt(g)
    groups = ch["series_id"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mixed = sm.MixedLM(y, x, groups=groups, exog_re=x).fit(reml=True)
    tau2 = float(np.asarray(mixed.cov_re).ravel()[0])
    assert tau2 > 0.01
    same = groups[:, None] == groups[None, :]
    cov = mixed.scale * np.eye(len(y)) + tau2 * same * (x @ x.T)
    gls = sm.GLS(y, x, sigma=cov).fit(cov_type="fixed scale", cov_kwds={"scale": 1.0})
    assert (cp.n_changes, cp.n_series) == (36, 8) == (len(y), 8)
    assert cp.sigma == pytest.approx(math.sqrt(mixed.scale), rel=1e-9)
    assert cp.drift_between_sd == pytest.approx(math.sqrt(tau2), rel=1e-9)
    assert cp.drift_mean == pytest.approx(float(gls.params[0]), rel=1e-9)
    assert cp.drift_mean_se == pytest.approx(float(gls.bse[0]), rel=1e-9)
    assert cp.drift_sd == pytest.approx(math.sqrt(tau2 + float(gls.bse[0]) ** 2), rel=1e-9)
    assert calibration.prior_kwargs(cp) == {"prior_sd": cp.sigma, "prior_weight": 36.0, "drift_mean": cp.drift_mean,
                                         "drift_sd": cp.drift_sd}
    assert isinstance(cp.warnings, tuple) and list(cp.warnings) == sorted(set(cp.warnings))
    with warnings.catch_warnings(record=True) as caught:   # the shipped set: what statsmodels says, once each
        warnings.simplefilter("always")
        real = calibration.calibration_changes()
        rx = np.sqrt(real["gap"].to_numpy(float))[:, None]
        sm.MixedLM(real["dz"].to_numpy(float) / rx[:, 0], rx, groups=real["series_id"].to_numpy(),
                   exog_re=rx).fit(reml=True)
    said = tuple(sorted({str(w.message) for w in caught}))
    assert said and calibration.calibrated_prior().warnings == said
    without = calibration.calibrated_prior(frozenset({"s7"}), path)
    assert (without.n_changes, without.n_series) == (31, 7)
    assert without.drift_mean < cp.drift_mean      # the steepest rise left out


def test_the_real_data_backtest_rows_by_hand(tmp_path):
    """real_backtest on a small set, with the prior fixed: each series' checks start at every origin of a base and
    reach the later points of that base within the horizon; earlier bases are history with a break."""
    path = _spread_series(tmp_path)
    with path.open("a", encoding="utf-8") as f:
        f.write("x,city,2019,30,0,\nx,city,2020,33,0,\nx,city,2021,25,1,\nx,city,2022,27,0,\nx,city,2024,29,0,\n"
                "y,national,2019,30,0,\ny,national,2020,31,0,\nz,city,2020,40,0,\n"
                # a new base within 2020 (the old base's March figure, the new base's year-end one), then 2023
                "v,city,2019,30,0,\nv,city,2020,33,0,asof=2020-03\nv,city,2020,25,1,\nv,city,2023,27,0,\n"
                "v,city,2024,29,0,\n")
    prior = {"prior_sd": 0.3, "prior_weight": 20.0, "drift_mean": 0.01, "drift_sd": 0.07}
    rows = calibration.real_backtest(max_horizon=2, path=path, **prior)
    x = rows[rows["series_id"] == "x"]
    assert set(rows["series_id"]) == {f"s{i}" for i in range(8)} | {"x", "v"}   # national left out, z 1 point
    v = rows[rows["series_id"] == "v"]
    assert list(zip(v["origin_year"], v["year"], v["history_points"], v["segment_points"], strict=True)) == [
        (2019, 2020, 1, 1), (2023, 2024, 3, 2)]      # 2020 -> 2023 is beyond 2 years; the old base's 2020 is dropped
    exp = by_hand([2019, 2020, 2023], [0.30, 0.25, 0.27], 2024, **prior, breaks=(2020,))
    assert v["median_pct"].iloc[1] == pytest.approx(100 * bands(exp["loc"][0], exp["scale"][0], exp["df"])[0])
    assert list(zip(x["origin_year"], x["year"], x["horizon"], x["history_points"], x["segment_points"],
                    strict=True)) == [(2019, 2020, 1, 1, 1), (2021, 2022, 1, 3, 1), (2022, 2024, 2, 4, 2)]
    hist = {2019: ([2019], [0.30], ()), 2021: ([2019, 2020, 2021], [0.30, 0.33, 0.25], (2021,)),
            2022: ([2019, 2020, 2021, 2022], [0.30, 0.33, 0.25, 0.27], (2021,))}
    for _, r in x.iterrows():
        ys, ss, brk = hist[r["origin_year"]]
        exp = by_hand(ys, ss, r["year"], **prior, breaks=brk)
        b = bands(exp["loc"][-1], exp["scale"][-1], exp["df"])
        actual = {2020: 0.33, 2022: 0.27, 2024: 0.29}[r["year"]]
        assert r["actual_pct"] == pytest.approx(100 * actual)
        assert [r[c] for c in ("median_pct", "low80_pct", "high80_pct", "low95_pct", "high95_pct")] == \
            pytest.approx([100 * v for v in b], rel=1e-9)
        assert (r["in80"], r["in95"]) == (b[1] <= actual <= b[2], b[3] <= actual <= b[4])
    assert len(calibration.real_backtest(max_horizon=2, path=path, min_history=4, **prior)
               .query("series_id == 'x'")) == 1
    assert calibration.real_backtest(max_horizon=2, path=path, levels=("city",), **prior)["series_id"] \
        .unique().tolist() == ["v", "x"]


def test_the_real_data_backtest_fits_each_series_with_the_prior_learned_without_it(tmp_path):
    """Without an override, a series is checked with the prior estimated from the other series only (checked
    against statsmodels above); a series of exactly two points on one base gives one check."""
    path = _spread_series(tmp_path)
    with path.open("a", encoding="utf-8") as f:
        f.write("w,city,2020,40,0,\nw,city,2021,46,0,\n")
    rows = calibration.real_backtest(path=path)
    assert len(rows) == 4 * 10 + 4 * 15 + 1     # every later point of a series is within 5 years: 10 pairs of 5
    #                                             points, 15 of 6, 1 of 2
    w = rows[rows["series_id"] == "w"].iloc[0]
    prior = calibration.prior_kwargs(calibration.calibrated_prior(frozenset({"w"}), path))
    assert prior != calibration.prior_kwargs(calibration.calibrated_prior(frozenset(), path))
    exp = by_hand([2020], [0.40], 2021, **prior)
    assert [w[c] for c in ("median_pct", "low80_pct", "high80_pct", "low95_pct", "high95_pct")] == pytest.approx(
        [100 * v for v in bands(exp["loc"][0], exp["scale"][0], exp["df"])], rel=1e-9)
    s3 = rows[(rows["series_id"] == "s3") & (rows["origin_year"] == 2020) & (rows["year"] == 2023)].iloc[0]
    prior = calibration.prior_kwargs(calibration.calibrated_prior(frozenset({"s3"}), path))
    seg = next(s for s in calibration.calibration_segments(path) if s.series_id == "s3")
    exp = by_hand(seg.years[:3], seg.shares[:3], 2023, **prior)
    assert s3["median_pct"] == pytest.approx(100 * bands(exp["loc"][-1], exp["scale"][-1], exp["df"])[0], rel=1e-9)
