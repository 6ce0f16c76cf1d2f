"""Project a scenario year by year: coverage with bands, participants, cost, claims, targets.

Coverage of a year = (baseline covered workers + PBI participants added net of those
already covered + workers brought in by the compliance lever) / potential workers.
The baseline is the statsmodels forecast of the region's history
(:mod:`simulation.forecast`); the scenario's additions are policy choices and are
added to every quantile of the baseline, so the scenario's bands are the baseline's
bands shifted up (and kept at or below 100 %).

Units: persons, Rp (nominal), shares 0..1 inside, percent in the output table.

Gap to a target, everywhere (table columns ``gap_<target id>_pp``, the targets table's ``gap_pp``, and every page,
file and CLI output built on them): scenario coverage - target, in points; negative = short of the target, and a
target is met exactly when its gap is >= 0.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .contributions import base_for_year, yearly_contribution
from .data import Region, load_region
from .errors import ValidationError
from .forecast import PRIOR_PARAMETERS, ForecastResult, fit_forecast
from .parameters import Parameters, resolve
from .scenario import GroupScenario, Scenario
from .sourced import SourceText, with_source

QUANTILES = {"low95": 0.025, "low": 0.10, "median": 0.5, "high": 0.90, "high95": 0.975}


@functools.lru_cache(maxsize=64)
def _cached_forecast(years: tuple[int, ...], shares: tuple[float, ...], horizon_year: int,
                     prior: tuple[tuple[str, float], ...], breaks: tuple[int, ...]) -> ForecastResult:
    return fit_forecast(years, shares, horizon_year, breaks=breaks, **dict(prior))


def baseline_forecast(region: Region, horizon_year: int, parameters: Parameters | None = None) -> ForecastResult:
    """The region's coverage forecast without new policy (cached on the history, its base breaks and the prior's
    parameters ``forecast.*``). A region that is not ready is refused (code ``region_not_ready``)."""
    region.require_ready()
    p = resolve(parameters)
    years = tuple(v.year for v in region.coverage_history)
    shares = tuple(v.value / 100 for v in region.coverage_history)
    breaks = tuple(v.year for v in region.coverage_history if getattr(v, "break_before", None))
    prior = tuple((kw, p.latest(pid)) for kw, pid in PRIOR_PARAMETERS.items())
    return _cached_forecast(years, shares, max(horizon_year, years[-1] + 1), prior, breaks)


def effective_take_up(group: GroupScenario, scenario: Scenario) -> float:
    """Take-up [share] after the participant's own share of the contribution lowers it."""
    participant_share = 1 - scenario.city_share
    return group.take_up * max(0.0, 1 - scenario.takeup_elasticity * participant_share)


def phase(group: GroupScenario, year: int) -> float:
    """Share of the group's intended enrolment reached in a year [0..1]."""
    if year < group.start_year:
        return 0.0
    return min(1.0, (year - group.start_year + 1) / group.phase_in_years)


def active_participants(group: GroupScenario, scenario: Scenario, year: int) -> float:
    """Active participants of a group in a year, before any budget cap [persons]."""
    return group.members * effective_take_up(group, scenario) * phase(group, year) * (1 - group.dropout)


def contribution_per_person_year(scenario: Scenario, region: Region, year: int,
                                 parameters: Parameters | None = None) -> float:
    """Full contribution (city + participant) per participant for the year [Rp/year]."""
    p = resolve(parameters)
    base = base_for_year(scenario.base, year, region=region, custom_idr=scenario.base_custom_idr,
                         indexation_pct=scenario.indexation_pct, first_year=scenario.start_year,
                         custom_year=scenario.base_custom_year, parameters=p)
    return yearly_contribution(scenario.route, base, year, scenario.risk_class, p)


