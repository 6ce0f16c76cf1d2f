"""simulation/tdist.py: Student's t CDF and quantile and the logistic function, against closed forms and SciPy.

The forecast's bands and every "probability of reaching the target" come from these two functions, so they
are checked on a grid wider than the app ever uses (its degrees of freedom are 1 to about 100) and by
properties that must hold for any input.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special

from simulation.tdist import expit, t_cdf, t_quantile

DFS = [1.2, 1.5, 2.5, 3, 3.7, 4, 5, 6.3, 8, 10, 15, 30, 50, 100, 300, 1e3, 1e4, 1e5]
LEVELS = [1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.45, 0.49, 0.5, 0.51, 0.6,
          0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12]
TS = np.concatenate([-np.logspace(-6, 6, 49), [0.0], np.logspace(-6, 6, 49)])


def test_textbook_quantiles():
    """The table every statistics book prints: t(0.975) for 1, 2, 5, 10 and 30 degrees of freedom."""
    assert t_quantile(1, 0.975) == pytest.approx(12.706204736, abs=1e-8)
    assert t_quantile(2, 0.975) == pytest.approx(4.302652730, abs=1e-8)
    assert t_quantile(5, 0.975) == pytest.approx(2.570581836, abs=1e-8)
    assert t_quantile(10, 0.975) == pytest.approx(2.228138852, abs=1e-8)
    assert t_quantile(30, 0.9) == pytest.approx(1.310415025, abs=1e-8)
    assert t_quantile(5, 0.5) == 0.0


@pytest.mark.parametrize("t", TS)
def test_cauchy_and_two_degrees_of_freedom_have_closed_forms(t):
    """df = 1 (Cauchy): 1/2 + atan(t)/π; df = 2: 1/2 + t / (2 √(2 + t²)). (SciPy's stdtr is off by about
    1e-9 near t = 0 for df = 1: the closed form is the reference.)"""
    assert t_cdf(1, t) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-15)
    assert t_cdf(2, t) == pytest.approx(0.5 + t / (2 * math.sqrt(2 + t * t)), abs=1e-15)


@pytest.mark.parametrize("q", LEVELS)
def test_cauchy_and_two_degrees_of_freedom_quantiles(q):
    """Each quantile put back into the closed-form CDF, in the form that keeps the tail's digits."""
    t1, t2 = t_quantile(1, q), t_quantile(2, q)
    tail = min(q, 1 - q)
    assert math.atan2(1, abs(t1)) / math.pi == pytest.approx(tail, rel=1e-12)
    assert 0.5 - abs(t2) / (2 * math.sqrt(2 + t2 * t2)) == pytest.approx(tail, rel=1e-6)   # 1/2 - (1/2 - tail)
    assert t2 == pytest.approx((2 * q - 1) / math.sqrt(2 * q * (1 - q)), rel=1e-12)


@pytest.mark.parametrize("df", DFS)
def test_cdf_matches_scipy(df):
    ours = np.array([t_cdf(df, t) for t in TS])
    np.testing.assert_allclose(ours, special.stdtr(df, TS), rtol=0, atol=1e-13)


@pytest.mark.parametrize("df", DFS)
def test_quantile_matches_scipy(df):
    ours = np.array([t_quantile(df, q) for q in LEVELS])
    np.testing.assert_allclose(ours, special.stdtrit(df, np.array(LEVELS)), rtol=1e-12, atol=0)


def test_edges():
    assert t_cdf(5, math.inf) == 1.0 and t_cdf(5, -math.inf) == 0.0
    assert t_quantile(5, 0.0) == -math.inf and t_quantile(5, 1.0) == math.inf
    assert math.isnan(t_cdf(0, 1.0)) and math.isnan(t_quantile(5, 1.5)) and math.isnan(t_quantile(math.nan, 0.5))
    assert t_cdf(1e12, 1.959963984540054) == pytest.approx(0.975, abs=1e-15)   # the normal, for huge df


@given(df=st.floats(1.0, 1e4), q=st.floats(1e-9, 1 - 1e-9))
def test_quantile_inverts_the_cdf_and_is_symmetric(df, q):
    t = t_quantile(df, q)
    assert t_cdf(df, t) == pytest.approx(q, rel=1e-9, abs=1e-15)
    upper = 1 - q   # the level exactly as a float holds it: 1 - upper is not always q
    assert t_quantile(df, upper) == pytest.approx(-t_quantile(df, 1 - upper), rel=1e-12, abs=1e-12)


@given(df=st.floats(1.0, 1e4), a=st.floats(-1e4, 1e4), b=st.floats(-1e4, 1e4))
def test_cdf_is_a_distribution_function(df, a, b):
    lo, hi = sorted((a, b))
    assert 0.0 <= t_cdf(df, lo) <= t_cdf(df, hi) <= 1.0
    assert t_cdf(df, a) + t_cdf(df, -a) == pytest.approx(1.0, abs=1e-15)


def test_expit_matches_scipy_without_overflow():
    x = np.linspace(-800, 800, 16001)
    with np.errstate(over="raise", invalid="raise", divide="raise"):   # no overflow at either end
        ours = expit(x)
    np.testing.assert_allclose(ours, special.expit(x), rtol=1e-15, atol=1e-300)
    assert expit(0.0) == 0.5 and isinstance(float(expit(2.0)), float)
