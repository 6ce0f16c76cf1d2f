"""Jamsostek PBI Simulator engine: pure Python, no Streamlit.

Public API (see each module for units)::

    from simulation import default_scenario, project, goal_seek, sensitivity
    p = project(default_scenario())
    p.table            # yearly rows: coverage with bands, participants, cost, claims, gaps
    rates = load_parameters().replace_value("bpu.jkm_flat", 7_000)   # another parameter set, nothing global
    project(default_scenario(), parameters=rates)
"""

from .calibration import backtest
from .contributions import monthly_contribution, yearly_contribution
from .data import Region, load_region, region_ids
from .errors import DataFileError, ValidationError
from .forecast import ForecastResult, fit_forecast
from .goalseek import GoalSeekResult, cost_coverage_curve, goal_seek
from .io import parse_number, read_upload
from .parameters import Parameter, Parameters, load_parameters
from .projection import Projection, baseline_forecast, project
from .scenario import GroupScenario, Scenario, Target, default_scenario, scenario_from_region
from .sensitivity import sensitivity

__all__ = [
    "DataFileError", "ForecastResult", "GoalSeekResult", "GroupScenario", "Parameter", "Parameters", "Projection",
    "Region", "Scenario",
    "Target", "ValidationError", "backtest", "baseline_forecast", "cost_coverage_curve", "default_scenario",
    "fit_forecast", "goal_seek", "load_parameters", "load_region", "monthly_contribution", "parse_number",
    "project", "read_upload",
    "region_ids", "scenario_from_region", "sensitivity", "yearly_contribution",
]
