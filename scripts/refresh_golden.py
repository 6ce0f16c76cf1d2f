"""Rewrite the golden yearly tables in tests/golden/ from the engine as it is now.

    .venv/bin/python scripts/refresh_golden.py            # tables only (the scenarios stay as they are)
    .venv/bin/python scripts/refresh_golden.py --scenarios # also rebuild the scenario inputs from the regions

tests/test_golden.py compares the engine with these tables, with a tolerance per column (see COLUMN_TOLERANCE
there). A golden that changes is a result that changed: say why in the commit that rewrites it (one line per
scenario and column that moved), as PolicyEngine does for its headline regressions.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from simulation import Scenario, load_region, project, region_ids, scenario_from_region  # noqa: E402

GOLDEN = REPO / "tests" / "golden"


def scenario_inputs() -> dict[str, dict]:
    """A handful of scenarios per shipped region: its agreement, every group, JHT, wage-earner route on the
    minimum wage, a budget cap that binds, and a slow, half-paid phase-in with compliance work."""
    out = {}
    for rid in region_ids():
        region = load_region(rid)
        if region.defaulted:   # a starter region with marked defaults (issue 12): no golden, see tests/test_golden.py
            continue
        agreement_only = any(g.agreement for g in region.groups)
        base = scenario_from_region(region, name=f"golden {rid}", agreement_only=agreement_only)
        every = base.replace(groups=[replace(g, in_scope=True) for g in base.groups])
        first_cost = project(base, region).table["cost_idr"].iloc[0]
        variants = {
            "agreement": base,
            "all_groups": every,
            "jht": base.replace(route="bpu_jht"),
            "pu_min_wage": base.replace(route="pu", base="min_wage", risk_class=2),
            "capped": every.replace(budget_cap_idr=round(float(first_cost) * 0.8, -6)),
            "phased_half_paid": every.replace(city_share=0.5, compliance_mode="count", compliance_per_year=1000.0,
                                              groups=[replace(g, phase_in_years=3) for g in every.groups]),
        }
        for name, s in variants.items():
            out[f"{rid}__{name}"] = s.to_dict()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", action="store_true", help="rebuild the scenario inputs too")
    args = ap.parse_args(argv)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    if args.scenarios or not any(GOLDEN.glob("*.scenario.json")):
        for name, d in scenario_inputs().items():
            (GOLDEN / f"{name}.scenario.json").write_text(json.dumps(d, indent=1, ensure_ascii=False) + "\n",
                                                          encoding="utf-8")
    for path in sorted(GOLDEN.glob("*.scenario.json")):
        s = Scenario.from_dict(json.loads(path.read_text(encoding="utf-8")))
        table = project(s).table
        out = path.with_name(path.name.replace(".scenario.json", ".table.csv"))
        table.to_csv(out, index=False, float_format="%.15g", lineterminator="\n")
        print(f"wrote {out.name} ({len(table)} years)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
