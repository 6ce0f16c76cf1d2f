"""What it takes to reach a target: participants, groups and yearly budget.

Groups are filled in the user's priority order (lowest ``priority`` first). Groups
already in scope count as they are; for the others, the smallest number of extra
members is enrolled, the last group partly, until the scenario's coverage in the
target year reaches the target at the chosen confidence (0.5 = the median; 0.8 =
reached in 8 of 10 baseline outcomes). No budget cap applies: the answer *is* the
budget needed.

When every group is not enough, the second lever is employer compliance: the workers that enforcement on
under-reporting firms would have to bring into cover by the target year (at most the uncovered formal workers
left), set as the scenario's compliance lever in ``plan``. The result says what the council asks: the workers
needed over the trend (net) and the people to pay for (gross), by which levers, the budget, the probability of
reaching the target with the groups alone and with the whole plan, and which group sizes are placeholders
(certainty A in the region file).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from .data import Region, load_region
from .errors import ValidationError
from .parameters import Parameters, resolve
from .projection import (
    active_participants,
    baseline_forecast,
    compliance_added,
    contribution_per_person_year,
    effective_take_up,
    phase,
    project,
)
from .scenario import Scenario
from .units import percent_value


@dataclass(frozen=True)
class GoalSeekResult:
    target_pct: float              # [% of potential workers]
    year: int
    confidence: float              # probability level the answer is computed at
    feasible: bool
    already_reached: bool
    baseline_pct: float            # baseline coverage at that confidence [%]
    needed_added: float            # workers to add on top of the baseline [persons]
    extra_participants: int        # active participants to add beyond the scenario [persons]
    extra_members: int             # members to enrol (before take-up and drop-out) [persons]
    budget_idr: float              # the city's cost in the target year of the resulting scenario [Rp/year]
    extra_budget_idr: float        # beyond the current scenario (without its cap) [Rp/year]
    shortfall_pct: float           # points missing when no mix of the groups reaches the target
    steps: pd.DataFrame            # per group filled: group_id, group, members, participants, added_net, cost_idr
    scenario: Scenario             # the groups' answer: reaches the target (or comes closest with every group)
    # -- what the council asks (defaults keep older callers working)
    have_net: float = 0.0          # workers the scenario already adds in that year (net PBI + compliance) [persons]
    extra_net: float = 0.0         # newly covered by the groups added (net of those already insured) [persons]
    shortfall_persons: float = 0.0  # workers still missing after every group [persons]
    compliance_needed: float = 0.0  # workers enforcement must bring in by ``year`` on top of the scenario's [persons]
    compliance_pool: float = 0.0   # uncovered formal workers enforcement could still reach in ``year`` [persons]
    reachable: bool = False        # by the groups, or by the groups then the compliance lever within its pool
    probability: float = float("nan")       # chance of reaching the target with the groups' answer [0..1]
    probability_plan: float = float("nan")  # ... with the whole plan (groups, then compliance) [0..1]
    placeholders: tuple[str, ...] = ()      # ids of the plan's groups whose size is a region assumption (A)
    plan: Scenario | None = None   # groups, then the compliance lever when the groups are not enough

    @property
    def levers(self) -> tuple[str, ...]:
        """The levers the plan uses, in the order they are pulled: group ids, then ``"compliance"``."""
        return (*self.steps["group_id"], *(("compliance",) if self.compliance_needed > 0 else ()))


def goal_seek(scenario: Scenario, target_pct: float, year: int, *, confidence: float = 0.5,
              region: Region | None = None, parameters: Parameters | None = None) -> GoalSeekResult:
    """The smallest extra enrolment, in priority order, that reaches ``target_pct`` in ``year``.

    ``region`` and ``parameters`` default to the shipped data (see :func:`simulation.projection.project`)."""
    # the one percent rule (simulation/units.py): the engine takes the value as a percentage (a door that read
    # "0.45" without a % sign has already asked whether 45 % was meant); more than 100 is a count, refused
    target_pct = percent_value(target_pct, "target", written_with_percent_sign=True)
    if not 0.05 <= confidence <= 0.99:
        raise ValidationError("confidence", "confidence must be between 0.05 and 0.99", code="out_of_range",
                              params={"min": 0.05, "max": 0.99, "value": confidence})
    region = region or load_region(scenario.region)
    region.require_ready()
    params = resolve(parameters)
    if not region.last_history_year < year <= 2060:
        raise ValidationError("year", f"the year must be after {region.last_history_year}", code="out_of_range",
                              params={"min": region.last_history_year + 1, "max": 2060, "value": year})
    base = scenario.replace(budget_cap_idr=None, horizon_year=max(year, scenario.horizon_year))
    fc = baseline_forecast(region, base.horizon_year, params)
    growth = region.worker_growth_pct.value if base.worker_growth_pct is None else base.worker_growth_pct
    workers = region.potential_workers_in(year, growth)
    baseline_share = float(fc.quantile(1 - confidence)[fc.years.index(year)])
    needed = (target_pct / 100 - baseline_share) * workers
    have = compliance_added(base, region, year, workers) + sum(
        active_participants(g, base, year) * (1 - g.already_covered) for g in base.groups if g.in_scope)
    per_person = contribution_per_person_year(base, region, year, params)

    steps = []
    groups = {g.id: g for g in base.groups}
    remaining = needed - have
    for g in sorted(base.groups, key=lambda g: (g.priority, g.id)):
        if remaining <= 1e-9:
            break
        if g.in_scope:
            continue
        start = max(g.start_year, base.start_year)
        candidate = replace(g, in_scope=True, start_year=start)
        per_member = effective_take_up(candidate, base) * phase(candidate, year) * (1 - g.dropout)
        net_per_member = per_member * (1 - g.already_covered)
        if net_per_member <= 0 or g.members <= 0:
            continue
        members = min(g.members, math.ceil(remaining / net_per_member - 1e-9))
        members = max(members, 0)
        participants = members * per_member
        added = members * net_per_member
        remaining -= added
        groups[g.id] = replace(candidate, members=members)
        steps.append({"group_id": g.id, "group": g.name, "members": members, "participants": participants,
                      "added_net": added, "cost_idr": participants * per_person * base.city_share})
    result_scenario = base.replace(groups=[groups[g.id] for g in base.groups])
    res = project(result_scenario, region, params).row(year)
    cur = project(base, region, params).row(year)
    steps_df = pd.DataFrame(steps, columns=["group_id", "group", "members", "participants", "added_net", "cost_idr"])
    feasible = remaining <= 1e-6
    shortfall = 0.0 if feasible else remaining

    # second lever: employer compliance, for what the groups leave
    have_c = compliance_added(base, region, year, workers)
    pool = max(0.0, workers * region.formal_share.value * (1 - region.formal_coverage.value) - have_c)
    compliance_needed = min(shortfall, pool)
    plan = _with_compliance(result_scenario, have_c + compliance_needed, year) if compliance_needed > 0 \
        else result_scenario
    reachable = feasible or shortfall <= pool + 1e-6

    def prob(added: float) -> float:
        return fc.prob_at_least(year, target_pct / 100 - added / workers)

    defaults = {g.id: g for g in region.groups}
    placeholders = tuple(g.id for g in sorted(result_scenario.groups, key=lambda g: (g.priority, g.id))
                         if g.in_scope and g.members > 0 and g.id in defaults
                         and defaults[g.id].members.is_assumption
                         and (g.id in groups and not base.group(g.id).in_scope
                              or int(round(defaults[g.id].members.value)) == g.members))
    extra_net = float(steps_df["added_net"].sum()) if steps else 0.0
    return GoalSeekResult(
        target_pct=target_pct, year=year, confidence=confidence, feasible=feasible,
        already_reached=needed - have <= 0, baseline_pct=baseline_share * 100, needed_added=max(0.0, needed),
        extra_participants=int(round(steps_df["participants"].sum())) if steps else 0,
        extra_members=int(steps_df["members"].sum()) if steps else 0,
        budget_idr=float(res["cost_idr"]), extra_budget_idr=float(res["cost_idr"] - cur["cost_idr"]),
        shortfall_pct=0.0 if feasible else remaining / workers * 100,
        steps=steps_df, scenario=result_scenario,
        have_net=have, extra_net=extra_net, shortfall_persons=shortfall, compliance_needed=compliance_needed,
        compliance_pool=pool, reachable=reachable,
        probability=prob(have + extra_net), probability_plan=prob(have + extra_net + compliance_needed),
        placeholders=placeholders, plan=plan,
    )


def _with_compliance(s: Scenario, total: float, year: int) -> Scenario:
    """``s`` with its compliance lever set so that it brings ``total`` workers into cover by ``year`` (as a count
    per year from the lever's start: a share lever is restated as the count that reaches the same total)."""
    start = s.start_year if s.compliance_mode == "none" else s.compliance_start_year
    start = min(start, year)
    n = year - start + 1
    return s.replace(compliance_mode="count", compliance_start_year=start,
                     compliance_per_year=float(math.ceil(total / n - 1e-9)))


def cost_coverage_curve(scenario: Scenario, year: int, *, region: Region | None = None,
                        parameters: Parameters | None = None) -> pd.DataFrame:
    """Coverage and the city's cost in ``year`` as groups are added in priority order.

    The first row is the baseline with no PBI groups (compliance lever kept); then one row per group
    with members, all groups up to it in scope. Columns: step, group_id, group, participants,
    cost_idr, coverage_pct (median).
    """
    region = region or load_region(scenario.region)
    params = resolve(parameters)
    base = scenario.replace(budget_cap_idr=None, horizon_year=max(year, scenario.horizon_year))
    order = [g for g in sorted(base.groups, key=lambda g: (g.priority, g.id)) if g.members > 0]
    scope: set[str] = set()
    rows = []
    for step in range(len(order) + 1):
        if step:
            scope.add(order[step - 1].id)
        s = base.replace(groups=[replace(g, in_scope=g.id in scope,
                                         start_year=min(g.start_year, max(base.start_year, g.start_year)))
                                 for g in base.groups])
        r = project(s, region, params).row(year)
        rows.append({"step": step, "group_id": order[step - 1].id if step else "",
                     "group": order[step - 1].name if step else "",
                     "participants": float(r["pbi_participants"]), "cost_idr": float(r["cost_idr"]),
                     "coverage_pct": float(r["coverage_pct"])})
    return pd.DataFrame(rows)
