"""Jamsostek PBI Simulator engine: pure Python, no Streamlit.

Public API (see each module for units)::

    from simulation import default_scenario, project, goal_seek, sensitivity
    p = project(default_scenario())
    p.table            # yearly rows: coverage with bands, participants, cost, claims, gaps
"""

import importlib

_WHERE = {
    "monthly_contribution": "contributions", "yearly_contribution": "contributions",
    "Region": "data", "load_parameters": "data", "load_region": "data", "region_ids": "data",
    "DataFileError": "errors", "ValidationError": "errors",
    "ForecastResult": "forecast", "backtest": "forecast", "fit_forecast": "forecast",
    "GoalSeekResult": "goalseek", "cost_coverage_curve": "goalseek", "goal_seek": "goalseek",
    "Projection": "projection", "baseline_forecast": "projection", "project": "projection",
    "GroupScenario": "scenario", "Scenario": "scenario", "Target": "scenario", "default_scenario": "scenario",
    "scenario_from_region": "scenario", "sensitivity": "sensitivity",
}


def __getattr__(name: str):
    """Import submodules on first use, so that e.g. ``python -m simulation example`` does not load statsmodels."""
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DataFileError", "ForecastResult", "GoalSeekResult", "GroupScenario", "Projection", "Region", "Scenario",
    "Target", "ValidationError", "backtest", "baseline_forecast", "cost_coverage_curve", "default_scenario",
    "fit_forecast", "goal_seek", "load_parameters", "load_region", "monthly_contribution", "project",
    "region_ids", "scenario_from_region", "sensitivity", "yearly_contribution",
]
