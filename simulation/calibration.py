"""Calibration of the baseline forecast: the prior learned from real series, and the checks of its bands.

* The prior: :func:`calibration_segments` cuts the real calibration set ``data/calibration/coverage_series.csv``
  into runs of one base; :func:`calibrated_prior` estimates the prior's four figures from their yearly logit
  changes (statsmodels ``MixedLM``, REML) and :func:`prior_kwargs` turns that estimate into
  :func:`simulation.forecast.fit_forecast`'s keywords. The figures shipped in ``data/parameters.yaml``
  (``forecast.*``) come from here; a test recomputes them and fails when the file and the data disagree.
* The checks: :func:`real_backtest` is the leave-one-series-out, rolling-origin check on that set;
  :func:`backtest` the rolling-origin check on one history (``python -m simulation backtest``);
  :func:`synthetic_calibration` the coverage of the bands on series of known truth (:func:`simulate_series`).

The forecast itself (the model, its validation, the shipped prior) is :mod:`simulation.forecast`; this module
uses it and it never imports this one. No Streamlit here. See ``docs/FORECAST.md`` for the calibration figures.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import expit
from statsmodels.regression import linear_model  # GLS only: statsmodels.api would load all of statsmodels

from simulation.errors import ValidationError

# the forecast's logit helpers and series check: the same arithmetic and refusals as the fit itself
from simulation.forecast import (
    PRIOR_PARAMETERS,
    _expit,
    _logit,
    _validate_series,
    fit_forecast,
    shipped_prior,
    t_quantile,
)

__all__ = [
    "CALIBRATION_FILE",
    "BacktestResult",
    "CalibratedPrior",
    "backtest",
    "calibrated_prior",
    "calibration_segments",
    "prior_kwargs",
    "real_backtest",
    "simulate_series",
    "synthetic_calibration",
]

#: The real calibration set (published coverage series; see its README) and the levels used for the prior.
CALIBRATION_FILE = Path(__file__).resolve().parent.parent / "data" / "calibration" / "coverage_series.csv"
REGIONAL_LEVELS = ("province", "city", "regency")


# ---------------------------------------------------------------------------------------
# The prior, learned from the real calibration set
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    """One series' run of points on one base, one point per year (the latest published in that year)."""

    series_id: str
    level: str
    segment: int            # 0 for the first base, 1 after the first break, ...
    years: tuple[int, ...]
    times: tuple[float, ...]   # year + month/12 of the data (``asof=YYYY-MM`` in the note; year-end otherwise)
    shares: tuple[float, ...]  # [share 0..1]


@functools.lru_cache(maxsize=4)
def calibration_segments(path: str | Path = CALIBRATION_FILE) -> tuple[Segment, ...]:
    """The calibration set cut into runs of one base: rows with a coverage percent strictly inside (0, 100),
    ordered by the data month, split where ``break_before`` is 1; several points in one year keep the latest."""
    import pandas as pd

    df = pd.read_csv(path, dtype={"series_id": str, "level": str, "note": str})
    need = {"series_id", "level", "year", "coverage_pct", "break_before", "note"}
    missing = sorted(need - set(df.columns))
    if missing:
        raise ValidationError(str(path), f"the calibration file has no column {missing[0]!r}", code="missing_column",
                              params={"column": missing[0]})
    month = df["note"].fillna("").str.extract(r"asof=\d{4}-(\d{2})")[0].astype(float).fillna(12.0)
    df = df.assign(t=df["year"] + month / 12.0)
    df = df.sort_values(["series_id", "t"], kind="stable")
    df["segment"] = df.groupby("series_id")["break_before"].cumsum().astype(int)
    df = df[(df["coverage_pct"] > 0) & (df["coverage_pct"] < 100)]
    df = df.groupby(["series_id", "segment", "year"], sort=True).tail(1)
    out = []
    for (sid, seg), g in df.groupby(["series_id", "segment"], sort=True):
        out.append(Segment(str(sid), str(g["level"].iloc[0]), int(seg), tuple(int(y) for y in g["year"]),
                           tuple(float(t) for t in g["t"]), tuple(float(v) / 100 for v in g["coverage_pct"])))
    return tuple(out)


