"""Baseline forecast of a region's coverage share without new policy.

Model: a random walk with drift on ``logit(share)``, fitted to a very short annual
history (2 or 3 points is typical), with a prior learned from real Indonesian series.

* Yearly changes ``d_i = (logit(y_i) - logit(y_{i-1})) / gap_i``, only between consecutive points **on the
  same base**: a point marked as a break (``breaks``: the first year of a new base) starts a new segment, the
  change into it is never read as a trend (a level shift: the forecast starts from the last point, its trend
  comes from changes inside segments). A change over ``g`` years has variance ``g * sigma**2``; the region's own
  mean change is a weighted least-squares mean with weights ``g`` (statsmodels ``WLS`` on a constant).
* ``sigma`` is pooled with the prior sd (``prior_sd``, worth ``prior_weight`` pseudo-changes):
  ``s**2 = (SSR + w * prior_sd**2) / (dof + w)``.
* The drift has a normal prior ``N(drift_mean, drift_sd**2)`` (what comparable regions did): the region's own
  changes shrink it, ``drift = (drift_mean/drift_sd**2 + n_eff*own/s**2) / (1/drift_sd**2 + n_eff/s**2)``
  (``n_eff`` = years spanned by the changes), with variance ``drift_se**2`` = one over that precision.
  ``drift_sd = inf`` is a flat prior (the drift is the region's own mean change).
* Predictive scale ``h`` years after the last observation: ``sqrt(s**2 * h + h**2 * drift_se**2)``.
  Predictive distribution: Student-t with ``df = dof + w``.
* Everything is back-transformed with the logistic function, so shares stay inside (0, 1).

The prior's four figures are in ``data/parameters.yaml`` (``forecast.*``), estimated from the calibration set
``data/calibration/coverage_series.csv`` by :func:`simulation.calibration.calibrated_prior` (statsmodels
``MixedLM``); a test recomputes them and fails when the file and the data disagree. The calibration and the checks
of the bands (``real_backtest``, ``backtest``, ``synthetic_calibration``) are :mod:`simulation.calibration`,
which uses this module; this module never imports it.

No Streamlit here. The fit is statsmodels' ``WLS``; the t distribution is SciPy's (``scipy.special.stdtr`` and
``stdtrit``, the functions behind ``scipy.stats.t.cdf`` and ``.ppf`` without their argument handling: 1 µs a call
instead of 30, and the pages ask for a probability per target on every edit) and the logistic function
``scipy.special.expit``. See ``docs/FORECAST.md`` for the calibration figures.
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
from scipy.special import expit, stdtr, stdtrit
from statsmodels.regression import linear_model  # WLS only: statsmodels.api would load all of statsmodels

from simulation.errors import ValidationError

__all__ = [
    "PRIOR_PARAMETERS",
    "SHARE_EPS",
    "SHORT_HISTORY_POINTS",
    "ForecastResult",
    "fit_forecast",
    "shipped_prior",
]

#: Shares are clipped into [SHARE_EPS, 1 - SHARE_EPS] before the logit and after back-transform.
SHARE_EPS = 1e-4
#: Fewer history points than this is flagged as a short history.
SHORT_HISTORY_POINTS = 6
#: Above this last share a logit random walk tends to be overconfident.
HIGH_SHARE_WARNING = 0.9
#: fit_forecast's keyword -> the parameter in data/parameters.yaml that gives its default.
PRIOR_PARAMETERS = {"prior_sd": "forecast.prior_sd", "prior_weight": "forecast.prior_weight",
                    "drift_mean": "forecast.drift_mean", "drift_sd": "forecast.drift_sd"}

def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), SHARE_EPS, 1.0 - SHARE_EPS)
    return np.log(p) - np.log1p(-p)


def _expit(x: np.ndarray | float) -> np.ndarray:
    return np.clip(expit(np.asarray(x, dtype=float)), SHARE_EPS, 1.0 - SHARE_EPS)


@functools.lru_cache(maxsize=1024)
def t_quantile(df: float, q: float) -> float:
    """The t with P(T <= t) = ``q`` for Student's t with ``df`` degrees of freedom (cached: the bands ask for
    the same few levels of the same few ``df`` again and again)."""
    return float(stdtrit(df, q))


def t_cdf(df: float, t: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    return float(stdtr(df, t))


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
    break_years: tuple[int, ...] = ()  # history years that start a new base (the change into them is not a trend)

    # -- internal helpers -------------------------------------------------------------
    def _loc_scale(self, year: int) -> tuple[float, float]:
        """Logit-scale centre and scale for any year after the last history year."""
        h = float(year - self.history_years[-1])
        if h <= 0:
            raise ValueError("not a forecast year")
        last = float(_logit(self.history_shares[-1]))
        loc = last + h * self.drift
        scale = math.sqrt(self.sigma ** 2 * h + (h * self.drift_se) ** 2)
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
            code="not_observed_year",
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


def _validate_series(years: Iterable, shares: Iterable, min_points: int = 2) -> tuple[list[int], list[float]]:
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
    if len(ys) < min_points:
        raise ValidationError(
            "years", f"a forecast needs at least {min_points} observed years, got {len(ys)}",
            code="too_few", params={"min": min_points, "count": len(ys)},
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
            code="duplicate", params={"years": ", ".join(map(str, dup))},
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


def _positive(value: Any, field: str, allow_inf: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValidationError(field, f"{field} must be a number, got {value!r}", code="not_a_number") from None
    if not (v > 0 and (math.isfinite(v) or (allow_inf and v == math.inf))):
        raise ValidationError(field, f"{field} must be a positive number, got {value!r}", code="not_positive",
                              params={"value": str(value)[:40]})
    return v


def _validate_params(horizon_year: int, prior: dict[str, Any]) -> tuple[int, float, float, float, float]:
    try:
        hz = float(horizon_year)
    except (TypeError, ValueError):
        raise ValidationError("horizon_year", "horizon year is not a number", code="not_a_number") from None
    if not math.isfinite(hz) or hz != int(hz):
        raise ValidationError("horizon_year", f"horizon year {horizon_year!r} is not a whole number",
                              code="not_a_number")
    psd = _positive(prior["prior_sd"], "prior_sd")
    try:
        pw = float(prior["prior_weight"])
    except (TypeError, ValueError):
        pw = float("nan")
    if not (math.isfinite(pw) and pw >= 0):
        raise ValidationError("prior_weight", f"prior weight must be 0 or more, got {prior['prior_weight']!r}",
                              code="negative", params={"value": str(prior["prior_weight"])[:40]})
    try:
        dm = float(prior["drift_mean"])
    except (TypeError, ValueError):
        dm = float("nan")
    if not math.isfinite(dm):
        raise ValidationError("drift_mean", f"drift mean must be a number, got {prior['drift_mean']!r}",
                              code="not_a_number")
    dsd = _positive(prior["drift_sd"], "drift_sd", allow_inf=True)
    return int(hz), psd, pw, dm, dsd


def _validate_breaks(breaks: Iterable, ys: list[int]) -> list[int]:
    try:
        raw = list(breaks)
    except TypeError:
        raise ValidationError("breaks", "breaks must be a list of years", code="invalid") from None
    out = []
    for b in raw:
        try:
            y = int(b)
        except (TypeError, ValueError):
            raise ValidationError("breaks", f"break year {b!r} is not a whole number", code="not_a_number") from None
        if y not in ys[1:]:
            raise ValidationError(
                "breaks", f"a break must be an observed year after the first ({ys[0]}), got {y}",
                code="bad_break_year", params={"value": y, "min": ys[0] + 1 if len(ys) > 1 else ys[0]},
            )
        out.append(y)
    return sorted(set(out))


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}"


@functools.lru_cache(maxsize=1)
def shipped_prior() -> dict[str, float]:
    """The prior's four figures as shipped in ``data/parameters.yaml`` (``forecast.*``), keyed like
    :func:`fit_forecast`'s keywords."""
    from .parameters import load_parameters  # the forecast needs the shipped file only when no prior is passed

    params = load_parameters()
    return {kw: float(params.latest(pid)) for kw, pid in PRIOR_PARAMETERS.items()}


