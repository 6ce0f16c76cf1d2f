"""Benchmark: measure the budgets of the performance issue on this machine and write docs/PERFORMANCE.md.

Usage: .venv/bin/python -m bench.run [--quick] [--only engine,app,export,browser,memory]

Prints a table (median and spread over repeated runs) and rewrites docs/PERFORMANCE.md with the date and the
machine's cores. Nothing here is a test: no wall time is asserted anywhere in tests/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ROWS: list[dict] = []


def measure(name: str, fn: Callable[[], object], budget_s: float | None, repeat: int = 30, warmup: int = 2,
            unit: str = "ms") -> dict:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return record(name, times, budget_s, unit)


def record(name: str, times: list[float], budget_s: float | None, unit: str = "ms", note: str = "") -> dict:
    med = statistics.median(times)
    q = sorted(times)
    lo, hi = q[int(0.1 * (len(q) - 1))], q[int(0.9 * (len(q) - 1))]
    row = {"name": name, "median": med, "p10": lo, "p90": hi, "n": len(times), "budget": budget_s, "unit": unit,
           "ok": None if budget_s is None else med <= budget_s, "note": note}
    ROWS.append(row)
    scale = 1000 if unit == "ms" else 1
    status = "" if budget_s is None else ("OK" if row["ok"] else "OVER")
    print(f"{name:<62} {med * scale:9.2f} {unit}  (p10 {lo * scale:.2f}, p90 {hi * scale:.2f}, n={len(times)})"
          f"  budget {'' if budget_s is None else f'{budget_s * scale:g} {unit}'} {status}", flush=True)
    return row


def bench_engine(quick: bool) -> None:
    from simulation import default_scenario, goal_seek, project
    from simulation.data import load_region
    from simulation.forecast import fit_forecast
    from simulation.projection import baseline_forecast

    s = default_scenario()
    region = load_region("pontianak")
    baseline_forecast(region, 2035)
    s10 = s.replace(horizon_year=2035)
    measure("engine: one scenario projected over 10 years (forecast cached)", lambda: project(s10, region), 0.005)
    hist = region.coverage_history
    years = [v.year for v in hist]
    shares = [v.value / 100 for v in hist]
    measure("engine: forecast fit from history", lambda: fit_forecast(years, shares, 2035), 0.050)
    p = project(s10, region)
    fc = p.forecast
    measure("engine: probability of each target", lambda: [fc.prob_at_least(t.year, t.coverage_pct / 100)
                                                          for t in s10.targets], 0.050)
    measure("engine: goal-seek (45 % in 2028)", lambda: goal_seek(s10, 45, 2028, region=region), 0.050,
            repeat=10 if quick else 30)
    # batch over 500 synthetic regions
    import random

    from simulation.batch import run_batch
    rng = random.Random(0)
    lines = ["region_id;name;potential_workers;potential_workers_year;coverage_2022;coverage_2023;coverage_2024;"
             "coverage_2025;members_rt_heads;members_street_vendors"]
    for i in range(500):
        c = rng.uniform(15, 60)
        cov = [c + k * rng.uniform(-1, 3) for k in range(4)]
        lines.append(f"r{i};Region {i};{rng.randint(20_000, 2_000_000)};2024;" + ";".join(f"{x:.2f}".replace(".", ",") for x in cov)
                     + f";{rng.randint(100, 5000)};{rng.randint(100, 20000)}")
    text = "\n".join(lines)
    t0 = time.perf_counter()
    out = run_batch(s, text)
    record("engine: batch over 500 synthetic regions", [time.perf_counter() - t0], 15, unit="s",
           note=f"{len(out)} rows")


def bench_app(quick: bool) -> None:
    from streamlit.testing.v1 import AppTest
    pages = ["views/overview.py", "views/scenario.py", "views/projection.py", "views/compare.py",
             "views/goalseek.py", "views/sensitivity.py", "views/data.py", "views/about.py"]
    for page in pages:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        at.run()
        if page != "views/overview.py":
            at.switch_page(page).run()
        at.run()
        times = []
        for i in range(5 if quick else 15):
            # a scenario edit: city share alternates, so every rerun recomputes the projection
            sc = at.session_state["scenarios"]["pontianak"]
            at.session_state["scenarios"]["pontianak"] = sc.replace(city_share=1.0 if i % 2 else 0.9)
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        record(f"app: rerun after a scenario edit, {page}", times, 0.150)


def write_report() -> None:
    path = REPO / "docs" / "PERFORMANCE.md"
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        "# Performance figures",
        "",
        f"Measured {now} on {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, by `.venv/bin/python -m bench.run`. Median and 10th-90th percentile over the "
        "repeated runs (n).",
        "",
        "| what | median | p10-p90 | n | budget | |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in ROWS:
        scale = 1000 if r["unit"] == "ms" else 1
        budget = "" if r["budget"] is None else f"{r['budget'] * scale:g} {r['unit']}"
        ok = "" if r["ok"] is None else ("ok" if r["ok"] else "**over**")
        lines.append(f"| {r['name']} | {r['median'] * scale:.2f} {r['unit']} | {r['p10'] * scale:.2f}-"
                     f"{r['p90'] * scale:.2f} | {r['n']} | {budget} | {ok} {r['note']} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="engine,app")
    args = ap.parse_args()
    parts = args.only.split(",")
    if "engine" in parts:
        bench_engine(args.quick)
    if "app" in parts:
        bench_app(args.quick)
    write_report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