@dataclass(frozen=True)
class CalibratedPrior:
    """What comparable regions did: the spread of yearly logit changes within a series and of trends across
    series (statsmodels MixedLM, REML, random intercept per series)."""

    drift_mean: float      # mean yearly change [logit/year]
    drift_mean_se: float   # its standard error
    drift_between_sd: float  # sd of the series' own trends around the mean (random intercept) [logit/year]
    sigma: float           # sd of a year's change within a series [logit/sqrt(year)]
    n_changes: int
    n_series: int
    warnings: tuple[str, ...]

    @property
    def drift_sd(self) -> float:
        """sd of a new series' trend: between-series spread and the uncertainty of the mean together."""
        return math.hypot(self.drift_between_sd, self.drift_mean_se)


def calibration_changes(exclude: Iterable[str] = (), path: str | Path = CALIBRATION_FILE,
                        levels: tuple[str, ...] = REGIONAL_LEVELS):
    """Consecutive same-base changes of the regional series: series_id, gap [years, from the data months],
    dz [logit change over the gap]."""
    import pandas as pd

    skip = set(exclude)
    rows = []
    for seg in calibration_segments(path):
        if seg.series_id in skip or seg.level not in levels:
            continue
        z = _logit(np.asarray(seg.shares))
        for i in range(1, len(seg.years)):
            rows.append({"series_id": seg.series_id, "gap": seg.times[i] - seg.times[i - 1],
                         "dz": float(z[i] - z[i - 1])})
    return pd.DataFrame(rows, columns=["series_id", "gap", "dz"])


@functools.lru_cache(maxsize=256)
def calibrated_prior(exclude: frozenset[str] = frozenset(), path: str | Path = CALIBRATION_FILE) -> CalibratedPrior:
    """Estimate the prior from the calibration set, without the series in ``exclude`` (for leave-one-out).

    Each change over ``g`` years is ``dz = g*(mu + u_series) + e`` with ``e ~ N(0, g*sigma**2)``; divided by
    ``sqrt(g)`` that is a linear mixed model with regressor and random slope ``sqrt(g)``, fitted by
    ``statsmodels.MixedLM`` (REML). Kept in memory per ``exclude``."""
    from statsmodels.regression.mixed_linear_model import MixedLM

    ch = calibration_changes(exclude, path)
    g = ch["gap"].to_numpy(float)
    x = np.sqrt(g)[:, None]
    y = ch["dz"].to_numpy(float) / np.sqrt(g)
    groups = ch["series_id"].to_numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = MixedLM(y, x, groups=groups, exog_re=x).fit(reml=True)
        tau2 = max(float(np.asarray(res.cov_re).ravel()[0]), 0.0)
        sigma2 = float(res.scale)
        # the mean and its se by GLS with the fitted covariance (MixedLM's own se is erratic when tau2 sits on
        # the boundary 0, as it does on this set): V = sigma2*I + tau2*x x' within a series
        same = groups[:, None] == groups[None, :]
        cov = sigma2 * np.eye(len(y)) + tau2 * same * (x @ x.T)
        gls = linear_model.GLS(y, x, sigma=cov).fit(cov_type="fixed scale", cov_kwds={"scale": 1.0})
    return CalibratedPrior(
        drift_mean=float(gls.params[0]), drift_mean_se=float(gls.bse[0]),
        drift_between_sd=math.sqrt(tau2), sigma=math.sqrt(sigma2),
        n_changes=len(ch), n_series=int(ch["series_id"].nunique()),
        warnings=tuple(sorted({str(w.message) for w in caught})),
    )