def fit_forecast(
    years,
    shares,
    horizon_year: int,
    prior_sd: float | None = None,
    prior_weight: float | None = None,
    drift_mean: float | None = None,
    drift_sd: float | None = None,
    breaks: Iterable = (),
) -> ForecastResult:
    """Fit the baseline (no new policy) forecast of a coverage share.

    ``years``: whole years (any order, no duplicates, gaps allowed); ``shares``: fractions strictly
    inside (0, 1); ``horizon_year``: last year to forecast; ``breaks``: observed years whose value starts a
    new base (the change into them is not used). The prior (``prior_sd``, ``prior_weight``, ``drift_mean``,
    ``drift_sd``; ``drift_sd=math.inf`` for a flat drift prior) defaults to the shipped
    ``data/parameters.yaml``. Raises ``ValidationError`` for bad input.
    """
    given = {"prior_sd": prior_sd, "prior_weight": prior_weight, "drift_mean": drift_mean, "drift_sd": drift_sd}
    if any(v is None for v in given.values()):
        given = {k: shipped_prior()[k] if v is None else v for k, v in given.items()}
    horizon, psd, pw, dmean, dsd = _validate_params(horizon_year, given)
    # one point is enough when the trend has a prior (what comparable regions did); a flat prior needs two
    ys, ss = _validate_series(years, shares, min_points=1 if dsd < math.inf else 2)
    brk = _validate_breaks(breaks, ys)
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
    same_base = np.asarray([y not in brk for y in ys[1:]], dtype=bool)
    gaps, d = gaps[same_base], d[same_base]
    m = int(d.size)
    n_eff = float(gaps.sum())

    sm_warnings: list[str] = []
    if m >= 2:
        own, ssr, dof, sm_warnings = _wls(d, gaps)
        own_how = "statsmodels WLS"
    elif m == 1:
        own, ssr, dof = float(d[0]), 0.0, 0.0
        own_how = "the single observed change"
    else:
        own, ssr, dof = 0.0, 0.0, 0.0
        own_how = "no change on one base"

    df = dof + pw
    if df < 1.0:
        raise ValidationError(
            "prior_weight",
            f"with {len(ys)} points the data give {dof:g} degrees of freedom for the yearly variation; "
            f"a prior weight of at least {1 - dof:g} is needed",
            code="too_few", params={"min": 1 - dof, "value": pw},
        )
    if m == 0 and dsd == math.inf:
        raise ValidationError(
            "drift_sd", "no two points share a base, so the trend needs a prior (a finite drift_sd)",
            code="too_few", params={"min": 1, "count": 0},
        )
    s2 = (ssr + pw * psd * psd) / df
    sigma = math.sqrt(max(s2, 0.0))
    data_precision = n_eff / s2 if s2 > 0 else math.inf
    if dsd == math.inf:
        drift, drift_var = own, 1.0 / data_precision if data_precision > 0 else math.inf
    elif data_precision == math.inf:
        drift, drift_var = own, 0.0
    else:
        precision = 1.0 / (dsd * dsd) + data_precision
        drift = (dmean / (dsd * dsd) + data_precision * own) / precision
        drift_var = 1.0 / precision
    drift_se = math.sqrt(drift_var)

    last_year = ys[-1]
    fyears = tuple(range(last_year + 1, horizon + 1))
    h = np.arange(1, len(fyears) + 1, dtype=float)
    loc = float(z[-1]) + h * drift
    scale = np.sqrt(s2 * h + (h * drift_se) ** 2)

    short = len(ys) < SHORT_HISTORY_POINTS
    if short:
        codes.insert(0, "short_history")
        notes.insert(
            0,
            f"short history: only {len(ys)} points ({_span(ys)}), so the trend rests on {m} "
            f"{'change' if m == 1 else 'changes'} on one base and leans on what comparable regions did "
            f"(yearly sd {psd:g} on the logit scale, worth {pw:g} extra changes; drift {dmean:+g} ± {dsd:g} a "
            "year); treat the forecast as a rough baseline.",
        )
    if brk:
        codes.append("base_break")
        notes.append(
            "The base of the coverage figures (what the percentage is of) changes in "
            + ", ".join(map(str, brk)) + ": the jump into that year is not read as a trend; the forecast starts "
            f"from the {last_year} level and takes its trend from changes on one base"
            + (" (there are none: the trend is what comparable regions did)." if m == 0 else ".")
        )
    if len(ys) == 2 and m == 1:
        codes.append("two_points")
        notes.append(
            "With 2 points the year-to-year variation cannot be measured from the data at all: "
            "the band width comes from the variation measured on other regions' series."
        )
    missing = [y for a, b in zip(ys, ys[1:], strict=False) if b not in brk for y in range(a + 1, b)]
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

    drift_prior = "flat drift prior" if dsd == math.inf else f"drift prior N({dmean:+g}, {dsd:g}²)"
    method = (
        f"random walk with drift on logit(share), own mean change by {own_how}, {drift_prior}, "
        f"sd pooled with prior (sd {psd:g}, weight {pw:g}), Student-t predictive (df {df:g})"
        + (f", level shift at {', '.join(map(str, brk))}" if brk else "")
    )
    return ForecastResult(
        history_years=tuple(ys),
        history_shares=tuple(ss),
        years=fyears,
        loc=tuple(float(v) for v in loc),
        scale=tuple(float(v) for v in scale),
        df=float(df),
        drift=float(drift),
        drift_se=float(drift_se),
        sigma=float(sigma),
        method=method,
        short_history=short,
        warnings=tuple(notes),
        warning_codes=tuple(codes),
        break_years=tuple(brk),
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
