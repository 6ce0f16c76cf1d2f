"""Which assumptions move the result most: the data of a tornado chart.

Each assumption is set to a low and a high value, all else as in the scenario, and the
final-year coverage (median), the city's cost and the expected claims are recorded.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from .data import Region, load_region
from .parameters import Parameters, resolve
from .projection import claims_record, final_year
from .scenario import Scenario


def _groups(s: Scenario, **scale) -> list:
    out = []
    for g in s.groups:
        changes = {k: min(1.0, max(0.0, getattr(g, k) * f)) for k, f in scale.items()}
        out.append(replace(g, **changes))
    return out


def variants(scenario: Scenario, region: Region) -> list[tuple[str, str, str, Scenario, Scenario]]:
    """(key, low label, high label, low scenario, high scenario) for each assumption."""
    s = scenario
    g0 = region.worker_growth_pct.value if s.worker_growth_pct is None else s.worker_growth_pct
    g_lo, g_hi = max(-20.0, g0 - 1), min(20.0, g0 + 1)  # the scenario's allowed range
    # incidence: x0.5 to x2 of the scenario's, widened to every multiple the region's scheme record implies
    # (a model expecting no claims, e.g. an incidence of 0, implies no finite multiple: such a year is left out)
    implied = [c.multiplier for c in claims_record(s, region) if math.isfinite(c.multiplier)]
    i_lo, i_hi = min([0.5, *implied]), max([2.0, *implied])
    return [
        ("take_up", "×0.7", "×1.1", s.replace(groups=_groups(s, take_up=0.7)), s.replace(groups=_groups(s, take_up=1.1))),
        ("dropout", "×0.5", "×2", s.replace(groups=_groups(s, dropout=0.5)), s.replace(groups=_groups(s, dropout=2.0))),
        ("already_covered", "×0.5", "×1.5", s.replace(groups=_groups(s, already_covered=0.5)),
         s.replace(groups=_groups(s, already_covered=1.5))),
        ("worker_growth", f"{g_lo:+.1f} %", f"{g_hi:+.1f} %", s.replace(worker_growth_pct=g_lo),
         s.replace(worker_growth_pct=g_hi)),
        ("incidence", f"×{i_lo:g}" if i_lo == 0.5 else f"×{i_lo:.1f}", f"×{i_hi:g}" if i_hi == 2 else f"×{i_hi:.1f}",
         s.replace(jkm_incidence=s.jkm_incidence * i_lo, jkk_incidence=s.jkk_incidence * i_lo),
         s.replace(jkm_incidence=min(0.5, s.jkm_incidence * i_hi), jkk_incidence=min(0.5, s.jkk_incidence * i_hi))),
        ("indexation", "0 %", "10 %", s.replace(indexation_pct=0.0), s.replace(indexation_pct=10.0)),
        ("takeup_elasticity", "0", "1", s.replace(takeup_elasticity=0.0), s.replace(takeup_elasticity=1.0)),
    ]


def sensitivity(scenario: Scenario, region: Region | None = None, parameters: Parameters | None = None) -> pd.DataFrame:
    """One row per assumption: low/high label, final-year coverage [%], cost [Rp] and claims [Rp] at each.

    Also a ``trend`` row: the baseline forecast's own 80 % range, for comparison.
    Rows are sorted by the swing in coverage, largest first.
    """
    region = region or load_region(scenario.region)
    params = resolve(parameters)
    f = final_year(scenario, region, params)   # = project(...).final, without building the tables (15 projections)
    rows = []
    for key, lo_label, hi_label, lo, hi in variants(scenario, region):
        a, b = final_year(lo, region, params), final_year(hi, region, params)
        rows.append({"assumption": key, "low_label": lo_label, "high_label": hi_label,
                     "coverage_low_pct": a["coverage_pct"], "coverage_high_pct": b["coverage_pct"],
                     "cost_low_idr": a["cost_idr"], "cost_high_idr": b["cost_idr"],
                     "claims_low_idr": a["claims_idr"], "claims_high_idr": b["claims_idr"]})
    rows.append({"assumption": "trend", "low_label": "P10", "high_label": "P90",
                 "coverage_low_pct": f["coverage_low_pct"], "coverage_high_pct": f["coverage_high_pct"],
                 "cost_low_idr": f["cost_idr"], "cost_high_idr": f["cost_idr"],
                 "claims_low_idr": f["claims_idr"], "claims_high_idr": f["claims_idr"]})
    df = pd.DataFrame(rows)
    df["base_coverage_pct"] = f["coverage_pct"]
    df["base_cost_idr"] = f["cost_idr"]
    df["base_claims_idr"] = f["claims_idr"]
    df["coverage_swing_pp"] = (df["coverage_high_pct"] - df["coverage_low_pct"]).abs()
    df["cost_swing_idr"] = (df["cost_high_idr"] - df["cost_low_idr"]).abs()
    df["year"] = int(f["year"])
    return df.sort_values(["coverage_swing_pp", "cost_swing_idr"], ascending=False, ignore_index=True)