def compliance_added(scenario: Scenario, region: Region, year: int, workers: float) -> float:
    """Workers brought into cover by enforcement on under-reporting firms, cumulative to a year [persons]."""
    if scenario.compliance_mode == "none" or year < scenario.compliance_start_year:
        return 0.0
    uncovered_formal = workers * region.formal_share.value * (1 - region.formal_coverage.value)
    n = year - scenario.compliance_start_year + 1
    if scenario.compliance_mode == "count":
        return min(uncovered_formal, scenario.compliance_per_year * n)
    return uncovered_formal * (1 - (1 - scenario.compliance_per_year) ** n)


@dataclass(frozen=True)
class Projection:
    """The result of :func:`project`: read its tables, do not change them."""

    scenario: Scenario
    region: Region
    forecast: ForecastResult
    table: pd.DataFrame      # one row per projected year
    by_group: pd.DataFrame   # one row per (year, group in scope)
    targets: pd.DataFrame    # one row per target
    warnings: tuple[str, ...]
    warning_codes: tuple[str, ...] = ()   # one code per warning, same order (forecast's, then "budget_capped")

    @property
    def final(self) -> pd.Series:
        return self.table.iloc[-1]

    def row(self, year: int) -> pd.Series:
        rows = self.table[self.table["year"] == year]
        if rows.empty:
            raise ValidationError("year", f"{year} is not a projected year", code="out_of_range",
                                  params={"min": int(self.table["year"].min()), "max": int(self.table["year"].max()),
                                          "value": year})
        return rows.iloc[0]


@with_source
class RecordCheck(SourceText):   # source_in(lang): the record's source for a reader
    """A year of the region's scheme record set against the scenario's claim assumptions.

    The record's contributions are turned into person-years at the plain PBI package of that year (BPU JKK + JKM
    on the income floor: Rp201,600 a year in 2025), the package the schemes on record paid."""

    year: int
    contributions_idr: float   # paid from the regional budget [Rp]
    claims_idr: float          # paid to families [Rp]
    ratio: float               # claims / contributions in the record
    person_years: float        # contributions / the package's yearly contribution [person-years]
    claims_per_person_year_idr: float        # in the record [Rp]
    model_claims_per_person_year_idr: float  # the scenario's incidence x claim sizes [Rp]
    model_ratio: float         # the scenario's claims / the package's contribution (same basis as ``ratio``)
    multiplier: float          # the incidence the record implies, as a multiple of the scenario's
    jkm_incidence: float       # record-implied JKM claims per participant-year (the scenario's, x multiplier)
    jkk_incidence: float       # record-implied JKK claims per participant-year
    # then the source fields (source, certainty, source_date, source_id, source_en): sourced.with_source


def claims_record(scenario: Scenario, region: Region | None = None,
                  parameters: Parameters | None = None) -> tuple[RecordCheck, ...]:
    """The region's scheme record (``Region.scheme_record``, may be empty) beside the scenario's claims model: the
    incidence each year of record implies, both kinds of claim scaled alike (the record does not split them)."""
    region = region or load_region(scenario.region)
    p = resolve(parameters)
    model_ppy = scenario.jkm_incidence * scenario.jkm_claim_idr + scenario.jkk_incidence * scenario.jkk_claim_idr
    out = []
    for r in region.scheme_record:
        floor = base_for_year("floor", r.year, region=region, custom_idr=0.0, indexation_pct=0.0,
                              first_year=r.year, parameters=p)
        package = yearly_contribution("bpu", floor, r.year, 1, p)
        person_years = r.contributions_idr / package
        record_ppy = r.claims_idr / person_years
        multiplier = record_ppy / model_ppy if model_ppy > 0 else math.nan
        out.append(RecordCheck(
            year=r.year, contributions_idr=r.contributions_idr, claims_idr=r.claims_idr,
            ratio=r.claims_to_contributions, person_years=person_years, claims_per_person_year_idr=record_ppy,
            model_claims_per_person_year_idr=model_ppy, model_ratio=model_ppy / package, multiplier=multiplier,
            jkm_incidence=scenario.jkm_incidence * multiplier, jkk_incidence=scenario.jkk_incidence * multiplier,
            source=r.source, certainty=r.certainty, source_date=r.source_date, source_id=r.source_id,
            source_en=r.source_en))
    return tuple(out)


