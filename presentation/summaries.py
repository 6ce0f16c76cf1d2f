"""Derived numbers the pages show: differences, shares, sums and gaps read from engine results.

The pages format and draw; the arithmetic on model quantities lives here, once, where a test can reach it
without Streamlit. Nothing here calls the engine: every function takes results (projections, goal-seek
results, regions, scenarios) that the UI's cache (ui/model.py) already computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from simulation.data import Region
from simulation.parameters import Parameters, resolve
from simulation.scenario import Scenario

from .i18n import fmt_number, fmt_pct, t

#: warning codes the Projection page shows in sentences of its own (the rest are listed as method notes)
OWN_SENTENCE_CODES = frozenset({"short_history", "budget_capped"})


# --------------------------------------------------------------------------- projection
def first_target_year(scenario: Scenario, years: list[int]) -> int:
    """The year of the earliest target inside the projection, else the first projected year."""
    inside = sorted(x.year for x in scenario.targets if x.year in years)
    return inside[0] if inside else years[0]


def scheme_year(p) -> int:
    """The headline year of the scheme's participants and cost, the one every page and file names: the first
    projected year in which the scheme runs (a group in scope with members has started), else, when nothing runs
    within the horizon, the first projected year, the one right after the last record (its zero is the
    scenario's answer, not an accident of dates). A history that ends years before the scheme starts no longer
    moves the headline to a year before the scheme (issue 12)."""
    years = [int(y) for y in p.table["year"]]
    starts = [g.start_year for g in p.scenario.groups if g.in_scope and g.members > 0]
    if starts:
        running = [y for y in years if y >= min(starts)]
        if running:
            return running[0]
    return years[0]


def scheme_row(p) -> pd.Series:
    """The projection table's row of :func:`scheme_year`."""
    return p.row(scheme_year(p))


def capped_years(p) -> list[int]:
    """Years in which the budget cap binds (participants cut) [years]."""
    tab = p.table
    return [int(y) for y, c in zip(tab["year"], tab["budget_capped"], strict=True) if c]


def cap_lost_participants(p, uncapped) -> tuple[int, float] | None:
    """(first capped year, participants the cap removes that year [persons]); None when the cap never binds.

    ``uncapped`` is the projection of the same scenario without its cap."""
    years = capped_years(p)
    if not years:
        return None
    yc = years[0]
    return yc, float(uncapped.row(yc)["pbi_participants"] - p.row(yc)["pbi_participants"])


def cap_start_idr(uncapped) -> float:
    """A new cap's starting amount: the highest yearly cost without a cap, rounded up to a million [Rp/year],
    so the cap does not bind when it is switched on."""
    need = float(uncapped.table["cost_idr"].max())
    return max(1e6, math.ceil(need / 1e6) * 1e6)


def trend_per_year_pp(p) -> float:
    """The baseline's average yearly change from the last observation to the horizon [pp/year]."""
    fc, tab = p.forecast, p.table
    last_year = int(tab["year"].iloc[-1])
    return (float(tab["baseline_coverage_pct"].iloc[-1]) - 100 * fc.history_shares[-1]) / (
        last_year - fc.history_years[-1])


@dataclass(frozen=True)
class Totals:
    """Sums over the projected years."""

    cost_idr: float            # the region's cost [Rp]
    contributions_idr: float   # all contributions paid [Rp]
    claims_idr: float          # expected claims [Rp]

    @property
    def claims_ratio(self) -> float | None:
        """Claims per rupiah of contribution [-]; None without contributions."""
        return self.claims_idr / self.contributions_idr if self.contributions_idr > 0 else None


def totals(p) -> Totals:
    tab = p.table
    return Totals(float(tab["cost_idr"].sum()), float(tab["contributions_idr"].sum()), float(tab["claims_idr"].sum()))


def method_notes(p, lang: str) -> list[str]:
    """The engine's warnings the page has no sentence of its own for, chosen and translated by their code
    (``projection.warning_<code>``; the engine's text is the ``{detail}``); a code without a translation keeps
    the engine's English sentence."""
    codes = p.warning_codes or ("",) * len(p.warnings)
    out = []
    for text, code in zip(p.warnings, codes, strict=True):
        if code in OWN_SENTENCE_CODES:
            continue
        key = f"projection.warning_{code}"
        said = t(key, lang, detail=text, years=", ".join(map(str, getattr(p.forecast, "break_years", ()))))
        out.append(text if said == key else said)
    return out


# --------------------------------------------------------------------------- scenario page
@dataclass(frozen=True)
class PerParticipant:
    """What one participant's monthly contribution is and who pays it, in the scheme's headline year
    (:func:`scheme_year`) [Rp/month]."""

    contribution: float
    city: float           # the region's cost per participant (nan without participants)
    participant: float    # what is left for the participant
    city_by_share: float  # contribution x the region's share

    @property
    def contribution_year(self) -> float:
        """The contribution over a year [Rp/year]."""
        return self.contribution * 12


def per_participant(p, scenario: Scenario) -> PerParticipant:
    r0 = scheme_row(p)
    c = float(r0["contribution_per_person_month_idr"])
    n = float(r0["pbi_participants"])
    city = float(r0["cost_idr"]) / n / 12 if n > 0 else math.nan
    return PerParticipant(c, city, c - city, c * scenario.city_share)


def already_enrolled(row) -> float:
    """PBI participants who were enrolled anyway (participants minus the net addition) [persons]."""
    return float(row["pbi_participants"] - row["pbi_added_net"])


def coverage_gain_pp(row) -> float:
    """The scenario's coverage above the baseline [pp]."""
    return float(row["coverage_pct"] - row["baseline_coverage_pct"])


def takeup_fall_pct(scenario: Scenario) -> float:
    """How much take-up falls when participants pay part [% of take-up]; at full payment, for half paid."""
    paid = 1 - (scenario.city_share if scenario.city_share < 1 else 0.5)
    return scenario.takeup_elasticity * paid * 100


def compliance_pool(region: Region, scenario: Scenario, year: int) -> float:
    """Formal workers not yet registered, whom compliance enforcement can reach [persons]."""
    growth = region.worker_growth_pct.value if scenario.worker_growth_pct is None else scenario.worker_growth_pct
    return region.potential_workers_in(year, growth) * region.formal_share.value * (1 - region.formal_coverage.value)


def compliance_share_pp(row) -> float:
    """Coverage added by compliance enforcement [pp of potential workers]."""
    return 100 * float(row["compliance_added"]) / float(row["potential_workers"])


def assumed_group_sizes(scenario: Scenario, region: Region) -> int:
    """Groups whose size in the region data is an assumption (certainty A)."""
    return sum(1 for g in scenario.groups if (d := region.group(g.id)) is not None and d.members.certainty == "A")


# --------------------------------------------------------------------------- goal-seek page
@dataclass(frozen=True)
class GoalFacts:
    reached_pct: float    # coverage with the goal-seek's groups, at the chosen confidence [%]
    current_pct: float    # coverage of the scenario as it is (no cap) [%]
    workers: float        # potential workers that year [persons]
    shortfall_workers: float   # workers the unreachable target still lacks [persons]
    budget_share_pct: float    # the budget as a share of the APBD [%]


def goal_facts(res, row, current_row, apbd_idr: float) -> GoalFacts:
    """``row``: the goal-seek scenario's projected year; ``current_row``: the working scenario's (uncapped)."""
    workers = float(row["potential_workers"])
    return GoalFacts(min(100.0, res.baseline_pct + float(row["added_points_pp"])),
                     min(100.0, res.baseline_pct + float(current_row["added_points_pp"])),
                     workers, res.shortfall_pct / 100 * workers, res.budget_idr / apbd_idr * 100)


# --------------------------------------------------------------------------- data page
def group_differences(scenario: Scenario, region: Region) -> list[tuple]:
    """(group, column, scenario value, region value) where the scenario's copy of a region group differs;
    shares in percent [0-100]."""
    out = []
    for g in scenario.groups:
        d = region.group(g.id)
        if d is None:
            continue
        pairs = [("members", g.members, int(round(d.members.value))),
                 ("already_covered_pct", 100 * g.already_covered, 100 * d.already_covered.value),
                 ("take_up_pct", 100 * g.take_up, 100 * d.take_up.value),
                 ("dropout_pct", 100 * g.dropout, 100 * d.dropout.value)]
        out.extend((g, key, sv, rv) for key, sv, rv in pairs if abs(sv - rv) > 1e-6)
    return out


def target_differences(scenario: Scenario, region: Region) -> list[tuple]:
    """(region target, the scenario's target of that id or None) where they differ."""
    mine = {x.id: x for x in scenario.targets}
    out = []
    for tg in region.targets:
        s = mine.get(tg.id)
        if s is None or s.year != tg.year or abs(s.coverage_pct - tg.coverage_pct) > 1e-9:
            out.append((tg, s))
    return out


# --------------------------------------------------------------------------- compare page
def reaches(p, target) -> bool:
    """Met exactly when the gap (scenario - target, the engine's sign) is >= 0."""
    return float(p.row(target.year)["coverage_pct"]) - target.coverage_pct >= -1e-9


@dataclass(frozen=True)
class Verdict:
    """Which compared scenario reaches the main target most cheaply (or comes closest)."""

    kind: str                  # "baseline" | "cheapest" | "none"
    projection: object = None  # the cheapest (cheapest) or closest (none) projection
    cost_idr: float = math.nan         # cheapest: total cost over the years [Rp]
    probability_pct: float = math.nan  # cheapest: chance of reaching the target [%]
    coverage_pct: float = math.nan     # none: the closest coverage [%]
    gap_pp: float = math.nan           # none: scenario - target [pp], negative (what it lacks)


def verdict(projections: list, target) -> Verdict:
    base = projections[0]
    if float(base.row(target.year)["baseline_coverage_pct"]) >= target.coverage_pct:
        return Verdict("baseline")
    winners = [p for p in projections if reaches(p, target)]
    if winners:
        best = min(winners, key=lambda p: float(p.table["cost_idr"].sum()))
        tr = best.targets[best.targets["target_id"] == target.id].iloc[0]
        return Verdict("cheapest", best, cost_idr=float(best.table["cost_idr"].sum()),
                       probability_pct=100 * float(tr["probability"]))
    close = max(projections, key=lambda p: float(p.row(target.year)["coverage_pct"]))
    cov = float(close.row(target.year)["coverage_pct"])
    return Verdict("none", close, coverage_pct=cov, gap_pp=cov - target.coverage_pct)


def same_coverage(projections: list, ref) -> list:
    """The projections whose coverage path equals the reference's."""
    return [p for p in projections if p is not ref
            and (p.table["coverage_pct"] - ref.table["coverage_pct"]).abs().max() < 1e-9]


@dataclass
class Metric:
    """One row of the comparison table: the baseline first, then each scenario; None = not applicable."""

    key: str             # catalogue key of the label
    params: dict         # its parameters
    kind: str            # pct | prob | count | idr | share | ratio | range
    values: list


def _prob(p, target_id: str, col: str) -> float | None:
    tr = p.targets[p.targets["target_id"] == target_id]
    return None if tr.empty or pd.isna(tr.iloc[0][col]) else 100 * float(tr.iloc[0][col])


def _at(p, year: int, col: str) -> float | None:
    """``col`` of ``year`` (None when missing, or when that projection's years do not reach it)."""
    rows = p.table[p.table["year"] == year]
    v = rows[col].iloc[0] if len(rows) else None
    return None if v is None or pd.isna(v) else float(v)


def compare_metrics(projections: list, ref) -> list[Metric]:
    """The comparison table's rows; ``range`` values are (low, high) pairs [%]."""
    base = projections[0]
    tab0 = base.table
    first_year, last_year = int(tab0["year"].iloc[0]), int(tab0["year"].iloc[-1])
    y0 = scheme_year(ref)   # the scheme's first running year, the one the other pages name too
    fy, ly = str(y0), str(last_year)
    fin = [p.final for p in projections]
    metrics = [
        Metric("compare.m_coverage", {"year": ly}, "pct",
               [float(base.final["baseline_coverage_pct"])] + [float(f["coverage_pct"]) for f in fin]),
        Metric("compare.m_range", {"year": ly}, "range",
               [(base.final["baseline_coverage_low_pct"], base.final["baseline_coverage_high_pct"])]
               + [(f["coverage_low_pct"], f["coverage_high_pct"]) for f in fin]),
    ]
    for y in sorted({tg.year for tg in ref.scenario.targets if first_year <= tg.year < last_year}):
        metrics.append(Metric("compare.m_coverage", {"year": y}, "pct", [float(base.row(y)["baseline_coverage_pct"])]
                              + [float(p.row(y)["coverage_pct"]) for p in projections]))
    for tg in ref.scenario.targets:
        if first_year <= tg.year <= last_year:
            metrics.append(Metric("compare.m_prob", {"target": tg.name, "coverage_pct": tg.coverage_pct}, "prob",
                                  [_prob(base, tg.id, "probability_baseline")]
                                  + [_prob(p, tg.id, "probability") for p in projections]))
    ratios = [totals(p).claims_ratio for p in projections]
    metrics += [
        Metric("compare.m_participants", {"year": ly}, "count", [None] + [float(f["pbi_participants"]) for f in fin]),
        Metric("compare.m_net", {"year": ly}, "count", [None] + [float(f["pbi_added_net"]) for f in fin]),
        Metric("compare.m_cost_first", {"year": fy}, "idr", [None] + [_at(p, y0, "cost_idr") for p in projections]),
        Metric("compare.m_cost_total", {"first": str(first_year), "last": ly}, "idr",
               [None] + [totals(p).cost_idr for p in projections]),
        Metric("compare.m_share", {"year": fy}, "share",
               [None] + [_at(p, y0, "cost_share_apbd_pct") for p in projections]),
        Metric("compare.m_per_point", {"year": fy}, "idr",
               [None] + [_at(p, y0, "cost_per_point_idr") for p in projections]),
        Metric("compare.m_ratio", {"first": str(first_year), "last": ly}, "ratio", [None] + ratios),
    ]
    return metrics


#: a difference below this is too small to show at the table's precision
TINY = {"pct": 0.05, "prob": 0.5, "count": 0.5, "idr": 5e5, "share": 5e-4, "ratio": 0.005}


def differences(metric: Metric, ref_col: int) -> list[float | None]:
    """Each column's value minus the reference column's (None where either is missing or for ranges)."""
    r = metric.values[ref_col]
    return [None if metric.kind == "range" or v is None or r is None else v - r for v in metric.values]


def is_tiny(kind: str, d: float) -> bool:
    return abs(d) < TINY[kind]


def distinct_variants(candidates: list[tuple[int, Scenario]], fill_from: int = 4,
                      enough: int = 4) -> dict[int, Scenario]:
    """The scenarios to compare, by index: one identical to an earlier one is left out, names are made unique
    (the chart keeps them apart), and candidates from index ``fill_from`` on only fill up to ``enough``."""
    chosen: dict[int, Scenario] = {}
    for i, s in candidates:
        if i >= fill_from and len(chosen) >= enough:
            break
        if any(s.replace(name="x") == o.replace(name="x") for o in chosen.values()):
            continue
        name, n = s.name, 2
        while any(o.name == name for o in chosen.values()):
            name, n = f"{s.name} ({n})", n + 1
        chosen[i] = s if name == s.name else s.replace(name=name)
    return chosen


# --------------------------------------------------------------------------- overview and presentation
@dataclass(frozen=True)
class CoverageNow:
    """The region's last observed coverage in persons."""

    year: int
    coverage_pct: float   # [% of potential workers]
    workers: float        # potential workers that year [persons]

    @property
    def covered(self) -> float:
        """Workers covered [persons]."""
        return self.workers * self.coverage_pct / 100

    @property
    def uncovered(self) -> float:
        """Workers not covered [persons]."""
        return self.workers - self.covered


def coverage_now(region: Region) -> CoverageNow:
    last = region.coverage_history[-1]
    return CoverageNow(last.year, last.value, region.potential_workers_in(last.year))


# --------------------------------------------------------------------------- sensitivity page
def trend_to_policy_ratio(trend_row, policy_row) -> float | None:
    """How many times the trend's coverage swing is the largest policy assumption's [-]; None when that policy
    swing is below 0.05 pp (a ratio to nearly nothing says nothing)."""
    if policy_row is None or policy_row["coverage_swing_pp"] < 0.05:
        return None
    return float(trend_row["coverage_swing_pp"] / policy_row["coverage_swing_pp"])


# --------------------------------------------------------------------------- claims record
#: a record whose implied death rate is more than this many times Indonesia's crude death rate (all ages) is read
#: as beyond an adult cohort of about 40-65: a judgment, not a published threshold (no age-specific Indonesian
#: rate is in data/parameters.yaml; see incidence.jkm_death's note)
IMPLAUSIBLE_DEATH_MULTIPLE = 3.0


def record_death_level(implied_jkm: float, parameters: Parameters | None = None) -> tuple[str, float]:
    """(``within`` | ``above_crude`` | ``implausible``, implied ÷ crude death rate) for the death rate a claims
    record implies [deaths per participant a year], against ``mortality.crude_death_rate``."""
    cdr = resolve(parameters).latest("mortality.crude_death_rate")
    times = implied_jkm / cdr
    level = "within" if times <= 1 else "above_crude" if times <= IMPLAUSIBLE_DEATH_MULTIPLE else "implausible"
    return level, times


def record_death_plausibility(implied_jkm: float, lang: str, parameters: Parameters | None = None) -> str:
    """One sentence: is the death rate a claims record implies plausible for the PBI cohort, against the published
    crude death rate (its source, date and certainty named)?"""
    pv = resolve(parameters)["mortality.crude_death_rate"].latest
    level, times = record_death_level(implied_jkm, parameters)
    return t(f"projection.record_death_{level}", lang, implied=fmt_pct(100 * implied_jkm, lang, 1),
             times=fmt_number(times, lang, 1), cdr=fmt_pct(100 * pv.value, lang, 2),
             source=pv.source_in(lang).split(" (")[0], certainty=pv.certainty,
             source_date=pv.source_date.isoformat() if pv.source_date else "-")