def prior_kwargs(cp: CalibratedPrior) -> dict[str, float]:
    """fit_forecast's prior keywords from an estimate: the pooled sd is worth as many changes as it was
    measured on (``prior_weight = n_changes``)."""
    return {"prior_sd": cp.sigma, "prior_weight": float(cp.n_changes), "drift_mean": cp.drift_mean,
            "drift_sd": cp.drift_sd}


def real_backtest(max_horizon: int = 5, path: str | Path = CALIBRATION_FILE,
                  levels: tuple[str, ...] = REGIONAL_LEVELS, min_history: int = 1, **override):
    """Leave-one-series-out, rolling-origin backtest on the real calibration set.

    For each regional series: the prior is re-estimated without it; for every origin point and every later point
    of the **same base** up to ``max_horizon`` years ahead, the forecast is fitted on the series' points up to the
    origin (earlier bases marked as breaks) and its bands are compared with the published value. ``override``
    replaces prior figures (e.g. ``prior_sd=0.07``) to check that a wrong prior is caught. Returns a DataFrame,
    one row per check: series_id, origin_year, year, horizon, history_points, segment_points, actual_pct,
    median_pct, low80_pct, high80_pct, low95_pct, high95_pct, in80, in95."""
    import pandas as pd

    segs = [s for s in calibration_segments(path) if s.level in levels]
    by_series: dict[str, list[Segment]] = {}
    for s in segs:
        by_series.setdefault(s.series_id, []).append(s)
    rows = []
    for sid, parts in by_series.items():
        if not any(len(p.years) >= 2 for p in parts):
            continue
        kw = {**prior_kwargs(calibrated_prior(frozenset({sid}), path)), **override}
        for k, part in enumerate(parts):
            for o in range(len(part.years) - 1):
                # history: earlier bases (breaks between them), then this base up to the origin
                hist: list[tuple[int, float, bool]] = []
                for e in parts[:k]:
                    hist.extend((y, v, i == 0 and bool(hist)) for i, (y, v) in enumerate(zip(e.years, e.shares,
                                                                                               strict=True)))
                hist = [h for h in hist if h[0] < part.years[0]]
                own = [(y, v, i == 0 and bool(hist)) for i, (y, v) in
                       enumerate(zip(part.years[:o + 1], part.shares[:o + 1], strict=True))]
                hist = hist + own
                if len(hist) < min_history:
                    continue
                targets = [j for j in range(o + 1, len(part.years)) if part.years[j] - part.years[o] <= max_horizon]
                if not targets:
                    continue
                hy, hs, hb = zip(*hist, strict=True)
                fit = fit_forecast(hy, hs, part.years[targets[-1]], breaks=[y for y, b in zip(hy, hb, strict=True)
                                                                           if b], **kw)
                for j in targets:
                    yr = part.years[j]
                    qs = [fit.quantile_at(yr, q) for q in _BAND_LEVELS]
                    actual = part.shares[j]
                    rows.append({
                        "series_id": sid, "origin_year": part.years[o], "year": yr, "horizon": yr - part.years[o],
                        "history_points": len(hist), "segment_points": o + 1, "actual_pct": 100 * actual,
                        "median_pct": 100 * qs[0], "low80_pct": 100 * qs[1], "high80_pct": 100 * qs[2],
                        "low95_pct": 100 * qs[3], "high95_pct": 100 * qs[4],
                        "in80": bool(qs[1] <= actual <= qs[2]), "in95": bool(qs[3] <= actual <= qs[4]),
                    })
    return pd.DataFrame(rows)


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
    years up to ``max_horizon`` years ahead and compare with what was observed. With fewer than
    ``min_train + 1`` points there is nothing to check (``n_forecasts == 0``)."""
    if int(min_train) < 2:
        raise ValidationError("min_train", "at least 2 training points are needed", code="too_small",
                              params={"min": 2, "value": int(min_train)})
    if int(max_horizon) < 1:
        raise ValidationError("max_horizon", "the horizon must be at least 1 year", code="too_small",
                              params={"min": 1, "value": int(max_horizon)})
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


#: Synthetic truth: start share ~ U(0.15, 0.60); drift and yearly sd drawn from the prior itself.
SYNTH_START_SHARE = (0.15, 0.60)


def simulate_series(rng: np.random.Generator, n: int, start_year: int = 2015, prior_sd: float | None = None,
                    prior_weight: float | None = None, drift_mean: float | None = None,
                    drift_sd: float | None = None) -> tuple[list[int], np.ndarray]:
    """One synthetic series of known truth drawn from the forecast's own prior: a random walk with drift on
    logit(share), drift ~ N(drift_mean, drift_sd), yearly sd**2 ~ prior_sd**2 * w / chi2(w) (w = prior_weight;
    the conjugate prior the pooling formula assumes). Defaults: the shipped prior."""
    p = shipped_prior()
    psd = p["prior_sd"] if prior_sd is None else prior_sd
    w = p["prior_weight"] if prior_weight is None else prior_weight
    dm = p["drift_mean"] if drift_mean is None else drift_mean
    dsd = p["drift_sd"] if drift_sd is None else drift_sd
    start = rng.uniform(*SYNTH_START_SHARE)
    drift = rng.normal(dm, dsd)
    sd = psd * math.sqrt(w / rng.chisquare(w)) if w > 0 else psd
    z = _logit(start) + np.concatenate([[0.0], np.cumsum(drift + sd * rng.standard_normal(n - 1))])
    return list(range(start_year, start_year + n)), expit(z)


def synthetic_calibration(n_series: int = 500, n_points: int = 3, horizon: int = 3, seed: int = 0,
                          truth: dict | None = None, **fit_kwargs) -> dict:
    """Coverage of the 80% and 95% bands on synthetic series of known truth.

    Each series is drawn by :func:`simulate_series` from the prior in ``truth`` (default: the prior the fit
    uses, ``fit_kwargs`` over the shipped one), so this checks the arithmetic, not the prior. Fit on the first
    ``n_points``, check the next ``horizon`` years. Returns a dict with ``coverage80``, ``coverage95``, ``n``
    (number of checks), ``mean_abs_error_pct`` and per-horizon coverage lists ``coverage80_by_horizon`` /
    ``coverage95_by_horizon``.
    """
    for name, given, least in (("n_points", n_points, 2), ("horizon", horizon, 1), ("n_series", n_series, 1)):
        if int(given) < least:
            raise ValidationError(name, "need n_points >= 2, horizon >= 1, n_series >= 1", code="too_small",
                                  params={"min": least, "value": int(given)})
    truth_kw = {**shipped_prior(), **{k: v for k, v in fit_kwargs.items() if k in PRIOR_PARAMETERS},
                **(truth or {})}
    rng = np.random.default_rng(seed)
    in80 = np.zeros((n_series, horizon), dtype=bool)
    in95 = np.zeros((n_series, horizon), dtype=bool)
    abs_err = np.zeros((n_series, horizon))
    width80 = np.zeros((n_series, horizon))
    for i in range(n_series):
        yrs, sh = simulate_series(rng, n_points + horizon, **truth_kw)
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
        width80[i] = 100.0 * (hi80 - lo80)
    return {
        "coverage80": float(in80.mean()),
        "coverage95": float(in95.mean()),
        "n": int(in80.size),
        "n_series": int(n_series),
        "n_points": int(n_points),
        "horizon": int(horizon),
        "mean_abs_error_pct": float(abs_err.mean()),
        "mean_width80_pct": float(width80.mean()),
        "coverage80_by_horizon": [float(v) for v in in80.mean(axis=0)],
        "coverage95_by_horizon": [float(v) for v in in95.mean(axis=0)],
    }
