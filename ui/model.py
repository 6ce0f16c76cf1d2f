"""Cached calls into the engine (the UI wing's one door to it).

Scenarios and regions are frozen (hashable), so a bounded LRU cache keyed on them
makes a rerun that changes nothing cost nothing, and a changed scenario cost one
projection.
"""

from __future__ import annotations

import functools

from simulation import goalseek
from simulation import projection as _projection
from simulation.data import Region
from simulation.scenario import Scenario
from simulation.sensitivity import sensitivity as _sensitivity  # the package exports the function under this name


@functools.lru_cache(maxsize=128)
def project(scenario: Scenario, region: Region) -> _projection.Projection:
    return _projection.project(scenario, region)


@functools.lru_cache(maxsize=32)
def goal_seek(scenario: Scenario, region: Region, target_pct: float, year: int,
              confidence: float) -> goalseek.GoalSeekResult:
    return goalseek.goal_seek(scenario, target_pct, year, confidence=confidence, region=region)


@functools.lru_cache(maxsize=32)
def cost_curve(scenario: Scenario, region: Region, year: int):
    return goalseek.cost_coverage_curve(scenario, year, region=region)


@functools.lru_cache(maxsize=32)
def sensitivity(scenario: Scenario, region: Region):
    return _sensitivity(scenario, region)
