"""Cached calls into the engine (the UI wing's one door to it).

Scenarios and regions are frozen (hashable), so a bounded LRU cache keyed on them
makes a rerun that changes nothing cost nothing, and a changed scenario cost one
projection.
"""

from __future__ import annotations

import datetime
import functools
from typing import TYPE_CHECKING

from simulation import goalseek
from simulation import projection as _projection
from simulation.data import Region
from simulation.scenario import Scenario
from simulation.sensitivity import sensitivity as _sensitivity  # the package exports the function under this name

if TYPE_CHECKING:
    from presentation.report import Report


@functools.lru_cache(maxsize=128)
def project(scenario: Scenario, region: Region) -> _projection.Projection:
    return _projection.project(scenario, region)


@functools.lru_cache(maxsize=32)
def claims_record(scenario: Scenario, region: Region) -> tuple:
    """The region's scheme record (contributions and claims by year) beside the scenario's claims model."""
    return _projection.claims_record(scenario, region)


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


def report(scenario: Scenario, region: Region, lang: str, *, goal: tuple[float, int, float] | None = None,
           sensitivity: bool = False, compare: tuple[Scenario, ...] = (), on: datetime.date | None = None) -> Report:
    """The one report of ``scenario`` (presentation/report.py) that the page, the deck, the brief and the
    workbook read, from the cached engine calls above.

    ``goal``: (target [%], year, confidence) to answer on the deck's "what it takes" slide; by default the first
    target within the horizon at the median, the question the Overview's sentence answers too. ``sensitivity``:
    include the tornado table. ``compare``: scenarios of the same region to set beside it. ``on``: the date
    printed on it (today). Cached: an unchanged question costs nothing, and a new day makes a new report.
    """
    return _report(scenario, region, lang, goal, sensitivity, tuple(compare), on or datetime.date.today())


@functools.lru_cache(maxsize=16)
def baseline_forecast(region: Region, horizon_year: int):
    """The region's trend with no new policy, fitted on its coverage history (the About page's figures)."""
    return _projection.baseline_forecast(region, horizon_year)


@functools.lru_cache(maxsize=4)
def forecast_calibration(prior_sd: float, prior_weight: float) -> tuple[dict, ...]:
    """Band coverage on synthetic series of known truth, for short histories of 2, 3, 5 and 8 points."""
    from simulation import calibration
    return tuple(calibration.synthetic_calibration(n_series=400, n_points=n, horizon=3, seed=0, prior_sd=prior_sd,
                                                   prior_weight=prior_weight) for n in (2, 3, 5, 8))


@functools.lru_cache(maxsize=16)
def _report(scenario, region, lang, goal, with_sensitivity, compare, on) -> Report:
    from presentation import labels
    from presentation.report import Report  # on first use: the engine's door stays light to import

    p = project(scenario, region)
    shown_scenario = labels.localized(scenario, region, lang)
    shown = p if shown_scenario == scenario else project(shown_scenario, region)
    if goal is None:
        years = set(int(y) for y in p.table["year"])
        first = next((tg for tg in scenario.targets if tg.year in years), None)
        goal = None if first is None else (first.coverage_pct, first.year, 0.5)
    answer = None if goal is None else goal_seek(scenario, region, *goal)
    return Report.from_results(
        p, shown, lang, goal=answer, sensitivity=sensitivity(scenario, region) if with_sensitivity else None,
        compare=[project(labels.localized(s, region, lang), region) for s in compare], on=on)