def project(scenario: Scenario, region: Region | None = None, parameters: Parameters | None = None) -> Projection:
    """Project a scenario from the year after the region's last observation to its horizon.

    ``region`` defaults to the scenario's shipped region, ``parameters`` (contribution rates, forecast prior) to
    the shipped ``data/parameters.yaml``; pass either to project with other data, nothing global changes."""
    region = region or load_region(scenario.region)
    fc, years, n, in_scope, active, net, city_cost, added_share, capped, cols = _columns(scenario, region,
                                                                                          resolve(parameters))
    table = pd.DataFrame(cols)

    by_group = pd.DataFrame({
        "year": np.tile(years, len(in_scope)),
        "group_id": np.repeat([g.id for g in in_scope], n),
        "group": np.repeat([g.name for g in in_scope], n),
        "participants": active.ravel(), "added_net": net.ravel(), "cost_idr": city_cost.ravel(),
    })

    trows = []
    for t in scenario.targets:
        trows.append(_target_row(t, fc, region, years, added_share, cols))
    targets = pd.DataFrame(trows, columns=["target_id", "target", "year", "target_pct", "baseline_pct",
                                           "coverage_pct", "gap_pp", "probability_baseline", "probability",
                                           "status"])
    warnings, codes = list(fc.warnings), list(fc.warning_codes)
    if capped.any():
        codes.append("budget_capped")
        warnings.append("budget cap binds in " + ", ".join(str(y) for y, c in zip(years, capped, strict=False) if c))
    return Projection(scenario, region, fc, table, by_group, targets, tuple(warnings), tuple(codes))


def final_year(scenario: Scenario, region: Region | None = None, parameters: Parameters | None = None) -> dict:
    """The last row of ``project(scenario, region).table`` as a dict (same values), without building the
    tables: for the many variants of the sensitivity analysis, where building them took most of the time."""
    region = region or load_region(scenario.region)
    cols = _columns(scenario, region, resolve(parameters))[-1]
    return {k: v[-1] for k, v in cols.items()}


