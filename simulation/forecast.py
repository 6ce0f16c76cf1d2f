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
``data/calibration/coverage_series.csv`` by :func:`calibrated_prior` (statsmodels ``MixedLM``); a test recomputes
them and fails when the file and the data disagree. :func:`real_backtest` is the leave-one-series-out,
rolling-origin check on that set.

No Streamlit here. The fits are statsmodels' ``WLS`` and ``MixedLM``; the t distribution is ``scipy.stats.t``
and the logistic function ``scipy.special.expit``. See ``docs/FORECAST.md`` for the calibration figures.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# imported with the module, not on first use: every forecast needs them, the app's first page too
from scipy import stats
from scipy.special import expit
from statsmodels.regression import linear_model  # WLS only: statsmodels.api would load all of statsmodels

from simulation.errors import ValidationError

__all__ = [
    "CALIBRATION_FILE",
    "PRIOR_PARAMETERS",
    "SHARE_EPS",
    "SHORT_HISTORY_POINTS",
    "BacktestResult",
    "CalibratedPrior",
    "ForecastResult",
    "backtest",
    "calibrated_prior",
    "calibration_segments",
    "fit_forecast",
    "prior_kwargs",
    "real_backtest",
    "shipped_prior",
    "simulate_series",
    "synthetic_calibration",
]

#: Shares are clipped into [SHARE_EPS, 1 - SHARE_EPS] before the logit and after back-transform.
SHARE_EPS = 1e-4
#: Fewer history points than this is flagged as a short history.
SHORT_HISTORY_POINTS = 6
#: Above this last share a logit random walk tends to be overconfident.
HIGH_SHARE_WARNING = 0.9
#: The real calibration set (published coverage series; see its README) and the levels used for the prior.
CALIBRATION_FILE = Path(__file__).resolve().parent.parent / "data" / "calibration" / "coverage_series.csv"
REGIONAL_LEVELS = ("province", "city", "regency")
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
    from .data import load_parameters  # the forecast needs the shipped file only when no prior is passed

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
