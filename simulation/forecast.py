"""Baseline forecast of a region's coverage share without new policy.

Model: a random walk with drift on ``logit(share)``, fitted to a very short annual
history (2 or 3 points is typical).

* Yearly changes ``d_i = (logit(y_i) - logit(y_{i-1})) / gap_i``. A change over a gap
  of ``g`` years has variance ``g * sigma**2``, so the averaged yearly change ``d_i``
  has variance ``sigma**2 / g`` and the drift is a weighted least-squares mean with
  weights ``g`` (statsmodels ``WLS`` on a constant).
* ``sigma`` is pooled with an **assumed** prior sd (``prior_sd``, worth
  ``prior_weight`` pseudo-changes): ``s**2 = (SSR + w * prior_sd**2) / (dof + w)``.
* Predictive scale ``h`` years after the last observation: ``s * sqrt(h + h**2 / n_eff)``
  (the ``h**2`` term is the uncertainty of the drift; ``n_eff`` = years spanned by the
  changes). Predictive distribution: Student-t with ``df = dof + w``.
* Everything is back-transformed with the logistic function, so shares stay inside (0, 1).

No Streamlit here. The fit is statsmodels' ``WLS``; the t distribution is ``scipy.stats.t`` and the logistic
function ``scipy.special.expit``. See ``docs/FORECAST.md`` for the calibration figures.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

# imported with the module, not on first use: every forecast needs them, the app's first page too
from scipy import stats
from scipy.special import expit
from statsmodels.regression import linear_model  # WLS only: statsmodels.api would load all of statsmodels

from simulation.errors import ValidationError

__all__ = [
    "DEFAULT_PRIOR_SD",
    "DEFAULT_PRIOR_WEIGHT",
    "SHARE_EPS",
    "SHORT_HISTORY_POINTS",
    "BacktestResult",
    "ForecastResult",
    "backtest",
    "fit_forecast",
    "simulate_series",
    "synthetic_calibration",
]

#: ASSUMPTION: typical sd of the yearly change of logit(coverage) [logit/sqrt(year)].
#: Chosen with DEFAULT_PRIOR_WEIGHT by the synthetic calibration in docs/FORECAST.md
#: (truth sd ~ U(0.03, 0.15)): the pair that brought 80 % / 95 % bands closest to nominal
#: for 2, 3, 5 and 8 points. Same size as Kota Pontianak's observed changes
#: (+0.105, -0.035 on the logit scale in 2024, 2025).
DEFAULT_PRIOR_SD = 0.07
#: ASSUMPTION: how many pseudo-changes the prior sd is worth (see DEFAULT_PRIOR_SD).
DEFAULT_PRIOR_WEIGHT = 3.0
#: Shares are clipped into [SHARE_EPS, 1 - SHARE_EPS] before the logit and after back-transform.
SHARE_EPS = 1e-4
#: Fewer history points than this is flagged as a short history.
SHORT_HISTORY_POINTS = 6
#: Above this last share a logit random walk tends to be overconfident.
HIGH_SHARE_WARNING = 0.9

# Synthetic truth used by synthetic_calibration (plausible ranges for city coverage).
SYNTH_START_SHARE = (0.15, 0.60)  # uniform
SYNTH_DRIFT = (0.03, 0.05)  # normal(mean, sd) [logit/year]
SYNTH_SD = (0.03, 0.15)  # uniform [logit/sqrt(year)]


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), SHARE_EPS, 1.0 - SHARE_EPS)
    return np.log(p) - np.log1p(-p)


def _expit(x: np.ndarray | float) -> np.ndarray:
    return np.clip(expit(np.asarray(x, dtype=float)), SHARE_EPS, 1.0 - SHARE_EPS)


@functools.lru_cache(maxsize=1024)
def t_quantile(df: float, q: float) -> float:
    """The t with P(T <= t) = ``q`` for Student's t with ``df`` degrees of freedom (cached: the bands ask for
    the same few levels of the same few ``df`` again and again)."""
    return float(stats.t.ppf(q, df))


def t_cdf(df: float, t: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    return float(stats.t.cdf(t, df))


def _check_q(q: float) -> float:
    try:
        qf = float(q)
    except (TypeError, ValueError):
        raise ValidationError("q", "the probability level must be a number", code="not_a_number") from None
    if not (0.0 < qf < 1.0):
        raise ValidationError(
            "q", f"the probability level must be strictly between 0 and 1, got {q!r}",
            code="out_of_range", params={"min": 0, "max": 1, "value": qf},
        )
    return qf


@dataclass(frozen=True)
class ForecastResult:
    """A fitted baseline forecast. Shares are fractions 0..1; ``loc``/``scale`` are on the logit scale."""

    history_years: tuple[int, ...]
    history_shares: tuple[float, ...]  # [share 0..1]
    years: tuple[int, ...]  # forecast years: last history year + 1 .. horizon year (may be empty)
    loc: tuple[float, ...]  # logit-scale centre per forecast year
    scale: tuple[float, ...]  # logit-scale predictive scale per forecast year
    df: float  # Student-t degrees of freedom
    drift: float  # [logit/year]
    drift_se: float  # [logit/year]
    sigma: float  # innovation sd used [logit/sqrt(year)]
    method: str
    short_history: bool  # True when fewer than SHORT_HISTORY_POINTS history points
    warnings: tuple[str, ...]  # plain English sentences
    warning_codes: tuple[str, ...] = ()  # one code per warning, same order: what presentation translates

    # -- internal helpers -------------------------------------------------------------
    @property
    def _n_eff(self) -> float:
        return float(self.history_years[-1] - self.history_years[0])

    def _loc_scale(self, year: int) -> tuple[float, float]:
        """Logit-scale centre and scale for any year after the last history year."""
        h = float(year - self.history_years[-1])
        if h <= 0:
            raise ValueError("not a forecast year")
        last = float(_logit(self.history_shares[-1]))
        loc = last + h * self.drift
        scale = self.sigma * math.sqrt(h + h * h / self._n_eff)
        return loc, scale

    def _check_year(self, year: int) -> int:
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise ValidationError("year", f"year must be a whole number, got {year!r}", code="not_a_number") from None
        if y != year:
            raise ValidationError("year", f"year must be a whole number, got {year!r}", code="not_a_number")
        if y in self.history_years or y > self.history_years[-1]:
            return y
        raise ValidationError(
            "year",
            f"{y} is neither an observed year nor after the last observed year {self.history_years[-1]}",
            code="out_of_range",
            params={"value": y, "last": self.history_years[-1]},
        )

    # -- public API -------------------------------------------------------------------
    def quantile(self, q: float) -> np.ndarray:
        """Share (0..1) at probability level ``q`` for each forecast year (empty if no forecast years)."""
        qf = _check_q(q)
        if not self.years:
            return np.empty(0)
        z = float(t_quantile(self.df, qf))
        return _expit(np.asarray(self.loc) + np.asarray(self.scale) * z)

    def quantile_at(self, year: int, q: float) -> float:
        """Share (0..1) at level ``q`` in ``year``; for a history year, the observed share."""
        qf = _check_q(q)
        y = self._check_year(year)
        if y in self.history_years:
            return float(self.history_shares[self.history_years.index(y)])
        loc, scale = self._loc_scale(y)
        return float(_expit(loc + scale * float(t_quantile(self.df, qf))))

    def median(self) -> np.ndarray:
        """Median share (0..1) per forecast year."""
        return self.quantile(0.5)

    def prob_at_least(self, year: int, share: float) -> float:
        """P(share in ``year`` >= ``share``). History year: 1.0 or 0.0 from the observed value."""
        y = self._check_year(year)
        s = float(share)
        if math.isnan(s):
            raise ValidationError("share", "share is not a number", code="not_a_number")
        if y in self.history_years:
            return 1.0 if self.history_shares[self.history_years.index(y)] >= s else 0.0
        if s <= 0.0:
            return 1.0
        if s >= 1.0:
            return 0.0
        loc, scale = self._loc_scale(y)
        target = float(_logit(s))
        if scale <= 0.0:
            return 1.0 if loc >= target else 0.0
        return float(t_cdf(self.df, (loc - target) / scale))

    def table(self):
        """History and forecast rows: year, kind, median_pct, low80_pct, high80_pct, low95_pct, high95_pct."""
        import pandas as pd

        cols = ["median_pct", "low80_pct", "high80_pct", "low95_pct", "high95_pct"]
        rows: list[dict[str, Any]] = []
        for y, s in zip(self.history_years, self.history_shares, strict=False):
            rows.append({"year": y, "kind": "history", **{c: 100.0 * s for c in cols}})
        if self.years:
            qs = {c: 100.0 * self.quantile(q) for c, q in zip(cols, (0.5, 0.1, 0.9, 0.025, 0.975), strict=False)}
            for i, y in enumerate(self.years):
                rows.append({"year": y, "kind": "forecast", **{c: float(qs[c][i]) for c in cols}})
        df = pd.DataFrame(rows, columns=["year", "kind", *cols])
        return df.astype({"year": "int64"})


def _validate_series(years: Iterable, shares: Iterable) -> tuple[list[int], list[float]]:
    try:
        ys = list(years)
        ss = list(shares)
    except TypeError:
        raise ValidationError("years", "years and shares must be sequences", code="invalid") from None
    if len(ys) != len(ss):
        raise ValidationError(
            "shares", f"{len(ys)} years but {len(ss)} shares: give one share per year",
            code="length_mismatch", params={"years": len(ys), "shares": len(ss)},
        )
    if len(ys) < 2:
        raise ValidationError(
            "years", f"a forecast needs at least 2 observed years, got {len(ys)}",
            code="too_few", params={"min": 2, "count": len(ys)},
        )
    int_years: list[int] = []
    for y in ys:
        try:
            yf = float(y)
        except (TypeError, ValueError):
            raise ValidationError("years", f"year {y!r} is not a number", code="not_a_number") from None
        if not math.isfinite(yf) or yf != int(yf):
            raise ValidationError("years", f"year {y!r} is not a whole number", code="not_a_number",
                                  params={"value": str(y)})
        int_years.append(int(yf))
    dup = sorted({y for y in int_years if int_years.count(y) > 1})
    if dup:
        raise ValidationError(
            "years", "year " + ", ".join(map(str, dup)) + " appears more than once",
            code="duplicate", params={"years": dup},
        )
    float_shares: list[float] = []
    for y, s in zip(int_years, ss, strict=False):
        try:
            sf = float(s)
        except (TypeError, ValueError):
            raise ValidationError("shares", f"share for {y} ({s!r}) is not a number", code="not_a_number",
                                  params={"year": y}) from None
        if math.isnan(sf):
            raise ValidationError("shares", f"share for {y} is missing (NaN)", code="not_a_number",
                                  params={"year": y})
        if not (0.0 < sf < 1.0):
            hint = " (give shares as fractions 0..1, not percent)" if 1.0 < sf <= 100.0 else ""
            raise ValidationError(
                "shares", f"share for {y} is {sf:g}; it must be strictly between 0 and 1{hint}",
                code="out_of_range", params={"year": y, "value": sf, "min": 0, "max": 1},
            )
        float_shares.append(sf)
    order = sorted(range(len(int_years)), key=int_years.__getitem__)
    return [int_years[i] for i in order], [float_shares[i] for i in order]


def _validate_params(horizon_year: int, prior_sd: float, prior_weight: float) -> tuple[int, float, float]:
    try:
        hz = float(horizon_year)
    except (TypeError, ValueError):
        raise ValidationError("horizon_year", "horizon year is not a number", code="not_a_number") from None
    if not math.isfinite(hz) or hz != int(hz):
        raise ValidationError("horizon_year", f"horizon year {horizon_year!r} is not a whole number",
                              code="not_a_number")
    psd = float(prior_sd)
    if not (math.isfinite(psd) and psd > 0):
        raise ValidationError("prior_sd", f"prior sd must be a positive number, got {prior_sd!r}",
                              code="out_of_range", params={"min": 0})
    pw = float(prior_weight)
    if not (math.isfinite(pw) and pw >= 0):
        raise ValidationError("prior_weight", f"prior weight must be 0 or more, got {prior_weight!r}",
                              code="out_of_range", params={"min": 0})
    return int(hz), psd, pw


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}"


def fit_forecast(
    years,
    shares,
    horizon_year: int,
    prior_sd: float = DEFAULT_PRIOR_SD,
    prior_weight: float = DEFAULT_PRIOR_WEIGHT,
) -> ForecastResult:
    """Fit the baseline (no new policy) forecast of a coverage share.

    ``years``: whole years (any order, no duplicates, gaps allowed); ``shares``: fractions strictly
    inside (0, 1); ``horizon_year``: last year to forecast. Raises ``ValidationError`` for bad input.
    """
    ys, ss = _validate_series(years, shares)
    horizon, psd, pw = _validate_params(horizon_year, prior_sd, prior_weight)
    notes: list[str] = []
    codes: list[str] = []   # one per note, same order

    yarr = np.asarray(ys, dtype=float)
    sarr = np.asarray(ss, dtype=float)
    clipped = [(y, s) for y, s in zip(ys, ss, strict=False) if s < SHARE_EPS or s > 1.0 - SHARE_EPS]
    for y, s in clipped:
        codes.append("share_clipped")
        notes.append(
            f"The share for {y} ({100 * s:.4g}%) is too close to 0% or 100% for the model and was "
            f"treated as {100 * min(max(s, SHARE_EPS), 1 - SHARE_EPS):.4g}%."
        )
    z, gaps, d = _yearly_changes(yarr, sarr)
    m = int(d.size)
    n_eff = float(gaps.sum())

    sm_warnings: list[str] = []
    if m >= 2:
        drift, ssr, dof, sm_warnings = _wls(d, gaps)
        drift_how = "drift by statsmodels WLS"
    else:
        drift = float(d[0])
        ssr = 0.0
        dof = 0.0
        drift_how = "drift = the single observed change"

    df = dof + pw
    if df < 1.0:
        raise ValidationError(
            "prior_weight",
            f"with {len(ys)} points the data give {dof:g} degrees of freedom for the yearly variation; "
            f"a prior weight of at least {1 - dof:g} is needed",
            code="too_few", params={"min": 1 - dof, "value": pw},
        )
    s2 = (ssr + pw * psd * psd) / df
    sigma = math.sqrt(max(s2, 0.0))
    drift_se = sigma / math.sqrt(n_eff)

    last_year = ys[-1]
    fyears = tuple(range(last_year + 1, horizon + 1))
    h = np.arange(1, len(fyears) + 1, dtype=float)
    loc = float(z[-1]) + h * drift
    scale = sigma * np.sqrt(h + h * h / n_eff)

    short = len(ys) < SHORT_HISTORY_POINTS
    if short:
        codes.insert(0, "short_history")
        notes.insert(
            0,
            f"short history: only {len(ys)} points ({_span(ys)}), so the trend rests on {m} "
            f"{'change' if m == 1 else 'changes'} and the band width leans on an assumed typical "
            f"yearly variation (sd {psd:g} on the logit scale, worth {pw:g} extra changes); "
            "treat the forecast as a rough baseline.",
        )
    if m == 1:
        codes.append("two_points")
        notes.append(
            "With 2 points the year-to-year variation cannot be measured from the data at all: "
            "the band width comes from the assumption alone."
        )
    missing = [y for y in range(ys[0], last_year + 1) if y not in ys]
    if missing:
        codes.append("history_gaps")
        notes.append(
            "Gaps in the history (no value for " + ", ".join(map(str, missing)) + "): a change across "
            "a gap is spread evenly over its years and weighted by its length."
        )
    if ss[-1] > HIGH_SHARE_WARNING:
        codes.append("high_share")
        notes.append(
            f"The last share is {100 * ss[-1]:.1f}%: near the top a trend on the logit scale can be "
            "overconfident; read the upper band with care."
        )
    if horizon <= last_year:
        codes.append("no_forecast_years")
        notes.append(
            f"The horizon year {horizon} is not after the last observed year {last_year}: "
            "there are no forecast years."
        )
    notes.extend(sm_warnings)
    codes.extend("statsmodels" for _ in sm_warnings)

    method = (
        f"random walk with drift on logit(share), {drift_how}, "
        f"sd pooled with prior (sd {psd:g}, weight {pw:g}), Student-t predictive (df {df:g})"
    )
    return ForecastResult(
        history_years=tuple(ys),
        history_shares=tuple(ss),
        years=fyears,
        loc=tuple(float(v) for v in loc),
        scale=tuple(float(v) for v in scale),
        df=float(df),
        drift=drift,
        drift_se=float(drift_se),
        sigma=float(sigma),
        method=method,
        short_history=short,
        warnings=tuple(notes),
        warning_codes=tuple(codes),
    )


def _yearly_changes(yarr: np.ndarray, sarr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """logit(share), the gaps between observed years and the averaged yearly changes ``d``."""
    z = _logit(sarr)
    gaps = np.diff(yarr)
    return z, gaps, np.diff(z) / gaps


# ---------------------------------------------------------------------------------------
# The WLS fit: statsmodels, every time (kept in memory for the same inputs)
# ---------------------------------------------------------------------------------------
def _wls(d: np.ndarray, gaps: np.ndarray) -> tuple[float, float, float, list[str]]:
    """WLS of the yearly changes on a constant with weights ``gaps``: (drift, weighted SSR, residual degrees of
    freedom, what statsmodels warned)."""
    drift, ssr, dof, warned = _wls_fit(tuple(float(x) for x in d), tuple(float(x) for x in gaps))
    return drift, ssr, dof, list(warned)


@functools.lru_cache(maxsize=256)
def _wls_fit(d: tuple[float, ...], gaps: tuple[float, ...]) -> tuple[float, float, float, tuple[str, ...]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = linear_model.WLS(np.asarray(d), np.ones((len(d), 1)), weights=np.asarray(gaps)).fit()
        drift = float(res.params[0])
        ssr = float(res.ssr)  # weighted: sum g_i (d_i - drift)^2
        dof = float(res.df_resid)
    return drift, ssr, dof, tuple(f"statsmodels warned: {w.message}" for w in caught)


# ---------------------------------------------------------------------------------------
# Checking the forecast: rolling-origin backtest and synthetic calibration
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BacktestResult:
    n_forecasts: int  # number of (origin, horizon) held-out checks
    coverage80: float  # share of held-out values inside the 80% band (NaN if none)
    coverage95: float
    mean_abs_error_pct: float  # of the median, in percentage points
    rows: tuple[dict, ...]


_BAND_LEVELS = (0.5, 0.1, 0.9, 0.025, 0.975)


def backtest(years, shares, min_train: int = 2, max_horizon: int = 5, **fit_kwargs) -> BacktestResult:
    """Rolling-origin check: for every origin with ``>= min_train`` points, forecast the observed
    years up to ``max_horizon`` years ahead and compare with what was observed."""
    if int(min_train) < 2:
        raise ValidationError("min_train", "at least 2 training points are needed", code="out_of_range",
                              params={"min": 2})
    if int(max_horizon) < 1:
        raise ValidationError("max_horizon", "the horizon must be at least 1 year", code="out_of_range",
                              params={"min": 1})
    ys, ss = _validate_series(years, shares)
    rows: list[dict] = []
    for k in range(int(min_train), len(ys)):
        origin = ys[k - 1]
        targets = [j for j in range(k, len(ys)) if ys[j] - origin <= max_horizon]
        if not targets:
            continue
        fit = fit_forecast(ys[:k], ss[:k], origin + int(max_horizon), **fit_kwargs)
        for j in targets:
            idx = ys[j] - origin - 1
            z = float(fit.loc[idx])
            sc = float(fit.scale[idx])
            qs = [float(_expit(z + sc * float(t_quantile(fit.df, q)))) for q in _BAND_LEVELS]
            actual = ss[j]
            rows.append({
                "origin_year": origin,
                "year": ys[j],
                "horizon": ys[j] - origin,
                "actual_pct": 100.0 * actual,
                "median_pct": 100.0 * qs[0],
                "low80_pct": 100.0 * qs[1],
                "high80_pct": 100.0 * qs[2],
                "low95_pct": 100.0 * qs[3],
                "high95_pct": 100.0 * qs[4],
                "in80": bool(qs[1] <= actual <= qs[2]),
                "in95": bool(qs[3] <= actual <= qs[4]),
            })
    n = len(rows)
    if n == 0:
        return BacktestResult(0, float("nan"), float("nan"), float("nan"), ())
    return BacktestResult(
        n_forecasts=n,
        coverage80=sum(r["in80"] for r in rows) / n,
        coverage95=sum(r["in95"] for r in rows) / n,
        mean_abs_error_pct=sum(abs(r["actual_pct"] - r["median_pct"]) for r in rows) / n,
        rows=tuple(rows),
    )


def simulate_series(rng: np.random.Generator, n: int, start_year: int = 2015) -> tuple[list[int], np.ndarray]:
    """One synthetic series of known truth: random walk with drift on logit(share)."""
    start = rng.uniform(*SYNTH_START_SHARE)
    drift = rng.normal(*SYNTH_DRIFT)
    sd = rng.uniform(*SYNTH_SD)
    z = _logit(start) + np.concatenate([[0.0], np.cumsum(drift + sd * rng.standard_normal(n - 1))])
    return list(range(start_year, start_year + n)), expit(z)


def synthetic_calibration(n_series: int = 500, n_points: int = 3, horizon: int = 3, seed: int = 0,
                          **fit_kwargs) -> dict:
    """Coverage of the 80% and 95% bands on synthetic series of known truth.

    Each series: start share ~ U(0.15, 0.6), drift ~ N(0.03, 0.05) and sd ~ U(0.03, 0.15) on the logit
    scale. Fit on the first ``n_points``, check the next ``horizon`` years. Returns a dict with
    ``coverage80``, ``coverage95``, ``n`` (number of checks), ``mean_abs_error_pct`` and per-horizon
    coverage lists ``coverage80_by_horizon`` / ``coverage95_by_horizon``.
    """
    if int(n_points) < 2 or int(horizon) < 1 or int(n_series) < 1:
        raise ValidationError("n_points", "need n_points >= 2, horizon >= 1, n_series >= 1",
                              code="out_of_range")
    rng = np.random.default_rng(seed)
    in80 = np.zeros((n_series, horizon), dtype=bool)
    in95 = np.zeros((n_series, horizon), dtype=bool)
    abs_err = np.zeros((n_series, horizon))
    for i in range(n_series):
        yrs, sh = simulate_series(rng, n_points + horizon)
        fit = fit_forecast(yrs[:n_points], sh[:n_points], yrs[-1], **fit_kwargs)
        z80 = float(t_quantile(fit.df, 0.9))
        z95 = float(t_quantile(fit.df, 0.975))
        loc = np.asarray(fit.loc)
        sc = np.asarray(fit.scale)
        actual = sh[n_points:]
        lo80, hi80 = _expit(loc - z80 * sc), _expit(loc + z80 * sc)
        lo95, hi95 = _expit(loc - z95 * sc), _expit(loc + z95 * sc)
        in80[i] = (lo80 <= actual) & (actual <= hi80)
        in95[i] = (lo95 <= actual) & (actual <= hi95)
        abs_err[i] = 100.0 * np.abs(actual - _expit(loc))
    return {
        "coverage80": float(in80.mean()),
        "coverage95": float(in95.mean()),
        "n": int(in80.size),
        "n_series": int(n_series),
        "n_points": int(n_points),
        "horizon": int(horizon),
        "mean_abs_error_pct": float(abs_err.mean()),
        "coverage80_by_horizon": [float(v) for v in in80.mean(axis=0)],
        "coverage95_by_horizon": [float(v) for v in in95.mean(axis=0)],
    }