def _columns(scenario: Scenario, region: Region, parameters: Parameters):
    """The yearly columns of the projection table (numpy arrays), and the parts the other tables use."""
    if region.id != scenario.region:
        raise ValidationError("region", f"scenario is for {scenario.region!r}, data for {region.id!r}",
                              code="region_mismatch")
    fc = baseline_forecast(region, scenario.horizon_year, parameters)
    first = region.last_history_year + 1
    years = list(range(first, scenario.horizon_year + 1))
    if not years:
        raise ValidationError("horizon_year", f"the horizon must be after the last observed year "
                              f"{region.last_history_year}", code="horizon_before_data",
                              params={"year": region.last_history_year})
    n = len(years)
    growth = region.worker_growth_pct.value if scenario.worker_growth_pct is None else scenario.worker_growth_pct
    workers = np.array([region.potential_workers_in(y, growth) for y in years])
    fc_index = [fc.years.index(y) for y in years]
    base_q = {k: fc.quantile(q)[fc_index] for k, q in QUANTILES.items()}

    in_scope = sorted((g for g in scenario.groups if g.in_scope and g.members > 0), key=lambda g: (g.priority, g.id))
    per_person = np.array([contribution_per_person_year(scenario, region, y, parameters) for y in years])
    active = np.array([[active_participants(g, scenario, y) for y in years] for g in in_scope]).reshape(-1, n)
    city_cost = active * per_person * scenario.city_share
    capped = np.zeros(n, dtype=bool)
    if scenario.budget_cap_idr is not None:
        for j in range(n):
            remaining = scenario.budget_cap_idr
            for i in range(len(in_scope)):
                want = city_cost[i, j]
                if want <= remaining + 1e-6:
                    remaining -= want
                    continue
                frac = remaining / want if want > 0 else 0.0
                active[i, j] *= frac
                city_cost[i, j] = remaining
                remaining = 0.0
                capped[j] = True
    net = active * np.array([1 - g.already_covered for g in in_scope]).reshape(-1, 1)
    total_contrib = active.sum(axis=0) * per_person
    cost = city_cost.sum(axis=0)
    pbi_active = active.sum(axis=0)
    pbi_net = net.sum(axis=0)
    compliance = np.array([compliance_added(scenario, region, y, w) for y, w in zip(years, workers, strict=False)])
    added_share = (pbi_net + compliance) / workers

    cols: dict[str, np.ndarray | list] = {"year": years, "potential_workers": workers}
    for k in QUANTILES:
        suffix = "" if k == "median" else f"_{k}"
        cols[f"baseline_coverage{suffix}_pct"] = base_q[k] * 100
    for k in QUANTILES:
        suffix = "" if k == "median" else f"_{k}"
        cols[f"coverage{suffix}_pct"] = np.minimum(1.0, base_q[k] + added_share) * 100
    covered = np.minimum(1.0, base_q["median"] + added_share) * workers
    apbd = np.array([region.apbd_in(y) for y in years])
    jkm_n = pbi_active * scenario.jkm_incidence
    jkk_n = pbi_active * scenario.jkk_incidence
    claims = jkm_n * scenario.jkm_claim_idr + jkk_n * scenario.jkk_claim_idr
    points = added_share * 100
    with np.errstate(divide="ignore", invalid="ignore"):
        pbi_points = pbi_net / workers * 100
        cost_per_point = np.where(pbi_points > 0, cost / np.where(pbi_points > 0, pbi_points, 1), np.nan)
        ratio = np.where(total_contrib > 0, claims / np.where(total_contrib > 0, total_contrib, 1), np.nan)
    cols.update({
        "covered_workers": covered, "uncovered_workers": workers - covered,
        "pbi_participants": pbi_active, "pbi_added_net": pbi_net, "compliance_added": compliance,
        "added_points_pp": points, "contribution_per_person_month_idr": per_person / 12,
        "cost_idr": cost, "participant_paid_idr": total_contrib - cost, "contributions_idr": total_contrib,
        "apbd_idr": apbd, "cost_share_apbd_pct": cost / apbd * 100, "cost_per_point_idr": cost_per_point,
        "jkm_claims": jkm_n, "jkm_claims_idr": jkm_n * scenario.jkm_claim_idr,
        "jkk_claims": jkk_n, "jkk_claims_idr": jkk_n * scenario.jkk_claim_idr,
        "claims_idr": claims, "claims_to_contributions": ratio, "budget_capped": capped,
    })
    for t in scenario.targets:
        cols[f"gap_{t.id}_pp"] = cols["coverage_pct"] - t.coverage_pct   # negative = short of it
    return fc, years, n, in_scope, active, net, city_cost, added_share, capped, cols


def _target_row(t, fc: ForecastResult, region: Region, years: list[int], added_share: np.ndarray,
                cols: dict) -> dict:
    row = {"target_id": t.id, "target": t.name, "year": t.year, "target_pct": t.coverage_pct}
    hist = {v.year: v.value for v in region.coverage_history}
    if t.year in years:
        j = years.index(t.year)
        row.update(baseline_pct=float(cols["baseline_coverage_pct"][j]), coverage_pct=float(cols["coverage_pct"][j]),
                   probability_baseline=fc.prob_at_least(t.year, t.coverage_pct / 100),
                   probability=fc.prob_at_least(t.year, t.coverage_pct / 100 - float(added_share[j])),
                   status="projected")
    elif t.year in hist:
        reached = 1.0 if hist[t.year] >= t.coverage_pct else 0.0
        row.update(baseline_pct=hist[t.year], coverage_pct=hist[t.year], probability_baseline=reached,
                   probability=reached, status="observed")
    else:
        row.update(baseline_pct=math.nan, coverage_pct=math.nan, probability_baseline=math.nan,
                   probability=math.nan, status="outside_horizon")
    row["gap_pp"] = row["coverage_pct"] - t.coverage_pct   # scenario - target: negative = short
    return row

